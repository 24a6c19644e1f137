"""Reads of the visits app at 50,000 households and 1,000,000 visit records (issue 5
acceptance: the today page and plan proposals at that size).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wuye_bench .venv/bin/python bench/visits_bench.py

Builds on bench/residents_bench.py: the same database (`wuye_bench` by default, never
SQLite) and its 50,000-household community BENCH, seeded by it when missing. Once,
it splits the ten butler zones into twenty (about 2,500 households each), gives
the staff their memberships and the community a sampling policy, and COPYs about
1,000,000 visit records spread over 30 months — opinions on about 30 %, follow-ups
(a few hundred open), return visits (done, due, waiting for rain) and 30 months of
monthly plans per butler. No history rows: none of the reads below use them.

Then it times each read BENCH_ITERATIONS times (default 200) with varied inputs,
prints p50/p95/max in ms and the query counts, and EXPLAIN ANALYZE of the slowest
query seen.
"""

import datetime as dt
import io
import math
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from residents_bench import (
    ITERATIONS,
    database_url,
    ensure_database,
    measure,
    setup_django,
)
from residents_bench import seed as seed_households

VISITS = 1_000_000
MONTHS = 30
BUTLERS = 20
PAGE = 25
SHANGHAI = dt.timezone(dt.timedelta(hours=8))  # no daylight saving: a fixed offset is exact
BATCH = 100_000
SLOW_MS = 100

# --- seeding -------------------------------------------------------------------------


def columns(names):
    return names.split()


VISIT_COLUMNS = columns(
    "id community_id house_id created_by_id started_at channel visit_type people_met reply satisfaction "
    "signature window_reason contains_complaint checklist owner_notified status submitted_at due_at is_late "
    "reviewed_by_id reviewed_at review_comment return_visit_id confirmed_by_id confirmed_at plan_item_id client_key"
)
FOLLOW_UP_COLUMNS = columns(
    "community_id house_id visit_id category description owner_id due_at status resolution closed_at "
    "converted_id created_by_id created_at"
)
RETURN_VISIT_COLUMNS = columns(
    "id community_id house_id trigger key source_id note occurred_at due_at assignee_id joint by_manager "
    "status done_at created_at"
)
PLAN_COLUMNS = columns(
    "id community_id owner_id kind year month status note submitted_at decided_by_id decided_at "
    "decision_comment created_at"
)


def ensure_team(community):
    """Twenty butlers (the ten zones of residents_bench split in two), a supervisor and
    a manager with memberships; a sampling policy whose cycle began three months ago."""
    from django.utils import timezone

    from core.choices import Role
    from core.models import Membership, User
    from residents.models import Building, House
    from residents.services import assign_zone
    from visits.choices import CoverageMode
    from visits.models import VisitPolicy

    company = community.company

    def user(username, name):
        return User.objects.get_or_create(username=username, defaults={"name": name, "company": company})[0]

    supervisor, manager = user("bench_supervisor", "基准主管"), user("bench_manager", "基准经理")
    butlers = [user(f"bench_butler{i + 1:02d}", f"管家{i + 1:02d}") for i in range(BUTLERS)]
    for person, role in [(supervisor, Role.SUPERVISOR), (manager, Role.MANAGER)] + [(b, Role.BUTLER) for b in butlers]:
        Membership.objects.get_or_create(user=person, community=community, role=role)
    buildings = list(Building.objects.filter(community=community).order_by("pk"))
    share = len(buildings) // BUTLERS
    for index, butler in enumerate(butlers):
        mine = buildings[index * share : (index + 1) * share]
        if House.objects.filter(building__in=mine).exclude(butler=butler).exists():
            assign_zone(community=community, butler=butler, actor=supervisor, buildings=mine)
    today = timezone.localdate()
    cycle = dt.datetime.combine(first_of_month(today, 3), dt.time(), tzinfo=SHANGHAI)
    VisitPolicy.objects.update_or_create(
        community=community, defaults={"coverage_mode": CoverageMode.SAMPLING, "cycle_started_at": cycle}
    )
    return butlers, supervisor, manager


def first_of_month(day, back=0):
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


class Rows:
    """Tab-separated COPY rows for one table, sent in batches."""

    def __init__(self, cursor, table, columns):
        self.cursor, self.table, self.columns = cursor, table, columns
        self.buffer, self.count, self.total = io.StringIO(), 0, 0

    def add(self, *values):
        self.buffer.write("\t".join("\\N" if v is None else str(v) for v in values))
        self.buffer.write("\n")
        self.count += 1
        if self.count >= BATCH:
            self.send()

    def send(self):
        if self.count:
            self.buffer.seek(0)
            columns = ", ".join(self.columns)
            self.cursor.copy_expert(f"COPY {self.table} ({columns}) FROM STDIN", self.buffer)
            self.total += self.count
        self.buffer, self.count = io.StringIO(), 0


