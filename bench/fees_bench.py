"""Fees at volume (issue 10 acceptance: "`bench/` at 1M bill lines over 50k houses:
the 28th job (goal under 5 min), ageing and 收缴率 (goal under 1 s), payment posting
p95, 100k-row export with RSS growth under 100 MB").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wuye_bench .venv/bin/python bench/fees_bench.py

Same database as the other benches (`wuye_bench` unless DATABASE_URL names another
PostgreSQL database; never SQLite). One community of its own, FEEB (100 buildings
× 2 units × 25 floors × 10 rooms = 50,000 households, ten butlers with ten
buildings each, a finance clerk and a manager), with 20 months of fee history:

  * rates set through `fees.services.set_rate`: 物业服务费 2.15 元/m² (4.50 for the
    200 ground-floor shops), 2.35 from the 11th month; 垃圾清运费 10.00 元/户 for the
    last two months; buildings 91–100 handed over on the 17th of the 7th month
    (their first month prorated by days);
  * one issued statement per house and month, and its lines, the amounts computed
    by the app's own code (`fees.services.rate_on`, `fees.billing.month_charge`,
    `fees.statements.due_date_of`): about 1.07M lines and 1M statements, each
    statement's brought-forward, prepaid and amount due as the job would have
    drafted them given the payments before its draft day;
  * payments with receipts (numbered per year in time order, the `core.Sequence`
    counters set to match) and allocations, oldest due date first: 57 % of the
    households pay every month (2 % of them round their last payment up, leaving a
    prepaid balance), 35 % every quarter, and 8 % stopped paying 1–20 months ago
    (a third of them paid part of their oldest open line since);
  * 500 repair charges signed in the last month and not yet on a statement.

They are written once with COPY (ids reserved from the tables' sequences) in one
transaction, then VACUUM ANALYZE. A later run finds them (a marker in the
community's address: data version, row counts, the highest id of each table) and
first puts back anything an earlier, interrupted run left: rows above those ids
are deleted, open amounts restored, the receipt counters reset.

Then, with the data's reference moment at 01:30 on the 28th of its last month:
  1. the 28th job, `fees.statements.draft_due_statements(now=…)`, restricted to
     this community (other benches' communities share the database): seconds,
     split into statements, COMMITs and Python; queries by kind and by statement,
     queries per house; run a second time (it must draft nothing; EXPLAIN ANALYZE
     of its slowest statement when it takes over 5 s); the drafted month is then
     deleted again, and one house's `draft_statement` is listed statement by
     statement (rolled back);
  2. `fees.reports.ageing` and `collection_rate` (overall, by building, by butler)
     of a month two months back: p50/p95 over 10 runs, queries; EXPLAIN ANALYZE
     of the slowest statement of any report over 1 s;
  3. `fees.payments.record_payment` for 200 households in arrears, each committed
     on its own as the payment view does: p50/p95/max ms, queries per payment;
     then the payments, receipts and allocations are deleted and the open amounts
     and the receipt counter restored;
  4. `residents.exports.streamed_workbook_response` with 100,000 bill-line rows,
     in a fresh interpreter (this one's heap, grown and freed by the load and the
     job, would hide the growth), its streaming content read to the end: seconds,
     bytes, peak RSS growth
     (VmHWM after resetting it through /proc/self/clear_refs, and VmRSS sampled
     every 10 ms). Skipped, saying so, while that function does not exist; the
     in-memory `workbook_response` is then measured instead, for comparison.
Nothing is asserted about time.
"""

import contextlib
import datetime as dt
import gc
import io
import json
import random
import re
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

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

CODE = "FEEB"
VERSION = 2
BUILDINGS, UNITS, FLOORS, ROOMS = 100, 2, 25, 10
LATE_BUILDINGS = range(91, 101)  # handed over during the history
SHOP_BUILDINGS = range(1, 11)  # their ground floor is shops
AREAS = ("89.50", "89.50", "118.32", "143.05", "65.20", "65.20", "143.05", "118.32", "89.56", "128.60")
SHOP_AREA = "56.80"
BUTLERS = 10
MONTHS = 20
ARREARS, QUARTERLY, ROUND_UP = 0.08, 0.35, 0.02
REPAIRS = 500
SEED = 10
FLUSH_HOUSES = 2_000
RUNS = 10
POSTINGS = 200
EXPORT_ROWS = 100_000
JOB_GOAL_S = 300
REPORT_GOAL_MS = 1_000
EXPORT_GOAL_MB = 100
LOCAL = ZoneInfo("Asia/Shanghai")
# the columns the load writes; every other column gets its field's default
# fmt: off
COLUMNS = {
    "statement": ["id", "community_id", "house_id", "month", "status", "due_date", "brought_forward", "charges",
                  "adjustments", "prepaid", "amount_due", "drafted_at", "checked_by_id", "checked_at", "issued_by_id",
                  "issued_at", "delivery", "delivered_at"],
    "line": ["id", "community_id", "house_id", "statement_id", "item_id", "source", "month", "description", "quantity",
             "unit_price", "days", "amount", "open_amount", "due_date", "created_at"],
    "payment": ["id", "community_id", "house_id", "amount", "method", "reference", "payer", "received_by_id",
                "received_at", "intake_key", "created_at"],
    "allocation": ["id", "payment_id", "line_id", "amount", "paid_on"],
    "receipt": ["id", "community_id", "payment_id", "number", "printed"],
}
# fmt: on
ZERO = Decimal("0.00")


def add_months(month, n):
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


# --- the world: community, staff, 50,000 houses, fee items and rates ------------------


