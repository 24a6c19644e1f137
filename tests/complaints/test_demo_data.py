"""`seed_demo` gives the complaints app three months of matters in each demo
community, in every state and with the cases a supervisor meets, made through
the services at their own moments (issue 8 §10): numbers gapless per community
and year in receipt order, every open matter's ladder climbed as the beat job
would have climbed it, the answer book, the reception days; a second run adds
nothing. It runs at a small scale: the showcase of states does not depend on it.

At the end, two product bugs found while building the demo and the bench."""

import datetime as dt
import io
import re
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from complaints import clocks, services
from complaints.choices import OPEN_STATUSES, Action, Status
from complaints.models import AnswerEntry, Complaint, ComplaintEvent, ReceptionSession
from core.ladder import steps_reached
from core.models import Community, EscalationStep, Reminder
from tests.builders import at
from visits import services as visit_services
from visits.choices import ReturnVisitStatus, Trigger
from visits.models import ReturnVisit, Visit

pytestmark = pytest.mark.django_db

BEAT = dt.timedelta(minutes=5)


def seed():
    call_command("seed_demo", scale=0.05, through="complaints", stdout=io.StringIO())


def _counts():
    complaint_type = ContentType.objects.get_for_model(Complaint)
    return {
        "complaints": Complaint.objects.count(),
        "events": ComplaintEvent.objects.count(),
        "steps": EscalationStep.objects.filter(content_type=complaint_type).count(),
        "reminders": Reminder.objects.filter(kind__startswith="complaints.").count(),
        "entries": AnswerEntry.objects.count(),
        "sessions": ReceptionSession.objects.count(),
        "return_visits": ReturnVisit.objects.count(),
        "visits": Visit.objects.count(),
    }


def _return_visit(complaint):
    return ReturnVisit.objects.filter(
        source_type=ContentType.objects.get_for_model(Complaint), source_id=str(complaint.pk)
    ).first()


def test_every_state_and_case_in_each_community_and_a_second_run_adds_nothing():
    seed()
    now = timezone.now()
    for community in Community.objects.order_by("pk"):
        matters = Complaint.objects.filter(community=community)
        assert set(matters.values_list("status", flat=True)) == set(Status.values), community
        open_now = matters.filter(status__in=OPEN_STATUSES)

        paused = open_now.filter(is_paused=True).first()
        assert paused.pauses.get(ended_at__isnull=True).reason
        reopened = open_now.filter(round=2).first()
        assert reopened.satisfaction == "dissatisfied" and reopened.dissatisfaction_reason
        assert reopened.events.filter(action=Action.REOPENED).exists()
        unanswered = open_now.filter(is_paused=False, answered_at__isnull=True, answer_due_at__lt=now)
        unresolved = open_now.filter(is_paused=False, answered_at__isnull=False, resolution_due_at__lt=now)
        assert unanswered.exists() and unresolved.exists()
        assert open_now.filter(kind="suggestion", decision="").exists()  # waiting for the manager
        assert matters.filter(status=Status.VOID).exclude(void_reason="").exists()

        major = matters.get(is_major=True)
        assert Reminder.objects.filter(kind="complaints.major", object_id=str(major.pk)).exists()
        assert matters.filter(is_municipal=True, category="municipal").exists()
        incident = matters.get(is_household_incident=True, status=Status.RESOLVED)
        assert _return_visit(incident).trigger == Trigger.HOUSEHOLD_INCIDENT
        awaiting = matters.filter(status=Status.RESOLVED, kind="complaint", house__isnull=False).first()
        rv = _return_visit(awaiting)
        assert rv.status == ReturnVisitStatus.DUE and rv.assignee == awaiting.house.butler
        assert matters.filter(status=Status.VISITED).exists()
        assert matters.filter(
            kind="suggestion", status=Status.CLOSED, decision__in=["adopted", "partly"], publish_measures=True
        ).exists()
        spot = matters.filter(kind="consultation", answer_entry__isnull=False, status=Status.CLOSED)
        assert spot.exists() and all(c.reply == c.answer_entry.answer for c in spot.select_related("answer_entry"))
        callback = matters.get(events__action=Action.COUNTER_CALLBACK)
        assert callback.status == Status.ACCEPTED and _return_visit(callback).trigger == Trigger.COUNTER_QUESTION
        assert len(set(matters.values_list("category", flat=True))) >= 10

    before = _counts()
    seed()
    assert _counts() == before


