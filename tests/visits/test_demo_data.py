"""`seed_demo` fills the visits app with a few months of realistic records (issue 5
§13), once: a second run adds nothing, butler1's today page and the supervisor's
review queue have something to show, and every demo visit started inside its time
window or carries the reason (SPEC §2.2). The months gone by have their monthly
summaries (SPEC §2.4): last month's a draft for the supervisor, the older ones
approved on time, and 《工作联系函》 both answered and awaiting the company.

The front desk (SPEC §3) has two months of walk-ins, almost all gone again with no
clear ID number left in the register or its history, those past the retention
period anonymised; a handful inside now (one past the overstay hours); the
watchlist with its incident, overrides and the supervisor's waiting reminder;
passes, permits and registered helpers."""

import datetime as dt
import io
import math
import random
import re
import struct
import zlib
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone
from faker import Faker

from core.models import Community, Reminder, User
from residents.choices import IdType, Relation
from residents.masking import mask_id_number
from residents.models import HelperRegistration, House, Residency
from residents.validators import validate_id_number, validate_plate
from visits import passes, selectors, summaries, visitors
from visits.choices import (
    EntryStatus,
    IncidentKind,
    LetterStatus,
    OverrideMethod,
    PassCheck,
    PassStatus,
    ProblemDecision,
    SummaryAction,
    SummaryStatus,
    VisitorPurpose,
)
from visits.demo import frontdesk
from visits.duties import standing_duties
from visits.models import (
    FollowUp,
    FrontDeskSettings,
    ItemPermit,
    MonthlySummary,
    Opinion,
    PlanItem,
    RainyDay,
    ReturnVisit,
    SummaryEvent,
    SummaryProblem,
    TemporaryPass,
    Visit,
    VisitorEntry,
    VisitorIncident,
    VisitorRestriction,
    VisitPlan,
    VisitPolicy,
    WorkLetter,
)
from visits.progress import Period
from visits.windows import window_warning

pytestmark = pytest.mark.django_db

MODELS = (
    Visit,
    Visit.history.model,
    Opinion,
    FollowUp,
    ReturnVisit,
    VisitPlan,
    PlanItem,
    RainyDay,
    VisitPolicy,
    Reminder,
    MonthlySummary,
    MonthlySummary.history.model,
    SummaryProblem,
    SummaryEvent,
    WorkLetter,
    WorkLetter.history.model,
    VisitorEntry,
    VisitorEntry.history.model,
    VisitorRestriction,
    VisitorRestriction.history.model,
    VisitorIncident,
    FrontDeskSettings,
    TemporaryPass,
    TemporaryPass.history.model,
    ItemPermit,
    ItemPermit.history.model,
    HelperRegistration,
    HelperRegistration.history.model,
    Residency,
)


def _seed():
    call_command("seed_demo", scale=0.05, through="visits", stdout=io.StringIO())


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seeded():
    _seed()
    return Community.objects.order_by("pk")[0]


def test_second_run_adds_nothing(seeded):
    first = _counts()
    assert first["Visit"] > 0 and first["Opinion"] > 0 and first["FollowUp"] > 0 and first["ReturnVisit"] > 0
    assert first["MonthlySummary"] > 0 and first["WorkLetter"] > 0
    assert first["VisitorEntry"] > 0 and first["VisitorRestriction"] == 2 and first["VisitorIncident"] == 1
    assert first["TemporaryPass"] == 4 and first["ItemPermit"] == 3 and first["HelperRegistration"] == 2
    _seed()
    assert _counts() == first


def _auto_now_add_fields():
    return {
        (model.__name__, field.name)
        for model in apps.get_app_config("visits").get_models()
        for field in model._meta.fields
        if getattr(field, "auto_now_add", False)
    }


def test_seeding_leaves_auto_now_add_fields_as_they_were():
    """The seeder backdates bulk rows by switching `auto_now_add` off for a moment."""
    before = _auto_now_add_fields()
    _seed()
    assert _auto_now_add_fields() == before


def test_butler1_today_has_items(seeded):
    day = selectors.today(User.objects.get(username="butler1"), seeded)
    assert day["return_visits"]  # due today and overdue
    assert day["follow_ups"]


def test_supervisor_review_queue_is_not_empty(seeded):
    assert selectors.review_queue(seeded).exists()