def world():
    from core.choices import Role
    from core.models import Community, Company, Membership, User
    from core.services import create_community
    from fees.models import FeeSettings
    from residents.choices import HouseType, Occupancy
    from residents.models import Building, House

    community = Community.objects.filter(code=CODE).first()
    if community is None:
        company = Company.objects.first() or Company.objects.create(name="基准测试物业")
        community = create_community(company=company, name="收费基准小区", code=CODE)

    def member(username, name, role):
        user, _ = User.objects.get_or_create(username=username, defaults={"name": name, "company": community.company})
        Membership.objects.get_or_create(user=user, community=community, role=role)
        return user

    people = {
        Role.FINANCE: member("feeb_finance", "基准财务", Role.FINANCE),
        Role.MANAGER: member("feeb_manager", "基准经理", Role.MANAGER),
        "butlers": [member(f"feeb_butler{n:02d}", f"收费管家{n:02d}", Role.BUTLER) for n in range(1, BUTLERS + 1)],
    }
    FeeSettings.objects.get_or_create(community=community)
    total = BUILDINGS * UNITS * FLOORS * ROOMS
    if House.objects.filter(community=community).count() != total:
        if House.objects.filter(community=community).exists():
            sys.exit(f"{CODE} has houses, but not {total:,}: drop the community (or the database) and run again.")
        print(f"Creating {total:,} houses …")
        buildings = Building.objects.bulk_create(
            Building(community=community, number=str(b)) for b in range(1, BUILDINGS + 1)
        )
        rows = []
        for building in buildings:
            b = int(building.number)
            butler = people["butlers"][(b - 1) * BUTLERS // BUILDINGS]
            for unit in range(1, UNITS + 1):
                for floor in range(1, FLOORS + 1):
                    for room in range(1, ROOMS + 1):
                        shop = floor == 1 and b in SHOP_BUILDINGS
                        rows.append(
                            House(
                                community=community,
                                building=building,
                                unit=str(unit),
                                floor=floor,
                                room=f"{floor}{room:02d}",
                                number=f"{b}-{unit}-{floor}{room:02d}",
                                floor_area=Decimal(SHOP_AREA if shop else AREAS[room - 1]),
                                house_type=HouseType.SHOP if shop else HouseType.RESIDENCE,
                                occupancy=Occupancy.OCCUPIED,
                                butler=butler,
                            )
                        )
        House.objects.bulk_create(rows, batch_size=5_000)
    return community, people


def timeline(community):
    """(first month, last month) of the history: the marker's, else ending last month."""
    marker = parse_marker(community)
    if marker:
        last = dt.date.fromisoformat(marker["last"] + "-01")
    else:
        from django.utils import timezone

        last = add_months(timezone.localdate().replace(day=1), -1)
    return add_months(last, 1 - MONTHS), last


def set_up_fees(community, people, first):
    """The fee items (the app's defaults), the rates (through `set_rate`), handover dates."""
    from core.choices import Role
    from fees.choices import ItemKind
    from fees.models import Rate
    from fees.services import items_for, set_rate
    from residents.choices import HouseType
    from residents.models import House

    items = {item.kind: item for item in items_for(community)}
    service, garbage = items[ItemKind.PROPERTY_SERVICE], items[ItemKind.GARBAGE]
    if not Rate.objects.filter(item__community=community).exists():
        manager = people[Role.MANAGER]
        start = dt.date(first.year - 1, 1, 1)
        set_rate(service, actor=manager, unit_price="2.15", valid_from=start)
        set_rate(service, actor=manager, unit_price="2.35", valid_from=add_months(first, 10))
        set_rate(service, actor=manager, unit_price="4.50", valid_from=start, house_type=HouseType.SHOP)
        set_rate(garbage, actor=manager, unit_price="10.00", valid_from=add_months(first, MONTHS - 2))
    late = add_months(first, 6).replace(day=17)
    houses = House.objects.filter(community=community)
    houses.filter(building__number__in=[str(b) for b in LATE_BUILDINGS]).update(handover_date=late)
    houses.exclude(building__number__in=[str(b) for b in LATE_BUILDINGS]).update(handover_date=dt.date(2016, 6, 28))
    return items


# --- the marker and putting back what a run changed ----------------------------------


def parse_marker(community):
    text = community.address or ""
    if not text.startswith("fees_bench "):
        return None
    fields = dict(part.split("=", 1) for part in text.split()[1:] if "=" in part)
    return fields if fields.get("v") == str(VERSION) else None


def tables():
    from fees.models import Allocation, BillLine, Payment, Receipt, Statement

    return {"statement": Statement, "line": BillLine, "payment": Payment, "allocation": Allocation, "receipt": Receipt}


def history_table(model):
    history = getattr(model, "history", None)
    return history.model._meta.db_table if history is not None else None


def restore(community, marker):
    """Delete every fee row of the community above the loaded ids (the job's
    statements and lines, posted payments, allocations of either), give their
    amounts back to the lines they settled, take adopted lines off the deleted
    statements and reset the receipt counters. Returns the rows deleted."""
    from django.db import connection, transaction

    t = {key: model._meta.db_table for key, model in tables().items()}
    top = {key: int(marker[key]) for key in ("statement", "line", "payment", "allocation", "receipt")}
    c = community.pk
    deleted = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f'SELECT a.id FROM "{t["allocation"]}" a JOIN "{t["line"]}" l ON l.id = a.line_id '
            "WHERE a.id > %s AND l.community_id = %s",
            [top["allocation"], c],
        )
        allocations = [row[0] for row in cursor.fetchall()]
        if allocations:
            cursor.execute(
                f'UPDATE "{t["line"]}" l SET open_amount = l.open_amount + s.total FROM '
                f'(SELECT line_id, SUM(amount) AS total FROM "{t["allocation"]}" WHERE id = ANY(%s) '
                "GROUP BY line_id) s WHERE l.id = s.line_id",
                [allocations],
            )
            cursor.execute(f'DELETE FROM "{t["allocation"]}" WHERE id = ANY(%s)', [allocations])
            deleted += cursor.rowcount
        for key, column in (("payment", "community_id"), ("statement", "community_id"), ("line", "community_id")):
            cursor.execute(f'SELECT id FROM "{t[key]}" WHERE id > %s AND {column} = %s', [top[key], c])
            ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                continue
            if key == "payment":
                cursor.execute(f'SELECT id FROM "{t["receipt"]}" WHERE payment_id = ANY(%s)', [ids])
                receipts = [row[0] for row in cursor.fetchall()]
                for model_key, doomed in (("receipt", receipts), ("payment", ids)):
                    history = history_table(tables()[model_key])
                    if history:
                        cursor.execute(f'DELETE FROM "{history}" WHERE id = ANY(%s)', [doomed])
                cursor.execute(f'DELETE FROM "{t["receipt"]}" WHERE id = ANY(%s)', [receipts])
                deleted += cursor.rowcount
            if key == "statement":
                cursor.execute(
                    f'UPDATE "{t["line"]}" SET statement_id = NULL WHERE statement_id = ANY(%s) AND id <= %s',
                    [ids, top["line"]],
                )
                cursor.execute(
                    f'DELETE FROM "{t["line"]}" WHERE statement_id = ANY(%s) AND id > %s', [ids, top["line"]]
                )
                deleted += cursor.rowcount
            if key == "line":
                cursor.execute(f'UPDATE "{t["line"]}" SET corrects_id = NULL WHERE corrects_id = ANY(%s)', [ids])
            history = history_table(tables()[key])
            if history:
                cursor.execute(f'DELETE FROM "{history}" WHERE id = ANY(%s)', [ids])
            cursor.execute(f'DELETE FROM "{t[key]}" WHERE id = ANY(%s)', [ids])
            deleted += cursor.rowcount
        reset_receipt_counters(community, cursor)
    return deleted


