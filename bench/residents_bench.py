"""Reads of the resident archive at 50,000 households (SPEC §1: search under 50 ms).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wuye_bench .venv/bin/python bench/residents_bench.py

`make bench` runs it as is. Without a PostgreSQL DATABASE_URL it uses the
`wuye_bench` database above; it never runs on SQLite (the target is PostgreSQL's).
It creates the database if missing, migrates, seeds one community of its own
(code BENCH) once with `residents.demo.populate` — about 50k houses, 120k people,
30k vehicles — runs ANALYZE, times every read BENCH_ITERATIONS times (default 200)
with varied inputs, prints p50/p95/max and query counts, and EXPLAIN ANALYZE of the
search queries so the prefix indexes of residents/migrations can be seen at work.
"""

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wuye_bench"
ITERATIONS = int(os.environ.get("BENCH_ITERATIONS", "200"))
TARGET_MS = 50
BUTLERS = 10
PAGE = 25


def database_url():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return url
    if url:
        print(f"DATABASE_URL={url} is not PostgreSQL; benchmarking on {DEFAULT_URL} instead.")
    return DEFAULT_URL


def ensure_database(url):
    """CREATE DATABASE on the server's `postgres` database when it does not exist yet."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    try:
        conn = psycopg2.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username,
            password=parts.password,
            dbname="postgres",
            connect_timeout=5,
        )
    except psycopg2.OperationalError as error:
        sys.exit(f"The benchmark needs PostgreSQL and could not reach {parts.hostname}:{parts.port}: {error}")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            print(f"Creating database {name} …")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("DEBUG", "0")  # no query log while timing, as in production
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit(f"Refusing to run on {connection.vendor}: the 50 ms target is measured on PostgreSQL.")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- seeding -----------------------------------------------------------------------


def bench_plan():
    from residents.demo import JUST_DELIVERED, BuildingPlan, CommunityPlan

    # 200 buildings × 2 units × 25 floors × 5 rooms; the last ten were just handed over, half of them not yet
    old, new = dt.date(2012, 9, 28), dt.date(2025, 9, 28)
    buildings = tuple(BuildingPlan(str(n), 2, 25, 5, ("89.56", "118.32", "143.05")[n % 3], old) for n in range(1, 191))
    buildings += tuple(
        BuildingPlan(str(n), 2, 25, 5, "128.60", new, JUST_DELIVERED, undelivered_units=("2",)) for n in range(191, 201)
    )
    return CommunityPlan(seed=50000, district="浦东", buildings=buildings, committee_members=8, absences=120)


def seed():
    """One community of 50,000 households, once; a later run finds it and goes on."""
    from django.db import transaction

    from core.models import Community, Company, User
    from core.services import create_community
    from residents.demo import populate
    from residents.models import Building

    community = Community.objects.filter(code="BENCH").first()
    if community is not None and Building.objects.filter(community=community).exists():
        return community
    started = time.perf_counter()
    print("Seeding 50,000 households (once; about two minutes) …")
    with transaction.atomic():
        company, _ = Company.objects.get_or_create(name="基准测试物业有限公司")
        if community is None:
            community = create_community(company=company, name="基准花园", code="BENCH")

        def user(username, name):
            return User.objects.get_or_create(username=username, defaults={"name": name, "company": company})[0]

        admin, supervisor = user("bench_admin", "基准管理员"), user("bench_supervisor", "基准主管")
        plan = bench_plan()
        numbers = [b.number for b in plan.buildings]
        share = len(numbers) // BUTLERS  # ten butlers, twenty buildings each
        zones = [
            (user(f"bench_butler{i + 1:02d}", f"管家{i + 1:02d}"), numbers[i * share : (i + 1) * share])
            for i in range(BUTLERS)
        ]
        counts = populate(community, plan, actor=admin, zones=zones, zone_actor=supervisor)
    print(f"Seeded in {time.perf_counter() - started:.0f} s: {counts}")
    return community


# --- measuring ------------------------------------------------------------------------


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(operation, inputs):
    """(p50, p95, max) in ms over `inputs`, then the query counts of up to 20 of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for value in inputs[:5]:  # warm caches and connection
        operation(value)
    times = []
    for value in inputs:
        started = time.perf_counter()
        operation(value)
        times.append((time.perf_counter() - started) * 1000)
    counts = set()
    for value in inputs[:20]:
        with CaptureQueriesContext(connection) as captured:
            operation(value)
        counts.add(len(captured.captured_queries))
    low, high = min(counts), max(counts)
    return percentile(times, 0.5), percentile(times, 0.95), max(times), str(low) if low == high else f"{low}–{high}"


def explain(operation, value, label, table):
    """EXPLAIN ANALYZE of the queries on `table` that one call runs (SQL as sent)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        operation(value)
    print(f"\n### EXPLAIN {label}: q={value!r}")
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if not query["sql"].startswith(f'SELECT "{table}".'):
                continue
            where = query["sql"].find(" WHERE ")
            print(f"-- {table} …{query['sql'][where:][:160]}")
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + query["sql"])
            for (line,) in cursor.fetchall():
                print("   " + line)


# --- shared by the other benches (complaints, repairs): query analysis ------------


def vacuum_analyze(*tables):
    """Fresh planner statistics, as autovacuum keeps them on a live database."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


