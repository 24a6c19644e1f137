"""The monthly visit summary at 1,000,000 visit records (issue 6 acceptance: the review
page and the draft job stay fast at 1M visit records).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wuye_bench .venv/bin/python bench/summary_bench.py

Same database as the other benches (`wuye_bench` unless DATABASE_URL names another
PostgreSQL database; never SQLite). Once, it builds ten communities of its own (codes
SB01–SB10, 3,000–5,000 households each, two of them under full coverage) with a
manager, a supervisor and a butler per ~500 households, and 24 months of history:
1,000,000 visit records (~4,000 per community-month: everyday visits, monthly
vacant-house inspections, return visits with their tasks), opinions on ~30 % of
them, follow-ups (a few hundred open) and monthly plans. (The BENCH community of the
other benches is one 50,000-household estate: not the shape a company's monthly job
meets, so it is left alone.) Everything goes in with set-based SQL (INSERT … SELECT
over generate_series): visits are drawn per community into a staging table, then
loaded month by month in time order, so that ids and the table's pages follow time
and the communities' rows interleave as the app writes them; then VACUUM ANALYZE.
A later run finds the data at the right size and goes on (a wrong size: rebuilt).

Then it times, for last month (the month the daily job drafts):
  figures.compute and summaries.draft_summary for one community (its summary
  deleted first), summaries.draft_due_summaries over every community in the
  database (the period's summaries deleted first), and over the Django test Client,
  logged in as the community's manager, the review page of the submitted summary,
  two click-through lists and the coverage dashboard: p50/p95/max in ms, SQL
  queries per request, and the slowest single query. EXPLAIN ANALYZE of the
  slowest queries of anything over its budget.

Visit, return-visit and plan ids are drawn above ID_FLOOR: bench/visits_bench.py
COPYs its own rows with explicit ids from 1 into the same tables.
"""

import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from residents_bench import database_url, ensure_database, percentile, setup_django

VISITS = 1_000_000
MONTHS = 24
HOUSEHOLDS = (5_000, 3_000, 4_200, 3_600, 4_800, 3_300, 4_500, 3_900, 3_200, 4_000)
FULL_COVERAGE = ("SB09", "SB10")  # the rest sample (the default policy)
PER_BUTLER = 500  # households in a butler's zone
PER_BUILDING = 144  # 2 units × 18 floors × 4 rooms
RETURN_SHARE = 0.045  # visits logged against a return visit
OPINION_SHARE = 0.3
ID_FLOOR = 50_000_000
TZ = "Asia/Shanghai"
KEY = "sumbench"
RUNS = 30  # requests per page
COMPUTE_RUNS = 5
DRAFT_RUNS = 3
COMPUTE_BUDGET_MS = 1_000
PAGE_BUDGET_MS = 300
SEED = 0.42

# --- building the data ------------------------------------------------------------


def table(model):
    return model._meta.db_table


def check_columns(model, names):
    """Every column but the id is given: a NOT NULL column added later fails here, not in the INSERT."""
    columns = {f.column for f in model._meta.concrete_fields if not f.primary_key}
    given = set(names.split())
    if given != columns:
        raise SystemExit(f"{table(model)}: columns changed (missing {columns - given}, unknown {given - columns})")
    return ", ".join(names.split())


def codes():
    return [f"SB{n + 1:02d}" for n in range(len(HOUSEHOLDS))]


def community_ids():
    from core.models import Community

    return dict(Community.objects.filter(code__in=codes()).values_list("code", "pk"))


def present():
    """True when the ten communities hold the planned houses and exactly VISITS visits."""
    from django.db import connection

    from residents.models import House
    from visits.models import Visit

    ids = community_ids()
    if len(ids) != len(HOUSEHOLDS):
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table(House)} WHERE community_id = ANY(%s)", [list(ids.values())])
        houses = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(*) FROM {table(Visit)} WHERE community_id = ANY(%s)", [list(ids.values())])
        visits = cursor.fetchone()[0]
    if houses == sum(HOUSEHOLDS) and visits == VISITS:
        return True
    if houses or visits:
        print(f"Found {houses:,} houses and {visits:,} visits in SB01–SB10 instead of the plan: rebuilding.")
    return False


