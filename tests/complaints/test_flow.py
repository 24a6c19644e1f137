"""A complaint's whole life through the services and pages: intake by the front
desk, dispatch, answer, resolution, the return visit in the butler's list, the
owner's satisfaction and closing."""

import datetime as dt

import pytest
from django.urls import reverse

from complaints import services
from complaints.choices import Status
from complaints.models import Complaint
from core.choices import DepartmentKind
from core.models import Department
from tests.builders import at, inbox
from visits.choices import ReturnVisitStatus, Trigger
from visits.models import ReturnVisit

pytestmark = pytest.mark.django_db


def test_house_complaint_goes_from_intake_to_return_visit(clock, receive, house, frontdesk, supervisor, butler1):
    complaint = receive(house=house, location="", urgency="urgent")
    assert complaint.number == "TS-2026-000001"
    assert complaint.owner == frontdesk
    assert complaint.answer_due_at == at(2026, 11, 3, 9)
    assert inbox(supervisor, "complaints.reported")

    service = Department.objects.get(community=complaint.community, kind=DepartmentKind.SERVICE)
    complaint = services.dispatch(complaint, actor=supervisor, department=service, handler=butler1)
    assert complaint.status == Status.DISPATCHED and complaint.owner == frontdesk
    clock.now += dt.timedelta(hours=3)
    complaint = services.answer(
        complaint, actor=butler1, reply="今天下午安排保洁", promised_at=clock.now + dt.timedelta(hours=5)
    )
    assert complaint.status == Status.ANSWERED and not complaint.answered_late
    complaint.refresh_from_db()
    assert complaint.resolution_due_at == at(2026, 11, 2, 17)
    clock.now += dt.timedelta(hours=2)
    complaint = services.resolve(complaint, actor=butler1, result="已拖洗")
    assert complaint.status == Status.RESOLVED
    visit = ReturnVisit.objects.get(trigger=Trigger.COMPLAINT_CLOSED, house=house)
    assert visit.assignee == butler1 and visit.status == ReturnVisitStatus.DUE


def test_pages_render(client_for, receive, house, supervisor, frontdesk):
    complaint = receive(house=house, location="")
    for user in (supervisor, frontdesk):
        client = client_for(user)
        for name, kwargs in (
            ("complaints:list", {}),
            ("complaints:intake", {}),
            ("complaints:detail", {"pk": complaint.pk}),
            ("complaints:print", {"pk": complaint.pk}),
        ):
            response = client.get(reverse(name, kwargs=kwargs))
            assert response.status_code == 200, (user, name)
    client = client_for(supervisor)
    for name in ("review", "statistics", "recurring", "book", "reception_list", "measures", "export"):
        assert client.get(reverse(f"complaints:{name}")).status_code == 200, name
    assert Complaint.objects.count() == 1
