"""Complaints at volume (issue 8 acceptance: "the escalation job over 100k open
complaints prints its time and query count (goal: under 2 s and proportional to
the due items, not to all complaints); the complaint list p95 and query count at
200k complaints").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wuye_bench .venv/bin/python bench/complaints_bench.py

Same database as the other benches (`wuye_bench` unless DATABASE_URL names another
PostgreSQL database). One community of its own, TSB1, with 200,000 complaints
received over two years (bulk-inserted once, kept across runs): 100,000 still
open with their ladder's next step ahead of now, the rest closed. Each run then
makes N open complaints due (received 37 h ago, ordinary: the 75 % answer warning
has passed), runs `escalate_due` once and prints its time and query count, for N
= 100, 300 and 1,000; a second run right after finds nothing. The list page is
timed over the Django test Client as the community's supervisor: the default
(open), 已超时, a number search, a category filter and page 50 of 全部.
"""

import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from residents_bench import database_url, ensure_database, percentile, setup_django

TOTAL = 200_000
OPEN = 100_000
CODE = "TSB1"
BATCH = 5_000
SEED = 8


def world():
    from core.choices import Role
    from core.models import Community, Company, Membership, User
    from core.services import create_community

    community = Community.objects.filter(code=CODE).first()
    if community is None:
        company = Company.objects.first() or Company.objects.create(name="基准测试物业")
        community = create_community(company=company, name="投诉基准小区", code=CODE)
    people = {}
    for role in (Role.SUPERVISOR, Role.MANAGER, Role.FRONT_DESK, Role.BUTLER):
        user, _ = User.objects.get_or_create(
            username=f"tsb_{role}", defaults={"name": f"基准{role}", "company": community.company}
        )
        Membership.objects.get_or_create(user=user, community=community, role=role)
        people[role] = user
    return community, people


def build(community, people):
    """200,000 complaints with consistent clocks, bulk-inserted (a minute or two, once)."""
    from complaints.choices import Category, Channel, Kind, Status
    from complaints.models import Complaint
    from core.models import Sequence

    have = Complaint.objects.filter(community=community).count()
    if have >= TOTAL:
        analyze()
        return
    Complaint.objects.filter(community=community).delete()
    rng = random.Random(SEED)
    now = dt.datetime.now(dt.UTC)
    categories, channels = Category.values, Channel.values
    open_statuses = [Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.ANSWERED]
    owners = [people["frontdesk"], people["butler"], people["supervisor"]]
    counters = {}
    started = time.perf_counter()
    rows = []
    for i in range(TOTAL):
        is_open = i >= TOTAL - OPEN
        if is_open:  # the last 100k: received within the last 40 h, next step ahead
            received = now - dt.timedelta(minutes=rng.randint(60, 40 * 60))
        else:
            received = now - dt.timedelta(days=730 * (TOTAL - i) / TOTAL + 2)
        year = received.astimezone(dt.timezone(dt.timedelta(hours=8))).year
        counters[year] = counters.get(year, 0) + 1
        urgent = rng.random() < 0.2
        allowance = dt.timedelta(hours=24 if urgent else 48)
        answered = None if is_open else received + allowance * rng.uniform(0.1, 1.2)
        resolved = None if is_open else received + dt.timedelta(hours=rng.uniform(5, 90))
        status = rng.choice(open_statuses) if is_open else Status.CLOSED
        rows.append(
            Complaint(
                community=community,
                number=f"TS-{year}-{counters[year]:06d}",
                kind=Kind.COMPLAINT if rng.random() < 0.7 else Kind.CONSULTATION,
                channel=rng.choice(channels),
                category=rng.choice(categories),
                urgency="urgent" if urgent else "normal",
                reporter_name="业主",
                location=f"{rng.randint(1, 40)}栋",
                description=f"基准测试投诉 {i}",
                received_at=received,
                received_by=owners[i % 3],
                owner=owners[i % 3],
                status=status,
                answered_at=answered if status != Status.ANSWERED else received + dt.timedelta(hours=2),
                answered_late=bool(answered and answered > received + allowance),
                resolved_at=resolved,
                resolved_late=bool(resolved and resolved > received + dt.timedelta(hours=72)),
                closed_at=resolved,
                return_visited_at=resolved,
                satisfaction="satisfied" if resolved else "",
                resolution_started_at=received,
                answer_allowance=allowance,
                resolution_allowance=dt.timedelta(hours=72),
                answer_due_at=received + allowance,
                resolution_due_at=received + dt.timedelta(hours=72),
                next_escalation_at=(received + allowance * 0.75 + dt.timedelta(hours=48)) if is_open else None,
            )
        )
        if len(rows) == BATCH:
            Complaint.objects.bulk_create(rows)
            rows = []
    Complaint.objects.bulk_create(rows)
    for year, last in counters.items():
        Sequence.objects.update_or_create(community=community, kind="complaint", year=year, defaults={"last": last})
    print(f"built {TOTAL:,} complaints ({OPEN:,} open) in {time.perf_counter() - started:.0f} s")
    analyze()


