"""`seed_demo` gives the complaints app three months of matters in every state,
the answer book and a reception day, once (issue 8 §10)."""

import io

import pytest
from django.core.management import call_command

from complaints.choices import Status
from complaints.models import AnswerEntry, Complaint, ReceptionSession
from core.models import Community, EscalationStep

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", scale=0.05, stdout=io.StringIO())


def test_every_state_once_with_gapless_numbers_and_the_ladder():
    seed()
    community = Community.objects.order_by("pk")[0]
    complaints = Complaint.objects.filter(community=community)
    assert set(complaints.values_list("status", flat=True)) == set(Status.values)
    assert complaints.filter(is_paused=True).exists() and complaints.filter(round__gt=1).exists()
    assert complaints.filter(is_major=True).exists() and complaints.filter(is_household_incident=True).exists()
    numbers = sorted(
        int(n.rsplit("-", 1)[1])
        for n in complaints.filter(number__startswith="TS-2026").values_list("number", flat=True)
    )
    assert numbers == list(range(1, len(numbers) + 1))
    overdue = complaints.filter(status=Status.DISPATCHED, answered_at__isnull=True).first()
    assert EscalationStep.objects.filter(object_id=str(overdue.pk), step="answer_overdue").exists()
    assert AnswerEntry.objects.filter(community=community, status="approved").count() == 8
    assert AnswerEntry.objects.filter(community=community, status="draft").count() == 1
    assert ReceptionSession.objects.filter(community=community).get().complaints.count() == 2
    before = Complaint.objects.count()
    seed()
    assert Complaint.objects.count() == before
