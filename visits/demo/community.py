"""One community's demo months: the sample or full-coverage visits, vacant-house
inspections, fee calls, event invitations, holiday and survey visits, the manager's
standing duties, then this month's plans (SPEC §2.1)."""

import datetime as dt
import math

from django.utils import timezone

from residents.choices import Occupancy
from visits import coverage, services
from visits.choices import Channel, CoverageMode, OpinionCategory, Signature, VisitType
from visits.demo import recent, returns, texts
from visits.demo.records import WEEKDAY_WEIGHTS, Recorder, at, month_start, pick
from visits.models import PlanItem, VisitPlan, VisitPolicy

MONTHS = 7  # the current month and the six before it (the monthly summaries need history)
SAMPLE_CHANNELS = {Channel.DOOR: 55, Channel.PHONE: 35, Channel.OFFICE: 5, Channel.OUTDOOR: 5}
FULL_CHANNELS = {Channel.PHONE: 60, Channel.DOOR: 35, Channel.OFFICE: 5}
# Each butler's other visits in a month at scale 1: type, channels, how many.
EXTRAS = (
    (VisitType.FEE, {Channel.PHONE: 3, Channel.DOOR: 1}, 4),
    (VisitType.EVENT_INVITE, {Channel.PHONE: 4, Channel.DOOR: 1}, 6),
    (VisitType.OTHER, {Channel.OFFICE: 2, Channel.WRITTEN: 1}, 2),
)
SURVEY_PER_BUTLER = 10  # the half-yearly satisfaction survey, last month
MIN_PLAN = 5  # a small demo's sample can round to nothing; a plan still lists a few households


