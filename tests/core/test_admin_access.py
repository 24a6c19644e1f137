"""Django admin is for company admins only (issue 3 §5)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["butler1", "supervisor", "manager", "frontdesk", "tech1", "finance", "butler3"])
def test_staff_cannot_enter_admin(client, people, who):
    client.force_login(people[who])
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    assert client.get(reverse("admin:core_user_changelist"), follow=True).status_code == 403


def test_company_admin_manages_staff_and_calendar(client, company_admin, butler1):
    client.force_login(company_admin)
    assert client.get(reverse("admin:index")).status_code == 200
    users = client.get(reverse("admin:core_user_changelist"))
    assert users.status_code == 200 and "butler1" in users.content.decode()
    assert client.get(reverse("admin:core_calendarday_add")).status_code == 200
    assert client.get(reverse("admin:django_celery_beat_periodictask_changelist")).status_code == 200


def test_admin_link_in_navigation_only_for_company_admin(client, company_admin, manager):
    client.force_login(manager)
    assert "后台管理" not in client.get(reverse("core:home")).content.decode()
    client.force_login(company_admin)
    assert "后台管理" in client.get(reverse("core:home")).content.decode()
