"""外出报备: a reported long absence flags the house for patrol attention until the
return date; a daily job clears the ones that have passed (SPEC §1 [001])."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from residents import services
from residents.models import Absence

pytestmark = pytest.mark.django_db


def test_recorded_absence_shows_badge_and_patrol_list(client_for, frontdesk, butler1, household):
    today = timezone.localdate()
    back = today + dt.timedelta(days=30)
    url = reverse("residents:absence_add", args=[household.house.pk])
    data = {"from_date": today.isoformat(), "to_date": back.isoformat(), "note": "水电气已关闭"}
    response = client_for(frontdesk).post(url, data, follow=True)
    assert f"已登记外出报备，{back:%Y-%m-%d} 前纳入巡逻重点关注" in response.content.decode()
    absence = Absence.objects.get()
    assert absence.history.get().history_user == frontdesk

    house_page = client_for(butler1).get(reverse("residents:house_detail", args=[household.house.pk])).content.decode()
    assert f'id="absence-badge"><i class="bi bi-airplane"></i> 外出至 {back:%Y-%m-%d}' in house_page

    patrol = client_for(frontdesk).get(reverse("residents:absence_list")).content.decode()
    assert "3-1-101" in patrol and "水电气已关闭" in patrol
    assert "共 1 户" in patrol


def test_return_date_before_leaving_is_rejected(client_for, frontdesk, household):
    url = reverse("residents:absence_add", args=[household.house.pk])
    response = client_for(frontdesk).post(url, {"from_date": "2026-05-10", "to_date": "2026-05-01"})
    assert response.status_code == 400
    assert "返回日期不能早于外出日期。" in response.content.decode()
    assert not Absence.objects.exists()


def test_owner_back_early_ends_the_absence(client_for, butler1, household, supervisor):
    today = timezone.localdate()
    absence = services.record_absence(
        house=household.house, from_date=today, to_date=today + dt.timedelta(days=9), actor=supervisor
    )
    client_for(butler1).post(reverse("residents:absence_end", args=[absence.pk]))
    absence.refresh_from_db()
    assert absence.cleared_at is not None
    house_page = client_for(butler1).get(reverse("residents:house_detail", args=[household.house.pk])).content.decode()
    assert 'id="absence-badge"' not in house_page
    assert "3-1-101" not in client_for(butler1).get(reverse("residents:absence_list")).content.decode()


def test_clearing_expired_absences_is_safe_to_repeat(client_for, butler1, household, household_b2, supervisor):
    today = timezone.localdate()
    expired = services.record_absence(
        house=household.house,
        from_date=today - dt.timedelta(days=20),
        to_date=today - dt.timedelta(days=1),
        actor=supervisor,
    )
    current = services.record_absence(
        house=household_b2.house, from_date=today, to_date=today + dt.timedelta(days=5), actor=supervisor
    )
    assert services.clear_expired_absences() == 1
    expired.refresh_from_db()
    current.refresh_from_db()
    cleared_at = expired.cleared_at
    assert cleared_at is not None and current.cleared_at is None

    assert services.clear_expired_absences() == 0
    expired.refresh_from_db()
    assert expired.cleared_at == cleared_at

    patrol = client_for(butler1).get(reverse("residents:absence_list")).content.decode()
    assert "5-1-101" in patrol and "3-1-101" not in patrol


def test_absence_ends_on_its_return_date_at_the_latest(household, household_b2, supervisor):
    today = timezone.localdate()
    absence = services.record_absence(
        house=household.house, from_date=today, to_date=today + dt.timedelta(days=3), actor=supervisor
    )
    assert household.house.current_absence() == absence
    assert services.clear_expired_absences(today=today + dt.timedelta(days=3)) == 0
    assert services.clear_expired_absences(today=today + dt.timedelta(days=4)) == 1
    assert household.house.current_absence() is None
