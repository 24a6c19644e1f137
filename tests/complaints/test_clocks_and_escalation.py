"""The answer and resolution clocks (pauses, working-day mode) and the
escalation ladder: each step once, whatever the job's runs (issue 8 §4, §5)."""

import datetime as dt
import threading

import pytest

from complaints import escalation, services
from complaints.choices import Step
from complaints.models import CategoryRule, Complaint, ComplaintSettings
from core import ladder
from core.models import EscalationStep, Reminder
from tests.builders import at, inbox
from tests.concurrency import run_in_threads

H = dt.timedelta(hours=1)


def steps(complaint, round=1):
    return sorted(
        EscalationStep.objects.filter(object_id=str(complaint.pk), round=round).values_list("step", flat=True)
    )


def fresh(complaint):
    return Complaint.objects.get(pk=complaint.pk)


@pytest.mark.django_db
def test_urgent_24_ordinary_48_and_a_category_rule(clock, receive, community):
    assert receive(urgency="urgent").answer_due_at == at(2026, 11, 3, 9)
    assert receive().answer_due_at == at(2026, 11, 4, 9)
    CategoryRule.objects.create(community=community, category="noise", normal_answer_hours=12)
    assert receive(category="noise").answer_due_at == at(2026, 11, 2, 21)


@pytest.mark.django_db
def test_a_pause_across_midnight_moves_the_deadline_and_freezes_the_badge(clock, receive, frontdesk, client_for):
    complaint = receive(urgency="urgent")
    clock.set(2026, 11, 2, 22)
    services.pause(complaint, actor=frontdesk, reason="业主要求明早再联系")
    assert fresh(complaint).answer_due_at is None and fresh(complaint).next_escalation_at is None
    clock.set(2026, 11, 3, 6)
    page = client_for(frontdesk).get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'data-clock="paused"' in page and "答复剩 11小时0分" in page
    clock.set(2026, 11, 3, 8)
    services.resume(complaint, actor=frontdesk)
    assert fresh(complaint).answer_due_at == at(2026, 11, 3, 19)  # 24 h + the 10 h it stood still


@pytest.mark.django_db
def test_working_day_mode_over_the_spring_festival(clock, receive, community):
    ComplaintSettings.objects.create(community=community, clock_mode="working")
    clock.set(2026, 2, 13, 15)
    complaint = receive(urgency="urgent")  # 9 h Friday, 15 h on the make-up Saturday
    assert complaint.answer_due_at == at(2026, 2, 14, 15)
    ordinary = receive()  # 48 h: Fri 9 h + Sat 24 h, holiday Feb 15–23, 15 h on Feb 24
    assert ordinary.answer_due_at == at(2026, 2, 24, 15)


@pytest.mark.django_db
def test_the_promised_time_becomes_the_resolution_deadline(clock, receive, frontdesk):
    complaint = receive()
    clock.now += 50 * H
    complaint = services.answer(complaint, actor=frontdesk, reply="周五修好", promised_at=at(2026, 11, 6, 18))
    assert complaint.answered_late
    assert fresh(complaint).resolution_due_at == at(2026, 11, 6, 18)
    clock.set(2026, 11, 6, 17)
    assert not services.resolve(complaint, actor=frontdesk, result="修好").resolved_late


@pytest.mark.django_db
def test_ladder_steps_each_once(clock, receive, frontdesk, supervisor, manager, butler2):
    complaint = receive()  # ordinary: answer due 48 h, warning at 36 h; resolution 72 h; manager at 48 h
    assert steps(complaint) == [Step.REPORTED]
    assert inbox(supervisor, "complaints.reported")
    clock.now += 35 * H
    assert escalation.escalate_due() == (0, 0)
    clock.now += 2 * H
    escalation.escalate_due()
    assert inbox(frontdesk, "complaints.warning") and not inbox(supervisor, "complaints.overdue")
    clock.now += 12 * H  # 49 h
    escalation.escalate_due()
    assert steps(complaint) == sorted([Step.REPORTED, Step.ANSWER_WARNING, Step.ANSWER_OVERDUE, Step.MANAGER])
    assert len(inbox(manager, "complaints.manager")) == 1
    for _ in range(3):
        escalation.escalate_due()
    assert Reminder.objects.filter(kind="complaints.manager").count() == 1
    assert len(inbox(supervisor, "complaints.overdue")) == 1