def wipe(ids):
    """Delete what an earlier (other-sized or interrupted) build left in the bench communities."""
    from django.db import connection, transaction

    from core.models import Membership, Reminder
    from residents.models import Building, House
    from visits.models import (
        FollowUp,
        MonthlySummary,
        Opinion,
        PlanItem,
        ReturnVisit,
        SummaryEvent,
        SummaryProblem,
        Visit,
        VisitorEntry,
        VisitorIncident,
        VisitorRestriction,
        VisitPhoto,
        VisitPlan,
        VisitPolicy,
        WorkLetter,
    )

    summaries = f"SELECT id FROM {table(MonthlySummary)} WHERE community_id = ANY(%(ids)s)"
    visits = f"SELECT id FROM {table(Visit)} WHERE community_id = ANY(%(ids)s)"
    companions = Visit._meta.get_field("companions").remote_field.through
    entries = f"SELECT id FROM {table(VisitorEntry)} WHERE community_id = ANY(%(ids)s)"
    statements = [
        # The front-desk bench (bench/frontdesk_bench.py) registers visitors at these houses.
        f"DELETE FROM {table(VisitorIncident)} WHERE entry_id IN ({entries})",
        f"DELETE FROM {table(VisitorEntry.history.model)} WHERE community_id = ANY(%(ids)s)",
        f"DELETE FROM {table(VisitorEntry)} WHERE community_id = ANY(%(ids)s)",
        f"DELETE FROM {table(VisitorRestriction)} WHERE community_id = ANY(%(ids)s)",
        f"DELETE FROM {table(Reminder)} WHERE community_id = ANY(%(ids)s)",
        f"DELETE FROM {table(WorkLetter)} WHERE community_id = ANY(%(ids)s)",
        f"DELETE FROM {table(SummaryEvent)} WHERE summary_id IN ({summaries})",
        f"DELETE FROM {table(SummaryProblem)} WHERE summary_id IN ({summaries})",
        f"DELETE FROM {table(MonthlySummary)} WHERE community_id = ANY(%(ids)s)",
        f"DELETE FROM {table(FollowUp)} WHERE community_id = ANY(%(ids)s)",
        f"DELETE FROM {table(Opinion)} WHERE visit_id IN ({visits})",
        f"DELETE FROM {table(VisitPhoto)} WHERE visit_id IN ({visits})",
        f"DELETE FROM {table(companions)} WHERE visit_id IN ({visits})",
        f"DELETE FROM {table(Visit)} WHERE community_id = ANY(%(ids)s)",
        f"DELETE FROM {table(PlanItem)} WHERE plan_id IN "
        f"(SELECT id FROM {table(VisitPlan)} WHERE community_id = ANY(%(ids)s))",
        f"DELETE FROM {table(VisitPlan)} WHERE community_id = ANY(%(ids)s)",
        f"DELETE FROM {table(ReturnVisit)} WHERE community_id = ANY(%(ids)s)",
        f"DELETE FROM {table(House)} WHERE community_id = ANY(%(ids)s)",
        f"DELETE FROM {table(Building)} WHERE community_id = ANY(%(ids)s)",
        f"DELETE FROM {table(VisitPolicy)} WHERE community_id = ANY(%(ids)s)",
        f"DELETE FROM {table(Membership)} WHERE community_id = ANY(%(ids)s)",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, {"ids": ids})


def raise_id_floor():
    """Our ids start above ID_FLOOR, out of the way of visits_bench's explicit ids."""
    from django.db import connection

    from visits.models import PlanItem, ReturnVisit, Visit, VisitPlan

    with connection.cursor() as cursor:
        for model in (Visit, ReturnVisit, VisitPlan, PlanItem):
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%(t)s, 'id'), "
                "GREATEST(%(floor)s, (SELECT COALESCE(MAX(id), 0) FROM " + table(model) + ")))",
                {"t": table(model), "floor": ID_FLOOR},
            )


def text_tables(cursor):
    """Temporary tables of what owners say (visits.demo.texts) and the category weights."""
    from visits.demo import texts

    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS sb_text "
        "(category text, k int, tone text, said text, reply text, promise text, resolution text)"
    )
    cursor.execute("CREATE TEMP TABLE IF NOT EXISTS sb_cat (category text, lo float8, hi float8, n int)")
    cursor.execute("TRUNCATE sb_text, sb_cat")
    total, low = sum(texts.WEIGHTS.values()), 0.0
    for category, weight in texts.WEIGHTS.items():
        entries = texts.OPINIONS[category]
        for k, (tone, said, reply, promise) in enumerate(entries, 1):
            cursor.execute(
                "INSERT INTO sb_text VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [str(category), k, tone, said, reply, promise[0] if promise else None, promise[1] if promise else None],
            )
        high = low + weight / total
        cursor.execute("INSERT INTO sb_cat VALUES (%s, %s, %s, %s)", [str(category), low, high, len(entries)])
        low = high
    cursor.execute("UPDATE sb_cat SET hi = 2 WHERE hi = (SELECT MAX(hi) FROM sb_cat)")  # random() < 1 always lands


def ensure_staff(community, households):
    """A manager, a supervisor and one butler per ~500 households, with memberships."""
    from core.choices import Role
    from core.models import Membership, User

    code = community.code.lower()

    def user(suffix, name):
        return User.objects.get_or_create(
            username=f"{code}_{suffix}", defaults={"name": f"{community.code}{name}", "company": community.company}
        )[0]

    manager, supervisor = user("manager", "经理"), user("supervisor", "主管")
    butlers = [user(f"butler{i + 1:02d}", f"管家{i + 1:02d}") for i in range(math.ceil(households / PER_BUTLER))]
    for person, role in [(manager, Role.MANAGER), (supervisor, Role.SUPERVISOR)] + [(b, Role.BUTLER) for b in butlers]:
        Membership.objects.get_or_create(user=person, community=community, role=role)
    return manager, supervisor, butlers


