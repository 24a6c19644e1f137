"""The front desk's visitor register at 1,000,000 visitor entries (issue 7 acceptance:
"Register and today's board: constant query counts; bench/ prints register-save and
board timings with 1M historical visitor rows").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wuye_bench .venv/bin/python bench/frontdesk_bench.py

Same database as the other benches (`wuye_bench` unless DATABASE_URL names another
PostgreSQL database; never SQLite). The entries go to the ten communities of
bench/summary_bench.py (SB01–SB10, their houses) when it has built them, else to three
communities of its own (FD01–FD03, houses built the same way); whichever set already
holds the entries keeps them. Each community gets three front-desk clerks, SB02/FD02
is under closed management (owner's consent on every entry), and each has a watchlist
of 35 (long-term, dated, by mobile only, lifted, expired).

The register covers 24 months, ~1,370 entries a day shared by households, built with
set-based SQL (INSERT … SELECT over generate_series) in time order so that ids and
pages follow time, each entry with its history rows as django-simple-history writes
them (one at registration, one at exit: ~2 per entry, so the history table is about
twice the register). Two layers:
  * the old layer, everything before 35 days ago: built once, every entry left (or
    refused) and anonymised as the retention job leaves it (name "（已匿名）", no ID,
    hash, mobile or plate; anonymised_at the job's 02:10 after the 30 days);
  * the recent layer, the last 35 days: regenerated on every run (a few seconds), so
    the board is today's whatever the day. Visitors come from a pool computed here
    (valid ID numbers, keyed hashes with VISITOR_HASH_KEY as the app computes them):
    15 % of entries are the community's regulars (couriers, cleaners: as many as give
    each ~5 entries in 30 days), the rest occasional visitors. The board community has
    300 visitors inside today, 100 gone earlier today (both lists of the board full at
    any hour), 8 never marked out on earlier days and 2 awaiting a supervisor. As if
    the retention job had last run four days ago, entries of [now-34 d, now-30 d) still
    carry their personal data: four days' worth of work for the job.
Rows that fall out of the 24 months are deleted and the recent layer is sized so that
the bench communities hold exactly 1,000,000 entries.

Then, over the Django test Client logged in as the board community's clerk: the board,
the register page, register POSTs (a new visitor, a repeat visitor, a watchlisted one
refused), the ID and mobile look-ups, the house type-ahead and the one-click exit;
and anonymise_expired_entries as it ran on each of the last four days (one day of
newly expired entries each). p50/p95/max in ms, SQL queries per request (the range
over five captured requests) and the slowest single query; EXPLAIN ANALYZE of the
board's and the job's slowest queries, and of anything over its budget. The entries
the bench registers are deleted at the end.

Note for bench/summary_bench.py: its wipe() deletes SB houses, which these entries
reference (PROTECT); a rebuild of SB01–SB10 must delete visitor entries first.
"""

import datetime as dt
import itertools
import logging
import math
import random
import sys
import time
from collections import namedtuple
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import summary_bench
from residents_bench import database_url, ensure_database, percentile, setup_django
from summary_bench import build_houses, check_columns, ensure_staff, table

VISITS = 1_000_000
DAYS = 730  # 24 months
RECENT_DAYS = 35  # regenerated on every run
RETENTION_DAYS = 30
JOB_BACKLOG_DAYS = 4  # the retention job "last ran" this many days ago
OWN = (("FD01", 5_000), ("FD02", 3_000), ("FD03", 4_000))  # when summary_bench has not built SB01–SB10
CLERKS = 3
REGULAR_SHARE = 0.15  # of entries: couriers, cleaners, carers
REGULAR_VISITS = 5  # a regular's entries in 30 days
OCCASIONAL_VISITS = 0.6  # an occasional visitor's, on average
REFUSED_SHARE = 0.03  # closed management: the owner says no
BOARD_INSIDE = 300
BOARD_LEFT_TODAY = 100
NEW_VISITORS = 50_000_000  # pool numbers never drawn for the register
MARK = "基准测试登记"  # `items` of the entries this bench registers (deleted at the end)
TZ = "Asia/Shanghai"
SEED = 0.7
RUNS = 30
WARMUP = 3
SAMPLE = 5  # requests whose SQL is captured (not timed)
BOARD_BUDGET_MS = 200
REGISTER_BUDGET_MS = 150
ANONYMISED = "（已匿名）"

Visitor = namedtuple("Visitor", "n name id_type id_number id_masked id_hash mobile mobile_hash plate")
Pool = namedtuple("Pool", "base regulars occasional")  # a community's visitors: numbers base … base+size-1

# --- the visitors -------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀兰霞平刚桂英华建国玉红文斌"
REGIONS = ("310115", "310104", "310112", "320102", "320583", "330106", "340104", "370102", "410105", "510107")
BORN_FROM = dt.date(1958, 1, 1)
BIRTH_DAYS = 16_000