def reset_receipt_counters(community, cursor):
    """Each year's receipt counter back to the highest number issued (no gap)."""
    from core.models import Sequence
    from fees.models import Receipt

    cursor.execute(
        f"SELECT split_part(number, '-', 2)::int, MAX(split_part(number, '-', 3)::int) "
        f'FROM "{Receipt._meta.db_table}" WHERE community_id = %s GROUP BY 1',
        [community.pk],
    )
    highest = dict(cursor.fetchall())
    for sequence in Sequence.objects.filter(community=community, kind="receipt"):
        Sequence.objects.filter(pk=sequence.pk).update(last=highest.get(sequence.year, 0))
    for year, last in highest.items():
        Sequence.objects.get_or_create(community=community, kind="receipt", year=year, defaults={"last": last})


# --- bulk loading with COPY ----------------------------------------------------------


def copy_text(value):
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


class Copier:
    """COPY rows into a model's table: the caller formats `columns` (tab-separated),
    every other column gets the field's default, so a field the lead adds with a
    default does not break the load; one without a default stops it, by name."""

    def __init__(self, model, columns, moment):
        self.model, self.table = model, model._meta.db_table
        fields = {f.column: f for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in fields]
        if unknown:
            sys.exit(f"{model.__name__} has no column {unknown}: the model changed; update bench/fees_bench.py.")
        rest = []
        for column, field in fields.items():
            if column in columns:
                continue
            if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
                value = moment
            elif field.has_default() or field.null or field.empty_strings_allowed:
                value = field.get_default()  # the default, else None (nullable) or "" (text)
            else:
                sys.exit(
                    f"{model.__name__}.{field.name} is new and has no default: teach bench/fees_bench.py its value."
                )
            rest.append((column, copy_text(value)))
        self.columns = list(columns) + [c for c, _ in rest]
        self.suffix = "".join("\t" + v for _, v in rest) + "\n"
        self.rows, self.written = [], 0

    def add(self, line):
        self.rows.append(line + self.suffix)

    def flush(self, cursor):
        if not self.rows:
            return
        columns = ", ".join(f'"{c}"' for c in self.columns)
        cursor.copy_expert(f'COPY "{self.table}" ({columns}) FROM STDIN', io.StringIO("".join(self.rows)))
        self.written += len(self.rows)
        self.rows = []


class Ids:
    """Ids taken from a table's own sequence, set past the last one at the end."""

    def __init__(self, cursor, table):
        self.cursor = cursor
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [f'"{table}"'])
        self.sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [self.sequence])
        self.next = cursor.fetchone()[0]
        self.first = self.next

    def take(self):
        self.next += 1
        return self.next - 1

    def close(self):
        self.cursor.execute("SELECT setval(%s, %s)", [self.sequence, max(self.next - 1, 1)])
        return self.next - 1


class Pricing:
    """What a house is billed for a month, from the app's own code, cached by the
    values it depends on (item, month, rate, area, type, handover)."""

    def __init__(self, items, settings_row):
        from fees.statements import due_date_of

        self.items, self.settings_row, self.due_date_of = items, settings_row, due_date_of
        self.rates, self.charges, self.texts = {}, {}, {}

    def price(self, item, month, house_type):
        from fees.services import rate_on

        key = item.pk, month, house_type
        if key not in self.rates:
            rate = rate_on(item, month, house_type)
            self.rates[key] = rate.unit_price if rate is not None else None
        return self.rates[key]

    def lines(self, house, month):
        """[(item, charge, description)] as `draft_statement` would bill them."""
        from fees import billing

        out = []
        for item in self.items:
            price = self.price(item, month, house.house_type)
            if price is None:
                continue
            key = item.pk, month, price, house.floor_area, house.house_type, house.handover_date
            if key not in self.charges:
                charge = billing.month_charge(item, price, house, month)
                days = f"（{charge.days}/{charge.month_days}天）" if charge and charge.days else ""
                self.charges[key] = charge, f"{month:%Y年%m月}{item.name}{days}"
            charge, text = self.charges[key]
            if charge is not None:
                out.append((item, charge, text))
        return out

    def due(self, month):
        return self.due_date_of(month, self.settings_row)


def local(day, hour, minute=0):
    return f"{day.isoformat()} {hour:02d}:{minute:02d}:00+08"