def test_every_demo_visit_is_in_its_window_or_has_a_reason(seeded):
    visits = Visit.objects.select_related("community")
    policies = {policy.community_id: policy for policy in VisitPolicy.objects.all()}
    assert visits.exists()
    outside = [v for v in visits if window_warning(policies[v.community_id], v.channel, v.started_at)]
    assert all(v.window_reason for v in outside), [(v.pk, v.channel, v.started_at) for v in outside]


def test_duty_targets_count_each_household_once(seeded):
    """With residents on file (the demo has them), the 98 % targets are of households, not residents."""
    occupied = House.objects.filter(community=seeded).occupied().count()
    targets = {t.label: t for t in standing_duties(seeded)}
    assert targets["季度意见征询覆盖 ≥98%"].required == math.ceil(occupied * 98 / 100)


# --- monthly summaries ------------------------------------------------------------------


def _last_month():
    return Period.of(timezone.localdate()).previous


@pytest.mark.parametrize("code", ["YGHY", "CHY"])
def test_past_months_have_summaries_with_figures(seeded, code):
    """Six months before this one have demo visits; each has its summary, figures from its records."""
    found = MonthlySummary.objects.filter(community__code=code)
    assert found.count() >= 6
    assert not found.filter(year=timezone.localdate().year, month=timezone.localdate().month).exists()
    for summary in found:
        period = Period(summary.year, summary.month)
        assert summary.figures["period"] == str(period)
        assert summary.figures["visits"]["total"] > 0
        assert (
            summary.figures["visits"]["total"]
            == Visit.objects.filter(
                community=summary.community, started_at__gte=period.bounds[0], started_at__lt=period.bounds[1]
            ).count()
        )


def test_last_month_is_a_draft_the_supervisor_can_write(seeded):
    last = _last_month()
    summary = MonthlySummary.objects.get(community=seeded, year=last.year, month=last.month)
    assert summary.status == SummaryStatus.DRAFT
    assert summary.analysis == "" and not summary.problems.exists()
    supervisor = User.objects.get(username="supervisor")
    assert Reminder.objects.filter(
        recipient=supervisor, kind="visits.summary_drafted", object_id=str(summary.pk), read_at__isnull=True
    ).exists()


@pytest.mark.parametrize("code", ["YGHY", "CHY"])
def test_older_months_are_approved_on_time(seeded, code):
    approved = MonthlySummary.objects.filter(community__code=code, status=SummaryStatus.APPROVED)
    assert approved.exists()
    for summary in approved:
        assert summary.analysis and summary.measures and summary.next_month_plan
        assert summary.problems.exists()
        assert not summary.problems.filter(decision="").exists()
        deadline = summaries.submit_deadline(Period(summary.year, summary.month))
        assert summary.first_submitted_at <= deadline
        assert summary.submitted_at <= summary.decided_at <= summary.approval_due_at
        times = list(summary.events.values_list("at", flat=True))
        assert times == sorted(times) and times[-1] < timezone.now()


def test_sunshine_summaries_are_written_by_the_supervisor_and_approved_by_the_manager(seeded):
    supervisor, manager = User.objects.get(username="supervisor"), User.objects.get(username="manager")
    approved = MonthlySummary.objects.filter(community=seeded, status=SummaryStatus.APPROVED)
    for summary in approved:
        assert summary.submitted_by == supervisor and summary.decided_by == manager
        assert summary.history.latest().history_user == manager
        actions = dict(summary.events.values_list("action", "actor__username"))
        assert actions[SummaryAction.SUBMITTED] == "supervisor"
        assert actions[SummaryAction.APPROVED] == "manager"
    # one month went back to the supervisor once before it was approved
    assert approved.filter(round=2, events__action=SummaryAction.RETURNED).exists()
    # the reminders of steps long done have been read
    assert not Reminder.objects.filter(
        recipient=manager, kind="visits.summary_submitted", read_at__isnull=True
    ).exists()


def test_letters_wait_for_the_company_and_one_is_answered(seeded):
    letters = WorkLetter.objects.filter(community=seeded).select_related("problem")
    assert {letter.status for letter in letters} >= {LetterStatus.SENT, LetterStatus.REPLIED}
    for letter in letters:
        assert letter.problem.decision == ProblemDecision.ESCALATE
        assert letter.sent_by.username == "manager"
        assert letter.sent_at == letter.problem.decided_at
    replied = letters.get(status=LetterStatus.REPLIED)
    assert replied.replied_by.username == "admin" and replied.reply
    assert replied.sent_at < replied.replied_at <= replied.reply_due_at
    assert replied.history.latest().history_user.username == "admin"


