"""The monthly summary's figures (SPEC §2.4) for a month built by hand: October 2026
in 阳光花园. Every number of the snapshot is asserted exactly; every number equals
the rows of the list it links to (`drilldown`); `compute` runs a fixed number of
queries however many records the month holds."""

import datetime as dt
import json
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from residents.choices import Occupancy
from residents.models import House
from tests.visits.conftest import at, make_houses
from visits import figures, services
from visits.choices import CoverageMode, FollowUpStatus, ReturnVisitStatus, Trigger
from visits.models import FollowUp, ReturnVisit, VisitPolicy
from visits.progress import Period

OCTOBER = Period(2026, 10)
LONG_OPINION = "楼道" + "很脏" * 70  # 142 characters: an example keeps the first 120


def _log(house, actor, when, channel, visit_type="routine", *, late=False, **fields):
    """A visit logged through the service; `late` submits it three days after the visit."""
    return services.log_visit(
        house=house,
        actor=actor,
        started_at=when,
        channel=channel,
        visit_type=visit_type,
        window_reason="测试",
        now=when + (dt.timedelta(days=3) if late else dt.timedelta(hours=1)),
        **fields,
    )


def _follow_up(house, actor, *, created, due, closed=None, status=FollowUpStatus.OPEN):
    """A follow-up with literal times (created_at is auto_now_add, so it is set afterwards)."""
    follow_up = services.create_follow_up(actor=actor, house=house, description="答复业主", due_at=due)
    FollowUp.objects.filter(pk=follow_up.pk).update(created_at=created, closed_at=closed, status=status)
    return follow_up


def _return_visit(house, *, due, status=ReturnVisitStatus.DUE):
    return ReturnVisit.objects.create(
        community=house.community,
        house=house,
        trigger=Trigger.OTHER_REPAIR,
        key=f"test:{house.pk}:{due.isoformat()}",
        occurred_at=due - dt.timedelta(days=3),
        due_at=due,
        status=status,
        assignee=house.butler,
    )