def stamp(moment):
    return moment.isoformat()


def local(day, minutes):
    return dt.datetime.combine(day, dt.time(), tzinfo=SHANGHAI) + dt.timedelta(minutes=minutes)


def seed_visits(community):
    """About 1,000,000 visits and what hangs off them, once (COPY, one transaction)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from residents.choices import OCCUPIED_STATES, Occupancy
    from residents.models import House
    from visits.choices import Channel, VisitType
    from visits.demo import texts
    from visits.demo.records import SLOTS
    from visits.models import Visit

    if Visit.objects.filter(community=community).exists():
        return
    print(f"Seeding {VISITS:,} visit records (once) …")
    started_clock = time.perf_counter()
    rng = random.Random(1_000_000)
    now = timezone.now()
    today = timezone.localdate(now)
    first_day = first_of_month(today, MONTHS - 1)
    span = (today - first_day).days + 1
    with transaction.atomic(), connection.cursor() as cursor:
        butlers, supervisor, manager = ensure_team(community)
        houses = list(House.objects.filter(community=community).values_list("pk", "butler_id", "occupancy"))
        occupied = [(pk, b) for pk, b, state in houses if state in OCCUPIED_STATES]
        vacant = [(pk, b) for pk, b, state in houses if state == Occupancy.VACANT]
        zones = {b.pk: [pk for pk, owner in occupied if owner == b.pk] for b in butlers}
        cid = community.pk
        counts = {}

        visits = Rows(cursor, "visits_visit", VISIT_COLUMNS)
        opinions = Rows(cursor, "visits_opinion", columns("visit_id category content"))
        follow_ups = Rows(cursor, "visits_followup", FOLLOW_UP_COLUMNS)
        returns = Rows(cursor, "visits_returnvisit", RETURN_VISIT_COLUMNS)
        plans = Rows(cursor, "visits_visitplan", PLAN_COLUMNS)
        item_columns = columns("id plan_id house_id intended_date channel purpose window_reason")
        items = Rows(cursor, "visits_planitem", item_columns)
        categories = list(texts.WEIGHTS)
        weights = list(texts.WEIGHTS.values())
        next_visit = [0]

        def visit(house, author, day, channel, visit_type, *, return_visit=None, plan_item=None, chance=0.3):
            next_visit[0] += 1
            pk = next_visit[0]
            slots = SLOTS[channel]
            (h1, m1), (h2, m2), _ = rng.choices(slots, [w for *_, w in slots])[0]
            started = local(day, rng.randrange(h1 * 60 + m1, h2 * 60 + m2))
            if started > now:
                started = now - dt.timedelta(minutes=rng.randint(30, 600))
            due = local(day, 2 * 24 * 60) - dt.timedelta(seconds=1)
            late = rng.random() < 0.03
            submitted = due + dt.timedelta(hours=rng.randint(2, 40)) if late else started + dt.timedelta(minutes=30)
            submitted = min(submitted, now)
            pending = submitted > now - dt.timedelta(hours=26)
            reviewer = supervisor.pk if author != supervisor.pk else manager.pk
            said = []
            if visit_type != VisitType.VACANT_INSPECTION and rng.random() < chance:
                for category in sorted({rng.choices(categories, weights)[0] for _ in range(1 + (rng.random() < 0.15))}):
                    entry = rng.choice(texts.OPINIONS[category])
                    said.append((category, entry))
                    opinions.add(pk, category, entry[1])
            reply = "".join(entry[2] for _, entry in said) or "业主表示满意，暂无其他意见。"
            visits.add(
                pk, cid, house, author, stamp(started), channel, visit_type, "业主", reply,
                "satisfied" if not said else "fairly", "signed" if channel == Channel.DOOR else "not_asked",
                "", "f", "{}", "", "submitted" if pending else "approved",
                stamp(submitted), stamp(due), "t" if submitted > due else "f",
                None if pending else reviewer, None if pending else stamp(min(submitted + dt.timedelta(hours=14), now)),
                "", return_visit, None, None, plan_item, uuid.UUID(int=rng.getrandbits(128), version=4),
            )  # fmt: skip
            for category, entry in said:
                promise = entry[3]
                if promise and rng.random() < 0.5:
                    age = (now - started).days
                    is_open = age <= 7 or (age <= 60 and rng.random() < 0.05)
                    follow_ups.add(
                        cid, house, pk, category, promise[0], author, stamp(submitted + dt.timedelta(days=2)),
                        "open" if is_open else "done", "" if is_open else promise[1],
                        None if is_open else stamp(min(submitted + dt.timedelta(days=1), now)), "", author,
                        stamp(submitted),
                    )  # fmt: skip
            return pk

        # Monthly plans: approved in past months; this month approved, submitted, draft.
        plan_pk = item_pk = 0
        quota = math.ceil(len(occupied) * 7 / 100 - 10) // BUTLERS
        this_month = []
        for back in range(MONTHS - 1, -1, -1):
            month = first_of_month(today, back)
            length = (first_of_month(month, -1) - month).days
            for index, butler in enumerate(butlers):
                plan_pk += 1
                status = "approved" if back or index < 10 else "submitted" if index < 15 else "draft"
                submitted = stamp(local(month, 17 * 60)) if status != "draft" else None
                decided = stamp(local(month, (24 + 9) * 60)) if status == "approved" else None
                plans.add(
                    plan_pk, cid, butler.pk, "monthly", month.year, month.month, status, "", submitted,
                    supervisor.pk if decided else None, decided, "", submitted or stamp(now),
                )  # fmt: skip
                for position, house in enumerate(rng.sample(zones[butler.pk], quota)):
                    item_pk += 1
                    intended = month + dt.timedelta(days=position * (length - 1) // quota)
                    channel = rng.choice((Channel.DOOR, Channel.DOOR, Channel.PHONE))
                    items.add(item_pk, plan_pk, house, intended, channel, "月度抽样拜访", "")
                    if not back and status == "approved" and intended < today and rng.random() < 0.7:
                        this_month.append((house, butler.pk, intended, channel, item_pk))
        counts["plans"], counts["plan items"] = plan_pk, item_pk
        plans.send()
        items.send()

        # Return visits: done ones with their visit, due ones on the butlers' lists, leak ones waiting for rain.
        rv_pk = 0
        triggers = (
            ("complaint_closed", VisitType.COMPLAINT_RETURN, 72),
            ("urgent_repair", VisitType.REPAIR_RETURN, 24),
            ("leak_repair", VisitType.REPAIR_RETURN, 72),
            ("other_repair", VisitType.REPAIR_RETURN, 72),
            ("commission_done", VisitType.COMMISSION_RETURN, 72),
        )
        for n in range(45_000 + BUTLERS * 30):
            house, butler = rng.choice(occupied)
            trigger, visit_type, hours = rng.choice(triggers)
            rv_pk += 1
            if n < 45_000:
                day = first_day + dt.timedelta(days=rng.randrange(span - 4))
                occurred = local(day, rng.randint(8 * 60, 18 * 60))
                done_day = day + dt.timedelta(days=rng.randint(1, 2))
                returns.add(
                    rv_pk, cid, house, trigger, f"bench:{rv_pk}", "", "", stamp(occurred),
                    stamp(occurred + dt.timedelta(hours=hours)), butler, "f", "f", "done",
                    stamp(local(done_day, 10 * 60)), stamp(occurred),
                )  # fmt: skip
                visit(house, butler, done_day, Channel.DOOR, visit_type, return_visit=rv_pk, chance=0.2)
            else:
                occurred = now - dt.timedelta(hours=rng.randint(1, 24 * 6))
                waiting = trigger == "leak_repair" and rng.random() < 0.3
                status, due = ("waiting", None) if waiting else ("due", stamp(occurred + dt.timedelta(hours=hours)))
                returns.add(
                    rv_pk, cid, house, "leak_repair_rain" if waiting else trigger, f"bench:{rv_pk}", "", "",
                    stamp(occurred), due, butler, "f", "f", status, None, stamp(occurred),
                )  # fmt: skip
        counts["return visits"] = rv_pk
        returns.send()

        # This month's planned visits, monthly vacant-house inspections, then everyday visits.
        for house, butler, day, channel, item in this_month:
            visit(house, butler, day, channel, VisitType.ROUTINE, plan_item=item)
        for back in range(MONTHS - 1, -1, -1):
            month = first_of_month(today, back)
            length = (first_of_month(month, -1) - month).days
            for house, butler in vacant:
                day = month + dt.timedelta(days=rng.randrange(length))
                if day < today:
                    visit(house, butler, day, Channel.DOOR, VisitType.VACANT_INSPECTION)
        channels = (Channel.DOOR, Channel.PHONE, Channel.OFFICE, Channel.OUTDOOR, Channel.SURVEY)
        types = (VisitType.ROUTINE, VisitType.FEE, VisitType.EVENT_INVITE, VisitType.HOLIDAY, VisitType.OTHER)
        while next_visit[0] < VISITS:
            house, butler = rng.choice(occupied)
            roll = rng.random()
            author = butler if roll < 0.88 else supervisor.pk if roll < 0.94 else manager.pk
            day = first_day + dt.timedelta(days=rng.randrange(span))
            channel = rng.choices(channels, (50, 38, 6, 4, 2))[0]
            visit(house, author, day, channel, rng.choices(types, (80, 6, 8, 3, 3))[0])
        for rows in (visits, opinions, follow_ups):
            rows.send()
        counts.update(visits=visits.total, opinions=opinions.total, **{"follow-ups": follow_ups.total})
        for table in ("visits_visit", "visits_returnvisit", "visits_visitplan", "visits_planitem"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    with connection.cursor() as cursor:
        for table in ("visits_visit", "visits_opinion", "visits_followup", "visits_returnvisit", "visits_planitem"):
            cursor.execute(f"VACUUM ANALYZE {table}")  # the visibility map: index-only scans
    summary = ", ".join(f"{value:,} {name}" for name, value in counts.items())
    print(f"Seeded in {time.perf_counter() - started_clock:.0f} s: {summary}")


# --- measuring ------------------------------------------------------------------------


def slowest_query(operations):
    """(ms, label, sql) of the slowest single query any operation runs once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    worst = (0.0, "", "")
    for label, operation, values in operations:
        with CaptureQueriesContext(connection) as captured:
            operation(values[0])
        for query in captured.captured_queries:
            worst = max(worst, (float(query["time"]) * 1000, label, query["sql"]))
    return worst