def build_houses(cursor, community, households, butlers):
    from residents.choices import HouseType, Occupancy
    from residents.models import Building, House

    buildings = math.ceil(households / PER_BUILDING)
    building_columns = check_columns(Building, "community_id number name note created_at")
    house_columns = check_columns(
        House,
        "community_id building_id unit floor room number floor_area house_type occupancy handover_date "
        "move_in_date move_out_date butler_id note created_at",
    )
    # House i: building i / 144 + 1, unit (j / 72) + 1, floor (j mod 72) / 4 + 1, room floor·100 + j mod 4 + 1.
    cursor.execute(
        f"""
        WITH b AS (
            INSERT INTO {table(Building)} ({building_columns})
            SELECT %(cid)s, n::text, '', '', now() FROM generate_series(1, %(buildings)s) n
            RETURNING id, number
        ), h AS MATERIALIZED (
            SELECT i / {PER_BUILDING} + 1 AS b, mod(i, {PER_BUILDING}) AS j, random() AS r
            FROM generate_series(0, %(n)s - 1) i
        ), f AS (
            SELECT h.*, h.j / 72 + 1 AS unit, mod(h.j, 72) / 4 + 1 AS floor FROM h
        )
        INSERT INTO {table(House)} ({house_columns})
        SELECT %(cid)s, b.id, f.unit::text, f.floor, (f.floor * 100 + mod(f.j, 4) + 1)::text,
            f.b || '-' || f.unit || '-' || (f.floor * 100 + mod(f.j, 4) + 1),
            (ARRAY[89.56, 118.32, 143.05])[1 + mod(f.b, 3)], %(residence)s,
            CASE WHEN f.r < 0.72 THEN %(occupied)s WHEN f.r < 0.87 THEN %(rented)s
                 WHEN f.r < 0.95 THEN %(vacant)s ELSE %(renovating)s END,
            DATE '2016-06-30', NULL, NULL,
            (%(butlers)s::bigint[])[1 + (f.b - 1) * %(n_butlers)s / %(buildings)s], '', now()
        FROM f JOIN b ON b.number = f.b::text
        """,
        {
            "cid": community.pk,
            "n": households,
            "buildings": buildings,
            "butlers": [b.pk for b in butlers],
            "n_butlers": len(butlers),
            "residence": HouseType.RESIDENCE,
            "occupied": Occupancy.OCCUPIED,
            "rented": Occupancy.RENTED,
            "vacant": Occupancy.VACANT,
            "renovating": Occupancy.RENOVATING,
        },
    )


STAGE = """
    CREATE TEMP TABLE IF NOT EXISTS sb_stage (
        community_id bigint, house_id bigint, author_id bigint, reviewer_id bigint, started_at timestamptz,
        channel text, visit_type text, return_visit_id bigint, key uuid, due_at timestamptz, submitted_at timestamptz,
        has_op bool, has_op2 bool, cat1 text, k1 int, cat2 text, k2 int, r_sat float8, r_cx float8,
        follow_up bool, r_open float8, r_close float8
    )
"""


def stage_statement(source):
    """Draw the visits `source` yields (house_id, author_id, started_at, channel, visit_type,
    return_visit_id, opinion_chance) into sb_stage, with the dice for their opinions and follow-ups."""
    return f"""
    WITH src AS MATERIALIZED ({source}),
    r AS MATERIALIZED (
        SELECT src.*, random() < 0.03 AS late, random() AS r_late,
            random() < src.opinion_chance AS has_op, random() < 0.15 AS has_op2,
            random() AS rc1, random() AS rk1, random() AS rc2, random() AS rk2, random() AS r_sat, random() AS r_cx,
            random() < 0.5 AS follow_up, random() AS r_close, random() AS r_open,
            (date_trunc('day', src.started_at AT TIME ZONE %(tz)s) + interval '2 days' - interval '1 second')
                AT TIME ZONE %(tz)s AS due_at
        FROM src
    )
    INSERT INTO sb_stage
    SELECT %(cid)s, r.house_id, r.author_id,
        CASE WHEN r.author_id = %(supervisor)s THEN %(manager)s ELSE %(supervisor)s END,
        r.started_at, r.channel, r.visit_type, r.return_visit_id, gen_random_uuid(), r.due_at,
        LEAST(CASE WHEN r.late THEN r.due_at + (2 + r.r_late * 38) * interval '1 hour'
                   ELSE r.started_at + interval '30 minutes' END, now()),
        r.has_op, r.has_op2 AND c2.category <> c1.category,
        c1.category, 1 + floor(r.rk1 * c1.n)::int, c2.category, 1 + floor(r.rk2 * c2.n)::int,
        r.r_sat, r.r_cx, r.follow_up, r.r_open, r.r_close
    FROM r
    JOIN sb_cat c1 ON r.rc1 >= c1.lo AND r.rc1 < c1.hi
    JOIN sb_cat c2 ON r.rc2 >= c2.lo AND r.rc2 < c2.hi
    """