@pytest.fixture
def october(community, community2, butler1, butler2, butler3, supervisor, manager):
    """12 houses, 11 occupied: butler1's zone 1-1-101…106 (106 vacant), butler2's
    2-1-101…104, nobody's 9-1-101…102. Nine visits in October, two just outside it,
    one in community 2; opinions, follow-ups and return visits around the month."""
    z1 = make_houses(community, "1", actor=manager, butler=butler1, rooms=6)
    z2 = make_houses(community, "2", actor=manager, butler=butler2, rooms=4)
    z9 = make_houses(community, "9", actor=manager, rooms=2)
    House.objects.filter(pk=z1[5].pk).update(occupancy=Occupancy.VACANT)
    House.objects.filter(pk=z1[4].pk).update(occupancy=Occupancy.RENTED)
    z1 = list(House.objects.filter(pk__in=[h.pk for h in z1]).order_by("pk"))
    other = make_houses(community2, "1", actor=butler3, butler=butler3, rooms=1)[0]

    rv_done = _return_visit(z1[3], due=at(2026, 10, 16, 18))  # done by V5 below
    _return_visit(z1[2], due=at(2026, 10, 13, 18))  # still due
    _return_visit(z1[0], due=at(2026, 10, 20, 18), status=ReturnVisitStatus.CANCELLED)
    _return_visit(z1[1], due=at(2026, 11, 3, 18))  # next month
    _return_visit(z2[0], due=at(2026, 10, 25, 18), status=ReturnVisitStatus.DONE)
    _return_visit(other, due=at(2026, 10, 25, 18))  # community 2

    v = {}
    # 07:00 local on the 1st is still 30 September in UTC: it belongs to October.
    v[1] = _log(
        z1[0],
        butler1,
        at(2026, 10, 1, 7),
        "door",
        satisfaction="satisfied",
        opinions=[("cleaning", "楼道卫生差"), ("cleaning", LONG_OPINION)],
    )
    v[2] = _log(z1[1], butler1, at(2026, 10, 9, 10), "phone", satisfaction="fairly", late=True)
    v[3] = _log(z1[1], butler1, at(2026, 10, 20, 10), "door", "fee", opinions=[("cleaning", "垃圾桶满")])
    v[4] = _log(z1[2], butler1, at(2026, 10, 12, 10), "phone", "repair_return", satisfaction="satisfied")
    v[5] = _log(z1[3], butler1, at(2026, 10, 15, 10), "door", return_visit=rv_done)
    v[6] = _log(
        z2[0],
        butler2,
        at(2026, 10, 14, 10),
        "door",
        satisfaction="dissatisfied",
        contains_complaint=True,
        opinions=[("cleaning", "保洁不及时"), ("greening", "草坪枯黄")],
        late=True,
    )
    v[7] = _log(z2[1], supervisor, at(2026, 10, 21, 10), "office", "satisfaction", satisfaction="satisfied")
    v[8] = _log(z9[0], manager, at(2026, 10, 22, 10), "phone", opinions=[("order", "外来车辆多")])
    v[9] = _log(z1[4], butler2, at(2026, 10, 31, 23, 30), "written")
    # Outside the month: the evening before and the morning after (the latter still October in UTC).
    _log(z1[2], butler1, at(2026, 9, 30, 23, 30), "door", opinions=[("cleaning", "九月的意见")])
    _log(z2[2], butler2, at(2026, 11, 1, 7), "door", opinions=[("order", "十一月的意见")])
    _log(other, butler3, at(2026, 10, 10, 10), "door", opinions=[("cleaning", "别的小区")])

    services.create_monthly_plan(
        community=community, owner=butler1, year=2026, month=10, houses=[z1[0], z1[4]], actor=butler1
    )

    fu = {
        "f1": _follow_up(
            z1[0],
            butler1,
            created=at(2026, 10, 3),
            due=at(2026, 10, 5),
            closed=at(2026, 10, 4),
            status=FollowUpStatus.DONE,
        ),
        "f2": _follow_up(
            z1[1],
            butler1,
            created=at(2026, 10, 10),
            due=at(2026, 10, 12),
            closed=at(2026, 10, 15),
            status=FollowUpStatus.DONE,
        ),
        "f3": _follow_up(z1[1], butler1, created=at(2026, 10, 20), due=at(2026, 10, 25)),
        "f4": _follow_up(z1[2], butler1, created=at(2026, 10, 30), due=at(2026, 11, 5)),
        "f5": _follow_up(z2[0], butler2, created=at(2026, 9, 10), due=at(2026, 9, 15)),
        "f6": _follow_up(
            z2[1],
            butler2,
            created=at(2026, 9, 25),
            due=at(2026, 10, 2),
            closed=at(2026, 10, 8),
            status=FollowUpStatus.DONE,
        ),
        "f7": _follow_up(
            z2[2],
            butler2,
            created=at(2026, 9, 28),
            due=at(2026, 10, 31, 18),
            closed=at(2026, 11, 3),
            status=FollowUpStatus.DONE,
        ),
        "f10": _follow_up(z9[0], manager, created=at(2026, 10, 27), due=at(2026, 11, 10)),
        "f11": _follow_up(z9[1], manager, created=at(2026, 10, 8), due=at(2026, 11, 20)),
    }
    _follow_up(other, butler3, created=at(2026, 10, 5), due=at(2026, 10, 6))  # community 2
    return {"z1": z1, "z2": z2, "z9": z9, "visits": v, "follow_ups": fu}


def _full(community, manager):
    services.update_policy(VisitPolicy.for_community(community), actor=manager, coverage_mode=CoverageMode.FULL)


def _sampling(community, manager):
    """12 households in all → the second band, 80 % of 11 occupied = 9 (rounded up)."""
    services.update_policy(
        VisitPolicy.for_community(community),
        actor=manager,
        coverage_mode=CoverageMode.SAMPLING,
        sample_bands=[[10, 50], [None, 80]],
        manager_quota=2,
        supervisor_quota=1,
        cycle_started_at=at(2026, 9, 1, 0),
    )


# --- the figures, one family at a time --------------------------------------------


def test_the_snapshot_is_plain_json(october, community, manager):
    data = figures.compute(community, OCTOBER)
    assert json.loads(json.dumps(data)) == data
    assert (data["version"], data["period"]) == (1, "2026-10")


def test_visit_counts_by_channel_type_and_satisfaction(october, community):
    visits = figures.compute(community, OCTOBER)["visits"]
    assert visits["total"] == 9
    assert visits["households"] == 8
    assert visits["complaints"] == 1
    assert visits["by_channel"] == {"door": 4, "phone": 3, "office": 1, "written": 1}
    assert visits["by_type"] == {"routine": 6, "fee": 1, "repair_return": 1, "satisfaction": 1}
    assert visits["by_satisfaction"] == {"satisfied": 3, "fairly": 1, "dissatisfied": 1}


def test_late_records_and_late_rate(october, community):
    visits = figures.compute(community, OCTOBER)["visits"]
    assert visits["late"] == 2
    assert visits["late_rate"] == 22.2  # 2 of 9, one decimal


