"""Complaints at volume (issue 8 acceptance: "the escalation job over 100k open
complaints prints its time and query count (goal: under 2 s and proportional to
the due items, not to all complaints); the complaint list p95 and query count at
200k complaints").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wuye_bench .venv/bin/python bench/complaints_bench.py

Same database as the other benches (`wuye_bench` unless DATABASE_URL names another
PostgreSQL database; never SQLite). One community of its own, TSB1 (2,880
households), with 200,000 complaints received over two years: 100,000 still open,
received in the last 60 hours, the rest closed. They are bulk-inserted once with
every derived value computed by the app's own code (`complaints.clocks`: allowances,
`answer_due_at`, `resolution_due_at`; `clocks.rungs` for the escalation steps the
job would have reached, inserted too, and `next_escalation_at`, the next rung
after the data's reference moment), in the state the beat job leaves them. A
later run finds the data and moves the open matters' times (and their steps) on to
the new reference moment, so that the same steady state holds (what an earlier run's
beat tick climbed beyond it is undone); data in another shape, or more than a
month old, is rebuilt (about two minutes).

Then, at the reference moment (`escalate_due(now=…)`):
  * a consistency check (rolled back): complaints taken through
    `services.receive_complaint` get the next numbers and the same derived values;
  * the job with nothing due; then N open ordinary complaints made due (received
    37 h ago, the 75 % answer warning reached) for N = 100, 300 and 1,000: complaints
    looked at, steps reached, seconds, queries; each followed by a second run that
    must find nothing; and one beat tick five minutes on, the rungs that fall due
    in those minutes in the steady state;
and over the Django test Client as the community's supervisor, the list page:
the default (open), 已超时, a number search, a category filter, a house search and
page 50 of 全部 — p50/p95/max over 20 requests, SQL queries, the slowest query,
and EXPLAIN ANALYZE of the slowest query of any page over its budget.
Nothing is asserted about time.
"""

import datetime as dt
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from residents_bench import (
    database_url,
    ensure_database,
    explain_slowest,
    kind_of,
    percentile,
    setup_django,
    vacuum_analyze,
)

TOTAL = 200_000
OPEN = 100_000
OPEN_HOURS = 60  # the open ones were received in the last 60 hours
CODE = "TSB1"
BUILDINGS = 20  # × 2 units × 18 floors × 4 rooms
BATCH = 5_000
SEED = 8
DUE_COUNTS = (100, 300, 1_000)
JOB_GOAL_S = 2.0
RUNS = 20
PAGE_BUDGET_MS = 300
REBUILD_AFTER = dt.timedelta(days=30)
ANSWER_STEPS = ("answer_warning", "answer_overdue")


def world():
    from core.choices import DepartmentKind, Role
    from core.models import Community, Company, Department, Membership, User
    from core.services import create_community
    from residents.choices import Occupancy
    from residents.models import House
    from residents.services import create_building

    community = Community.objects.filter(code=CODE).first()
    if community is None:
        company = Company.objects.first() or Company.objects.create(name="基准测试物业")
        community = create_community(company=company, name="投诉基准小区", code=CODE)
    service = Department.objects.get(community=community, kind=DepartmentKind.SERVICE)
    people = {}
    for role in (Role.SUPERVISOR, Role.MANAGER, Role.FRONT_DESK, Role.BUTLER):
        user, _ = User.objects.get_or_create(
            username=f"tsb_{role}", defaults={"name": f"基准{role}", "company": community.company}
        )
        Membership.objects.get_or_create(
            user=user,
            community=community,
            role=role,
            defaults={"department": service if role in (Role.SUPERVISOR, Role.BUTLER) else None},
        )
        people[role] = user
    if not House.objects.filter(community=community).exists():
        for n in range(1, BUILDINGS + 1):
            create_building(
                community=community,
                number=str(n),
                actor=people[Role.SUPERVISOR],
                units=2,
                floors=18,
                rooms_per_floor=4,
                occupancy=Occupancy.OCCUPIED,
            )
    return community, people, service