# --- the front desk ---------------------------------------------------------------------

GONE = (EntryStatus.LEFT, EntryStatus.REFUSED)  # no longer at the desk: no clear ID number


def _user(username):
    return User.objects.get(username=username)


def test_two_months_of_walk_ins_mostly_deliveries_and_friends(seeded):
    entries = VisitorEntry.objects.filter(community=seeded)
    today = timezone.localdate()
    days = {timezone.localdate(moment) for moment in entries.values_list("entered_at", flat=True)}
    assert today - dt.timedelta(days=59) <= min(days) <= today - dt.timedelta(days=50)
    assert max(days) >= today - dt.timedelta(days=1)  # those inside now came minutes ago
    purposes = Counter(entries.values_list("purpose", flat=True))
    assert {purpose for purpose, _ in purposes.most_common(2)} == {VisitorPurpose.DELIVERY, VisitorPurpose.FRIEND}
    assert not entries.filter(house__isnull=True).exclude(purpose=VisitorPurpose.BUSINESS).exists()
    statuses = Counter(entries.values_list("status", flat=True))
    assert statuses[EntryStatus.LEFT] >= 0.9 * entries.count()
    assert set(statuses) == {EntryStatus.LEFT, EntryStatus.INSIDE, EntryStatus.AWAITING_OVERRIDE}
    # the demo's clerk registered and let out every visitor of 阳光花园
    frontdesk_user = _user("frontdesk")
    assert not entries.exclude(registered_by=frontdesk_user).exists()
    assert not entries.filter(status=EntryStatus.LEFT).exclude(exit_by=frontdesk_user).exists()
    assert entries.exclude(plate="").exists()


def test_walk_ins_peak_in_the_evening_and_on_weekend_mornings():
    """The full-scale draw (no database): more visitors at weekends; on working days the
    evening is busiest, at weekends the morning; every ID number passes GB 11643."""
    walkins = frontdesk.Walkins(frontdesk.SUNSHINE, rng=random.Random(7), fake=Faker("zh_CN"), scale=1.0)
    monday = dt.date(2026, 3, 2)
    hours, per_day = {False: Counter(), True: Counter()}, {False: [], True: []}
    for n in range(28):
        day = monday + dt.timedelta(days=n)
        arrivals = walkins.arrivals(day)
        per_day[day.weekday() >= 5].append(len(arrivals))
        for entered, _purpose, minutes in arrivals:
            hours[day.weekday() >= 5][timezone.localtime(entered).hour] += 1
            assert minutes > 0
    assert min(per_day[False]) >= 20 and max(per_day[True]) <= 60
    assert sum(per_day[True]) / len(per_day[True]) > 1.3 * sum(per_day[False]) / len(per_day[False])
    assert hours[False].most_common(1)[0][0] in (18, 19)
    assert hours[True].most_common(1)[0][0] in (9, 10, 11)
    assert hours[False][19] > 2 * hours[False][15]
    for _ in range(300):
        person = walkins.person(plate=0.5)
        validate_id_number(person.id_type, person.id_number)
        assert re.fullmatch(r"1[3-9]\d{9}", person.mobile) or person.mobile == ""
        if person.plate:
            validate_plate(person.plate)


def test_visitors_carry_masked_ids_hashes_and_valid_numbers(seeded):
    kept = VisitorEntry.objects.filter(anonymised_at__isnull=True)
    assert kept.exists()
    for entry in kept:
        assert entry.name and entry.id_masked and re.fullmatch(r"[0-9a-f]{64}", entry.id_hash)
        assert entry.mobile_hash == visitors.mobile_hash(entry.mobile)
        if entry.mobile:
            assert re.fullmatch(r"1[3-9]\d{9}", entry.mobile)
        if entry.plate:
            validate_plate(entry.plate)
    at_the_desk = kept.exclude(id_number="")
    assert set(at_the_desk.values_list("status", flat=True)) == {EntryStatus.INSIDE, EntryStatus.AWAITING_OVERRIDE}
    for entry in at_the_desk:
        validate_id_number(entry.id_type, entry.id_number)
        assert entry.id_hash == visitors.id_hash(entry.id_type, entry.id_number)
        assert entry.id_masked == mask_id_number(entry.id_number)
    assert at_the_desk.filter(id_type=IdType.RESIDENT_ID).exists()