def test_visits_by_staff(october, community, butler1, butler2, supervisor, manager):
    rows = figures.compute(community, OCTOBER)["visits"]["by_staff"]
    assert [row["id"] for row in rows[:2]] == [butler1.pk, butler2.pk]  # most visits first
    assert {row["id"]: (row["name"], row["total"], row["late"], row["channels"]) for row in rows} == {
        butler1.pk: (butler1.display_name, 5, 1, {"door": 3, "phone": 2}),
        butler2.pk: (butler2.display_name, 2, 1, {"door": 1, "written": 1}),
        supervisor.pk: (supervisor.display_name, 1, 0, {"office": 1}),
        manager.pk: (manager.display_name, 1, 0, {"phone": 1}),
    }


def test_full_coverage_counts_zone_households_visited_by_anyone(october, community, manager, butler1, butler2):
    _full(community, manager)
    coverage = figures.compute(community, OCTOBER)["coverage"]
    assert (coverage["households"], coverage["occupied"], coverage["required"]) == (12, 11, 11)
    # 1-1-101, 1-1-102, 1-1-105, 2-1-101, 2-1-102, 9-1-101; not the return visits to 1-1-103 (repair
    # return) and 1-1-104 (logged against a return visit), nor September's 1-1-103 or November's 2-1-103.
    assert (coverage["reached"], coverage["percent"]) == (6, 55)
    assert coverage["working_days"] == 18  # October 2026: the National Day week off, Saturday the 10th worked
    rows = {row["id"]: row for row in coverage["staff"]}
    assert set(rows) == {butler1.pk, butler2.pk}  # full coverage: butlers and their zones only
    # butler1: 5 occupied (106 is vacant); 101, 102 and 105 (visited by butler2) are covered.
    assert {k: rows[butler1.pk][k] for k in ("required", "done", "percent", "planned", "plan_done")} == {
        "required": 5,
        "done": 3,
        "percent": 60,
        "planned": 2,
        "plan_done": 1,  # 1-1-105 was visited, but not by the plan's owner
    }
    # butler2: 2-1-101 and 2-1-102 (visited by the supervisor); 2-1-103 only in November.
    assert {k: rows[butler2.pk][k] for k in ("required", "done", "percent")} == {
        "required": 4,
        "done": 2,
        "percent": 50,
    }


def test_full_coverage_houses_behind_each_butler(october, community, manager, butler1, butler2):
    _full(community, manager)
    covered = figures.drilldown(community, OCTOBER, "houses", {"which": "covered", "staff": str(butler1.pk)})[2]
    uncovered = figures.drilldown(community, OCTOBER, "houses", {"which": "uncovered", "staff": str(butler1.pk)})[2]
    assert sorted(covered.values_list("number", flat=True)) == ["1-1-101", "1-1-102", "1-1-105"]
    assert sorted(uncovered.values_list("number", flat=True)) == ["1-1-103", "1-1-104"]


def test_sampling_coverage_by_the_bands_and_each_persons_households(
    october, community, manager, supervisor, butler1, butler2
):
    _sampling(community, manager)
    coverage = figures.compute(community, OCTOBER)["coverage"]
    assert (coverage["households"], coverage["occupied"], coverage["required"]) == (12, 11, 9)
    assert (coverage["manager_quota"], coverage["supervisor_quota"]) == (2, 1)
    assert (coverage["reached"], coverage["percent"]) == (6, 67)
    rows = {row["id"]: (row["required"], row["done"], row["percent"]) for row in coverage["staff"]}
    # 9 − 2 − 1 = 6 for the butlers by zone (5 : 4 → 3.33, 2.67 → 3 + 2, the remainder to butler2).
    # Done: the households each person visited, return visits aside.
    assert rows == {
        manager.pk: (2, 1, 50),
        supervisor.pk: (1, 1, 100),
        butler1.pk: (3, 2, 66),  # 1-1-101, 1-1-102 (twice); not 1-1-103 nor 1-1-104
        butler2.pk: (3, 2, 66),  # 2-1-101 and 1-1-105 in butler1's zone
    }


def test_sampling_covered_houses_are_the_persons_own_visits(october, community, manager, butler2):
    _sampling(community, manager)
    covered = figures.drilldown(community, OCTOBER, "houses", {"which": "covered", "staff": str(butler2.pk)})[2]
    assert sorted(covered.values_list("number", flat=True)) == ["1-1-105", "2-1-101"]
    # "uncovered" is a full-coverage list only
    assert figures.drilldown(community, OCTOBER, "houses", {"which": "uncovered", "staff": str(butler2.pk)}) is None