# --- the data -------------------------------------------------------------------------


def reference(community):
    """The moment the data describes: the newest complaint was received an hour before it."""
    from django.db.models import Max

    from complaints.models import Complaint

    newest = Complaint.objects.filter(community=community).aggregate(newest=Max("received_at"))["newest"]
    return None if newest is None else newest + dt.timedelta(hours=1)


def ladder(complaint, policy, until):
    """The steps the beat job would have reached by `until`, and the next moment it
    needs the job (what `clocks.refresh` and `escalation.escalate` would have written)."""
    from complaints import clocks
    from core.ladder import next_due

    answered, resolved = complaint.answered_at, complaint.resolved_at
    complaint.answered_at = complaint.resolved_at = None  # the rungs each clock had while it ran
    every = clocks.rungs(complaint, policy, ())
    complaint.answered_at, complaint.resolved_at = answered, resolved
    reached = []
    for rung in every:
        stopped = answered if rung.step in ANSWER_STEPS else None if rung.step == "reported" else resolved
        if rung.due_at <= min(stopped or until, until):
            reached.append(rung)
    following = next_due(clocks.rungs(complaint, policy, ()), until) if complaint.is_open else None
    return reached, following


def build(community, people, service):
    """200,000 complaints in the state the job leaves them, with their steps (once)."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from complaints import clocks
    from complaints.choices import OPEN_STATUSES, Category, Channel, Kind, Status
    from complaints.models import Complaint
    from core.models import EscalationStep, Sequence
    from residents.models import House

    wipe(community)
    rng = random.Random(SEED)
    ref = timezone.now().replace(microsecond=0)
    policy = clocks.Policy(community)
    houses = list(House.objects.filter(community=community).order_by("pk"))
    content_type = ContentType.objects.get_for_model(Complaint)
    categories, channels = Category.values, Channel.values
    open_statuses = list(OPEN_STATUSES)
    owners = [people["frontdesk"], people["butler"], people["supervisor"]]
    counters = {}
    started = time.perf_counter()
    print(f"Building {TOTAL:,} complaints ({OPEN:,} open) with their escalation steps (once; a minute or two) …")
    reached_at = EscalationStep._meta.get_field("reached_at")
    reached_at.auto_now_add = False  # the steps were reached in the past
    try:
        rows, steps = [], []
        for i in range(TOTAL):
            is_open = i >= TOTAL - OPEN
            if i == TOTAL - 1:
                received = ref - dt.timedelta(hours=1)
            elif is_open:
                received = ref - dt.timedelta(minutes=rng.randint(61, OPEN_HOURS * 60))
            else:
                received = ref - dt.timedelta(days=730 * (TOTAL - i) / TOTAL + 3, minutes=rng.randint(0, 600))
            year = timezone.localdate(received).year
            counters[year] = counters.get(year, 0) + 1
            category, urgency = rng.choice(categories), "urgent" if rng.random() < 0.2 else "normal"
            status = rng.choice(open_statuses) if is_open else Status.CLOSED
            house = rng.choice(houses) if rng.random() < 0.4 else None
            c = Complaint(
                community=community,
                number=f"TS-{year}-{counters[year]:06d}",
                kind=Kind.COMPLAINT if rng.random() < 0.7 else Kind.CONSULTATION,
                channel=rng.choice(channels),
                category=category,
                urgency=urgency,
                house=house,
                reporter_name="业主",
                location="" if house else f"{rng.randint(1, BUILDINGS)}栋大堂",
                description=f"基准测试投诉 {i}：楼道灯不亮，电梯异响，地面积水",
                received_at=received,
                received_by=owners[i % 3],
                owner=owners[i % 3],
                status=status,
                resolution_started_at=received,
                answer_allowance=policy.answer_allowance(category, urgency),
                resolution_allowance=policy.resolution_allowance(category),
                reviewed_at=received + dt.timedelta(hours=3) if received < ref - dt.timedelta(days=1) else None,
            )
            if status != Status.ACCEPTED:
                c.department, c.handler = service, people["butler"]
            if status == Status.ANSWERED:
                c.answered_at = received + dt.timedelta(minutes=rng.randint(20, 60))
            elif not is_open:
                c.answered_at = received + c.answer_allowance * rng.uniform(0.05, 1.1)
                c.resolved_at = c.answered_at + dt.timedelta(hours=rng.uniform(1, 70))
                c.closed_at = c.return_visited_at = c.resolved_at + dt.timedelta(days=1)
                c.satisfaction = "satisfied"
            c.answer_due_at = clocks.answer_clock(c, policy, ()).due_at()
            c.resolution_due_at = clocks.resolution_clock(c, policy, ()).due_at()
            c.answered_late = bool(c.answered_at and c.answered_at > c.answer_due_at)
            c.resolved_late = bool(c.resolved_at and c.resolved_at > c.resolution_due_at)
            reached, c.next_escalation_at = ladder(c, policy, ref)
            rows.append(c)
            steps.append(reached)
            if len(rows) == BATCH or i == TOTAL - 1:
                Complaint.objects.bulk_create(rows)
                EscalationStep.objects.bulk_create(
                    EscalationStep(
                        content_type=content_type,
                        object_id=str(c.pk),
                        step=rung.step,
                        round=1,
                        due_at=rung.due_at,
                        reached_at=rung.due_at + dt.timedelta(seconds=rng.randint(0, 299)),
                    )
                    for c, reached in zip(rows, steps, strict=True)
                    for rung in reached
                )
                rows, steps = [], []
    finally:
        reached_at.auto_now_add = True
    for year, last in counters.items():
        Sequence.objects.update_or_create(community=community, kind="complaint", year=year, defaults={"last": last})
    print(f"built in {time.perf_counter() - started:.0f} s")


def wipe(community):
    """Everything of TSB1's complaints, in SQL (Django's cascade would walk 200k rows)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from complaints.models import Complaint

    content_type = ContentType.objects.get_for_model(Complaint).pk
    ids = "SELECT id::text FROM complaints_complaint WHERE community_id = %s"
    pks = "SELECT id FROM complaints_complaint WHERE community_id = %s"
    with connection.cursor() as cursor:
        for sql in (
            f"DELETE FROM core_escalationstep WHERE content_type_id = %s AND object_id IN ({ids})",
            f"DELETE FROM core_reminder WHERE content_type_id = %s AND object_id IN ({ids})",
        ):
            cursor.execute(sql, [content_type, community.pk])
        for table in ("complaints_complaintevent", "complaints_complaintpause", "complaints_complaintphoto"):
            cursor.execute(f"DELETE FROM {table} WHERE complaint_id IN ({pks})", [community.pk])
        cursor.execute("DELETE FROM complaints_complaint WHERE community_id = %s", [community.pk])
        cursor.execute("DELETE FROM core_sequence WHERE community_id = %s AND kind = 'complaint'", [community.pk])