def test_no_exited_entry_keeps_a_clear_id_number(seeded):
    gone = VisitorEntry.objects.filter(status__in=GONE)
    assert gone.count() > 50
    assert not gone.exclude(id_number="").exists()
    assert not VisitorEntry.history.filter(id__in=gone.values("pk")).exclude(id_number="").exists()
    assert not gone.filter(exited_at__isnull=True).exists()
    # registered when they came, let out when they left: the history says so
    rows = VisitorEntry.history.filter(id__in=gone.values("pk")).order_by("id", "history_id")
    dates = {}
    for pk, moment in rows.values_list("id", "history_date"):
        dates.setdefault(pk, []).append(moment)
    for entry in gone.filter(status=EntryStatus.LEFT):
        times = dates[entry.pk]
        assert len(times) >= 2 and times == sorted(times)
        assert times[0] <= entry.entered_at < entry.exited_at == times[-1] <= timezone.now()


def test_entries_past_the_retention_period_are_anonymised(seeded):
    """As the nightly job leaves them: personal fields cleared in the register and its
    history, purposes and head counts kept; the newer ones untouched."""
    ran = VisitorEntry.objects.exclude(anonymised_at=None).values_list("anonymised_at", flat=True).first()
    assert ran is not None and ran <= timezone.now()
    retention = FrontDeskSettings.for_community(seeded).retention_days
    assert retention == 30
    cutoff = ran - dt.timedelta(days=retention)
    old = VisitorEntry.objects.filter(entered_at__lt=cutoff)
    assert old.filter(community=seeded).exists() and old.exclude(community=seeded).exists()
    assert not old.filter(anonymised_at__isnull=True).exists()
    history = VisitorEntry.history.filter(id__in=old.values("pk"))
    for name, value in visitors.PERSONAL_FIELDS.items():
        assert not old.exclude(**{name: value}).exists(), name
        assert not history.exclude(**{name: value}).exists(), name
    assert not old.filter(purpose="").exists() and not old.filter(head_count=0).exists()
    newer = VisitorEntry.objects.filter(entered_at__gte=cutoff)
    assert newer.exists() and not newer.exclude(anonymised_at=None).exists()
    assert not newer.filter(name=visitors.ANONYMISED).exists()
    # a second run of the job finds nothing
    assert visitors.anonymise_expired_entries(now=ran) == 0


def test_a_handful_inside_now_one_past_the_overstay_hours(seeded, client_for):
    policy = FrontDeskSettings.for_community(seeded)
    inside = list(VisitorEntry.objects.filter(community=seeded, status=EntryStatus.INSIDE))
    assert 4 <= len(inside) <= 8
    now = timezone.now()
    overstay = dt.timedelta(hours=policy.overstay_hours)
    over = [entry for entry in inside if now - entry.entered_at >= overstay]
    assert len(over) == 1
    assert visitors.overstay_flags(inside, policy, now=now)[over[0].pk] == f"已超过{policy.overstay_hours}小时"
    for entry in inside:
        assert entry.id_number and entry.exited_at is None
        assert entry.history.earliest("history_id").history_date == entry.entered_at
    board = client_for(_user("frontdesk")).get("/visits/frontdesk/")
    assert board.status_code == 200
    assert len(board.context["inside"]) == len(inside) and board.context["flagged"] >= 1


def test_watchlist_incident_overrides_and_the_supervisors_inbox(seeded, client_for):
    clerk, supervisor = _user("frontdesk"), _user("supervisor")
    today = timezone.localdate()
    restrictions = VisitorRestriction.objects.filter(community=seeded)
    assert restrictions.count() == 2 == restrictions.active(today).count()
    assert set(restrictions.values_list("restricted_by__username", flat=True)) == {"supervisor"}
    assert not restrictions.filter(created_at__gt=timezone.now()).exists()

    from_incident = restrictions.get(incident__isnull=False)
    incident = from_incident.incident
    assert incident.kind == IncidentKind.DAMAGE and incident.recorded_by == clerk
    damage = incident.entry
    assert damage.registered_by == clerk and damage.status == EntryStatus.LEFT
    assert (from_incident.id_hash, from_incident.name) == (damage.id_hash, damage.name)
    assert damage.entered_at < incident.recorded_at < damage.exited_at < from_incident.created_at

    by_id = restrictions.get(incident__isnull=True)
    assert by_id.id_hash and by_id.mobile_hash and by_id.id_masked and by_id.until is None

    entries = VisitorEntry.objects.filter(community=seeded)
    by_password = entries.get(override_method=OverrideMethod.PASSWORD)
    assert by_password.override_by == supervisor and by_password.override_reason
    assert by_password.restriction == from_incident and by_password.status == EntryStatus.LEFT
    assert by_password.override_at == by_password.entered_at
    by_inbox = entries.get(override_method=OverrideMethod.INBOX)
    assert by_inbox.override_by == supervisor and by_inbox.restriction == from_incident
    assert damage.exited_at < by_inbox.entered_at < by_password.entered_at
    assert not Reminder.objects.filter(object_id=str(by_inbox.pk), read_at__isnull=True).exists()

    waiting = entries.get(status=EntryStatus.AWAITING_OVERRIDE)
    assert waiting.restriction == by_id and waiting.override_by is None and waiting.override_reason
    assert visitors.active_restriction(seeded, id_type=waiting.id_type, id_number=waiting.id_number) == by_id
    reminder = Reminder.objects.get(
        recipient=supervisor, kind="visits.visitor_override", object_id=str(waiting.pk), read_at__isnull=True
    )
    assert waiting.name not in reminder.text and waiting.id_number not in reminder.text
    page = client_for(supervisor).get(f"/visits/frontdesk/entries/{waiting.pk}/")
    assert page.status_code == 200


