"""首问责任制, each workflow transition and who may take it, reopening on
不满意, and the return visits a complaint raises (issue 8 §2, §3)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from complaints import services
from complaints.choices import Action, Status
from complaints.models import Complaint
from core.choices import DepartmentKind
from core.models import Department
from tests.builders import at, inbox
from visits import services as visit_services
from visits.choices import ReturnVisitStatus, Trigger
from visits.models import FollowUp, ReturnVisit

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)


@pytest.fixture
def engineering(community):
    return Department.objects.get(community=community, kind=DepartmentKind.ENGINEERING)


@pytest.fixture
def complaint(clock, receive, house):
    return receive(house=house, location="")


def log_return_visit(house, butler, satisfaction, reply=""):
    rv = ReturnVisit.objects.get(house=house, trigger=Trigger.COMPLAINT_CLOSED)
    return visit_services.log_visit(
        house=house,
        actor=butler,
        started_at=at(2026, 11, 3, 10),
        channel="door",
        visit_type="complaint_return",
        satisfaction=satisfaction,
        reply=reply,
        return_visit=rv,
        window_reason="回访",
    )


def test_the_receiver_owns_it_until_a_supervisor_reassigns_it(
    complaint, frontdesk, supervisor, manager, butler1, butler2, engineering
):
    assert complaint.owner == frontdesk
    complaint = services.dispatch(complaint, actor=supervisor, department=engineering, handler=butler2)
    assert complaint.owner == frontdesk  # another department does the work; the owner stays
    for person in (manager, butler1, frontdesk):
        with pytest.raises(PermissionDenied):
            services.reassign_owner(complaint, actor=person, owner=butler1, reason="交接")
    with pytest.raises(ValidationError) as error:
        services.reassign_owner(complaint, actor=supervisor, owner=butler1, reason="")
    assert "请填写变更原因" in str(error.value)
    services.reassign_owner(complaint, actor=supervisor, owner=butler1, reason="前台值班调整")
    complaint.refresh_from_db()
    assert complaint.owner == butler1
    event = complaint.events.get(action=Action.REASSIGNED)
    assert event.actor == supervisor and "前台值班调整" in event.note
    assert complaint.history.filter(owner=frontdesk).exists()  # the earlier owner stays in the history


def test_who_may_dispatch_and_work(complaint, frontdesk, supervisor, butler1, butler2, tech1, engineering):
    for person in (butler1, tech1):
        with pytest.raises(PermissionDenied):
            services.dispatch(complaint, actor=person, department=engineering, handler=tech1)
    complaint = services.dispatch(complaint, actor=frontdesk, department=engineering, handler=tech1)
    assert complaint.status == Status.DISPATCHED
    assert inbox(tech1, "complaints.dispatched")
    with pytest.raises(PermissionDenied):
        services.start_work(complaint, actor=butler1)
    complaint = services.start_work(complaint, actor=tech1)
    assert complaint.status == Status.IN_PROGRESS
    with pytest.raises(ValidationError):
        services.answer(complaint, actor=tech1, reply="  ")
    complaint = services.answer(complaint, actor=tech1, reply="明天上午修复")
    assert complaint.status == Status.ANSWERED and complaint.answered_at is not None
    with pytest.raises(ValidationError):
        services.answer(complaint, actor=tech1, reply="再答复一次")
    with pytest.raises(PermissionDenied):
        services.resolve(complaint, actor=butler2, result="已修")
    complaint = services.resolve(complaint, actor=tech1, result="已修复")
    assert complaint.status == Status.RESOLVED
    with pytest.raises(ValidationError) as error:
        services.close(complaint, actor=frontdesk)
    assert "回访" in str(error.value)


def test_resolving_raises_the_return_visit_and_satisfaction_closes_it(
    clock, complaint, supervisor, butler1, frontdesk, django_capture_on_commit_callbacks
):
    services.mark_major(complaint, actor=supervisor)
    complaint = services.resolve(complaint, actor=frontdesk, result="已清理", reply="今天清理")
    rv = ReturnVisit.objects.get(trigger=Trigger.COMPLAINT_CLOSED, house=complaint.house)
    assert rv.assignee == butler1 and rv.joint and rv.status == ReturnVisitStatus.DUE
    assert rv.due_at == complaint.resolved_at + dt.timedelta(days=3)
    clock.now = at(2026, 11, 3, 10, 30)
    with django_capture_on_commit_callbacks(execute=True):
        log_return_visit(complaint.house, butler1, "satisfied")
    complaint.refresh_from_db()
    assert complaint.status == Status.VISITED and complaint.satisfaction == "satisfied"
    services.close(complaint, actor=frontdesk)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED


def test_dissatisfied_reopens_to_the_supervisor_with_a_new_round(
    clock, complaint, supervisor, butler1, frontdesk, django_capture_on_commit_callbacks
):
    complaint = services.resolve(complaint, actor=frontdesk, result="已清理", reply="今天清理")
    clock.now = at(2026, 11, 3, 10, 30)
    with django_capture_on_commit_callbacks(execute=True):
        log_return_visit(complaint.house, butler1, "dissatisfied", reply="地面仍有污渍")
    complaint.refresh_from_db()
    assert complaint.status == Status.ACCEPTED and complaint.round == 2
    assert complaint.resolved_at is None and complaint.resolution_started_at == at(2026, 11, 3, 10)
    assert complaint.dissatisfaction_reason == "地面仍有污渍"
    assert any(complaint.number in text for text in inbox(supervisor, "complaints.reopened"))
    assert complaint.events.filter(action=Action.REOPENED).exists()


def test_household_incident_and_counter_question_use_the_engine(clock, receive, house, manager, supervisor, frontdesk):
    with pytest.raises(ValidationError):
        receive(kind="complaint", is_household_incident=True, house=house, location="")
    incident = receive(kind="help", is_household_incident=True, house=house, location="", description="家中漏水")
    services.resolve(incident, actor=frontdesk, result="已关闭总阀并维修", reply="已处理")
    rv = ReturnVisit.objects.get(trigger=Trigger.HOUSEHOLD_INCIDENT, house=house)
    assert rv.assignee == manager
    question = receive(
        kind="consultation", counter_callback=True, house=house, location="", description="维修基金怎么用"
    )
    callback = ReturnVisit.objects.get(trigger=Trigger.COUNTER_QUESTION, house=house)
    assert callback.assignee == supervisor and callback.due_at == question.received_at + dt.timedelta(hours=24)
    assert not inbox(supervisor, "complaints.warning")  # the engine reminds; complaints builds no reminder of its own


def test_a_consultation_closes_without_a_return_visit(receive, frontdesk):
    question = receive(kind="consultation", description="物业费可以按年交吗")
    question = services.resolve(question, actor=frontdesk, result="当场答复", reply="可以，前台或微信缴纳")
    services.close(question, actor=frontdesk)
    assert Complaint.objects.get(pk=question.pk).status == Status.CLOSED
    assert not ReturnVisit.objects.exists()


def test_a_suggestion_waits_for_the_managers_decision(receive, frontdesk, manager, supervisor):
    suggestion = receive(kind="suggestion", description="建议在北门加装雨棚")
    assert inbox(manager, "complaints.suggestion")
    with pytest.raises(ValidationError):
        services.answer(suggestion, actor=frontdesk, reply="会考虑")
    with pytest.raises(PermissionDenied):
        services.decide_suggestion(suggestion, actor=supervisor, decision="adopted", measures="加装")
    services.decide_suggestion(suggestion, actor=manager, decision="adopted", measures="下月加装雨棚", publish=True)
    services.answer(suggestion, actor=frontdesk, reply="已采纳，下月加装")
    assert Complaint.objects.get(pk=suggestion.pk).status == Status.ANSWERED


def test_a_follow_up_turns_into_a_complaint_linked_both_ways(clock, house, butler1, frontdesk, receive):
    visit = visit_services.log_visit(
        house=house,
        actor=butler1,
        started_at=at(2026, 11, 2, 8, 30),
        channel="door",
        visit_type="routine",
        follow_ups=[{"description": "楼上漏水到卫生间", "due_at": at(2026, 11, 3, 17)}],
        window_reason="上门",
    )
    follow_up = visit.follow_ups.get()
    complaint = receive(house=house, location="", follow_up=follow_up, channel="visit")
    follow_up.refresh_from_db()
    assert follow_up.status == "converted" and follow_up.converted_to == complaint
    assert complaint.follow_up == follow_up
    with pytest.raises(ValidationError):
        receive(house=house, location="", follow_up=FollowUp.objects.get(pk=follow_up.pk))
    assert Complaint.objects.count() == 1


def test_pause_and_resume_are_in_the_timeline(clock, complaint, frontdesk, butler1):
    with pytest.raises(PermissionDenied):
        services.pause(complaint, actor=butler1, reason="x")
    with pytest.raises(ValidationError):
        services.pause(complaint, actor=frontdesk, reason="")
    services.pause(complaint, actor=frontdesk, reason="业主出差")
    with pytest.raises(ValidationError):
        services.pause(complaint, actor=frontdesk, reason="再挂起")
    clock.now += 5 * H
    services.resume(complaint, actor=frontdesk)
    actions = list(complaint.events.values_list("action", flat=True))
    assert actions[-2:] == [Action.PAUSED, Action.RESUMED]