class CommunityDemo(Recorder):
    """`team`: butlers (zones), manager and supervisor (or None), reviewers, coverage mode
    and the return visits to play out (see `returns`)."""

    def __init__(self, community, team, *, users, rng, scale, now):
        policy = VisitPolicy.for_community(community)
        super().__init__(community, policy=policy, reviewers=team["reviewers"], rng=rng, now=now)
        self.team, self.users, self.scale = team, users, scale
        self.months = [month_start(self.today, back) for back in range(MONTHS - 1, -1, -1)]
        self.unconfirmed = None  # a phone return visit left for its second signature

    def run(self):
        team, butlers = self.team, self.team["butlers"]
        self.policy = services.update_policy(
            self.policy,
            actor=team["manager"] or team["reviewers"][0],
            coverage_mode=team["mode"],
            cycle_started_at=at(self.months[0], 0),
        )
        self.quotas = {user.pk: n for user, n in coverage.monthly_quotas(self.community).items()}
        for month in self.months:
            for butler in butlers:
                zone = self.zone(butler)
                if team["mode"] == CoverageMode.FULL:
                    self.full_coverage(butler, zone, month)
                elif month != self.months[-1] or butler != butlers[0]:
                    # butler1's sample this month is the approved plan (see `plans`)
                    self.sample(butler, zone, month, self.quotas.get(butler.pk, 0))
                self.vacant_inspections(butler, zone, month)
                self.extras(butler, zone, month, survey=month == self.months[-2])
            for leader in (team["manager"], team["supervisor"]):
                if leader is not None:
                    self.sample(leader, self.houses, month, self.quotas.get(leader.pk, 0))
            if team["manager"] is not None:
                self.manager_duties(month)
        returns.move_in_visits(self)
        returns.play(self, team["returns"])
        self.flush()
        self.plans()
        self.flush()
        recent.keep_promises(self)
        recent.log_recent(self)

    def count(self, base):
        """`base` at the demo scale, rounded at random so small scales keep some."""
        value = base * self.scale
        return int(value) + (self.rng.random() < value - int(value))

    def days(self, month):
        """(the month's days up to today, their weights)."""
        end = min(month_start(month, -1), self.today + dt.timedelta(days=1))
        days = [month + dt.timedelta(days=n) for n in range((end - month).days)]
        return days, [WEEKDAY_WEIGHTS[day.weekday()] for day in days]

    def any_day(self, month):
        """A day of the whole month, or None when it has not come yet."""
        span = (month_start(month, -1) - month).days
        day = month + dt.timedelta(days=self.rng.randrange(span))
        return day if day <= self.today else None

    # --- a month's work ----------------------------------------------------------------

    def sample(self, author, pool, month, quota):
        """[002] `quota` households of `pool` not visited yet in the cycle (the part of the
        month gone by, for this month)."""
        rng = self.rng
        days, weights = self.days(month)
        fresh = [h for h in pool if h.is_occupied and h.pk not in self.cycle]
        share = len(days) / (month_start(month, -1) - month).days
        for house in rng.sample(fresh, min(len(fresh), math.ceil((quota + rng.randint(0, 3)) * share))):
            self.visit(house, author, rng.choices(days, weights)[0], pick(rng, SAMPLE_CHANNELS), VisitType.ROUTINE)

    def full_coverage(self, butler, zone, month):
        """[000] every occupied household every month; owners not moved in, a call a quarter."""
        for house in zone:
            day = self.any_day(month)
            if day is None:
                continue
            if house.is_occupied and self.rng.random() < 0.97:
                self.visit(house, butler, day, pick(self.rng, FULL_CHANNELS), VisitType.ROUTINE)
            elif house.occupancy == Occupancy.RENOVATING and month.month % 3 == 1:
                self.visit(house, butler, day, Channel.PHONE, VisitType.ROUTINE, chance=0.1)

    def vacant_inspections(self, butler, zone, month):
        """[003] 《空置房巡视记录》 monthly; a defect becomes a follow-up and the owner is told."""
        rng = self.rng
        for house in zone:
            day = self.any_day(month)
            if house.occupancy != Occupancy.VACANT or day is None:
                continue
            checklist = dict.fromkeys(services.CHECKLIST_LABELS, "ok")
            fields = {"reply": texts.VACANT_OK, "people_met": "", "satisfaction": "", "signature": Signature.NOT_ASKED}
            defect = rng.choice(("leaks", "cracks", "doors_windows")) if rng.random() < 0.05 else None
            if defect:
                checklist[defect] = "defect"
                label = services.CHECKLIST_LABELS[defect]
                fields["reply"] = f"巡视发现{label}问题，已拍照并报工程部。"
            visit = self.visit(
                house,
                butler,
                day,
                Channel.DOOR,
                VisitType.VACANT_INSPECTION,
                opinions=[],
                checklist=checklist,
                **fields,
            )
            if visit is not None and defect:
                told = visit.started_at + dt.timedelta(hours=2)
                visit.owner_notified = f"电话告知业主 {timezone.localtime(told):%m-%d %H:%M}"
                promise = (
                    f"空置房巡视发现{label}问题，需安排维修并告知业主。",
                    f"工程部已处理{label}问题，业主已知悉。",
                )
                self.promises.append((visit, OpinionCategory.REPAIR, promise))

    def extras(self, butler, zone, month, *, survey):
        """Fee calls, event invitations, office contacts; holiday visits to key residents;
        the half-yearly satisfaction survey [001]."""
        rng = self.rng
        occupied = [h for h in zone if h.is_occupied]
        if not occupied:
            return
        days, weights = self.days(month)
        share = len(days) / (month_start(month, -1) - month).days
        for visit_type, channels, base in EXTRAS:
            for _ in range(self.count(base * share)):
                fields = {}
                if visit_type == VisitType.EVENT_INVITE:
                    event = texts.EVENTS.get(month.month, "社区邻里节活动")
                    answer = rng.choice(("会准时参加", "看时间安排", "家里老人会去"))
                    fields["reply"] = f"邀请业主参加{event}，业主表示{answer}。"
                house, day = rng.choice(occupied), rng.choices(days, weights)[0]
                self.visit(house, butler, day, pick(rng, channels), visit_type, chance=0.15, **fields)
        holiday = texts.HOLIDAYS.get(month.month)
        for house in [h for h in occupied if h.pk in self.key_houses] if holiday else ():
            reply = f"{holiday}慰问，送上慰问品，了解老人身体和生活情况。"
            self.visit(house, butler, rng.choices(days, weights)[0], Channel.DOOR, VisitType.HOLIDAY, reply=reply)
        if survey:
            for house in rng.sample(occupied, min(len(occupied), self.count(SURVEY_PER_BUTLER))):
                self.visit(house, butler, rng.choices(days, weights)[0], Channel.SURVEY, VisitType.SATISFACTION)

    def manager_duties(self, month):
        """[000] the manager meets the owners' committee chair and one key resident monthly."""
        rng, manager = self.rng, self.team["manager"]
        days, weights = self.days(month)
        if self.chair is not None:
            house, name = self.chair
            self.visit(
                house,
                manager,
                rng.choices(days, weights)[0],
                Channel.OFFICE,
                VisitType.OTHER,
                people_met=f"业委会主任 {name}",
                reply="月度沟通：通报本月维修资金使用、公共收益及下月外墙清洗安排。",
                chance=0.5,
            )
        key = [h for h in self.houses if h.pk in self.key_houses and h.is_occupied]
        if key:
            house = rng.choice(key)
            visit = self.visit(house, manager, rng.choices(days, weights)[0], Channel.DOOR, VisitType.ROUTINE)
            if visit is not None and house.butler is not None:
                self.companions.append((visit, house.butler))

    # --- this month's plans ------------------------------------------------------------

    def plans(self):
        """Sampling: butler1's plan approved on the 2nd and partly done, butler2's
        submitted and awaiting approval. Full coverage: butler3's draft of the zone."""
        month, butlers = self.months[-1], self.team["butlers"]
        period = {"community": self.community, "year": month.year, "month": month.month}
        if self.team["mode"] == CoverageMode.FULL:
            houses = coverage.propose_full(self.community, butlers[0])
            services.create_monthly_plan(
                **period,
                owner=butlers[0],
                houses=houses,
                actor=butlers[0],
                channel=Channel.PHONE,
                purpose="月度全覆盖拜访",
            )
            return
        chosen = []
        for index, butler in enumerate(butlers):
            size = max(self.quotas.get(butler.pk, 0), MIN_PLAN)
            zone = [h.pk for h in self.zone(butler)]
            houses, _ = coverage.propose_sample(
                self.community, size, pool=zone, exclude=chosen, seed=self.rng.randrange(10**6)
            )
            chosen += [h.pk for h in houses]
            plan = services.create_monthly_plan(
                **period, owner=butler, houses=houses, actor=butler, purpose="月度抽样拜访"
            )
            items = list(plan.items.order_by("house__number"))
            span = (month_start(month, -1) - month).days
            for position, item in enumerate(items):
                item.intended_date = month + dt.timedelta(days=1 + position * (span - 2) // len(items))
                item.channel = pick(self.rng, SAMPLE_CHANNELS)
            PlanItem.objects.bulk_update(items, ["intended_date", "channel"])
            services.submit_plan(plan, actor=butler)
            if index > 0:
                continue
            services.decide_plan(
                plan, actor=self.team["supervisor"], approve=True, comment="同意。上班族业主请安排晚间拜访。"
            )
            # submitted on the 1st, approved the next morning (the services stamped now)
            VisitPlan.objects.filter(pk=plan.pk).update(
                submitted_at=at(month, 16, 40), decided_at=at(month + dt.timedelta(days=1), 9, 20)
            )
            for item in items:
                if item.intended_date < self.today and self.rng.random() < 0.8:
                    house = self.by_pk[item.house_id]
                    self.visit(house, butler, item.intended_date, item.channel, VisitType.ROUTINE, plan_item=item)