def _png_size(data):
    """(width, height) of a well-formed 8-bit greyscale PNG: signature, chunk CRCs, pixels."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    chunks, pos = [], 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc
        chunks.append((kind, body))
        pos += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1] == (b"IEND", b"")
    width, height, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    assert (depth, colour) == (8, 0)
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    assert len(pixels) == height * (1 + width)
    return width, height


def _owns(house, person):
    return Residency.objects.filter(house=house, person=person, relation=Relation.OWNER, end_date=None).exists()


def test_passes_permits_and_helpers(seeded):
    clerk, today, now = _user("frontdesk"), timezone.localdate(), timezone.now()
    issued = TemporaryPass.objects.filter(community=seeded)
    assert sorted(passes.validity(p) for p in issued) == sorted([PassCheck.VALID, PassCheck.EXPIRED, PassCheck.REVOKED])
    assert {p.status for p in issued} == {PassStatus.ACTIVE, PassStatus.EXPIRED, PassStatus.REVOKED}
    for temporary_pass in issued:
        assert _owns(temporary_pass.house, temporary_pass.requested_by) and temporary_pass.issued_by == clerk
        assert timezone.localdate(temporary_pass.issued_at) <= temporary_pass.valid_from + dt.timedelta(days=1)
    revoked = issued.get(status=PassStatus.REVOKED)
    assert revoked.issued_at < revoked.revoked_at < now and revoked.revoke_reason

    permits = ItemPermit.objects.filter(community=seeded)
    used = permits.get(used_at__isnull=False)
    assert used.valid_on == today == timezone.localdate(used.used_at) and used.used_by == clerk
    assert used.issued_at < used.used_at <= now
    assert permits.filter(valid_on=today, used_at=None).count() == 1
    assert permits.filter(valid_on__gt=today, used_at=None).count() == 1

    helpers = HelperRegistration.objects.filter(residency__house__community=seeded).select_related(
        "residency__house", "residency__person"
    )
    assert sorted(h.may_take_items for h in helpers) == [False, True]
    for helper in helpers:
        house = helper.residency.house
        assert helper.residency.relation == Relation.HELPER and helper.active and helper.id_checked
        assert _owns(house, helper.registered_with) and helper.created_by == clerk
        assert helper.photo_content_type == "image/png" and helper.created_at < now
        with helper.photo.open("rb") as photo:
            assert _png_size(photo.read()) == (16, 16)
    authorised = helpers.get(may_take_items=True)
    assert used.applicant == authorised.residency.person and used.applicant_relation == Relation.HELPER
    assert passes.may_take_items(used.house, used.applicant)
    for permit in permits.exclude(pk=used.pk):
        assert _owns(permit.house, permit.applicant)


def test_lakeside_has_a_little_front_desk_too(seeded):
    lakeside = Community.objects.get(code="CHY")
    entries = VisitorEntry.objects.filter(community=lakeside)
    sunshine = VisitorEntry.objects.filter(community=seeded)
    assert 0 < entries.count() < sunshine.count()
    assert entries.filter(status=EntryStatus.INSIDE).count() == 2
    assert set(entries.values_list("registered_by__username", flat=True)) == {"admin"}
    assert TemporaryPass.objects.filter(community=lakeside, status=PassStatus.ACTIVE).count() == 1
    assert not VisitorRestriction.objects.filter(community=lakeside).exists()