def load_statement():
    """Move one period of sb_stage into the visit, opinion and follow-up tables in time order, as
    the app writes them: ids rise with time and the communities' rows interleave on disk."""
    from visits.models import FollowUp, Opinion, Visit

    visit_columns = check_columns(
        Visit,
        "community_id house_id created_by_id started_at channel visit_type people_met reply satisfaction signature "
        "window_reason contains_complaint checklist owner_notified status submitted_at due_at is_late reviewed_by_id "
        "reviewed_at review_comment return_visit_id confirmed_by_id confirmed_at plan_item_id client_key",
    )
    follow_up_columns = check_columns(
        FollowUp,
        "community_id house_id visit_id category description owner_id due_at status resolution closed_at "
        "converted_type_id converted_id created_by_id created_at",
    )
    return f"""
    WITH s AS MATERIALIZED (
        SELECT s.*, t1.said AS said1, t1.reply AS reply1, t1.tone AS tone1, t1.promise AS promise1,
            t1.resolution AS resolution1, t2.said AS said2, s.submitted_at > now() - interval '26 hours' AS pending,
            now() - s.submitted_at <= interval '7 days'
            OR (now() - s.submitted_at <= interval '60 days' AND s.r_open < 0.05) AS still_open
        FROM sb_stage s
        JOIN sb_text t1 ON t1.category = s.cat1 AND t1.k = s.k1
        JOIN sb_text t2 ON t2.category = s.cat2 AND t2.k = s.k2
        WHERE s.started_at >= %(low)s AND s.started_at < %(high)s
    ),
    ins AS (
        INSERT INTO {table(Visit)} ({visit_columns})
        SELECT community_id, house_id, author_id, started_at, channel, visit_type,
            CASE WHEN visit_type = 'vacant_inspection' THEN '' ELSE '业主' END,
            CASE WHEN visit_type = 'vacant_inspection' THEN '门窗、水电、墙面无异常。'
                 WHEN has_op THEN reply1 ELSE '业主表示满意，暂无其他意见。' END,
            CASE WHEN visit_type = 'vacant_inspection' OR r_sat < 0.04 THEN ''
                 WHEN NOT has_op THEN 'satisfied' WHEN tone1 = 'complaint' AND r_sat < 0.45 THEN 'dissatisfied'
                 ELSE 'fairly' END,
            CASE WHEN channel = 'door' AND visit_type <> 'vacant_inspection' THEN 'signed' ELSE 'not_asked' END,
            '', has_op AND tone1 = 'complaint' AND r_cx < 0.3, '{{}}'::jsonb, '',
            CASE WHEN pending THEN 'submitted' ELSE 'approved' END, submitted_at, due_at, submitted_at > due_at,
            CASE WHEN NOT pending THEN reviewer_id END,
            CASE WHEN NOT pending THEN LEAST(submitted_at + interval '14 hours', now()) END,
            '', return_visit_id, NULL, NULL, NULL, key
        FROM s ORDER BY started_at
        RETURNING id, client_key
    ),
    j AS MATERIALIZED (SELECT s.*, ins.id AS visit_id FROM ins JOIN s ON s.key = ins.client_key),
    opinions AS (
        INSERT INTO {table(Opinion)} (visit_id, category, content)
        SELECT visit_id, category, content FROM (
            SELECT visit_id, 1 AS n, cat1 AS category, said1 AS content FROM j WHERE has_op
            UNION ALL
            SELECT visit_id, 2, cat2, said2 FROM j WHERE has_op AND has_op2
        ) o ORDER BY visit_id, n
    )
    INSERT INTO {table(FollowUp)} ({follow_up_columns})
    SELECT community_id, house_id, visit_id, cat1, promise1, author_id, submitted_at + interval '2 days',
        CASE WHEN still_open THEN 'open' ELSE 'done' END, CASE WHEN still_open THEN '' ELSE resolution1 END,
        CASE WHEN NOT still_open THEN LEAST(submitted_at + (4 + r_close * 52) * interval '1 hour', now()) END,
        NULL, '', author_id, submitted_at
    FROM j WHERE has_op AND promise1 IS NOT NULL AND follow_up
    ORDER BY visit_id
    """


# (trigger, hours until due, the visit's type): as visits_bench raises them
TRIGGERS = (
    ("complaint_closed", 72, "complaint_return"),
    ("urgent_repair", 24, "repair_return"),
    ("leak_repair", 72, "repair_return"),
    ("other_repair", 72, "repair_return"),
    ("commission_done", 72, "commission_return"),
)
TRIGGER_VALUES = ", ".join(f"({n}, '{t}', {h}, '{v}')" for n, (t, h, v) in enumerate(TRIGGERS, 1))