def main():
    url = database_url()
    ensure_database(url)
    setup_django(url)

    from django.core.paginator import Paginator
    from django.db import connection

    from core.models import User
    from residents.models import House
    from visits import coverage, selectors
    from visits.models import FollowUp, Opinion, ReturnVisit, Visit

    community = seed_households()
    seed_visits(community)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics: the zone split changed 47,500 houses

    rng = random.Random(11)
    n = ITERATIONS
    butlers = list(User.objects.filter(username__startswith="bench_butler").order_by("username"))
    quotas = coverage.monthly_quotas(community)
    quota = quotas[butlers[0]]
    house_ids = rng.sample(list(House.objects.filter(community=community).values_list("pk", flat=True)), n)
    visits = Visit.objects.filter(community=community)

    def first_page(queryset):
        """What VisitListView does for page 1: count, then 25 rows with their prefetch."""
        return list(Paginator(selectors.visit_rows(queryset), PAGE).page(1).object_list)

    each_butler = butlers * (n // BUTLERS)
    operations = [
        ("today (butler, ~2,500 households)", lambda b: selectors.today(b, community), each_butler),
        ("review queue: first 100", lambda _: list(selectors.review_queue(community)[:100]), [None] * n),
        ("visit list: page 1 of 25, community", lambda _: first_page(visits), [None] * n),
        ("visit list: page 1 of 25, one butler", lambda b: first_page(visits.filter(created_by=b)), each_butler),
        ("house 360° visits panel", lambda pk: selectors.house_panel(House.objects.get(pk=pk), None), house_ids),
        ("coverage.monthly_quotas", lambda _: coverage.monthly_quotas(community), [None] * n),
        (
            f"coverage.propose_sample (N={quota})",
            lambda seed: coverage.propose_sample(community, quota, seed=seed),
            list(range(n)),
        ),
        ("coverage.propose_full (butler)", lambda b: coverage.propose_full(community, b), each_butler),
    ]
    print(
        f"\n{House.objects.filter(community=community).count():,} houses · {visits.count():,} visits · "
        f"{Opinion.objects.filter(visit__community=community).count():,} opinions · "
        f"{FollowUp.objects.filter(community=community, status='open').count():,} open follow-ups · "
        f"{ReturnVisit.objects.filter(community=community).exclude(status='done').count():,} return visits owed · "
        f"{len(butlers)} butlers · PostgreSQL {connection.pg_version // 10000} · {n} runs each\n"
    )
    header = f"{'operation':<40} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}"
    print(header)
    print("-" * len(header))
    slow = []
    for label, operation, values in operations:
        p50, p95, worst, queries = measure(operation, values)
        print(f"{label:<40} {p50:>8.2f} {p95:>8.2f} {worst:>8.2f} {queries:>8}")
        if p95 > SLOW_MS:
            slow.append(label)

    ms, label, sql = slowest_query(operations)
    print(f"\n### EXPLAIN ANALYZE of the slowest query ({ms:.1f} ms, in “{label}”)\n-- {sql[:300]}")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
        for (line,) in cursor.fetchall():
            print("   " + line)
    if slow:
        print(f"\nOver {SLOW_MS} ms at p95: {', '.join(slow)}")


if __name__ == "__main__":
    main()
