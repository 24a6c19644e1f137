"""Reminders and escalations never go to nobody (issue 3 §5)."""

import pytest

from core.choices import DepartmentKind, Role
from core.selectors import department_head, staff_with_role
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_role_holders_are_found(community, manager, butler1):
    assert staff_with_role(community, Role.MANAGER) == [manager]


def test_unfilled_role_falls_back_to_company_admins(community, company_admin, butler1):
    assert staff_with_role(community, Role.MANAGER) == [company_admin]


def test_inactive_membership_does_not_count(community, company_admin, manager):
    manager.memberships.update(is_active=False)
    assert staff_with_role(community, Role.MANAGER) == [company_admin]


def test_role_in_another_community_does_not_count(community, community2, company_admin):
    make_staff("m2", community2, Role.MANAGER)
    assert staff_with_role(community, Role.MANAGER) == [company_admin]


def test_department_head_or_managers(community, supervisor, manager, company_admin):
    assert department_head(community, DepartmentKind.SERVICE) == [supervisor]
    assert department_head(community, DepartmentKind.ENGINEERING) == [manager]


def test_headless_department_without_manager_reaches_admins(community, company_admin):
    assert department_head(community, DepartmentKind.ENGINEERING) == [company_admin]