def in_shape(community):
    """Data of this bench (every complaint has at least its same-day report step)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from complaints.models import Complaint

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(s.id) FROM complaints_complaint c LEFT JOIN core_escalationstep s "
            "ON s.content_type_id = %s AND s.object_id = c.id::text AND s.step = 'reported' WHERE c.community_id = %s",
            [ContentType.objects.get_for_model(Complaint).pk, community.pk],
        )
        complaints, reported = cursor.fetchone()
    return complaints == TOTAL and reported == TOTAL


def move_on(community, shift):
    """The open complaints (and their steps) as they stand `shift` later: all their times move on."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from complaints.choices import OPEN_STATUSES
    from complaints.models import Complaint

    started = time.perf_counter()
    columns = (
        "received_at",
        "reviewed_at",
        "answered_at",
        "promised_at",
        "resolution_started_at",
        "answer_due_at",
        "resolution_due_at",
        "next_escalation_at",
    )
    assignments = ", ".join(f"{column} = {column} + %s" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_escalationstep s SET due_at = due_at + %s, reached_at = reached_at + %s "
            "FROM complaints_complaint c WHERE s.content_type_id = %s AND s.object_id = c.id::text "
            "AND c.community_id = %s AND c.status = ANY(%s)",
            [shift, shift, ContentType.objects.get_for_model(Complaint).pk, community.pk, list(OPEN_STATUSES)],
        )
        cursor.execute(
            f"UPDATE complaints_complaint SET {assignments} WHERE community_id = %s AND status = ANY(%s)",
            [shift] * len(columns) + [community.pk, list(OPEN_STATUSES)],
        )
    print(f"moved the open complaints on by {shift} in {time.perf_counter() - started:.0f} s")