def load(community, people, items, first, last):
    """Write the history (once): statements, lines, payments, allocations, receipts.

    Rows are written month by month, as twenty runs of the job and the cashiers
    would have written them (a house's lines lie on twenty different pages, not
    side by side), and the ids follow that order."""
    from django.db import connection, transaction

    from core.choices import Role
    from fees.choices import ItemKind, LineSource, Method
    from fees.models import FeeSettings
    from residents.models import House

    m = tables()
    rng = random.Random(SEED)
    months = [add_months(first, i) for i in range(MONTHS)]
    settings_row = FeeSettings.current(community)
    pricing = Pricing([items[ItemKind.PROPERTY_SERVICE], items[ItemKind.GARBAGE]], settings_row)
    repair_item = items[ItemKind.REPAIR]
    due = {month: pricing.due(month) for month in [*months, add_months(last, 1)]}
    drafted = {month: local(add_months(month, -1).replace(day=settings_row.draft_day), 1, 30) for month in months}
    houses = list(
        House.objects.filter(community=community)
        .only("id", "floor_area", "house_type", "handover_date", "butler_id", "number")
        .order_by("pk")
    )
    finance = people[Role.FINANCE].pk
    methods = [Method.WECHAT, Method.ALIPAY, Method.BANK, Method.CASH, Method.POS]
    method_weights = [45, 20, 15, 10, 10]
    load_moment = local(last.replace(day=28), 2, 0)
    month_index = {month: i for i, month in enumerate(months)}
    started = time.perf_counter()
    print(f"Loading 20 months of fees for {len(houses):,} households (once; about five minutes) …")
    # lines and statements per month, so that each month's ids follow the previous month's
    line_counts, statement_counts = [0] * MONTHS, [0] * MONTHS
    for house in houses:
        for i, month in enumerate(months):
            n = len(pricing.lines(house, month))
            line_counts[i] += n
            statement_counts[i] += n > 0
    with transaction.atomic(), connection.cursor() as cursor:
        names = ", ".join(f'"{model._meta.db_table}"' for model in m.values())
        cursor.execute(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE")
        ids = {key: Ids(cursor, model._meta.db_table) for key, model in m.items()}
        line_next, statement_next = [], []
        for i in range(MONTHS):
            line_next.append(ids["line"].first + sum(line_counts[:i]))
            statement_next.append(ids["statement"].first + sum(statement_counts[:i]))
        repair_next = ids["line"].first + sum(line_counts)
        copiers = {key: Copier(m[key], COLUMNS[key], load_moment) for key in COLUMNS}
        c = community.pk
        # per month: statement and line rows (text), payments (received at, house, amount, method, receiver, parts)
        bucket_rows = [[] for _ in range(MONTHS)]
        bucket_payments = [[] for _ in range(MONTHS)]
        repair_rows = []
        patterns = Counter()
        repair_houses = set(rng.sample(range(len(houses)), REPAIRS))
        for n, house in enumerate(houses):
            billed = []  # [month index, [[line id, item, charge, text]]]
            for i, month in enumerate(months):
                lines = pricing.lines(house, month)
                if lines:
                    entry = []
                    for item, charge, text in lines:
                        entry.append([line_next[i], item, charge, text])
                        line_next[i] += 1
                    billed.append([i, entry])
            roll = rng.random()
            pattern = "arrears" if roll < ARREARS else "quarterly" if roll < ARREARS + QUARTERLY else "monthly"
            patterns[pattern] += 1
            # which months each payment settles, and when
            if pattern == "quarterly":
                groups = defaultdict(list)
                for entry in billed:
                    groups[(MONTHS - 1 - entry[0]) // 3].append(entry)
                plan = [
                    (months[g[-1][0]].replace(day=rng.randint(1, 20)), g)
                    for _, g in sorted(groups.items(), reverse=True)
                ]
            else:
                paying = billed
                if pattern == "arrears":
                    k = min(
                        len(billed), rng.choice((1, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 20, 20))
                    )
                    paying = billed[: len(billed) - k]
                plan = [
                    (months[e[0]].replace(day=rng.randint(1, 9) if rng.random() < 0.8 else rng.randint(11, 25)), [e])
                    for e in paying
                ]
            pays = []  # (day, amount, [(line, part)])
            open_amount = {}
            for _, lines in billed:
                for line in lines:
                    open_amount[line[0]] = line[2].amount
            for day, group in plan:
                parts = [(line, line[2].amount) for _, lines in group for line in lines]
                total = sum((part for _, part in parts), ZERO)
                pays.append((day, total, parts))
                for line, part in parts:
                    open_amount[line[0]] -= part
            if pattern == "monthly" and pays and rng.random() < ROUND_UP / (1 - ARREARS - QUARTERLY):
                day, total, parts = pays[-1]
                pays[-1] = (day, Decimal((int(total) // 100 + 1) * 100), parts)  # the change left as 预存
            if pattern == "arrears" and len(pays) < len(billed) and rng.random() < 1 / 3:
                entry = billed[len(pays)]
                line = entry[1][0]
                part = (line[2].amount * Decimal(rng.choice(("0.3", "0.5")))).quantize(Decimal("0.01"))
                day = min(due[months[entry[0]]] + dt.timedelta(days=rng.randint(10, 50)), last.replace(day=27))
                pays.append((day, part, [(line, part)]))
                open_amount[line[0]] -= part
            pays.sort(key=lambda p: p[0])
            # statements: brought forward and prepaid as of each draft day
            butler = house.butler_id
            billed_before = paid_before = allocated_before = ZERO
            p = 0
            for i, lines in billed:
                month = months[i]
                cutoff = add_months(month, -1).replace(day=settings_row.draft_day)
                while p < len(pays) and pays[p][0] < cutoff:
                    paid_before += pays[p][1]
                    allocated_before += sum((part for _, part in pays[p][2]), ZERO)
                    p += 1
                charges = sum((line[2].amount for line in lines), ZERO)
                forward = billed_before - allocated_before
                prepaid = paid_before - allocated_before
                statement = statement_next[i]
                statement_next[i] += 1
                rows = bucket_rows[i]
                rows.append(
                    (
                        "statement",
                        f"{statement}\t{c}\t{house.pk}\t{month}\tissued\t{due[month]}\t{forward}\t{charges}\t0.00\t"
                        f"{prepaid}\t{max(forward + charges - prepaid, ZERO)}\t{drafted[month]}\t{butler}\t"
                        f"{local(cutoff + dt.timedelta(days=1), 10)}\t{finance}\t{local(month, 9)}\tdoor\t"
                        f"{local(month.replace(day=rng.randint(2, 5)), 15)}",
                    )
                )
                for line_id, item, charge, text in lines:
                    days = charge.days if charge.days is not None else r"\N"
                    rows.append(
                        (
                            "line",
                            f"{line_id}\t{c}\t{house.pk}\t{statement}\t{item.pk}\tcharge\t{month}\t{text}\t"
                            f"{charge.quantity}\t{charge.unit_price}\t{days}\t{charge.amount}\t"
                            f"{open_amount[line_id]}\t{due[month]}\t{drafted[month]}",
                        )
                    )
                billed_before += charges
            for day, amount, parts in pays:
                at = local(day, rng.randint(8, 20), rng.randint(0, 59))
                receiver = butler if rng.random() < 0.15 else finance
                method = rng.choices(methods, method_weights)[0] if receiver == finance else Method.WECHAT
                key = uuid.UUID(int=rng.getrandbits(128), version=4)
                settled = [(line[0], part) for line, part in parts]
                bucket_payments[month_index[day.replace(day=1)]].append(
                    (at, house.pk, amount, method, receiver, key, day, settled)
                )
            if n in repair_houses:
                signed = last.replace(day=rng.randint(1, 27))
                amount = Decimal(rng.randint(30, 350))
                repair_rows.append(
                    f"{repair_next}\t{c}\t{house.pk}\t\\N\t{repair_item.pk}\t{LineSource.REPAIR}\t"
                    f"{signed.replace(day=1)}\t维修收费 WX-{signed.year}-{n:06d}\t1\t{amount}\t\\N\t{amount}.00\t"
                    f"{amount}.00\t{due[add_months(last, 1)]}\t{local(signed, 16)}"
                )
                repair_next += 1
        print(f"  simulated in {time.perf_counter() - started:.0f} s; writing month by month …")
        numbers = Counter()
        for i in range(MONTHS):
            for key, row in bucket_rows[i]:
                copiers[key].add(row)
            bucket_rows[i] = None
            for at, house_pk, amount, method, receiver, key, day, settled in sorted(bucket_payments[i]):
                payment = ids["payment"].take()
                copiers["payment"].add(
                    f"{payment}\t{c}\t{house_pk}\t{amount}\t{method}\t\t业主\t{receiver}\t{at}\t{key}\t{at}"
                )
                for line_id, part in settled:
                    copiers["allocation"].add(f"{ids['allocation'].take()}\t{payment}\t{line_id}\t{part}\t{day}")
                year = int(at[:4])
                numbers[year] += 1
                copiers["receipt"].add(f"{ids['receipt'].take()}\t{c}\t{payment}\tSJ-{year}-{numbers[year]:06d}\t1")
            bucket_payments[i] = None
            if i == MONTHS - 1:
                for row in repair_rows:
                    copiers["line"].add(row)
            for key in ("statement", "line", "payment", "allocation", "receipt"):
                copiers[key].flush(cursor)
        ids["line"].next = repair_next
        ids["statement"].next = ids["statement"].first + sum(statement_counts)
        top = {key: ids[key].close() for key in ids}
        reset_receipt_counters(community, cursor)
        counts = {key: copier.written for key, copier in copiers.items()}
        community.address = f"fees_bench v={VERSION} last={last:%Y-%m} lines={counts['line']} " + " ".join(
            f"{key}={value}" for key, value in top.items()
        )
        community.save(update_fields=["address"])
        print(f"  written in {time.perf_counter() - started:.0f} s; COMMIT (the deferred foreign-key checks) …")
    print(
        f"Loaded in {time.perf_counter() - started:.0f} s: "
        + ", ".join(f"{value:,} {key}s" for key, value in counts.items())
        + f"; households: {dict(patterns)}"
    )
    print("VACUUM ANALYZE …")
    vacuum_analyze(*(model._meta.db_table for model in m.values()), "residents_house")


def prepare():
    """The community, its people, the fee items, (first, last) month; data loaded or reused."""
    from fees.models import BillLine

    community, people = world()
    first, last = timeline(community)
    items = set_up_fees(community, people, first)
    marker = parse_marker(community)
    if marker is not None:
        count = BillLine.objects.filter(community=community, pk__lte=int(marker["line"])).count()
        if count == int(marker["lines"]):
            started = time.perf_counter()
            deleted = restore(community, marker)
            note = f"; an earlier run's {deleted:,} rows deleted" if deleted else ""
            print(
                f"Reusing the fee history ({count:,} lines, up to {last:%Y-%m}){note} "
                f"({time.perf_counter() - started:.1f} s)"
            )
            if deleted:
                vacuum_analyze(*(model._meta.db_table for model in tables().values()))
            return community, people, items, first, last, parse_marker(community)
        print(f"The fee history does not match its marker ({count:,} lines, not {marker['lines']}): rebuilding.")
    wipe(community)
    load(community, people, items, first, last)
    community.refresh_from_db()
    return community, people, items, first, last, parse_marker(community)


def wipe(community):
    """Remove the community's fee rows (a load that did not finish, or data of another version)."""
    from django.db import connection, transaction

    m = tables()
    c = community.pk
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f'SELECT EXISTS (SELECT 1 FROM "{m["line"]._meta.db_table}" WHERE community_id <> %s) '
            f'OR EXISTS (SELECT 1 FROM "{m["payment"]._meta.db_table}" WHERE community_id <> %s) '
            f'OR EXISTS (SELECT 1 FROM "{m["statement"]._meta.db_table}" WHERE community_id <> %s)',
            [c, c, c],
        )
        if not cursor.fetchone()[0]:  # nobody else's fee rows: TRUNCATE is instant
            names = [model._meta.db_table for model in m.values()]
            names += [history_table(model) for model in m.values() if history_table(model)]
            cursor.execute("TRUNCATE " + ", ".join(f'"{name}"' for name in names) + " CASCADE")
            cursor.execute("UPDATE core_community SET address = '' WHERE id = %s", [c])
            return
        cursor.execute(
            f'DELETE FROM "{m["allocation"]._meta.db_table}" WHERE line_id IN '
            f'(SELECT id FROM "{m["line"]._meta.db_table}" WHERE community_id = %s)',
            [c],
        )
        cursor.execute(f'DELETE FROM "{m["receipt"]._meta.db_table}" WHERE community_id = %s', [c])
        cursor.execute(f'DELETE FROM "{m["payment"]._meta.db_table}" WHERE community_id = %s', [c])
        cursor.execute(f'UPDATE "{m["line"]._meta.db_table}" SET corrects_id = NULL WHERE community_id = %s', [c])
        cursor.execute(f'DELETE FROM "{m["line"]._meta.db_table}" WHERE community_id = %s', [c])
        cursor.execute(f'DELETE FROM "{m["statement"]._meta.db_table}" WHERE community_id = %s', [c])
        for model in m.values():
            history = history_table(model)
            if history and any(f.column == "community_id" for f in model._meta.concrete_fields):
                cursor.execute(f'DELETE FROM "{history}" WHERE community_id = %s', [c])
        cursor.execute("UPDATE core_community SET address = '' WHERE id = %s", [c])


# --- measuring -------------------------------------------------------------------------


class Meter:
    """Counts and times every statement (an execute wrapper: no query log to fill)."""

    SAVEPOINT = re.compile(r'"s\d+_x\d+"')

    def __init__(self):
        self.count, self.sql = 0, 0.0
        self.commits, self.commit_time = 0, 0.0
        self.kinds, self.kind_time = Counter(), defaultdict(float)
        self.statements = defaultdict(lambda: [0, 0.0])

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.count += 1
            self.sql += spent
            kind = kind_of(sql)
            self.kinds[kind] += 1
            self.kind_time[kind] += spent
            key = self.SAVEPOINT.sub('"s…"', sql)
            if kind.startswith("INSERT"):
                key = key[: key.find(" VALUES ")] if " VALUES " in key else key
            entry = self.statements[key]
            entry[0] += 1
            entry[1] += spent


def metered(function):
    from django.db import connection

    meter = Meter()
    original = connection._commit

    def commit():  # COMMIT runs the deferred foreign-key checks and waits for the WAL flush
        started = time.perf_counter()
        try:
            return original()
        finally:
            meter.commits += 1
            meter.commit_time += time.perf_counter() - started

    with connection.execute_wrapper(meter), mock.patch.object(connection, "_commit", commit):
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
    return result, elapsed, meter


def only(community):
    """`fees.statements._communities` limited to the bench's community."""
    from fees.models import FeeSettings

    def communities():
        yield FeeSettings.current(community), community

    return communities


def one_house_queries(community, month, ref):
    """The statements one `draft_statement` sends (rolled back), for the hot-spot table."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from fees import statements
    from fees.models import FeeSettings

    settings_row = FeeSettings.current(community)
    with transaction.atomic():
        prices = statements.Prices(community, month)
        houses = list(statements.billable_houses(community, month)[:3])
        with CaptureQueriesContext(connection) as captured:
            for house in houses:
                statements.draft_statement(house, month, prices=prices, settings_row=settings_row, now=ref)
        transaction.set_rollback(True)
    return captured.captured_queries, len(houses)


def bench_job(community, last):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fees import statements
    from fees.models import BillLine, FeeSettings, Statement

    settings_row = FeeSettings.current(community)
    ref = dt.datetime.combine(last.replace(day=settings_row.draft_day), dt.time(1, 30), tzinfo=LOCAL)
    month = statements.statement_month(settings_row, ref.astimezone(LOCAL).date())
    billable = statements.billable_houses(community, month).count()
    print(
        f"\n## the 28th job: draft_due_statements(now={ref:%Y-%m-%d %H:%M}) "
        f"drafts {month:%Y-%m} for {billable:,} houses"
    )
    if hasattr(statements, "_communities"):
        patch = mock.patch.object(statements, "_communities", only(community))
    else:
        print("!! fees.statements._communities is gone: the job runs over every community in the database")
        patch = contextlib.nullcontext()
    before_lines = BillLine.objects.filter(community=community).count()
    with patch:
        first, seconds, meter = metered(lambda: statements.draft_due_statements(now=ref))
        with CaptureQueriesContext(connection) as captured:
            again, again_seconds, again_meter = metered(lambda: statements.draft_due_statements(now=ref))
    drafted = Statement.objects.filter(community=community, month=month).count()
    new_lines = BillLine.objects.filter(community=community).count() - before_lines
    adopted = BillLine.objects.filter(community=community, statement__month=month).exclude(month=month).count()
    header = f"{'run':<8} {'drafted':>8} {'seconds':>8} {'sql s':>7} {'commit s':>8} {'python s':>8} {'queries':>9}"
    header += f" {'q/house':>8} {'ms/house':>9}"
    print(header)
    print("-" * len(header))
    for label, n, s, mt in (("first", first, seconds, meter), ("second", again, again_seconds, again_meter)):
        per = f"{mt.count / billable:>8.2f} {s * 1000 / billable:>9.2f}"
        rest = s - mt.sql - mt.commit_time
        print(f"{label:<8} {n:>8,} {s:>8.1f} {mt.sql:>7.1f} {mt.commit_time:>8.1f} {rest:>8.1f} {mt.count:>9,} {per}")
    print(
        f"statements in {month:%Y-%m}: {drafted:,} (one per billable house: {'yes' if drafted == billable else 'NO'}); "
        f"lines added {new_lines:,}, earlier lines adopted {adopted:,}; second run drafted {again} "
        f"({'as it must' if again == 0 else 'WRONG: it must draft nothing'})"
    )
    print(
        f"sql s: inside the statements; commit s: the {meter.commits:,} COMMITs (deferred foreign-key checks, WAL "
        "flush); python s: the rest"
    )
    if again_seconds > 5:
        explain_slowest(f"the second run took {again_seconds:.1f} s", captured.captured_queries)
    print("\nfirst run, statements by kind:")
    for kind, n in meter.kinds.most_common():
        print(f"  {n:>9,}  {n / billable:>6.2f}/house  {meter.kind_time[kind]:>7.1f} s  {kind}")
    print("\nfirst run, the ten statements taking the most time:")
    for sql, (n, spent) in sorted(meter.statements.items(), key=lambda kv: -kv[1][1])[:10]:
        print(f"  {n:>9,} × {spent * 1000 / n:>6.2f} ms = {spent:>6.1f} s  {sql[:150]}")
    return {
        "month": month,
        "ref": ref,
        "billable": billable,
        "seconds": seconds,
        "sql": meter.sql,
        "queries": meter.count,
        "again": again,
        "again_seconds": again_seconds,
        "again_queries": again_meter.count,
        "drafted": first,
    }


def bench_reports(community, last, ref):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fees import reports

    month = add_months(last, -2)
    as_of = ref.astimezone(LOCAL).date()
    operations = {
        "ageing": lambda: reports.ageing(community, as_of),
        f"collection rate {month:%Y-%m}": lambda: reports.collection_rate(community, month, as_of),
        "  by building": lambda: reports.collection_rate(community, month, as_of, by="building"),
        "  by butler": lambda: reports.collection_rate(community, month, as_of, by="butler"),
    }
    print(f"\n## reports as of {as_of} ({RUNS} runs each)")
    header = f"{'report':<28} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>7}  result"
    print(header)
    print("-" * len(header))
    figures, slow = {}, []
    for label, operation in operations.items():
        result = operation()  # warm
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            operation()
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            operation()
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        if label == "ageing":
            shown = " · ".join(f"{row['band']} ¥{row['total']:,}" for row in result)
        elif len(result) == 1:
            shown = f"billed ¥{result[0]['billed']:,} collected ¥{result[0]['collected']:,} → {result[0]['rate']} %"
        else:
            rates = [row["rate"] for row in result if row["rate"] is not None]
            shown = f"{len(result)} rows, {min(rates)}–{max(rates)} %"
        print(f"{label:<28} {p50:>8.1f} {p95:>8.1f} {max(times):>8.1f} {len(captured.captured_queries):>7}  {shown}")
        figures[label] = p95, len(captured.captured_queries)
        if p95 > REPORT_GOAL_MS:
            slow.append((label, captured.captured_queries))
    for label, queries in slow:
        explain_slowest(f"{label}: p95 over {REPORT_GOAL_MS} ms", queries)
    return figures


def bench_payments(community, people, ref):
    from django.db.models import Sum

    from core.choices import Role
    from core.models import User
    from fees.choices import Method
    from fees.models import BillLine
    from fees.payments import record_payment
    from residents.models import House

    owed = dict(
        BillLine.objects.filter(community=community, open_amount__gt=0, due_date__lt=ref.date())
        .values_list("house_id")
        .annotate(t=Sum("open_amount"))
        .order_by("house_id")
    )
    rng = random.Random(SEED + 1)
    chosen = rng.sample(sorted(owed), min(POSTINGS, len(owed)))
    print(f"\n## record_payment for {len(chosen)} of the {len(owed):,} households in arrears (each committed)")
    times, counts, lines, kinds = [], [], [], Counter()
    finance = people[Role.FINANCE]
    for n, pk in enumerate(chosen):
        house = House.objects.get(pk=pk)  # as the view's scoping helper hands it over
        actor = User.objects.get(pk=finance.pk)  # a request's user: no role cache yet
        total = owed[pk]
        amount = total if n % 2 == 0 else min(total, Decimal("500.00"))  # all of it, or part
        payment, seconds, meter = metered(
            lambda house=house, actor=actor, amount=amount: record_payment(
                house=house, actor=actor, amount=amount, method=Method.WECHAT, payer="业主", intake_key=uuid.uuid4()
            )
        )
        times.append(seconds * 1000)
        counts.append(meter.count)
        lines.append(payment.allocations.count())
        kinds.update(meter.kinds)
    p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
    q = f"{min(counts)}–{max(counts)}" if min(counts) != max(counts) else str(counts[0])
    print(
        f"p50 {p50:.1f} ms · p95 {p95:.1f} ms · max {max(times):.1f} ms · queries per payment {q} "
        f"(mean {sum(counts) / len(counts):.1f}) · lines settled per payment {min(lines)}–{max(lines)} "
        f"(mean {sum(lines) / len(lines):.1f})"
    )
    print("statements by kind, per payment: " + ", ".join(f"{k} {n / len(chosen):.1f}" for k, n in kinds.most_common()))
    return {"p50": p50, "p95": p95, "max": max(times), "queries": q, "mean_queries": sum(counts) / len(counts)}


def status_kb(field):
    with open("/proc/self/status") as status:
        for row in status:
            if row.startswith(field + ":"):
                return int(row.split()[1])
    return 0


def export_in_fresh_process():
    """The export measured in a new interpreter: this one's heap, grown and freed
    by the load and the job, would hide the export's growth."""
    import os
    import subprocess

    print(f"\n## Excel export of {EXPORT_ROWS:,} bill-line rows (in a fresh process)")
    child = subprocess.run(
        [sys.executable, __file__, "--export"], capture_output=True, text=True, env=os.environ.copy(), check=False
    )
    figures = None
    for row in child.stdout.splitlines():
        if row.startswith("EXPORT_JSON "):
            figures = json.loads(row.removeprefix("EXPORT_JSON "))
        else:
            print(row)
    if figures is None:
        print(child.stderr[-3000:])
        return {"available": False, "seconds": 0.0, "growth_mb": 0.0, "label": "failed"}
    return figures


def export_main():
    setup_django(database_url())
    from core.models import Community

    figures = bench_export(Community.objects.get(code=CODE))
    print("EXPORT_JSON " + json.dumps(figures))


def bench_export(community):
    from residents import exports

    streamed = getattr(exports, "streamed_workbook_response", None)
    if streamed is None:
        print("streamed export not available: residents.exports.streamed_workbook_response does not exist yet.")
        print("For comparison, the in-memory residents.exports.workbook_response with the same rows:")
        figures = measure_export(community, exports.workbook_response, "workbook_response (in memory)")
        return {"available": False, **figures}
    return {"available": True, **measure_export(community, streamed, "streamed_workbook_response")}


def export_rows(community):
    from fees.models import BillLine

    rows = (
        BillLine.objects.filter(community=community)
        .order_by("-open_amount", "pk")
        .values_list(
            "house__number",
            "house__building__number",
            "house__butler__name",
            "month",
            "item__name",
            "description",
            "amount",
            "open_amount",
            "due_date",
        )[:EXPORT_ROWS]
    )
    for number, building, butler, month, item, text, amount, open_amount, due in rows.iterator(chunk_size=2_000):
        yield [number, building, butler or "", f"{month:%Y-%m}", item, text, amount, open_amount, due]


def measure_export(community, function, label):
    headers = ["房号", "楼栋", "责任管家", "月份", "收费项目", "摘要", "金额", "未缴金额", "缴费期限"]
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # resets VmHWM to the current RSS
        hwm_reset = True
    except OSError:
        hwm_reset = False
    baseline = status_kb("VmRSS")
    peak = [baseline]
    running = [True]

    def sample():
        while running[0]:
            peak[0] = max(peak[0], status_kb("VmRSS"))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    response = function("欠费明细", headers, export_rows(community), "arrears")
    size = 0
    if getattr(response, "streaming", False):
        for chunk in response.streaming_content:
            size += len(chunk)
    else:
        size = len(response.content)
    response.close()
    seconds = time.perf_counter() - started
    running[0] = False
    sampler.join()
    hwm = status_kb("VmHWM") if hwm_reset else 0
    growth = max(peak[0], hwm) - baseline
    print(
        f"{label}: {seconds:.1f} s, {size / 1e6:.1f} MB file, RSS {baseline / 1024:.0f} MB before, "
        f"peak growth {growth / 1024:.1f} MB (sampled {(peak[0] - baseline) / 1024:.1f} MB"
        + (f", VmHWM {(hwm - baseline) / 1024:.1f} MB" if hwm_reset else ", VmHWM not resettable")
        + f") — goal under {EXPORT_GOAL_MB} MB"
    )
    return {"seconds": seconds, "growth_mb": growth / 1024, "label": label}


def summary(job, reports_, posting, export):
    print("\n## summary")
    rows = [
        (
            f"28th job, {job['billable']:,} houses",
            f"{job['seconds']:.1f} s, {job['queries']:,} queries ({job['queries'] / job['billable']:.1f}/house)",
            f"< {JOB_GOAL_S} s",
            job["seconds"] < JOB_GOAL_S,
        ),
        (
            "28th job, second run",
            f"{job['again']} drafted, {job['again_seconds']:.1f} s, {job['again_queries']:,} queries",
            "drafts 0",
            job["again"] == 0,
        ),
    ]
    for label, (p95, queries) in reports_.items():
        rows.append((label, f"p95 {p95:.1f} ms, {queries} queries", f"< {REPORT_GOAL_MS} ms", p95 < REPORT_GOAL_MS))
    rows.append(
        (
            f"record_payment ×{POSTINGS}",
            f"p50 {posting['p50']:.1f} / p95 {posting['p95']:.1f} / max {posting['max']:.1f} ms, "
            f"{posting['queries']} queries",
            "(p95 reported)",
            None,
        )
    )
    if export["available"]:
        rows.append(
            (
                f"export {EXPORT_ROWS:,} rows (streamed)",
                f"{export['seconds']:.1f} s, RSS +{export['growth_mb']:.1f} MB",
                f"< {EXPORT_GOAL_MB} MB",
                export["growth_mb"] < EXPORT_GOAL_MB,
            )
        )
    else:
        rows.append(
            (f"export {EXPORT_ROWS:,} rows (streamed)", "streamed export not available", f"< {EXPORT_GOAL_MB} MB", None)
        )
        rows.append(
            (
                "  in-memory workbook_response",
                f"{export['seconds']:.1f} s, RSS +{export['growth_mb']:.1f} MB",
                "(comparison)",
                None,
            )
        )
    width = max(len(r[0]) for r in rows)
    for label, figure, goal, ok in rows:
        verdict = "" if ok is None else ("within" if ok else "OVER")
        print(f"{label:<{width}}  {figure:<58} {goal:<14} {verdict}")


def main():
    url = database_url()
    ensure_database(url)
    setup_django(url)
    community, people, _items, first, last, marker = prepare()
    from fees.models import Allocation, BillLine, Payment, Statement

    print(
        f"\n{CODE}: {BillLine.objects.filter(community=community).count():,} bill lines, "
        f"{Statement.objects.filter(community=community).count():,} statements, "
        f"{Payment.objects.filter(community=community).count():,} payments, "
        f"{Allocation.objects.filter(payment__community=community).count():,} allocations; "
        f"history {first:%Y-%m} – {last:%Y-%m}"
    )
    try:
        job = bench_job(community, last)
    finally:
        started = time.perf_counter()
        deleted = restore(community, marker)
        print(f"\nthe drafted month deleted again ({deleted:,} rows, {time.perf_counter() - started:.1f} s)")
    queries, houses = one_house_queries(community, job["month"], job["ref"])
    print(f"\none house's draft_statement, statement by statement (rolled back; {houses} houses → {len(queries)}):")
    for query in queries[: len(queries) // max(houses, 1)]:
        print(f"  {float(query['time']) * 1000:>7.2f} ms  {query['sql'][:130]}")
    explain_slowest("the slowest statement of draft_statement", queries, top=2)
    vacuum_analyze(*(model._meta.db_table for model in tables().values()))
    reports_ = bench_reports(community, last, job["ref"])
    try:
        posting = bench_payments(community, people, job["ref"])
    finally:
        deleted = restore(community, marker)
        print(
            f"payments, receipts and allocations deleted again, open amounts and the counter restored "
            f"({deleted:,} rows)"
        )
    export = export_in_fresh_process()
    summary(job, reports_, posting, export)


if __name__ == "__main__":
    export_main() if sys.argv[1:] == ["--export"] else main()