@pytest.mark.django_db
def test_six_hours_of_downtime_send_one_reminder_per_step(clock, receive, frontdesk, supervisor, manager):
    complaint = receive(urgency="urgent")  # warning 18 h, answer due 24 h; manager 48 h; resolution 72 h
    clock.now += 18 * H - dt.timedelta(minutes=1)
    escalation.escalate_due()
    clock.now += 6 * H + dt.timedelta(minutes=30)  # the job was down: warning and overdue both passed
    assert escalation.escalate_due() == (1, 2)
    assert len(inbox(frontdesk, "complaints.warning")) == 1
    assert len(inbox(supervisor, "complaints.overdue")) == 1
    clock.now += 30 * H  # 54 h: the resolution warning (54 h) and the manager (48 h)
    escalation.escalate_due()
    escalation.escalate_due()
    assert len(inbox(manager, "complaints.manager")) == 1
    assert len(inbox(frontdesk, "complaints.warning")) == 2  # the answer's and the resolution's, once each
    assert EscalationStep.objects.filter(object_id=str(complaint.pk)).count() == 5


@pytest.mark.django_db
def test_a_paused_complaint_never_escalates_and_resumes_with_its_time(clock, receive, frontdesk, supervisor, manager):
    complaint = receive()
    clock.now += 10 * H
    services.pause(complaint, actor=frontdesk, reason="等业主提供照片")
    clock.now += 100 * H
    assert escalation.escalate_due() == (0, 0)
    assert steps(complaint) == [Step.REPORTED]
    services.resume(complaint, actor=frontdesk)
    clock.now += 25 * H  # 35 h of running time: no warning yet
    escalation.escalate_due()
    assert steps(complaint) == [Step.REPORTED]
    clock.now += 2 * H
    escalation.escalate_due()
    assert Step.ANSWER_WARNING in steps(complaint)


@pytest.mark.django_db
def test_a_reopened_complaint_gets_a_new_clock_not_an_instant_breach(clock, receive, frontdesk, manager):
    complaint = receive(location="北门")
    complaint = services.resolve(complaint, actor=frontdesk, result="已处理", reply="已处理")
    clock.now += 100 * H
    services.record_return_visit(complaint, actor=frontdesk, satisfaction="dissatisfied", reason="问题依旧")
    complaint = fresh(complaint)
    assert complaint.round == 2 and complaint.resolution_due_at == clock.now + 72 * H
    escalation.escalate_due()
    assert steps(complaint, round=2) == []
    assert not inbox(manager, "complaints.manager")
    clock.now += 49 * H
    escalation.escalate_due()
    escalation.escalate_due()
    assert steps(complaint, round=2) == [Step.MANAGER]  # 48 h of the new round
    clock.now += 6 * H
    escalation.escalate_due()
    assert steps(complaint, round=2) == sorted([Step.MANAGER, Step.RESOLUTION_WARNING])  # 54 h = 75 % of 72 h
    assert len(inbox(manager, "complaints.manager")) == 1


@pytest.mark.django_db
def test_the_jobs_queries_follow_the_due_items(clock, receive, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    due = receive()
    clock.now += 37 * H
    for _ in range(20):
        receive()  # received now: nothing due for hours
    with CaptureQueriesContext(connection) as one:
        assert escalation.escalate_due()[0] == 1
    assert Step.ANSWER_WARNING in steps(due)
    clock.now += dt.timedelta(minutes=1)
    with CaptureQueriesContext(connection) as none:
        assert escalation.escalate_due() == (0, 0)
    assert len(none.captured_queries) <= 2 < len(one.captured_queries)


@pytest.mark.postgres
def test_two_workers_at_the_claim_point_reach_each_step_once(transactional_db, clock, receive, frontdesk, monkeypatch):
    complaint = receive()
    clock.now += 37 * H
    barrier = threading.Barrier(2, timeout=10)
    original = ladder.claim

    def held_at_claim(*args, **kwargs):
        barrier.wait()  # both workers decided this step is due and not yet reached
        return original(*args, **kwargs)

    monkeypatch.setattr(ladder, "claim", held_at_claim)
    results = run_in_threads(escalation.escalate_due)
    # Without the unique (record, step, round) key both inserts would succeed: two rows, two reminders' worth.
    assert EscalationStep.objects.filter(object_id=str(complaint.pk), step=Step.ANSWER_WARNING).count() == 1
    assert sorted(steps for _, steps in results) == [0, 1]
    assert Reminder.objects.filter(recipient=frontdesk, kind="complaints.warning").count() == 1