def rewind(community, ref):
    """No step after `ref`: what an earlier run's beat tick climbed beyond its reference
    moment is undone (steps, their reminders; `next_escalation_at` back to the first)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from complaints.models import Complaint

    content_type = ContentType.objects.get_for_model(Complaint).pk
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM core_reminder r USING complaints_complaint c WHERE r.content_type_id = %s "
            "AND r.object_id = c.id::text AND c.community_id = %s AND r.due_at > %s",
            [content_type, community.pk, ref],
        )
        cursor.execute(
            "WITH gone AS (DELETE FROM core_escalationstep s USING complaints_complaint c "
            "WHERE s.content_type_id = %s AND s.object_id = c.id::text AND c.community_id = %s AND s.due_at > %s "
            "RETURNING s.object_id, s.due_at) "
            "UPDATE complaints_complaint c SET next_escalation_at = LEAST(c.next_escalation_at, g.first) "
            "FROM (SELECT object_id, min(due_at) AS first FROM gone GROUP BY object_id) g "
            "WHERE c.id::text = g.object_id",
            [content_type, community.pk, ref],
        )
        if cursor.rowcount:
            print(
                f"undid the steps after the reference moment of {cursor.rowcount:,} complaints (an earlier beat tick)"
            )


def analyze():
    vacuum_analyze("complaints_complaint", "core_escalationstep", "core_reminder")


def prepare(community, people, service):
    from django.utils import timezone

    ref = reference(community)
    now = timezone.now().replace(microsecond=0)
    if ref is None or not in_shape(community) or now - ref > REBUILD_AFTER:
        build(community, people, service)
    elif now > ref:
        move_on(community, now - ref)
    ref = reference(community)
    rewind(community, ref)
    analyze()
    return ref


# --- measuring ------------------------------------------------------------------------


def timed(function):
    """(result, seconds, queries): every statement, transaction control included, uncapped."""
    from collections import deque

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.queries_log.maxlen < 1_000_000:
        connection.queries_limit = 1_000_000
        connection.queries_log = deque(maxlen=connection.queries_limit)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
    return result, elapsed, list(captured.captured_queries)


def check_consistency(community, people, ref):
    """Complaints taken through the service at the reference moment get the next
    numbers of the year and the values the bulk rows were given (rolled back)."""
    from django.db import transaction
    from django.utils import timezone

    from complaints import clocks, services
    from complaints.demo.timeline import held_at
    from core.ladder import steps_reached
    from core.models import Sequence

    print("\n## consistency with the service (rolled back)")
    policy = clocks.Policy(community)
    year = timezone.localdate(ref).year
    counter = Sequence.objects.filter(community=community, kind="complaint", year=year).first()
    last = counter.last if counter else 0
    problems = []
    with transaction.atomic(), held_at(ref):
        for n, (category, urgency) in enumerate((("cleaning", "urgent"), ("noise", "normal"), ("parking", "normal"))):
            c = services.receive_complaint(
                community=community,
                actor=people["frontdesk"],
                kind="complaint",
                channel="phone",
                category=category,
                urgency=urgency,
                reporter_name="业主",
                location="1栋大堂",
                description="一致性检查",
                received_at=ref - dt.timedelta(hours=30),
            )
            c.refresh_from_db()
            expected = f"TS-{year}-{last + n + 1:06d}"
            reached, following = ladder(c, policy, ref)
            got = {
                "number": c.number,
                "answer_allowance": c.answer_allowance,
                "answer_due_at": c.answer_due_at,
                "resolution_due_at": c.resolution_due_at,
                "next_escalation_at": c.next_escalation_at,
                "steps": sorted(s.step for s in steps_reached(c)),
            }
            want = {
                "number": expected,
                "answer_allowance": policy.answer_allowance(category, urgency),
                "answer_due_at": clocks.answer_clock(c, policy, ()).due_at(),
                "resolution_due_at": clocks.resolution_clock(c, policy, ()).due_at(),
                "next_escalation_at": following,
                "steps": sorted(r.step for r in reached),
            }
            problems += [
                f"{c.number} {key}: service {got[key]} ≠ bench {want[key]}" for key in got if got[key] != want[key]
            ]
            print(f"{c.number} ({urgency}, received 30 h before): steps {', '.join(got['steps'])}; next {following}")
        transaction.set_rollback(True)
    print("\n".join(problems) if problems else "service and bulk rows agree (numbers, allowances, deadlines, ladder).")


def make_due(community, count, ref):
    """`count` open ordinary complaints received 37 h before `ref`, their ladder
    climbed to the same-day report: the 75 % answer warning is due at `ref`."""
    from django.contrib.contenttypes.models import ContentType

    from complaints.models import Complaint
    from core.models import EscalationStep, Reminder

    received = ref - dt.timedelta(hours=37)
    ids = list(
        Complaint.objects.filter(community=community, status="accepted", urgency="normal")
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    keys = [str(i) for i in ids]
    content_type = ContentType.objects.get_for_model(Complaint)
    EscalationStep.objects.filter(content_type=content_type, object_id__in=keys).delete()
    Reminder.objects.filter(content_type=content_type, object_id__in=keys).delete()
    Complaint.objects.filter(pk__in=ids).update(
        received_at=received,
        resolution_started_at=received,
        answer_allowance=dt.timedelta(hours=48),
        resolution_allowance=dt.timedelta(hours=72),
        answered_at=None,
        answer_due_at=received + dt.timedelta(hours=48),
        resolution_due_at=received + dt.timedelta(hours=72),
        next_escalation_at=received + dt.timedelta(hours=36),
    )
    field = EscalationStep._meta.get_field("reached_at")
    field.auto_now_add = False
    try:
        EscalationStep.objects.bulk_create(
            EscalationStep(
                content_type=content_type, object_id=key, step="reported", due_at=received, reached_at=received
            )
            for key in keys
        )
    finally:
        field.auto_now_add = True
    return ids


def bench_job(community, ref):
    from complaints import escalation
    from complaints.models import Complaint

    open_count = Complaint.objects.filter(community=community).open().count()
    print(f"\n## escalate_due over {open_count:,} open complaints (at the reference moment {ref:%Y-%m-%d %H:%M} UTC)")
    header = f"{'run':<26} {'looked at':>9} {'steps':>6} {'seconds':>8} {'queries':>8} {'ms/due':>7} {'q/due':>6}"
    print(header)
    print("-" * len(header))

    def row(label, seen, steps, seconds, queries):
        per = f"{seconds * 1000 / seen:>7.2f} {len(queries) / seen:>6.1f}" if seen else f"{'':>7} {'':>6}"
        print(f"{label:<26} {seen:>9} {steps:>6} {seconds:>8.3f} {len(queries):>8} {per}")

    row("nothing due", *job(escalation, ref))
    left = []
    for count in DUE_COUNTS:
        make_due(community, count, ref)
        seen, steps, seconds, queries = job(escalation, ref)
        row(f"{count:,} due", seen, steps, seconds, queries)
        again = job(escalation, ref)
        row("  again right after", *again)
        if again[0]:
            left.append(count)
    row("beat tick 5 min on", *job(escalation, ref + dt.timedelta(minutes=5)))
    print("beat tick: the rungs the open complaints reach in the next five minutes (the steady state's load)")
    if left:
        print(f"!! a second run found due work after {left}: the job leaves work behind")
    verdict = "within" if seconds < JOB_GOAL_S else "OVER"
    print(f"{count:,} due: {seconds:.2f} s, {verdict} the {JOB_GOAL_S:.0f} s goal. Its queries by kind:")
    for kind, n in Counter(kind_of(query["sql"]) for query in queries).most_common():
        print(f"  {n:>6}  {kind}")


def job(escalation, now):
    (seen, steps), seconds, queries = timed(lambda: escalation.escalate_due(now=now))
    return seen, steps, seconds, queries


def bench_list(community, people):
    from django.test import Client

    from complaints.models import Complaint

    client = Client()
    client.force_login(people["supervisor"])
    numbers = list(Complaint.objects.filter(community=community).order_by("?").values_list("number", flat=True)[:20])
    categories = ["noise", "cleaning", "parking", "municipal"]
    pages = {
        "默认（未完成）": lambda i: "/complaints/",
        "已超时": lambda i: "/complaints/?show=overdue",
        "编号查找": lambda i: f"/complaints/?show=all&q={numbers[i % len(numbers)]}",
        "按类别（未完成）": lambda i: f"/complaints/?category={categories[i % 4]}",
        "按类别（全部）": lambda i: f"/complaints/?show=all&category={categories[i % 4]}",
        "房号查找": lambda i: f"/complaints/?show=all&q={i % BUILDINGS + 1}-1-{i % 18 + 1}0{i % 4 + 1}",
        "全部 第50页": lambda i: "/complaints/?show=all&page=50",
    }
    print(
        f"\n## the complaint list at {Complaint.objects.filter(community=community).count():,} complaints (supervisor)"
    )
    header = f"{'page':<16} {'runs':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>7} {'slowest q':>9}"
    print(header)
    print("-" * len(header))
    slow = []
    for label, url in pages.items():
        for i in range(3):  # warm
            client.get(url(i))
        times = []
        for i in range(RUNS):
            started = time.perf_counter()
            response = client.get(url(i))
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url(i), response.status_code)
        _response, _seconds, queries = timed(lambda url=url: client.get(url(0)))
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        slowest = max((float(q["time"]) * 1000 for q in queries), default=0)
        print(f"{label:<16} {RUNS:>4} {p50:>8.1f} {p95:>8.1f} {max(times):>8.1f} {len(queries):>7} {slowest:>9.1f}")
        if p95 > PAGE_BUDGET_MS:
            slow.append((label, queries))
    print(f"slowest q: the slowest single SQL query of one captured request, ms; budget p95 < {PAGE_BUDGET_MS} ms")
    for label, queries in slow:
        explain_slowest(f"{label}: p95 over {PAGE_BUDGET_MS} ms", queries)
        if label == "房号查找":
            house_number_alone(community)
    explain_slowest("已超时, its slowest query", timed(lambda: client.get(pages["已超时"](0)))[2])


def house_number_alone(community):
    """What the same search costs on the house number alone (the archive's prefix index)."""
    from complaints.models import Complaint

    times = []
    for i in range(RUNS):
        query = Complaint.objects.filter(community=community, house__number__startswith=f"{i % BUILDINGS + 1}-1-101")
        _rows, seconds, _queries = timed(lambda query=query: list(query.order_by("-received_at", "-pk")[:30]))
        times.append(seconds * 1000)
    print(f"\n(the same page's rows by house__number__startswith alone: p50 {percentile(times, 0.5):.1f} ms)")


def main():
    url = database_url()
    ensure_database(url)
    setup_django(url)
    community, people, service = world()
    ref = prepare(community, people, service)
    check_consistency(community, people, ref)
    bench_job(community, ref)
    bench_list(community, people)


if __name__ == "__main__":
    main()