def test_numbers_are_gapless_per_community_and_year_in_the_order_received():
    seed()
    for community in Community.objects.order_by("pk"):
        numbers = list(
            Complaint.objects.filter(community=community).order_by("received_at", "pk").values_list("number", flat=True)
        )
        by_year = Counter()
        for number in numbers:
            year, serial = re.fullmatch(r"TS-(\d{4})-(\d{6})", number).groups()
            by_year[year] += 1
            assert int(serial) == by_year[year], (community.code, number)


def test_open_matters_have_climbed_their_ladder_at_the_beat_times():
    """Every rung due by now of every open, running matter was reached and its
    reminder raised (the overdue ones report to the supervisor, the 48-hour ones to
    the manager); every step of every matter within one beat of its moment."""
    now = timezone.now()
    seed()
    complaint_type = ContentType.objects.get_for_model(Complaint)
    steps = EscalationStep.objects.filter(content_type=complaint_type)
    assert steps.count() > 0
    assert all(dt.timedelta() <= s.reached_at - s.due_at <= BEAT for s in steps), "a step off the beat"
    running = Complaint.objects.filter(status__in=OPEN_STATUSES, is_paused=False).select_related(
        "community", "owner", "handler"
    )
    overdue = 0
    for complaint in running:
        policy = clocks.Policy(complaint.community)
        rungs = clocks.rungs(complaint, policy, clocks.pauses_of(complaint))
        due = [r for r in rungs if r.due_at is not None and r.due_at <= now]
        reached = set(steps_reached(complaint).filter(round=complaint.round).values_list("step", flat=True))
        for rung in due:
            assert rung.step in reached, (complaint.number, rung.step)
            assert Reminder.objects.filter(
                content_type=complaint_type, object_id=str(complaint.pk), kind=rung.kind
            ).exists(), (complaint.number, rung.kind)
        overdue += any(rung.step in ("answer_overdue", "resolution_overdue") for rung in due)
    assert overdue >= 4  # the showcase's two in each community, at least
    paused = Complaint.objects.filter(is_paused=True)
    assert paused.exists() and not paused.filter(next_escalation_at__isnull=False).exists()


def test_the_answer_book_and_the_reception_days():
    seed()
    today = timezone.localdate()
    for community in Community.objects.order_by("pk"):
        entries = AnswerEntry.objects.filter(community=community)
        assert entries.filter(status="approved").count() == 10
        draft = entries.get(status="draft")
        assert draft.version == 2 and entries.get(lineage=draft.lineage, version=1).status == "approved"
        past, upcoming = ReceptionSession.objects.filter(community=community).order_by("date")
        assert past.date < today < upcoming.date and past.date.weekday() == upcoming.date.weekday() == 5
        registrations = past.complaints.all()
        assert registrations.count() == 3 and {c.channel for c in registrations} == {"reception_day"}
        assert all(c.handler_id for c in registrations)
        signed = registrations.get(manager_signed_at__isnull=False)
        assert signed.status == Status.CLOSED
        assert not registrations.filter(manager_signed_at__isnull=True, status=Status.CLOSED).exists()


# --- product bugs found on the way -------------------------------------------------------


def test_a_household_complaint_reopened_and_resolved_again_is_visited_again(
    clock, receive, house, frontdesk, butler1, django_capture_on_commit_callbacks
):
    complaint = receive(house=house, location="")
    complaint = services.resolve(complaint, actor=frontdesk, result="已清理", reply="今天清理")
    first = ReturnVisit.objects.get(trigger=Trigger.COMPLAINT_CLOSED, house=house)
    clock.now = at(2026, 11, 3, 10, 30)
    with django_capture_on_commit_callbacks(execute=True):
        visit_services.log_visit(
            house=house,
            actor=butler1,
            started_at=at(2026, 11, 3, 10),
            channel="door",
            visit_type="complaint_return",
            satisfaction="dissatisfied",
            reply="地面仍有污渍",
            return_visit=first,
        )
    complaint.refresh_from_db()
    assert complaint.status == Status.ACCEPTED and complaint.round == 2
    clock.now = at(2026, 11, 4, 10)
    services.resolve(complaint, actor=frontdesk, result="再次清理并打蜡")
    # The complaint may close only after a return visit, and only the visits app can log one.
    assert ReturnVisit.objects.filter(
        trigger=Trigger.COMPLAINT_CLOSED, house=house, status=ReturnVisitStatus.DUE
    ).exists()


def test_the_review_badge_stops_at_99(receive, supervisor, client_for):
    for n in range(100):
        receive(description=f"大堂地面没有拖 {n}")
    page = client_for(supervisor).get("/complaints/").content.decode()
    badge = re.search(r'每日审阅 <span class="badge text-bg-danger">([^<]*)</span>', page)
    assert badge.group(1) == "99+"