def analyze():
    """Fresh planner statistics, as autovacuum keeps them on a live database."""
    from django.db import connection

    with connection.cursor() as cursor:
        # The supervisor reviews every day: only the last day's matters wait for review.
        cursor.execute(
            "UPDATE complaints_complaint SET reviewed_at = received_at + interval '3 hours' "
            "WHERE reviewed_at IS NULL AND received_at < now() - interval '1 day'"
        )
        cursor.execute("VACUUM ANALYZE complaints_complaint")


def make_due(community, count):
    """`count` open ordinary complaints received 37 h ago, never escalated: their
    75 % answer warning is due now (and their answer clock running)."""
    from django.contrib.contenttypes.models import ContentType

    from complaints.models import Complaint
    from core.models import EscalationStep, Reminder

    now = dt.datetime.now(dt.UTC)
    received = now - dt.timedelta(hours=37)
    ids = list(
        Complaint.objects.filter(community=community, status="accepted", urgency="normal")
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    content_type = ContentType.objects.get_for_model(Complaint)
    EscalationStep.objects.filter(content_type=content_type, object_id__in=[str(i) for i in ids]).delete()
    Reminder.objects.filter(content_type=content_type, object_id__in=[str(i) for i in ids]).delete()
    Complaint.objects.filter(pk__in=ids).update(
        received_at=received,
        resolution_started_at=received,
        answered_at=None,
        answer_due_at=received + dt.timedelta(hours=48),
        round=2,  # no same-day report step: only the warning is due
        next_escalation_at=received + dt.timedelta(hours=36),
    )
    return ids


def timed(function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
    return result, elapsed, len(captured.captured_queries)


def bench_job(community):
    from complaints import escalation

    print("\n## escalate_due over 100,000 open complaints")
    print(f"{'due':>6} {'looked at':>10} {'steps':>7} {'seconds':>8} {'queries':>8} {'ms/due':>7}")
    for count in (100, 300, 1000):
        make_due(community, count)
        (seen, steps), seconds, queries = timed(escalation.escalate_due)
        print(f"{count:>6} {seen:>10} {steps:>7} {seconds:>8.2f} {queries:>8} {seconds * 1000 / count:>7.1f}")
        (seen, steps), seconds, queries = timed(escalation.escalate_due)
        print(f"{'again':>6} {seen:>10} {steps:>7} {seconds:>8.3f} {queries:>8}")


def bench_list(community, people):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from complaints.models import Complaint

    client = Client()
    client.force_login(people["supervisor"])
    numbers = list(Complaint.objects.filter(community=community).order_by("?").values_list("number", flat=True)[:20])
    pages = {
        "默认（未完成）": lambda i: "/complaints/",
        "已超时": lambda i: "/complaints/?show=overdue",
        "编号查找": lambda i: f"/complaints/?show=all&q={numbers[i % len(numbers)]}",
        "按类别": lambda i: f"/complaints/?show=all&category={['noise', 'cleaning', 'parking'][i % 3]}",
        "全部 第50页": lambda i: "/complaints/?show=all&page=50",
    }
    print(f"\n## complaint list at {TOTAL:,} complaints (supervisor)")
    print(f"{'page':<14} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}")
    for label, url in pages.items():
        for i in range(3):
            client.get(url(i))
        times = []
        for i in range(20):
            started = time.perf_counter()
            response = client.get(url(i))
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url(i), response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(url(0))
        print(
            f"{label:<14} {percentile(times, 0.5):>8.1f} {percentile(times, 0.95):>8.1f} {max(times):>8.1f} "
            f"{len(captured.captured_queries):>8}"
        )


def main():
    url = database_url()
    ensure_database(url)
    setup_django(url)
    community, people = world()
    build(community, people)
    bench_job(community)
    bench_list(community, people)


if __name__ == "__main__":
    main()