def test_opinions_by_category_with_at_most_three_examples(october, community):
    v = october["visits"]
    opinions = figures.compute(community, OCTOBER)["opinions"]
    assert opinions["total"] == 6
    assert opinions["by_category"] == {"cleaning": 4, "greening": 1, "order": 1}
    assert opinions["examples"] == {
        "cleaning": [
            {"visit": v[1].pk, "house": "1-1-101", "content": "楼道卫生差"},
            {"visit": v[1].pk, "house": "1-1-101", "content": LONG_OPINION[:120]},
            {"visit": v[3].pk, "house": "1-1-102", "content": "垃圾桶满"},
        ],
        "greening": [{"visit": v[6].pk, "house": "2-1-101", "content": "草坪枯黄"}],
        "order": [{"visit": v[8].pk, "house": "9-1-101", "content": "外来车辆多"}],
    }


def test_follow_ups_opened_closed_overdue_and_ageing(october, community):
    data = figures.compute(community, OCTOBER)["follow_ups"]
    # opened: f1 f2 f3 f4 f10 f11; closed: f1 f2 f6; overdue (due in October, not done by then): f2 f3 f6 f7
    assert (data["opened"], data["closed"], data["overdue"]) == (6, 3, 4)
    # open on 1 November 00:00: f3 (12 days), f4 (2), f5 (52), f7 (34, closed in November), f10 (5), f11 (24)
    assert data["open_at_end"] == 6
    assert data["ageing"] == {"d0_3": 1, "d4_7": 1, "d8_15": 1, "d16_30": 1, "d31": 2}


def test_follow_up_lists_name_the_right_records(october, community):
    fu = october["follow_ups"]

    def names(which, bucket=None):
        ids = set(figures.follow_ups(community, OCTOBER, which, bucket).values_list("pk", flat=True))
        return sorted(name for name, item in fu.items() if item.pk in ids)

    assert names("opened") == ["f1", "f10", "f11", "f2", "f3", "f4"]
    assert names("closed") == ["f1", "f2", "f6"]
    assert names("overdue") == ["f2", "f3", "f6", "f7"]
    assert names("open", "d31") == ["f5", "f7"]
    assert names("open", "d16_30") == ["f11"]


def test_return_visits_due_and_done(october, community):
    # due in October: 1-1-104 (done by a visit), 1-1-103, 2-1-101 (done); cancelled and November aside
    assert figures.compute(community, OCTOBER)["return_visits"] == {"due": 3, "done": 2, "rate": 67}


def test_never_visited_under_full_coverage_counts_from_the_month(october, community, manager):
    _full(community, manager)
    data = figures.compute(community, OCTOBER)["never_visited"]
    houses = figures.never_visited(community, OCTOBER)
    assert data == {"since": "2026-10-01", "count": houses.count()}
    assert sorted(houses.values_list("number", flat=True)) == ["1-1-103", "1-1-104", "2-1-103", "2-1-104", "9-1-102"]


def test_never_visited_under_sampling_counts_from_the_cycle_start(october, community, manager):
    _sampling(community, manager)
    data = figures.compute(community, OCTOBER)["never_visited"]
    houses = figures.never_visited(community, OCTOBER)
    assert data == {"since": "2026-09-01", "count": houses.count()}
    # 1-1-103 was visited on 30 September, inside the cycle
    assert sorted(houses.values_list("number", flat=True)) == ["1-1-104", "2-1-103", "2-1-104", "9-1-102"]


def test_trend_counts_each_local_month(october, community):
    points = {p["period"]: p for p in figures.trend(community, OCTOBER, months=3)}
    assert list(points) == ["2026-08", "2026-09", "2026-10"]
    assert {k: points["2026-10"][k] for k in ("visits", "households", "late", "opinions")} == {
        "visits": 9,
        "households": 8,
        "late": 2,
        "opinions": 6,
    }
    assert {k: points["2026-09"][k] for k in ("visits", "opinions")} == {"visits": 1, "opinions": 1}
    assert points["2026-08"]["visits"] == 0


# --- every figure equals the rows behind it ------------------------------------------


