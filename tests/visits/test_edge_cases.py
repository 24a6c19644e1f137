"""Edge cases found in review: a return visit logged twice, a supervisor's own
plan, a house with nobody to assign."""

import pytest
from django.core.exceptions import ValidationError

from tests.visits.conftest import at, inbox, make_houses
from visits import engine, services
from visits.choices import Trigger
from visits.models import Visit

pytestmark = pytest.mark.django_db


def test_a_return_visit_cannot_be_logged_twice(house, butler1):
    rv = engine.raise_return_visit(Trigger.COMPLAINT_CLOSED, house=house, occurred_at=at(2026, 11, 17, 9))
    services.log_visit(
        house=house,
        actor=butler1,
        started_at=at(2026, 11, 18, 10),
        channel="phone",
        visit_type="complaint_return",
        return_visit=rv,
        now=at(2026, 11, 18, 11),
    )
    with pytest.raises(ValidationError, match="等待第二人复核"):
        services.log_visit(
            house=house,
            actor=butler1,
            started_at=at(2026, 11, 18, 15),
            channel="phone",
            visit_type="complaint_return",
            return_visit=rv,
            now=at(2026, 11, 18, 16),
        )
    assert Visit.objects.filter(return_visit=rv).count() == 1


def test_supervisors_own_plan_goes_to_the_manager(community, supervisor, manager, zone1):
    plan = services.create_monthly_plan(
        community=community, owner=supervisor, year=2026, month=11, houses=zone1[:2], actor=supervisor
    )
    services.submit_plan(plan, actor=supervisor)
    assert inbox(manager, "visits.plan_submitted")
    assert not inbox(supervisor, "visits.plan_submitted")


def test_return_visit_without_anyone_to_assign_is_still_raised(db, community, supervisor):
    from core.models import User

    houses = make_houses(community, "4", actor=supervisor)
    User.objects.filter(is_superuser=True).update(is_superuser=False)
    rv = engine.raise_return_visit(Trigger.OTHER_REPAIR, house=houses[0], occurred_at=at(2026, 11, 18))
    assert rv is not None and rv.assignee is None


def test_log_form_takes_several_photos(client, house, butler1):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    client.force_login(butler1)
    response = client.post(
        reverse("visits:log"),
        {
            "house_number": house.number,
            "started_at": "2026-11-17T10:00",
            "channel": "door",
            "visit_type": "routine",
            "signature": "signed",
            "photos": [SimpleUploadedFile("a.png", png), SimpleUploadedFile("b.png", png)],
        },
    )
    assert response.status_code == 302
    assert Visit.objects.get(house=house).photos.count() == 2


def test_annual_plan_lists_the_zone_and_counts_the_year(client, zone1, butler1, supervisor):
    from django.urls import reverse
    from django.utils import timezone

    from visits.models import VisitPlan

    client.force_login(butler1)
    assert client.post(reverse("visits:plan_propose"), {"kind": "annual"}).status_code == 302
    plan = VisitPlan.objects.get(owner=butler1, kind="annual")
    assert plan.month is None and plan.items.count() == len(zone1)
    year = timezone.localdate().year
    services.log_visit(
        house=zone1[0],
        actor=butler1,
        started_at=at(year, 1, 6, 10),
        channel="door",
        visit_type="routine",
        now=at(year, 1, 6, 12),
    )
    page = client.get(reverse("visits:plan_detail", args=[plan.pk])).content.decode()
    assert f'id="plan-progress">1/{len(zone1)}<' in page
    services.submit_plan(plan, actor=butler1)
    services.decide_plan(plan, actor=supervisor, approve=True)
    with pytest.raises(ValidationError):
        client.post(reverse("visits:plan_propose"), {"kind": "annual"})
        services.create_annual_plan(community=plan.community, owner=butler1, year=year, houses=zone1, actor=butler1)


def test_phone_visit_planned_on_a_monday_needs_a_reason(client, zone1, butler1):
    import datetime as dt

    from django.urls import reverse

    plan = services.create_monthly_plan(
        community=zone1[0].community, owner=butler1, year=2026, month=11, houses=zone1[:2], actor=butler1
    )
    item = plan.items.order_by("pk").first()
    monday, tuesday = dt.date(2026, 11, 23), dt.date(2026, 11, 24)
    with pytest.raises(ValidationError, match="电话拜访不安排在周一"):
        services.update_plan_item(item, actor=butler1, intended_date=monday, channel="phone")
    services.update_plan_item(
        item, actor=butler1, intended_date=monday, channel="phone", window_reason="业主只周一在家"
    )
    item.refresh_from_db()
    assert (item.intended_date, item.window_reason) == (monday, "业主只周一在家")
    services.update_plan_item(item, actor=butler1, intended_date=tuesday, channel="phone", window_reason="多余")
    item.refresh_from_db()
    assert item.window_reason == ""

    client.force_login(butler1)
    url = reverse("visits:plan_detail", args=[plan.pk])
    data = {"action": "item", "item": item.pk, "intended_date": "2026-11-30", "channel": "phone", "purpose": "回访"}
    page = client.post(url, data, follow=True).content.decode()
    assert "电话拜访不安排在周一" in page
    item.refresh_from_db()
    assert item.intended_date == tuesday
