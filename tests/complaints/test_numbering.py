"""Numbers TS-YYYY-NNNNNN per community and year without gaps (issue 8 §1): a
locked counter row in the creating transaction, the year from the local date."""

import threading

import pytest
from django.db import transaction

from complaints import services
from complaints.models import Complaint
from tests.builders import at
from tests.concurrency import run_in_threads


@pytest.mark.postgres
def test_twenty_concurrent_intakes_get_twenty_consecutive_numbers(transactional_db, clock, receive):
    barrier = threading.Barrier(20, timeout=20)

    def take():
        barrier.wait()  # all twenty start their transactions together
        return receive().number

    numbers = run_in_threads(take, count=20)
    assert sorted(numbers) == [f"TS-2026-{n:06d}" for n in range(1, 21)]
    assert Complaint.objects.count() == 20


def test_a_rolled_back_intake_leaves_no_gap(db, clock, receive):
    assert receive().number == "TS-2026-000001"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert receive().number == "TS-2026-000002"
        raise RuntimeError("the clerk's request failed after the number was taken")
    assert receive().number == "TS-2026-000002"


def test_numbers_are_per_community_and_local_year(db, clock, receive, community2, butler3):
    clock.now = at(2027, 1, 1, 0, 30)  # 2026-12-31 16:30 UTC: already 2027 in Shanghai
    assert receive(received_at=at(2026, 12, 31, 23, 30)).number == "TS-2026-000001"
    assert receive().number == "TS-2027-000001"
    other = services.receive_complaint(
        community=community2,
        actor=butler3,
        kind="complaint",
        channel="phone",
        category="noise",
        reporter_name="钱",
        location="北门",
        description="夜间施工",
    )
    assert other.number == "TS-2027-000001"


def test_a_complaint_is_voided_never_deleted(db, receive, supervisor, frontdesk):
    complaint = receive()
    with pytest.raises(services.PermissionDenied):
        services.void(complaint, actor=frontdesk, reason="重复登记")
    with pytest.raises(services.ValidationError):
        services.void(complaint, actor=supervisor, reason=" ")
    services.void(complaint, actor=supervisor, reason="与 TS-2026-000001 重复")
    complaint.refresh_from_db()
    assert complaint.status == "void" and complaint.void_reason == "与 TS-2026-000001 重复"
    assert receive().number == "TS-2026-000002"  # never reused


def test_the_same_form_submitted_twice_registers_once(db, receive):
    import uuid

    key = uuid.uuid4()
    first = receive(intake_key=key)
    again = receive(intake_key=key)
    assert again.pk == first.pk and again.duplicate
    assert Complaint.objects.count() == 1
    assert receive().number == "TS-2026-000002"
