"""Return visits in the demo (SPEC §2.3): the move-in ones the hourly job raised from
the archive, and those the complaint and repair apps will raise with their one-line
call, played out here with `engine.raise_return_visit` (no source record yet: the
house and a distinct time make each key) and rainy days recorded as they fell."""

import datetime as dt

from django.utils import timezone

from visits import engine
from visits.choices import Channel, ReturnVisitStatus, Trigger, VisitType
from visits.demo.records import at
from visits.models import ReturnVisit

VISIT_TYPES = {
    Trigger.MOVE_IN: VisitType.MOVE_IN,
    Trigger.MOVE_IN_3M: VisitType.MOVE_IN_3M,
    Trigger.COMPLAINT_CLOSED: VisitType.COMPLAINT_RETURN,
    Trigger.HOUSEHOLD_INCIDENT: VisitType.COMPLAINT_RETURN,
    Trigger.COUNTER_QUESTION: VisitType.OTHER,
    Trigger.COMMISSION_DONE: VisitType.COMMISSION_RETURN,
}  # the repair triggers: 维修回访
# (whose zone, trigger, days ago, hour, outcome, note). Outcomes: due — left for the
# assignee (today's list); done — a door visit the next day; phone — a phone visit the
# next day, confirmed by a second person; unconfirmed — a phone visit logged just now,
# awaiting its second signature. Older urgent and leak repairs get their second visit
# too (a week later; after the first rainy day).
SUNSHINE = (
    ("butler1", Trigger.COMPLAINT_CLOSED, 3, 15, "due", "楼道堆物投诉已办结"),
    ("butler1", Trigger.COMPLAINT_CLOSED, 5, 10, "due", "地库外来车辆占用车位投诉已办结"),
    ("butler1", Trigger.URGENT_REPAIR, 1, 16, "due", "厨房进水管爆裂急修完成"),
    ("butler1", Trigger.LEAK_REPAIR, 4, 14, "done", "卫生间防水层渗漏维修完成"),
    ("butler1", Trigger.LEAK_REPAIR, 48, 10, "done", "外墙窗边渗水维修完成"),
    ("butler1", Trigger.OTHER_REPAIR, 20, 11, "done", "厨房下水道堵塞疏通完成"),
    ("butler1", Trigger.HOUSEHOLD_INCIDENT, 15, 9, "done", "家中燃气泄漏报警，已协助处理"),
    ("butler2", Trigger.COMPLAINT_CLOSED, 1, 17, "due", "电梯困人投诉（重大）已办结"),
    ("butler2", Trigger.URGENT_REPAIR, 30, 9, "done", "配电箱跳闸急修完成"),
    ("butler2", Trigger.COMMISSION_DONE, 12, 15, "phone", "委托代收家具已完成"),
    ("butler2", Trigger.OTHER_REPAIR, 2, 10, "unconfirmed", "水龙头阀芯更换完成"),
    ("butler2", Trigger.COUNTER_QUESTION, 2, 11, "due", "前台咨询公共收益分配，需主管答复"),
)
LAKESIDE = (
    ("butler3", Trigger.COMPLAINT_CLOSED, 9, 10, "done", "别墅区绿化修剪投诉已办结"),
    ("butler3", Trigger.OTHER_REPAIR, 3, 15, "due", "地漏返味维修完成"),
    ("butler3", Trigger.URGENT_REPAIR, 6, 20, "phone", "停电急修完成"),
)
RAINY_DAYS_AGO = (35, 21, 9)


def move_in_visits(demo):
    """Most move-ins more than ten days old have had their visit; the rest are due."""
    raised = ReturnVisit.objects.filter(
        community=demo.community, trigger=Trigger.MOVE_IN, status=ReturnVisitStatus.DUE
    ).select_related("house", "assignee")
    for rv in raised:
        moved_in = timezone.localdate(rv.occurred_at)
        days_since = (demo.today - moved_in).days
        if days_since > 10 and demo.rng.random() < 0.8:
            done_visit(demo, rv, moved_in + dt.timedelta(days=demo.rng.randint(3, min(20, days_since - 1))))


def play(demo, table):
    """Raise each return visit of `table` in date order, rainy days recorded between."""
    rain = sorted(RAINY_DAYS_AGO, reverse=True)
    second = []
    for zone_of, trigger, days_ago, hour, outcome, note in sorted(table, key=lambda row: -row[2]):
        while rain and rain[0] > days_ago:
            record_rain(demo, rain.pop(0))
        houses = demo.zone(demo.users[zone_of], occupied=True)
        if not houses:
            continue
        day = demo.today - dt.timedelta(days=days_ago)
        rv = engine.raise_return_visit(
            trigger,
            house=demo.rng.choice(houses),
            occurred_at=at(day, hour),
            note=note,
            joint="重大" in note,  # [000][004] a major complaint is visited jointly
            policy=demo.policy,
        )
        if rv is None or outcome == "due":
            continue
        if outcome == "unconfirmed":
            demo.unconfirmed = rv
            continue
        done_visit(demo, rv, day + dt.timedelta(days=1), Channel.PHONE if outcome == "phone" else Channel.DOOR)
        if days_ago > 10 and trigger in engine.FOLLOW_ON:
            second.append((rv, engine.FOLLOW_ON[trigger][0]))
    for days_ago in rain:
        record_rain(demo, days_ago)
    for rv, trigger in second:
        again = ReturnVisit.objects.get(house=rv.house, trigger=trigger, occurred_at=rv.occurred_at)
        if again.status == ReturnVisitStatus.DUE:
            done_visit(demo, again, timezone.localdate(again.due_at))


def record_rain(demo, days_ago):
    day = demo.today - dt.timedelta(days=days_ago)
    engine.record_rainy_day(community=demo.community, date=day, actor=demo.team["butlers"][0])


def done_visit(demo, rv, day, channel=Channel.DOOR):
    """The assignee's visit that completes `rv` (the engine hears of it after the flush)."""
    visit_type = VISIT_TYPES.get(rv.trigger, VisitType.REPAIR_RETURN)
    visit = demo.visit(rv.house, rv.assignee, day, channel, visit_type, chance=0.2, return_visit=rv)
    if visit is None:
        return
    if rv.joint:
        for user in (demo.team["manager"], demo.team["supervisor"]):
            if user is not None:
                demo.companions.append((visit, user))
    if visit.needs_second_signature:
        # [001] a phone return visit counts once another staff member confirms it
        visit.confirmed_by = next(r for r in demo.reviewers if r != rv.assignee)
        visit.confirmed_at = min(visit.started_at + dt.timedelta(hours=demo.rng.randint(1, 20)), demo.now)
    demo.done_returns.append((rv, visit))