def visitor(n):
    """Visitor number `n`, always the same: a valid ID (a passport for 1 in 40), a mobile
    for 4 in 5, a plate for 1 in 5, and the keyed hashes the register stores."""
    from residents.masking import mask_id_number
    from residents.validators import _ID_CHECK, _ID_WEIGHTS
    from visits import visitors

    if n % 40 == 17:
        id_type, id_number = "passport", f"E{n % 10**8:08d}"
    else:
        born = BORN_FROM + dt.timedelta(days=(n // len(REGIONS)) % BIRTH_DAYS)
        body = f"{REGIONS[n % len(REGIONS)]}{born:%Y%m%d}{(n // (len(REGIONS) * BIRTH_DAYS)) % 1000:03d}"
        id_type = "resident_id"
        id_number = body + _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
    mobile = "" if n % 5 == 4 else f"1{'3456789'[n % 7]}{(n * 7919 + 12345) % 10**9:09d}"
    plate = f"沪{'ABCDEFGHJK'[(n // 5) % 10]}{(n * 37) % 100_000:05d}" if n % 5 == 0 else ""
    name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n // 25) % len(GIVEN)] + ("" if n % 3 == 0 else GIVEN[(n // 750) % 30])
    return Visitor(
        n,
        name,
        id_type,
        id_number,
        mask_id_number(id_number),
        visitors.id_hash(id_type, id_number),
        mobile,
        visitors.mobile_hash(mobile),
        plate,
    )


# --- communities, staff, watchlist -------------------------------------------------


def bench_communities():
    """SB01–SB10 when summary_bench built them, else FD01–FD03 (built here when missing);
    the set that already holds visitor entries wins."""
    from core.models import Community
    from residents.models import House
    from visits.models import VisitorEntry

    def found(codes):
        communities = list(Community.objects.filter(code__in=codes).order_by("code"))
        complete = len(communities) == len(codes)
        complete = complete and all(House.objects.filter(community=c).exists() for c in communities)
        return communities if complete else None

    sb, fd = found(summary_bench.codes()), found([code for code, _ in OWN])
    for candidate in (sb, fd):
        if candidate and VisitorEntry.objects.filter(community__in=candidate).exists():
            return candidate
    return sb or build_own()


def assign_pools(communities):
    """`community.pool`: its visitors, numbered one community after another; as many
    regulars as give each ~5 entries in 30 days, occasional visitors ~0.6 each."""
    from residents.models import House

    households = [House.objects.filter(community=c).count() for c in communities]
    base = 0
    for community, count in zip(communities, households, strict=True):
        month = VISITS / DAYS * count / sum(households) * RETENTION_DAYS
        regulars = max(10, round(month * REGULAR_SHARE / REGULAR_VISITS))
        occasional = max(2_000, round(month * (1 - REGULAR_SHARE) / OCCASIONAL_VISITS))
        community.pool = Pool(base, regulars, occasional)
        base += regulars + occasional


def build_own():
    from django.db import connection, transaction

    from core.models import Community, Company
    from core.services import create_community
    from residents.models import House

    company, _ = Company.objects.get_or_create(name="基准测试物业有限公司")
    communities = []
    for code, households in OWN:
        with transaction.atomic(), connection.cursor() as cursor:
            community = Community.objects.filter(code=code).first() or create_community(
                company=company, name=f"前台基准{code[2:]}小区", code=code
            )
            butlers = ensure_staff(community, households)[2]
            if not House.objects.filter(community=community).exists():
                build_houses(cursor, community, households, butlers)
        communities.append(community)
    print(f"Built {len(OWN)} communities of our own: {', '.join(code for code, _ in OWN)}.")
    return communities


def ensure_frontdesk(communities):
    """Three clerks and the settings per community (closed management in the second);
    the supervisors of summary_bench.ensure_staff. Returns {pk: [clerk ids]}."""
    from core.choices import Role
    from core.models import Membership, User
    from visits.models import FrontDeskSettings

    clerks = {}
    for index, community in enumerate(communities):
        code = community.code.lower()
        ensure_staff(community, 1)
        ids = []
        for i in range(1, CLERKS + 1):
            user = User.objects.get_or_create(
                username=f"{code}_frontdesk{i}",
                defaults={"name": f"{community.code}门岗{i}", "company": community.company},
            )[0]
            Membership.objects.get_or_create(user=user, community=community, role=Role.FRONT_DESK)
            ids.append(user.pk)
        clerks[community.pk] = ids
        FrontDeskSettings.objects.get_or_create(
            community=community, defaults={"retention_days": RETENTION_DAYS, "consent_required": index == 1}
        )
    return clerks


def ensure_watchlist(communities):
    """35 restrictions per community on visitors of its pool, once (their hashes redone
    should VISITOR_HASH_KEY have changed since)."""
    from django.utils import timezone

    from core.models import User
    from residents.masking import mask_mobile
    from visits.models import VisitorRestriction

    today = timezone.localdate()
    for community in communities:
        supervisor = User.objects.get(username=f"{community.code.lower()}_supervisor")
        rows = []
        for i in range(35):
            person = watchlisted(community, i)
            kind = i // 5  # 0–2 long-term by ID, 3 dated, 4 by mobile only, 5 lifted, 6 expired
            restriction = VisitorRestriction(
                community=community,
                name=person.name,
                reason=("多次与门岗争执", "损坏门禁设施", "业主投诉骚扰", "推销人员")[i % 4],
                restricted_by=supervisor,
                until=today + dt.timedelta(days=90) if kind == 3 else None,
            )
            if kind != 4:
                restriction.id_hash, restriction.id_masked = person.id_hash, person.id_masked
            if person.mobile:
                restriction.mobile_hash = person.mobile_hash
                restriction.mobile_masked = mask_mobile(person.mobile)
            if kind == 5:
                restriction.lifted_at, restriction.lifted_by = timezone.now() - dt.timedelta(days=20), supervisor
            if kind == 6:
                restriction.until = today - dt.timedelta(days=10 + i)
            rows.append(restriction)
        found = list(VisitorRestriction.objects.filter(community=community).order_by("pk"))
        if not found:
            VisitorRestriction.objects.bulk_create(rows)
        elif len(found) == len(rows):
            fields = ["name", "id_hash", "id_masked", "mobile_hash", "mobile_masked"]
            for old, new in zip(found, rows, strict=True):
                for field in fields:
                    setattr(old, field, getattr(new, field))
            VisitorRestriction.objects.bulk_update(found, fields)


def watchlisted(community, i):
    """The i-th watchlisted visitor of `community`: occasional visitors with a mobile and
    a resident ID (n ≡ 0 mod 5 has a plate too)."""
    n = community.pool.base + community.pool.regulars + 100 + i * 35
    while n % 5 == 4 or n % 40 == 17:
        n += 1
    return visitor(n)


# --- building the register ----------------------------------------------------------


def midnight(day):
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def temp_tables(cursor, communities, clerks):
    """fd_comm: each community's share of the visitors (by households), its pool, clerks;
    fd_house: its houses numbered 1…n."""
    from residents.models import House

    cursor.execute("DROP TABLE IF EXISTS fd_comm, fd_house")
    cursor.execute(
        "CREATE TEMP TABLE fd_comm (cid bigint, k int, lo float8, hi float8, houses int, pool_base int, "
        "regulars int, occasional int, closed bool, board bool, clerks bigint[])"
    )
    ids = [c.pk for c in communities]
    cursor.execute(
        f"CREATE TEMP TABLE fd_house AS SELECT community_id AS cid, "
        f"row_number() OVER (PARTITION BY community_id ORDER BY id)::int AS rn, id AS house_id "
        f"FROM {table(House)} WHERE community_id = ANY(%s)",
        [ids],
    )
    cursor.execute("CREATE UNIQUE INDEX ON fd_house (cid, rn)")
    cursor.execute("ANALYZE fd_house")
    cursor.execute("SELECT cid, count(*) FROM fd_house GROUP BY cid")
    houses = dict(cursor.fetchall())
    total, low = sum(houses.values()), 0.0
    for k, community in enumerate(communities):
        high = 2.0 if k == len(communities) - 1 else low + houses[community.pk] / total  # random() < 1 lands
        cursor.execute(
            "INSERT INTO fd_comm VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                community.pk,
                k,
                low,
                high,
                houses[community.pk],
                *community.pool,
                k == 1,
                k == 0,
                clerks[community.pk],
            ],
        )
        low = high


def draw():
    """Entries drawn at random: community by households, day uniform over %(ndays)s days
    from %(first)s, mostly 07:00–21:00; a regular (15 %) or an occasional visitor of the
    community's pool; purpose, company, stay; left, still inside at %(now)s, or refused
    (closed management). Columns as fd_stage."""
    return f"""
    WITH g AS MATERIALIZED (
        SELECT random() AS rc, random() AS rd, random() AS rm1, random() AS rm2, random() AS rh, random() AS rv1,
            random() AS rv2, random() AS rp, random() AS ri, random() AS rx, random() AS rk1, random() AS rk2,
            random() AS rs
        FROM generate_series(1, %(n)s)
    ), t AS (
        SELECT g.*, fc.cid, fc.houses, fc.pool_base, fc.regulars, fc.occasional, fc.closed, fc.clerks,
            g.rv1 < {REGULAR_SHARE} AS regular,
            fc.closed AND g.rs < {REFUSED_SHARE} AS refused,
            ((%(first)s::date + floor(g.rd * %(ndays)s)::int) + make_interval(mins =>
                CASE WHEN g.rm1 < 0.9 THEN 420 + floor(g.rm2 * 840) ELSE floor(g.rm2 * 1440) END::int))
                AT TIME ZONE %(tz)s AS entered_at,
            CASE WHEN g.rv1 < {REGULAR_SHARE} THEN
                CASE WHEN g.rp < 0.7 THEN 'delivery' WHEN g.rp < 0.9 THEN 'housekeeping' ELSE 'repair' END
            ELSE CASE WHEN g.rp < 0.45 THEN 'friend' WHEN g.rp < 0.70 THEN 'delivery'
                WHEN g.rp < 0.78 THEN 'renovation' WHEN g.rp < 0.84 THEN 'repair' WHEN g.rp < 0.88 THEN 'agent'
                WHEN g.rp < 0.95 THEN 'business' ELSE 'other' END
            END AS purpose
        FROM g JOIN fd_comm fc ON g.rc >= fc.lo AND g.rc < fc.hi
    ), d AS (
        SELECT t.*, t.entered_at + make_interval(secs => 60 * CASE t.purpose
                WHEN 'delivery' THEN 3 + t.rx * 17 WHEN 'friend' THEN 30 + t.rx * 210
                WHEN 'renovation' THEN 120 + t.rx * 360 WHEN 'housekeeping' THEN 120 + t.rx * 240
                WHEN 'repair' THEN 30 + t.rx * 150 WHEN 'agent' THEN 20 + t.rx * 40
                WHEN 'business' THEN 10 + t.rx * 50 ELSE 10 + t.rx * 110 END) AS exit_at
        FROM t
    ), s AS (
        SELECT d.*, NOT d.refused AND d.exit_at > %(now)s AS inside FROM d
    )
    SELECT s.cid, CASE WHEN s.purpose = 'business' THEN NULL ELSE h.house_id END,
        s.pool_base + (CASE WHEN s.regular THEN floor(s.rv2 * s.regulars)
                            ELSE s.regulars + floor(s.rv2 * s.occasional) END)::int,
        s.purpose, CASE WHEN s.ri < 0.82 THEN 1 WHEN s.ri < 0.95 THEN 2 WHEN s.ri < 0.99 THEN 3 ELSE 4 END,
        CASE WHEN s.purpose = 'renovation' AND s.rx < 0.5 THEN '瓷砖、水泥'
             WHEN s.purpose = 'repair' AND s.rx < 0.3 THEN '工具箱' ELSE '' END,
        s.entered_at, CASE WHEN s.refused OR s.inside THEN NULL ELSE s.exit_at END,
        CASE WHEN s.refused THEN 'refused' WHEN s.inside THEN 'inside' ELSE 'left' END,
        CASE WHEN NOT s.closed THEN 'not_asked' WHEN s.refused THEN 'refused' ELSE 'consented' END,
        CASE WHEN s.closed THEN (ARRAY['业主本人', '业主家属', '租户本人'])[1 + floor(s.rk2 * 3)::int] ELSE '' END,
        CASE WHEN s.closed THEN s.entered_at END,
        s.clerks[1 + floor(s.rk1 * {CLERKS})::int],
        CASE WHEN NOT (s.refused OR s.inside) THEN s.clerks[1 + floor(s.rk2 * {CLERKS})::int] END,
        '', NULL::bigint
    FROM s LEFT JOIN fd_house h ON h.cid = s.cid AND h.rn = 1 + floor(s.rh * s.houses)::int
    """


STAGE = """
    CREATE TEMP TABLE IF NOT EXISTS fd_stage (
        cid bigint, house_id bigint, n int, purpose text, head_count int, items text, entered_at timestamptz,
        exited_at timestamptz, status text, consent text, consent_by text, consent_at timestamptz,
        registered_by bigint, exit_by bigint, override_reason text, restriction_id bigint
    )
"""

# The retention job's run after an entry's 30 days: daily at 02:10 (visits/schedules.py).
JOB_RUN = (
    "((date_trunc('day', ({at} AT TIME ZONE '" + TZ + "') + interval '" + str(RETENTION_DAYS) + " days' "
    "- interval '2 hours 10 minutes') + interval '1 day 2 hours 10 minutes') AT TIME ZONE '" + TZ + "')"
)


def entry_columns():
    from visits.models import VisitorEntry

    return check_columns(
        VisitorEntry,
        "community_id house_id name id_type id_number id_masked id_hash mobile mobile_hash plate head_count purpose "
        "items entered_at exited_at status consent consent_by consent_at restriction_id override_by_id "
        "override_method override_reason override_at registered_by_id exit_by_id anonymised_at",
    )


def history_statement():
    """History rows of the entries of [%(lo)s, %(hi)s): '+' at registration by the clerk,
    '~' at exit; the clear ID number already scrubbed from both once the visitor left."""
    from visits.models import VisitorEntry

    history = VisitorEntry.history.model
    copied = (
        "id community_id house_id name id_type id_number id_masked id_hash mobile mobile_hash plate head_count "
        "purpose items entered_at consent consent_by consent_at restriction_id override_by_id override_method "
        "override_reason override_at registered_by_id anonymised_at"
    )
    columns = check_columns(
        history,
        copied + " status exited_at exit_by_id history_date history_change_reason history_type history_user_id",
    )
    return f"""
    INSERT INTO {table(history)} ({columns})
    SELECT {", ".join("e." + c for c in copied.split())},
        CASE WHEN h.t = '+' AND e.status = 'left' THEN 'inside' ELSE e.status END,
        CASE WHEN h.t = '~' THEN e.exited_at END, CASE WHEN h.t = '~' THEN e.exit_by_id END,
        h.at, NULL, h.t, h.who
    FROM {table(VisitorEntry)} e
    CROSS JOIN LATERAL (VALUES ('+', e.entered_at, e.registered_by_id), ('~', e.exited_at, e.exit_by_id)) h(t, at, who)
    WHERE e.community_id = ANY(%(ids)s) AND e.entered_at >= %(lo)s AND e.entered_at < %(hi)s
        AND (h.t = '+' OR e.status = 'left')
    ORDER BY h.at
    """


def build_old(communities, clock):
    """Everything before the recent layer: month by month, anonymised, with its history."""
    from django.db import connection, transaction

    from visits.models import VisitorEntry

    started = time.perf_counter()
    start, recent = clock["start"], clock["recent"]
    total = round(VISITS * (recent - start) / (clock["now"] - start))
    print(f"Building {total:,} entries before {recent:%Y-%m-%d} (once) …")
    edges = [start.date()]
    while edges[-1] < recent.date():
        edge = edges[-1] + dt.timedelta(days=31)
        edges.append(min(edge.replace(day=1), recent.date()))
    all_days = (recent.date() - start.date()).days
    given = 0
    insert = f"""
        INSERT INTO {table(VisitorEntry)} ({entry_columns()})
        SELECT s.cid, s.house_id, '{ANONYMISED}', CASE WHEN mod(s.n, 40) = 17 THEN 'passport' ELSE 'resident_id' END,
            '', '', '', '', '', '', s.head_count, s.purpose, s.items, s.entered_at, s.exited_at, s.status, s.consent,
            '', s.consent_at, NULL, NULL, '', '', NULL, s.registered_by, s.exit_by, {JOB_RUN.format(at="s.entered_at")}
        FROM ({draw()}) s(cid, house_id, n, purpose, head_count, items, entered_at, exited_at, status, consent,
            consent_by, consent_at, registered_by, exit_by, override_reason, restriction_id)
        ORDER BY s.entered_at
    """
    ids = [c.pk for c in communities]
    for low, high in itertools.pairwise(edges):
        days = (high - low).days
        n = total - given if high == edges[-1] else round(total * days / all_days)
        given += n
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '128MB'")
            cursor.execute("SET LOCAL synchronous_commit = off")
            params = {"n": n, "first": low, "ndays": days, "tz": TZ, "now": clock["now"]}
            cursor.execute(insert, params)
            cursor.execute(history_statement(), {"ids": ids, "lo": midnight(low), "hi": midnight(high)})
    print(f"  {total:,} entries and their history in {time.perf_counter() - started:.0f} s")


def copy_pool(cursor, communities):
    """fd_pool: every community's visitors, as `visitor(n)` computes them."""
    import io

    cursor.execute("DROP TABLE IF EXISTS fd_pool")
    cursor.execute(
        "CREATE TEMP TABLE fd_pool (n int PRIMARY KEY, name text, id_type text, id_number text, id_masked text, "
        "id_hash text, mobile text, mobile_hash text, plate text)"
    )
    buffer = io.StringIO()
    last = communities[-1].pool
    for n in range(last.base + last.regulars + last.occasional):
        buffer.write("\t".join(str(value) for value in visitor(n)) + "\n")
    buffer.seek(0)
    cursor.copy_expert("COPY fd_pool FROM STDIN", buffer)
    cursor.execute("ANALYZE fd_pool")


def refresh(communities, clerks, clock):
    """Roll the register to `clock['now']`: drop what left the 24 months and the last
    run's recent layer, settle what an earlier run left inside, then draw the last 35
    days again so that the bench communities hold exactly VISITS entries. Returns (the
    seconds it took, or None when the old layer is missing or the wrong size; its size)."""
    from django.db import connection, transaction

    from visits.models import VisitorEntry, VisitorRestriction

    started = time.perf_counter()
    entries, history = table(VisitorEntry), table(VisitorEntry.history.model)
    ids = [c.pk for c in communities]
    now, recent = clock["now"], clock["recent"]
    expired_before = now - dt.timedelta(days=JOB_BACKLOG_DAYS + RETENTION_DAYS)
    p = {"ids": ids, "start": clock["start"], "recent": recent, "now": now, "tz": TZ}
    personal = (
        f"name = '{ANONYMISED}', id_number = '', id_masked = '', id_hash = '', mobile = '', mobile_hash = '', "
        "plate = '', consent_by = ''"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '128MB'")
        for name in (history, entries):
            cursor.execute(
                f"DELETE FROM {name} WHERE community_id = ANY(%(ids)s) "
                f"AND (entered_at < %(start)s OR entered_at >= %(recent)s)",
                p,
            )
        # An earlier day's recent layer, now older than 35 days: out, and anonymised.
        cursor.execute(
            f"UPDATE {entries} SET status = 'left', exited_at = entered_at + interval '1 hour', "
            f"exit_by_id = registered_by_id, id_number = '' "
            f"WHERE community_id = ANY(%(ids)s) AND status IN ('inside', 'awaiting') AND entered_at < %(recent)s",
            p,
        )
        for name in (entries, history):
            cursor.execute(
                f"UPDATE {name} SET {personal}, anonymised_at = LEAST({JOB_RUN.format(at='entered_at')}, %(now)s) "
                f"WHERE community_id = ANY(%(ids)s) AND anonymised_at IS NULL AND entered_at < %(recent)s",
                p,
            )
        cursor.execute(f"SELECT count(*) FROM {entries} WHERE community_id = ANY(%(ids)s)", p)
        old = cursor.fetchone()[0]
        expected = VISITS * (recent - clock["start"]) / (now - clock["start"])
        if abs(old - expected) > 0.2 * expected:
            transaction.set_rollback(True)
            return None, old
        temp_tables(cursor, communities, clerks)
        copy_pool(cursor, communities)
        cursor.execute("SELECT setseed(%s)", [SEED])
        cursor.execute(STAGE)
        cursor.execute("TRUNCATE fd_stage")
        # The board community: 300 inside today, 8 never marked out on earlier days, 100 gone
        # earlier today (both lists of the board full, whatever the hour) and, below, 2 waiting
        # for a supervisor.
        board = communities[0]
        since_midnight = (now - midnight(clock["today"])).total_seconds()
        cursor.execute(
            f"""
            WITH g AS MATERIALIZED (
                SELECT i, i <= %(inside)s + 8 AS inside, random() AS rh, random() AS rv, random() AS rp,
                    random() AS rt, random() AS rk, random() AS ri, random() AS rx
                FROM generate_series(1, %(inside)s + 8 + %(left)s) i
            ), t AS (
                SELECT g.*, CASE
                    WHEN g.i <= %(inside)s
                        THEN %(now)s - interval '1 minute' - g.rt * LEAST(%(since)s, 6 * 3600) * interval '1 second'
                    WHEN g.inside THEN %(midnight)s - interval '2 hours' - g.rt * interval '40 hours'
                    ELSE %(midnight)s + g.rt * GREATEST(%(since)s - 1200, 60) * interval '1 second' END AS entered_at
                FROM g
            )
            INSERT INTO fd_stage
            SELECT fc.cid, h.house_id,
                fc.pool_base + (CASE WHEN t.i %% 5 = 0 THEN floor(t.rv * fc.regulars)
                                     ELSE fc.regulars + floor(t.rv * fc.occasional) END)::int,
                CASE WHEN t.rp < 0.35 THEN 'friend' WHEN t.rp < 0.55 THEN 'delivery' WHEN t.rp < 0.7 THEN 'renovation'
                     WHEN t.rp < 0.82 THEN 'housekeeping' WHEN t.rp < 0.92 THEN 'repair' ELSE 'agent' END,
                1 + (t.ri < 0.2)::int, '', t.entered_at,
                CASE WHEN NOT t.inside THEN GREATEST(t.entered_at, LEAST(t.entered_at + (5 + t.rx * 60) * interval
                    '1 minute', %(now)s - interval '1 minute')) END,
                CASE WHEN t.inside THEN 'inside' ELSE 'left' END, 'not_asked', '', NULL,
                fc.clerks[1 + floor(t.rk * {CLERKS})::int],
                CASE WHEN NOT t.inside THEN fc.clerks[1 + floor(t.rx * {CLERKS})::int] END, '', NULL
            FROM t CROSS JOIN fd_comm fc
            LEFT JOIN fd_house h ON h.cid = fc.cid AND h.rn = 1 + floor(t.rh * fc.houses)::int
            WHERE fc.board
            """,
            {
                **p,
                "inside": BOARD_INSIDE,
                "left": BOARD_LEFT_TODAY,
                "since": since_midnight,
                "midnight": midnight(clock["today"]),
            },
        )
        waiting = list(
            VisitorRestriction.objects.filter(community=board, lifted_at__isnull=True, until__isnull=True)
            .exclude(id_hash="")
            .order_by("pk")
            .values_list("pk", "id_hash")[:2]
        )
        pool_of = {person.id_hash: person.n for person in (watchlisted(board, i) for i in range(15))}
        for minutes, (restriction, id_hash) in zip((7, 25), waiting, strict=False):
            cursor.execute(
                "INSERT INTO fd_stage SELECT %s, (SELECT house_id FROM fd_house WHERE cid = %s AND rn = 17), %s, "
                "'friend', 1, '', %s, NULL, 'awaiting', 'not_asked', '', NULL, %s, NULL, '访客称探望亲属', %s",
                [
                    board.pk,
                    board.pk,
                    pool_of[id_hash],
                    now - dt.timedelta(minutes=minutes),
                    clerks[board.pk][0],
                    restriction,
                ],
            )
        cursor.execute("SELECT count(*) FROM fd_stage")
        wanted = VISITS - old - cursor.fetchone()[0]
        days = (clock["today"] - recent.date()).days + 1
        draw_params = {**p, "n": math.ceil(wanted * days / (days - 1.2)) + 500, "first": recent.date(), "ndays": days}
        cursor.execute(
            f"INSERT INTO fd_stage SELECT * FROM ({draw()}) s WHERE s.entered_at < %(now)s "
            f"ORDER BY random() LIMIT %(wanted)s",
            {**draw_params, "wanted": wanted},
        )
        cursor.execute("SELECT count(*) FROM fd_stage")
        if cursor.fetchone()[0] != VISITS - old:
            raise SystemExit("The recent layer drew too few entries: raise the over-draw in refresh().")
        cursor.execute(
            f"""
            INSERT INTO {entries} ({entry_columns()})
            SELECT s.cid, s.house_id, CASE WHEN s.anon THEN '{ANONYMISED}' ELSE p.name END, p.id_type,
                CASE WHEN NOT s.anon AND s.status IN ('inside', 'awaiting') THEN p.id_number ELSE '' END,
                CASE WHEN s.anon THEN '' ELSE p.id_masked END, CASE WHEN s.anon THEN '' ELSE p.id_hash END,
                CASE WHEN s.anon THEN '' ELSE p.mobile END, CASE WHEN s.anon THEN '' ELSE p.mobile_hash END,
                CASE WHEN s.anon THEN '' ELSE p.plate END, s.head_count, s.purpose, s.items, s.entered_at,
                s.exited_at, s.status, s.consent, CASE WHEN s.anon THEN '' ELSE s.consent_by END, s.consent_at,
                s.restriction_id, NULL, '', s.override_reason, NULL, s.registered_by, s.exit_by,
                CASE WHEN s.anon THEN LEAST({JOB_RUN.format(at="s.entered_at")}, %(job)s) END
            FROM (SELECT fd_stage.*, entered_at < %(expired)s AS anon FROM fd_stage) s JOIN fd_pool p ON p.n = s.n
            ORDER BY s.entered_at
            """,
            {"expired": expired_before, "job": now - dt.timedelta(days=JOB_BACKLOG_DAYS)},
        )
        far = now + dt.timedelta(days=1)
        cursor.execute(history_statement(), {"ids": ids, "lo": recent, "hi": far})
        cursor.execute("DROP TABLE fd_stage, fd_pool, fd_comm, fd_house")
    return time.perf_counter() - started, old


def vacuum():
    from django.db import connection

    from visits.models import VisitorEntry, VisitorRestriction

    with connection.cursor() as cursor:
        for model in (VisitorEntry, VisitorEntry.history.model, VisitorRestriction):
            cursor.execute(f"VACUUM ANALYZE {table(model)}")


def wipe(communities):
    from django.db import connection, transaction

    from visits.models import VisitorEntry

    with transaction.atomic(), connection.cursor() as cursor:
        for model in (VisitorEntry.history.model, VisitorEntry):
            cursor.execute(f"DELETE FROM {table(model)} WHERE community_id = ANY(%s)", [[c.pk for c in communities]])


def prepare(communities, clerks):
    """Refresh the recent layer; build (or rebuild) the old one first when needed."""
    from django.db import connection
    from django.utils import timezone

    from visits.models import VisitorEntry

    now = timezone.now()
    today = timezone.localdate(now)
    clock = {
        "now": now,
        "today": today,
        "start": midnight(today - dt.timedelta(days=DAYS)),
        "recent": midnight(today - dt.timedelta(days=RECENT_DAYS)),
    }
    seconds, old = refresh(communities, clerks, clock)
    if seconds is not None:
        started = time.perf_counter()
        vacuum()
        print(
            f"Register found ({old:,} older entries): the last {RECENT_DAYS} days redrawn in {seconds:.0f} s, "
            f"VACUUM ANALYZE {time.perf_counter() - started:.0f} s."
        )
        return None
    started = time.perf_counter()
    if old:
        print(f"Found {old:,} older entries instead of ~{VISITS * (DAYS - RECENT_DAYS) // DAYS:,}: rebuilding.")
        wipe(communities)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [SEED])
        temp_tables(cursor, communities, clerks)
    build_old(communities, clock)
    seconds, old = refresh(communities, clerks, clock)
    if seconds is None:
        raise SystemExit(f"The old layer came out at {old:,} entries.")
    vacuum()
    print(f"  the last {RECENT_DAYS} days drawn, VACUUM ANALYZE: {time.perf_counter() - started:.0f} s in all")
    print(f"  {VisitorEntry.objects.filter(community__in=communities).count():,} entries")
    return time.perf_counter() - started


# --- measuring ------------------------------------------------------------------------


def measure(operation, values):
    """ms of operation(value) over values[WARMUP:-SAMPLE] after WARMUP untimed calls; the
    SQL of the last SAMPLE calls captured (those not timed)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for value in values[:WARMUP]:
        operation(value)
    times = []
    for value in values[WARMUP:-SAMPLE]:
        started = time.perf_counter()
        operation(value)
        times.append((time.perf_counter() - started) * 1000)
    runs = []
    for value in values[-SAMPLE:]:
        with CaptureQueriesContext(connection) as captured:
            operation(value)
        runs.append(captured.captured_queries)
    return times, runs


def explain(label, runs, top=1):
    """Lines of EXPLAIN ANALYZE of the `top` slowest SELECTs captured (SQL as sent)."""
    from django.db import connection

    selects = [q for run in runs for q in run if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    lines, seen = [], set()
    for query in sorted(selects, key=lambda q: -float(q["time"])):
        if len(seen) == top:
            break
        if query["sql"] in seen:
            continue
        seen.add(query["sql"])
        lines.append(f"\n### EXPLAIN ANALYZE — {label} ({float(query['time']) * 1000:.1f} ms when captured)")
        lines.append(f"-- {query['sql'][:700]}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            lines.extend("   " + line for (line,) in cursor.fetchall())
    return lines


def main():
    url = database_url()
    ensure_database(url)
    setup_django(url)

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from core.models import User
    from residents.models import House
    from visits import visitors
    from visits.models import VisitorEntry, VisitorRestriction

    call_command("createcachetable", verbosity=0)
    communities = bench_communities()
    assign_pools(communities)
    clerks = ensure_frontdesk(communities)
    ensure_watchlist(communities)
    seconds = prepare(communities, clerks)
    if seconds is not None:
        print(f"Data build: {seconds:.0f} s")

    now = timezone.now()
    board = communities[0]
    history = VisitorEntry.history.model
    mine = VisitorEntry.objects.filter(community__in=communities)
    here = VisitorEntry.objects.filter(community=board)
    day_start = midnight(timezone.localdate(now))
    rng = random.Random(7)

    # Repeat visitors: the board community's regulars with 4–6 entries still carrying their data.
    regulars = {v.id_hash: v for v in map(visitor, range(board.pool.base, board.pool.base + board.pool.regulars))}
    counts = dict(
        here.filter(id_hash__in=list(regulars), entered_at__gte=now - dt.timedelta(days=RETENTION_DAYS))
        .values_list("id_hash")
        .annotate(n=Count("pk"))
        .order_by()
    )
    repeat = [regulars[h] for h, n in sorted(counts.items()) if 4 <= n <= 6]
    if not repeat:
        raise SystemExit("No regular of the board community has 4–6 entries in 30 days.")
    rng.shuffle(repeat)
    banned = [watchlisted(board, i) for i in range(15)]
    numbers = list(House.objects.filter(community=board).values_list("number", flat=True))
    per_op = WARMUP + RUNS + SAMPLE

    print(
        f"\n{len(communities)} communities ({communities[0].code}–{communities[-1].code}) · "
        f"{mine.count():,} visitor entries ({VisitorEntry.objects.count():,} in the table) · "
        f"{history.objects.filter(community_id__in=[c.pk for c in communities]).count():,} history rows · "
        f"{mine.filter(anonymised_at__isnull=True).count():,} not yet anonymised · "
        f"{VisitorRestriction.objects.filter(community__in=communities).count()} watchlist rows"
        f"\n{board.code} ({len(numbers):,} households): {here.count():,} entries, "
        f"{here.filter(status='inside').count()} inside now, "
        f"{here.filter(entered_at__gte=day_start).exclude(status='inside').count()} other entries today, "
        f"{len(counts)} regulars seen in 30 days ({len(repeat)} with 4–6 entries) · "
        f"PostgreSQL {connection.pg_version // 10000}\n"
    )

    clerk = User.objects.get(username=f"{board.code.lower()}_frontdesk1")
    client = Client()
    client.force_login(clerk)

    def expect(response, status, text=None):
        if response.status_code != status or (text and text not in response.content.decode()):
            raise SystemExit(f"{response.request['PATH_INFO']}: {response.status_code}, expected {status}")
        return response

    def get(url, status=200):
        return lambda params: expect(client.get(url, params or {}), status)

    def register(person, house=True):
        return {
            "id_type": person.id_type,
            "id_number": person.id_number,
            "name": person.name,
            "mobile": person.mobile,
            "house_number": rng.choice(numbers) if house else "",
            "purpose": "friend" if house else "business",
            "head_count": "1",
            "plate": person.plate,
            "items": MARK,
            "entered_at": "",
        }

    def post(url, status, text=None):
        return lambda data: expect(client.post(url, data), status, text)

    board_url, register_url = reverse("visits:frontdesk_board"), reverse("visits:frontdesk_register")
    lookup_url, houses_url = reverse("visits:frontdesk_lookup"), reverse("visits:frontdesk_houses")

    def cycle(items):
        return [items[i % len(items)] for i in range(per_op)]

    # The hashes match the app's: a regular is found, a watchlisted visitor restricted.
    first = repeat[0]
    answer = client.get(lookup_url, {"id_type": first.id_type, "id_number": first.id_number}).json()
    flagged = client.get(lookup_url, {"id_number": banned[0].id_number}).json()
    if not answer["found"] or answer["found"]["name"] != first.name or not flagged["restricted"]:
        raise SystemExit(f"Look-ups do not match the data: {answer}, {flagged}")

    rows = []  # (label, times, runs, budget ms)
    rows.append(("board GET /visits/frontdesk/", *measure(get(board_url), [None] * per_op), BOARD_BUDGET_MS))
    rows.append(("register page GET", *measure(get(register_url), [None] * per_op), None))
    ids = [{"id_type": v.id_type, "id_number": v.id_number} for v in repeat]
    rows.append(("lookup by ID: repeat visitor", *measure(get(lookup_url), cycle(ids)), None))
    fresh = [visitor(NEW_VISITORS + 1_000 + i) for i in range(per_op)]
    new_ids = [{"id_type": v.id_type, "id_number": v.id_number} for v in fresh]
    rows.append(("lookup by ID: not seen before", *measure(get(lookup_url), new_ids), None))
    mobiles = [{"mobile": v.mobile} for v in repeat if v.mobile]
    rows.append(("lookup by mobile: repeat visitor", *measure(get(lookup_url), cycle(mobiles)), None))
    prefixes = [{"q": number[: rng.randint(1, len(number))]} for number in rng.sample(numbers, per_op)]
    rows.append(("house type-ahead ?q=<prefix>", *measure(get(houses_url), prefixes), None))

    saved = post(register_url, 302)
    new = [register(visitor(NEW_VISITORS + i), house=i % 10 != 9) for i in range(per_op)]
    rows.append(("register POST: new visitor", *measure(saved, new), REGISTER_BUDGET_MS))
    again = [register(v) for v in cycle(repeat)]
    rows.append(("register POST: repeat visitor", *measure(saved, again), REGISTER_BUDGET_MS))
    refused = post(register_url, 400, "须主管放行")
    logging.getLogger("django.request").setLevel(logging.ERROR)  # not a warning per refusal
    banned_posts = [register(v) for v in cycle(banned[:10])]
    rows.append(("register POST: watchlisted, refused", *measure(refused, banned_posts), REGISTER_BUDGET_MS))

    inside = list(here.filter(items=MARK, status="inside").order_by("pk").values_list("pk", flat=True)[:per_op])
    exits = [reverse("visits:frontdesk_exit", args=[pk]) for pk in inside]
    rows.append(("exit POST (mark_exit)", *measure(lambda url: expect(client.post(url), 302), exits), None))

    # The retention job as it ran on each of the last four days: a day of newly expired entries each.
    job_times, job_runs, job_rows = [], [], []
    for back in range(JOB_BACKLOG_DAYS - 1, -1, -1):
        at = now - dt.timedelta(days=back)
        if back == 0:  # its SQL while today's expired entries are still there, for EXPLAIN
            with transaction.atomic(), CaptureQueriesContext(connection) as captured:
                visitors.anonymise_expired_entries(now=at)
                transaction.set_rollback(True)
            job_plan = explain("anonymise_expired_entries, its slowest SELECT", [captured.captured_queries])
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            job_rows.append(visitors.anonymise_expired_entries(now=at))
            job_times.append((time.perf_counter() - started) * 1000)
        job_runs.append(captured.captured_queries)
    job_label = f"anonymise job (1 day: ~{sum(job_rows) // len(job_rows):,} rows)"
    rows.append((job_label, job_times, job_runs, None))

    header = f"{'operation':<40} {'runs':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>7} {'slowest q':>9}"
    print(header)
    print("-" * len(header))
    slow = []
    for label, times, runs, budget in rows:
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        low, high = min(len(run) for run in runs), max(len(run) for run in runs)
        queries = str(low) if low == high else f"{low}–{high}"
        slowest = max((float(q["time"]) * 1000 for run in runs for q in run), default=0)
        print(f"{label:<40} {len(times):>4} {p50:>8.1f} {p95:>8.1f} {max(times):>8.1f} {queries:>7} {slowest:>9.1f}")
        if budget is not None and p95 > budget:
            slow.append((label, runs, budget))
    print(
        f"\nqueries: per request, over {SAMPLE} captured requests (the job: per run) · slowest q: the slowest single "
        f"SQL query of those, ms · anonymised per run: {', '.join(f'{n:,}' for n in job_rows)}"
    )
    for label, runs, budget in slow:
        print(f"\n{label}: p95 over {budget} ms")
        print("\n".join(explain(label, runs, top=2)))
    if not slow:
        print(f"All within budget: board p95 < {BOARD_BUDGET_MS} ms, register POST p95 < {REGISTER_BUDGET_MS} ms.")
    print("\n".join(explain("board, its slowest query", rows[0][2]) + job_plan))

    # The entries registered here go (with their history); the next run redraws the rest anyway.
    mark = list(mine.filter(items=MARK).values_list("pk", flat=True))
    with transaction.atomic():
        VisitorEntry.objects.filter(pk__in=mark).delete()
        history.objects.filter(id__in=mark).delete()  # with the '-' rows the deletion wrote


if __name__ == "__main__":
    main()