def build_visits(cursor, community, target, staff, quota, days):
    """Return visits (done with their visit, a few still due), vacant-house inspections each
    month, then everyday visits up to `target`; then the butlers' monthly plans."""
    from residents.choices import OCCUPIED_STATES, Occupancy
    from residents.models import House
    from visits.models import PlanItem, ReturnVisit, VisitPlan

    manager, supervisor, butlers = staff
    p = {
        "cid": community.pk,
        "tz": TZ,
        "manager": manager.pk,
        "supervisor": supervisor.pk,
        "first": days["first"],
        "today": days["today"],
        "ndays": (days["today"] - days["first"]).days,
        "key": f"{KEY}:{community.code}:",
    }
    houses = table(House)
    cursor.execute("DROP TABLE IF EXISTS sb_occ, sb_vac")
    cursor.execute(
        f"CREATE TEMP TABLE sb_occ AS SELECT row_number() OVER (ORDER BY id)::int AS rn, id AS house_id, butler_id "
        f"FROM {houses} WHERE community_id = %s AND occupancy = ANY(%s)",
        [community.pk, list(OCCUPIED_STATES)],
    )
    cursor.execute("CREATE UNIQUE INDEX ON sb_occ (rn)")
    cursor.execute(
        f"CREATE TEMP TABLE sb_vac AS SELECT id AS house_id, butler_id FROM {houses} "
        f"WHERE community_id = %s AND occupancy = %s",
        [community.pk, Occupancy.VACANT],
    )
    cursor.execute("ANALYZE sb_occ")
    cursor.execute("SELECT count(*) FROM sb_occ")
    p["occupied"] = cursor.fetchone()[0]

    rv_columns = check_columns(
        ReturnVisit,
        "community_id house_id trigger key source_type_id source_id note occurred_at due_at assignee_id joint "
        "by_manager status done_at created_at",
    )
    # Done return visits over the months, and thirty still owed this week.
    p["returns"] = round(target * RETURN_SHARE)
    cursor.execute(
        f"""
        WITH g AS MATERIALIZED (
            SELECT n, 1 + floor(random() * %(occupied)s)::int AS rn, floor(random() * (%(ndays)s - 3))::int AS d,
                480 + floor(random() * 600)::int AS mins, 1 + floor(random() * 2)::int AS lag,
                1 + floor(random() * {len(TRIGGERS)})::int AS t
            FROM generate_series(1, %(returns)s) n
        ), o AS (
            SELECT g.*, h.house_id, h.butler_id, tr.trigger, tr.hours,
                ((%(first)s::date + g.d) + make_interval(mins => g.mins)) AT TIME ZONE %(tz)s AS occurred
            FROM g JOIN sb_occ h USING (rn) JOIN (VALUES {TRIGGER_VALUES}) tr(t, trigger, hours, visit_type) USING (t)
        )
        INSERT INTO {table(ReturnVisit)} ({rv_columns})
        SELECT %(cid)s, house_id, trigger, %(key)s || n, NULL, '', '', occurred, occurred + hours * interval '1 hour',
            butler_id, false, false, 'done',
            ((%(first)s::date + d + lag) + make_interval(mins => 540 + mod(mins, 300))) AT TIME ZONE %(tz)s, occurred
        FROM o
        """,
        p,
    )
    cursor.execute(
        f"""
        WITH g AS MATERIALIZED (
            SELECT n, 1 + floor(random() * %(occupied)s)::int AS rn, 1 + floor(random() * {len(TRIGGERS)})::int AS t,
                now() - (1 + floor(random() * 144)) * interval '1 hour' AS occurred
            FROM generate_series(%(returns)s + 1, %(returns)s + 30) n
        )
        INSERT INTO {table(ReturnVisit)} ({rv_columns})
        SELECT %(cid)s, h.house_id, tr.trigger, %(key)s || n, NULL, '', '', occurred,
            occurred + tr.hours * interval '1 hour', h.butler_id, false, false, 'due', NULL, occurred
        FROM g JOIN sb_occ h USING (rn) JOIN (VALUES {TRIGGER_VALUES}) tr(t, trigger, hours, visit_type) USING (t)
        """,
        p,
    )
    returns = f"""
        SELECT rv.house_id, rv.assignee_id AS author_id, rv.done_at AS started_at, 'door' AS channel,
            tr.visit_type, rv.id AS return_visit_id, 0.2::float8 AS opinion_chance
        FROM {table(ReturnVisit)} rv JOIN (VALUES {TRIGGER_VALUES}) tr(t, trigger, hours, visit_type) USING (trigger)
        WHERE rv.community_id = %(cid)s AND rv.status = 'done'
    """
    cursor.execute(stage_statement(returns), p)
    # Every vacant house once a month (this month: up to yesterday).
    vacant = """
        SELECT v.house_id, v.butler_id AS author_id,
            ((m.first + floor(random() * m.days)::int) + make_interval(mins => 540 + floor(random() * 480)::int))
                AT TIME ZONE %(tz)s AS started_at,
            'door' AS channel, 'vacant_inspection' AS visit_type, NULL::bigint AS return_visit_id,
            0.0::float8 AS opinion_chance
        FROM sb_vac v CROSS JOIN (
            SELECT d::date AS first, LEAST((d + interval '1 month')::date, %(today)s::date) - d::date AS days
            FROM generate_series(%(first)s::timestamp, %(today)s::timestamp - interval '1 day', interval '1 month') d
        ) m
    """
    cursor.execute(stage_statement(vacant), p)
    cursor.execute("SELECT count(*) FROM sb_stage WHERE community_id = %s", [community.pk])
    p["everyday"] = target - cursor.fetchone()[0]
    # Everyday visits: 88 % by the zone's butler, the rest by supervisor and manager.
    everyday = f"""
        WITH g AS MATERIALIZED (
            SELECT 1 + floor(random() * %(occupied)s)::int AS rn, floor(random() * %(ndays)s)::int AS d,
                540 + floor(random() * 660)::int AS mins, random() AS ra, random() AS rc, random() AS rt
            FROM generate_series(1, %(everyday)s)
        )
        SELECT h.house_id,
            CASE WHEN g.ra < 0.88 THEN h.butler_id WHEN g.ra < 0.94 THEN %(supervisor)s ELSE %(manager)s END
                AS author_id,
            ((%(first)s::date + g.d) + make_interval(mins => g.mins)) AT TIME ZONE %(tz)s AS started_at,
            CASE WHEN g.rc < 0.50 THEN 'door' WHEN g.rc < 0.88 THEN 'phone' WHEN g.rc < 0.94 THEN 'office'
                 WHEN g.rc < 0.98 THEN 'outdoor' ELSE 'survey' END AS channel,
            CASE WHEN g.rt < 0.80 THEN 'routine' WHEN g.rt < 0.86 THEN 'fee' WHEN g.rt < 0.94 THEN 'event_invite'
                 WHEN g.rt < 0.97 THEN 'holiday' ELSE 'other' END AS visit_type,
            NULL::bigint AS return_visit_id, {OPINION_SHARE}::float8 AS opinion_chance
        FROM g JOIN sb_occ h USING (rn)
    """
    cursor.execute(stage_statement(everyday), p)

    # Monthly plans: approved for past months, submitted this month; `quota` houses of the zone each.
    plan_columns = check_columns(
        VisitPlan,
        "community_id owner_id kind year month status note submitted_at decided_by_id decided_at "
        "decision_comment created_at",
    )
    item_columns = check_columns(PlanItem, "plan_id house_id intended_date channel purpose window_reason")
    cursor.execute(
        f"""
        WITH m AS (
            SELECT m, m < date_trunc('month', %(today)s::timestamp) AS past
            FROM generate_series(%(first)s::timestamp, %(today)s::timestamp, interval '1 month') m
        )
        INSERT INTO {table(VisitPlan)} ({plan_columns})
        SELECT %(cid)s, b.id, 'monthly', extract(year FROM m.m)::int, extract(month FROM m.m)::int,
            CASE WHEN m.past THEN 'approved' ELSE 'submitted' END, '', m.m AT TIME ZONE %(tz)s,
            CASE WHEN m.past THEN %(supervisor)s END,
            CASE WHEN m.past THEN (m.m + interval '1 day') AT TIME ZONE %(tz)s END, '', m.m AT TIME ZONE %(tz)s
        FROM unnest(%(butlers)s::bigint[]) b(id) CROSS JOIN m
        """,
        {**p, "butlers": [b.pk for b in butlers]},
    )
    cursor.execute(
        f"""
        INSERT INTO {table(PlanItem)} ({item_columns})
        SELECT p.id, h.house_id, make_date(p.year, p.month, 1) + mod(h.n, 28)::int, 'door', '月度抽样拜访', ''
        FROM {table(VisitPlan)} p CROSS JOIN LATERAL (
            SELECT house_id, row_number() OVER (ORDER BY md5(house_id::text || '-' || p.id::text)) AS n
            FROM sb_occ WHERE butler_id = p.owner_id
        ) h
        WHERE p.community_id = %(cid)s AND h.n <= %(quota)s
        """,
        {**p, "quota": quota},
    )