def kind_of(sql):
    words = sql.replace('"', "").split()
    head = words[0].upper()
    if head in ("INSERT", "DELETE"):
        return f"{head} {words[2]}"
    if head == "UPDATE":
        return f"{head} {words[1]}"
    if head == "SELECT" and "FROM" in words:
        return f"{head} {words[words.index('FROM') + 1]}"
    return head


def explain_slowest(label, queries, top=1):
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

    from django.core.paginator import Paginator
    from django.db import connection

    from core.models import User
    from residents import selectors
    from residents.models import House, Person, Vehicle

    community = seed()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
        collation = cursor.fetchone()[0]

    rng = random.Random(7)
    n = ITERATIONS
    houses = House.objects.filter(community=community)
    people = Person.objects.filter(community=community)
    numbers = rng.sample(list(houses.values_list("number", flat=True)), n)
    names = rng.sample(list(people.values_list("name", flat=True)), n)
    mobiles = rng.sample(list(people.exclude(mobile="").values_list("mobile", flat=True)), n)
    plates = rng.sample(list(Vehicle.objects.filter(house__community=community).values_list("plate", flat=True)), n)
    butlers = list(User.objects.filter(username__startswith="bench_butler"))
    house_ids = rng.sample(list(houses.values_list("pk", flat=True)), n)
    house_pages = Paginator(houses, PAGE).num_pages
    person_pages = Paginator(people, PAGE).num_pages

    inputs = {
        # what staff type: a whole number or its start ("137-2-15", "8-")
        "house": [number[: rng.randint(1, len(number))] for number in numbers],
        # a surname alone matches thousands; surname + given name a handful
        "name": [name[: rng.randint(1, len(name))] for name in names],
        "last4": [mobile[-4:] if rng.random() < 0.8 else f"{rng.randrange(10**4):04d}" for mobile in mobiles],
        # the whole plate, the part after the province (D12345), or its start (沪A1)
        "plate": [rng.choice((plate, plate[2:], plate[: 3 + rng.randint(0, 2)])) for plate in plates],
    }

    def search(q):
        return selectors.search(community, q)

    def page(queryset, number):
        return list(Paginator(queryset, PAGE).get_page(number).object_list)

    operations = [
        ("search: house-number prefix", search, inputs["house"], True),
        ("search: name prefix", search, inputs["name"], True),
        ("search: mobile last 4", search, inputs["last4"], True),
        ("search: plate", search, inputs["plate"], True),
        (
            "house list: page of 25, all",
            lambda p: page(selectors.house_list(community), p),
            [rng.randint(1, house_pages) for _ in range(n)],
            False,
        ),
        (
            "house list: page 1, all",
            lambda p: page(selectors.house_list(community), p),
            [1] * n,
            False,
        ),
        (
            "house list: page of 25, zone",
            lambda pair: page(selectors.house_list(community, butler=pair[0]), pair[1]),
            [(rng.choice(butlers), rng.randint(1, house_pages // BUTLERS)) for _ in range(n)],
            False,
        ),
        (
            "person list: page of 25, all",
            lambda p: page(selectors.person_list(community), p),
            [rng.randint(1, person_pages) for _ in range(n)],
            False,
        ),
        (
            "person list: page of 25, zone",
            lambda pair: page(selectors.person_list(community, butler=pair[0]), pair[1]),
            [(rng.choice(butlers), rng.randint(1, person_pages // BUTLERS)) for _ in range(n)],
            False,
        ),
        (
            "household 360° (selectors.household)",
            lambda pk: selectors.household(House.objects.get(pk=pk)),
            house_ids,
            False,
        ),
    ]

    print(
        f"\n{houses.count():,} houses · {people.count():,} people · "
        f"{Vehicle.objects.filter(house__community=community).count():,} vehicles · "
        f"PostgreSQL {connection.pg_version // 10000}, collation {collation} · {n} runs each\n"
    )
    header = f"{'operation':<40} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}  target"
    print(header)
    print("-" * len(header))
    missed = []
    for label, operation, values, targeted in operations:
        p50, p95, worst, queries = measure(operation, values)
        verdict = ""
        if targeted:
            verdict = f"p95 < {TARGET_MS} ms: " + ("OK" if p95 < TARGET_MS else "MISSED")
            if p95 >= TARGET_MS:
                missed.append(label)
        print(f"{label:<40} {p50:>8.2f} {p95:>8.2f} {worst:>8.2f} {queries:>8}  {verdict}")

    for label, value, table in (
        ("house-number prefix", "137-2-1", "residents_house"),
        ("house-number prefix, one character (worst case)", "1", "residents_house"),
        ("name prefix, surname only", names[0][0], "residents_person"),
        ("mobile last 4", inputs["last4"][0], "residents_person"),
        ("plate fragment", plates[0][2:], "residents_vehicle"),
    ):
        explain(search, value, label, table)
    if missed:
        sys.exit(f"\nSearch over {TARGET_MS} ms at p95: {', '.join(missed)}")


if __name__ == "__main__":
    main()
