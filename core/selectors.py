"""Reads that more than one app needs: who holds a role, who heads a department."""

from django.contrib.auth import get_user_model

from core.models import Department


def company_admins(company):
    """Active company admins of `company`; superusers when the company has none."""
    User = get_user_model()
    admins = list(User.objects.filter(company=company, is_company_admin=True, is_active=True).order_by("pk"))
    return admins or list(User.objects.filter(is_superuser=True, is_active=True).order_by("pk"))


def staff_with_role(community, role):
    """Who a reminder or escalation for `role` in `community` must reach.

    When nobody holds the role there, the company admins get it instead — never
    nobody (issue 3 §5).
    """
    User = get_user_model()
    people = list(
        User.objects.filter(
            is_active=True, memberships__community=community, memberships__role=role, memberships__is_active=True
        )
        .distinct()
        .order_by("pk")
    )
    return people or company_admins(community.company)


def department_head(community, kind):
    """The head of the community's department of `kind`, as a one-person list.

    Falls back to the community's managers (and through them to the company admins).
    """
    from core.choices import Role

    department = (
        Department.objects.filter(community=community, kind=kind, head__is_active=True).select_related("head").first()
    )
    if department is not None:
        return [department.head]
    return staff_with_role(community, Role.MANAGER)
