from django.utils.functional import SimpleLazyObject

from core import navigation
from core.choices import COMPANY_ADMIN, Role
from core.models import Community, Reminder


def shell(request):
    """What the page frame needs: navigation, community switcher, inbox badge."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = getattr(request, "roles", frozenset())
    labels = dict(Role.choices) | {COMPANY_ADMIN: "公司管理员"}
    return {
        "nav_items": navigation.items_for(roles),
        "active_community": getattr(request, "community", None),
        "role_labels": [labels[r] for r in sorted(roles)],
        "switchable_communities": SimpleLazyObject(
            lambda: list(Community.objects.for_user(user).order_by("name").values("pk", "name"))
        ),
        "unread_count": SimpleLazyObject(lambda: Reminder.objects.for_user(user).unread().count()),
        "is_company_admin": COMPANY_ADMIN in roles or user.is_company_admin,
    }