def _links(shown):
    """(name, querystring, number shown) for every linked figure of the presented snapshot;
    a link this list does not know fails the test, so a new figure gets checked too."""
    data = shown
    links = [(f"channel {c['code']}", c["q"], c["n"]) for c in data["channels"]]
    links += [(f"type {t['label']}", t["q"], t["n"]) for t in data["types"]]
    links += [(f"satisfaction {s['code']}", s["q"], s["n"]) for s in data["satisfaction"]]
    for row in data["staff_visits"]:
        links.append((f"staff {row['id']}", row["q"], row["total"]))
        links.append((f"staff {row['id']} late", row["late_q"], row["late"]))
        links += [(f"staff {row['id']} cell", cell["q"], cell["n"]) for cell in row["cells"]]
    for row in data["coverage_staff"]:
        links.append((f"covered {row['id']}", row["q"], row["done"]))
        if data["full"]:
            links.append((f"uncovered {row['id']}", row["uncovered_q"], row["uncovered"]))
    links += [(f"opinions {o['code']}", o["q"], o["n"]) for o in data["opinions"]]
    links += [(f"ageing {a['label']}", a["q"], a["n"]) for a in data["ageing"]]
    totals = {
        "visits": data["visits"]["total"],
        "late": data["visits"]["late"],
        "complaints": data["visits"]["complaints"],
        "reached": data["coverage"]["reached"],
        "visited": data["visits"]["households"],
        "opinions": data["opinion_total"],
        "fu_opened": data["follow_ups"]["opened"],
        "fu_closed": data["follow_ups"]["closed"],
        "fu_overdue": data["follow_ups"]["overdue"],
        "fu_open": data["follow_ups"]["open_at_end"],
        "rv_due": data["return_visits"]["due"],
        "rv_done": data["return_visits"]["done"],
        "never": data["never_visited"]["count"],
    }
    assert set(totals) == set(data["links"])
    links += [(name, data["links"][name], n) for name, n in totals.items()]
    return links


@pytest.mark.parametrize("mode", ["full", "sampling"])
def test_every_figure_equals_its_drilldown(october, community, manager, mode):
    (_full if mode == "full" else _sampling)(community, manager)
    links = _links(figures.present(figures.compute(community, OCTOBER)))
    assert len(links) > 60
    assert sum(n for _name, _q, n in links) > 0
    for name, query, shown in links:
        params = {key: values[0] for key, values in parse_qs(query).items()}
        result = figures.drilldown(community, OCTOBER, params.pop("kind"), params)
        assert result is not None, name
        assert result[2].count() == shown, (name, query)


# --- fixed queries -------------------------------------------------------------------


def _compute_queries(community):
    with CaptureQueriesContext(connection) as captured:
        figures.compute(community, OCTOBER)
    return len(captured)


@pytest.mark.parametrize("mode", [CoverageMode.FULL, CoverageMode.SAMPLING])
def test_compute_queries_do_not_grow_with_the_records(community, supervisor, manager, butler1, butler2, mode):
    services.update_policy(VisitPolicy.for_community(community), actor=manager, coverage_mode=mode)
    zone1 = make_houses(community, "1", actor=manager, butler=butler1, rooms=10)
    zone2 = make_houses(community, "2", actor=manager, butler=butler2, rooms=10)
    houses = zone1 + zone2
    staff = [butler1, butler2, supervisor, manager]
    categories = ["cleaning", "greening", "order", "repair", "staff"]
    channels = ["door", "phone", "office", "written", "survey"]

    def add(numbers, *, varied):
        """Visits with opinions and follow-ups; `varied` spreads them over staff, channels,
        types and categories, so a query per person or per category would show too."""
        for n in numbers:
            k = n if varied else 0
            when = at(2026, 10, 1 + n % 28, 10)
            visit = _log(
                houses[n % len(houses)],
                staff[k % len(staff)],
                when,
                channels[k % len(channels)],
                ["routine", "fee", "repair_return"][k % 3],
                satisfaction=["satisfied", "fairly", ""][k % 3],
                opinions=[(categories[k % len(categories)], f"意见{n}")],
                late=n % 4 == 0,
            )
            _follow_up(visit.house, butler1, created=when, due=when + dt.timedelta(days=n % 20))

    add(range(5), varied=False)
    few = _compute_queries(community)
    add(range(5, 50), varied=True)
    many = _compute_queries(community)
    assert figures.compute(community, OCTOBER)["visits"]["total"] == 50
    assert few == many


@pytest.mark.parametrize("mode", ["full", "sampling"])
def test_a_vacant_house_inspection_is_not_a_household_reached(october, community, manager, butler1, mode):
    (_full if mode == "full" else _sampling)(community, manager)
    _log(october["z1"][5], butler1, at(2026, 10, 16, 10), "door", "vacant_inspection")
    coverage = figures.compute(community, OCTOBER)["coverage"]
    done = {row["id"]: row["done"] for row in coverage["staff"]}
    assert (coverage["reached"], done[butler1.pk]) == (6, 3 if mode == "full" else 2)
