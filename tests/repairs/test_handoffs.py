"""Work orders from a vacant-house inspection's follow-up and from a complaint
(issue 9 §1, §11): the other apps only link here; repairs creates the order."""

import datetime as dt
import uuid

from django.urls import reverse

from repairs import services
from repairs.models import WorkOrder
from residents.choices import Occupancy
from tests.builders import at, inbox, make_houses
from visits import services as visit_services
from visits.choices import Channel, FollowUpStatus, VisitType
from visits.models import FollowUp


def test_vacant_house_follow_up_becomes_an_order_from_the_vacant_inspection(
    clock, community, supervisor, butler1, client_for, category
):
    clock.now = at(2026, 11, 2, 10)
    house = make_houses(community, "8", actor=supervisor, butler=butler1, rooms=1, occupancy=Occupancy.VACANT)[0]
    visit_services.log_visit(
        house=house,
        actor=butler1,
        started_at=at(2026, 11, 2, 9, 30),
        channel=Channel.DOOR,
        visit_type=VisitType.VACANT_INSPECTION,
        checklist={"doors_windows": "ok", "switches": "ok", "leaks": "defect", "cracks": "ok"},
        owner_notified="电话告知业主",
        follow_ups=[{"description": "卫生间顶棚渗水", "due_at": at(2026, 11, 3, 10), "category": "repair"}],
    )
    follow_up = FollowUp.objects.get()
    client = client_for(butler1)
    page = client.get(reverse("visits:follow_up_list")).content.decode()
    assert f"{reverse('repairs:intake')}?follow_up={follow_up.pk}" in page
    form = client.get(reverse("repairs:intake") + f"?follow_up={follow_up.pk}").content.decode()
    assert 'value="vacant" selected' in form and "卫生间顶棚渗水" in form
    response = client.post(
        reverse("repairs:intake"),
        {
            "follow_up": follow_up.pk,
            "source": "vacant",
            "category": category("渗漏水").pk,
            "house_number": house.number,
            "description": "卫生间顶棚渗水",
            "intake_key": str(uuid.uuid4()),
        },
    )
    order = WorkOrder.objects.get()
    assert response.url == reverse("repairs:detail", args=[order.pk])
    assert order.source == "vacant" and order.follow_up == follow_up
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.CONVERTED and follow_up.converted_to == order


def test_complaint_page_offers_a_work_order_and_the_order_links_back(
    clock, community, frontdesk, supervisor, house, client_for, category
):
    from complaints import services as complaint_services

    complaint = complaint_services.receive_complaint(
        community=community,
        actor=frontdesk,
        kind="complaint",
        channel="phone",
        category="maintenance",
        reporter_name="赵女士",
        house=house,
        description="楼上漏水到我家天花板",
    )
    client = client_for(frontdesk)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert f"{reverse('repairs:intake')}?complaint={complaint.pk}" in page
    client.post(
        reverse("repairs:intake"),
        {
            "complaint": complaint.pk,
            "source": "complaint",
            "category": category("渗漏水").pk,
            "house_number": house.number,
            "description": "楼上漏水到我家天花板",
            "intake_key": str(uuid.uuid4()),
        },
    )
    order = WorkOrder.objects.get()
    assert order.complaint == complaint and order.source == "complaint"
    detail = client.get(reverse("repairs:detail", args=[order.pk])).content.decode()
    assert complaint.number in detail


def test_technicians_materials_request_reaches_the_head(clock, order, supervisor, tech, engineer):
    o = services.dispatch(order(), actor=supervisor, technician=tech)
    o = services.arrive(o, actor=tech, entry_agreed=True)
    clock.now += dt.timedelta(minutes=20)
    services.pause(o, actor=tech, reason="materials", note="需要 DN20 角阀两个")
    assert any("DN20 角阀" in text for text in inbox(engineer, "repairs.materials_request"))