def first_of_month(day, back=0):
    index = day.year * 12 + day.month - 1 - back
    return day.replace(year=index // 12, month=index % 12 + 1, day=1)


def build():
    """The ten communities and their 24 months, once. Returns the seconds it took (None: found)."""
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from core.models import Community, Company
    from core.services import create_community
    from residents.choices import OCCUPIED_STATES
    from residents.models import House
    from visits.choices import CoverageMode
    from visits.models import FollowUp, Opinion, PlanItem, ReturnVisit, Visit, VisitPlan, VisitPolicy

    if present():
        return None
    started = time.perf_counter()
    print(f"Building {len(HOUSEHOLDS)} communities, {sum(HOUSEHOLDS):,} households, {VISITS:,} visits (once) …")
    ids = community_ids()
    if ids:
        wipe(list(ids.values()))
    today = timezone.localdate()
    days = {"today": today, "first": first_of_month(today, MONTHS - 1)}
    # The sampling cycle began three months ago: "never visited" counts from there.
    cycle = timezone.make_aware(dt.datetime.combine(first_of_month(today, 3), dt.time()))
    company, _ = Company.objects.get_or_create(name="基准测试物业有限公司")
    raise_id_floor()
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [SEED])
        text_tables(cursor)
        cursor.execute(STAGE)
        cursor.execute("TRUNCATE sb_stage")
    plan = []
    for code, households in zip(codes(), HOUSEHOLDS, strict=True):
        clock = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            community = Community.objects.filter(code=code).first() or create_community(
                company=company, name=f"总结基准{code[2:]}小区", code=code
            )
            staff = ensure_staff(community, households)
            build_houses(cursor, community, households, staff[2])
            VisitPolicy.objects.update_or_create(
                community=community,
                defaults={
                    "coverage_mode": CoverageMode.FULL if code in FULL_COVERAGE else CoverageMode.SAMPLING,
                    "cycle_started_at": cycle,
                },
            )
        occupied = House.objects.filter(community=community, occupancy__in=OCCUPIED_STATES).count()
        plan.append((community, staff, occupied))
        print(f"  {code}: {households:,} households in {time.perf_counter() - clock:.1f} s")
    total_occupied = sum(occupied for *_, occupied in plan)
    given = 0
    for index, (community, staff, occupied) in enumerate(plan):
        clock = time.perf_counter()
        last = index == len(plan) - 1
        target = VISITS - given if last else round(VISITS * occupied / total_occupied)
        given += target
        quota = max(1, (math.ceil(occupied * 7 / 100) - 10) // len(staff[2]))
        with transaction.atomic(), connection.cursor() as cursor:
            build_visits(cursor, community, target, staff, quota, days)
        print(f"  {community.code}: {target:,} visits drawn, plans made in {time.perf_counter() - clock:.1f} s")
    clock = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX ON sb_stage (started_at)")
        cursor.execute("ANALYZE sb_stage")
    for back in range(MONTHS - 1, -1, -1):
        low, high = (
            timezone.make_aware(dt.datetime.combine(first_of_month(today, n), dt.time())) for n in (back, back - 1)
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(load_statement(), {"low": low, "high": high})
    print(f"  visits, opinions and follow-ups loaded month by month in {time.perf_counter() - clock:.1f} s")
    clock = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sb_occ, sb_vac, sb_text, sb_cat, sb_stage")
        for model in (Visit, Opinion, FollowUp, ReturnVisit, VisitPlan, PlanItem, House):
            cursor.execute(f"VACUUM ANALYZE {table(model)}")  # statistics, and the visibility map
    print(f"  VACUUM ANALYZE in {time.perf_counter() - clock:.1f} s")
    return time.perf_counter() - started


# --- measuring ------------------------------------------------------------------------


def timed(operation, runs, warmup=0):
    """Milliseconds of `runs` calls after `warmup` untimed ones, then the queries of one more call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        operation()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        operation()
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        operation()
    return times, captured.captured_queries


def delete_summaries(queryset):
    """Summaries and the reminders raised about them (their keys carry the summary's pk)."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import Reminder
    from visits.models import MonthlySummary

    pks = [str(pk) for pk in queryset.values_list("pk", flat=True)]
    content_type = ContentType.objects.get_for_model(MonthlySummary)
    Reminder.objects.filter(content_type=content_type, object_id__in=pks).delete()
    queryset.delete()


def explain(label, queries, top=2):
    """EXPLAIN ANALYZE of the `top` slowest SELECTs of `queries` (SQL as sent)."""
    from django.db import connection

    selects = [q for q in queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    for query in sorted(selects, key=lambda q: -float(q["time"]))[:top]:
        print(f"\n### EXPLAIN ANALYZE — {label} ({float(query['time']) * 1000:.1f} ms when captured)")
        print(f"-- {query['sql'][:600]}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            for (line,) in cursor.fetchall():
                print("   " + line)


def main():
    url = database_url()
    ensure_database(url)
    setup_django(url)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from core.models import Community, User
    from residents.models import House
    from visits import figures, summaries
    from visits.models import FollowUp, MonthlySummary, Opinion, Visit
    from visits.progress import Period

    call_command("createcachetable", verbosity=0)  # the DatabaseCache the pages may use
    seconds = build()
    if seconds is None:
        print("Summary bench data found (SB01–SB10, 1,000,000 visits): not rebuilt.")
    else:
        print(f"Data build: {seconds:.0f} s")
    with connection.cursor() as cursor:
        for model in (Visit, Opinion, FollowUp, House, MonthlySummary):
            cursor.execute(f"ANALYZE {table(model)}")

    today = timezone.localdate()
    period = Period.of(today).previous
    job_day = today.replace(day=max(today.day, summaries.DRAFT_ON_DAY))  # the job drafts last month from the 2nd
    ids = community_ids()
    sb01 = Community.objects.select_related("company").get(code="SB01")
    sb10 = Community.objects.select_related("company").get(code="SB10")
    manager, supervisor = User.objects.get(username="sb01_manager"), User.objects.get(username="sb01_supervisor")
    start, end = period.bounds
    mine = Visit.objects.filter(community_id__in=ids.values())
    print(
        f"\n{len(ids)} bench communities · {House.objects.filter(community_id__in=ids.values()).count():,} households"
        f" · {mine.count():,} visits ({Visit.objects.count():,} in the table, {Community.objects.count()} communities)"
        f" · {Opinion.objects.filter(visit__community_id__in=ids.values()).count():,} opinions"
        f" · {FollowUp.objects.filter(community_id__in=ids.values()).count():,} follow-ups"
        f" ({FollowUp.objects.filter(community_id__in=ids.values(), status='open').count():,} open)"
        f"\nMonth {period}: SB01 {House.objects.filter(community=sb01).count():,} households,"
        f" {Visit.objects.filter(community=sb01, started_at__gte=start, started_at__lt=end).count():,} visits;"
        f" all bench communities {mine.filter(started_at__gte=start, started_at__lt=end).count():,} visits"
        f" · PostgreSQL {connection.pg_version // 10000}\n"
    )

    rows = []  # (label, times, queries, budget ms or None, statistic the budget applies to)
    for label, community, runs in (("SB01, sampling", sb01, COMPUTE_RUNS), ("SB10, full coverage", sb10, 3)):
        times, queries = timed(lambda c=community: figures.compute(c, period), runs, 1)
        rows.append((f"figures.compute ({label})", times, queries, COMPUTE_BUDGET_MS, "p50"))
    # Not in the snapshot: the review page computes it on every view.
    times, queries = timed(lambda: figures.trend(sb01, period), 10, 1)
    rows.append(("figures.trend (SB01, 12 months)", times, queries, None, "p50"))

    this_month = MonthlySummary.objects.filter(year=period.year, month=period.month)
    draft_times, draft_queries = [], []
    for _ in range(DRAFT_RUNS):
        delete_summaries(this_month.filter(community=sb01))
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            summaries.draft_summary(sb01, period)
            draft_times.append((time.perf_counter() - started) * 1000)
        draft_queries = captured.captured_queries
    rows.append(("summaries.draft_summary (SB01, fresh)", draft_times, draft_queries, COMPUTE_BUDGET_MS, "p50"))

    # The daily job over every community in the database, each drafting afresh.
    delete_summaries(this_month)
    per_community = {}
    compute = figures.compute

    def timed_compute(community, month):
        started = time.perf_counter()
        try:
            return compute(community, month)
        finally:
            per_community[community.code] = (time.perf_counter() - started) * 1000

    figures.compute = timed_compute
    try:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            created = summaries.draft_due_summaries(today=job_day)
            job_ms = (time.perf_counter() - started) * 1000
    finally:
        figures.compute = compute
    job_label = f"draft_due_summaries ({created} communities)"
    rows.append((job_label, [job_ms], captured.captured_queries, None, "total"))

    # The review page: SB01's summary submitted with three problems, read by its manager.
    summary = MonthlySummary.objects.get(community=sb01, year=period.year, month=period.month)
    summary = summaries.save_narrative(
        summary,
        actor=supervisor,
        analysis="本月访问覆盖达标，电话拜访占比偏高，逾期提交集中在月初。",
        measures="督促管家当日提交记录；上门拜访比例提高到六成。",
        next_month_plan="重点走访本轮未访问住户和空置房。",
        problems=["地库B1外来车辆占用业主车位反复出现", "3栋电梯异响维保单位未按期答复", "绿化修剪不及时"],
    )
    summaries.submit_summary(summary, actor=supervisor)
    client = Client()
    client.force_login(manager)
    detail = reverse("visits:summary_detail", args=[summary.pk])
    records = reverse("visits:summary_records", args=[summary.pk])

    def page(url):
        def get():
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"GET {url}: {response.status_code}")

        return get

    for label, url in (
        ("review page /visits/summaries/<pk>/", detail),
        ("records ?kind=visits", f"{records}?kind=visits"),
        ("records ?kind=houses&which=never", f"{records}?kind=houses&which=never"),
        ("records ?kind=opinions", f"{records}?kind=opinions"),
        ("coverage dashboard /visits/coverage/", reverse("visits:coverage")),
    ):
        rows.append((label, *timed(page(url), RUNS, 3), PAGE_BUDGET_MS, "p95"))

    header = f"{'operation':<42} {'runs':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>7} {'slowest q':>9}"
    print(header)
    print("-" * len(header))
    slow = []
    for label, times, queries, budget, statistic in rows:
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        slowest = max((float(q["time"]) * 1000 for q in queries), default=0)
        cells = f"{p50:>8.1f} {p95:>8.1f} {max(times):>8.1f} {len(queries):>7} {slowest:>9.1f}"
        print(f"{label:<42} {len(times):>4} {cells}")
        if budget is not None and {"p50": p50, "p95": p95}[statistic] > budget:
            slow.append((label, queries, f"{statistic} over {budget} ms"))
    worst = max(per_community, key=per_community.get)
    print(
        f"\ndraft_due_summaries: {job_ms / 1000:.1f} s for {created} communities; figures.compute per community "
        f"p50 {percentile(list(per_community.values()), 0.5):.0f} ms, slowest {worst} {per_community[worst]:.0f} ms"
    )
    others = sorted(code for code in per_community if code not in ids)
    if others:
        print(f"(the job also drafted communities outside this bench: {', '.join(others)})")
    print("slowest q: the slowest single SQL query of one captured run, ms")
    for label, queries, why in slow:
        print(f"\n{label}: {why}")
        explain(label, queries)
    if not slow:
        print(f"\nAll within budget: compute/draft p50 < {COMPUTE_BUDGET_MS} ms, pages p95 < {PAGE_BUDGET_MS} ms.")
        review = next(row for row in rows if row[0].startswith("review page"))
        explain(f"{review[0]}, its slowest query", review[2], top=1)


if __name__ == "__main__":
    main()
