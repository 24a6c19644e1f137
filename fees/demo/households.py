"""Who pays how in the fees demo: each household's habit and its payments of the year.

A household pays promptly (between the statement's arrival and the 10th), late
(after the due date, often after the monthly round's call), in advance (half a
year at a time: 预存, the statements set the balance against their lines), through
its butler in cash at the door, or drifts into arrears: it stops paying in some
month and owes to this day (with a reason it gives the butler), or stops for a few
months and settles everything after a call (清欠). The calendar holds each month's
moments: the statement drafted on the 28th at 01:30, issued two days later, due
on the 10th.
"""

import dataclasses
import datetime as dt
import itertools

from django.utils import timezone

from core.demo_timeline import local
from fees import billing, statements
from fees.choices import Delivery, Method, Reason
from residents.choices import Occupancy

D = dt.timedelta(days=1)
MONTHS = 12

PROMPT, LATE, PREPAY, DOOR, ARREARS, RECOVERED = "prompt", "late", "prepay", "door", "arrears", "recovered"
METHODS = ((Method.WECHAT, 45), (Method.ALIPAY, 25), (Method.BANK, 8), (Method.POS, 8), (Method.CASH, 14))
# Households still in arrears today: (reason, months overdue). The first ones are
# the stories (恶意欠费 with its lawyer's letter, the 物业服务问题 told today); the
# rest cycle, so the arrears spread over every ageing band.
ARREARS_STORIES = (
    (Reason.MALICIOUS, 11),
    ("service", 2),
    (Reason.HARDSHIP, 7),
    (Reason.HOUSE_QUALITY, 5),
    (Reason.AWAY, 4),
)
ARREARS_CYCLE = tuple(
    zip(
        (Reason.OTHER, Reason.DISPUTE, Reason.AWAY, Reason.HARDSHIP, Reason.HOUSE_QUALITY) * 2,
        (1, 3, 6, 8, 9, 10, 2, 5, 4, 7),
        strict=True,
    )
)
RECOVERED_REASONS = (Reason.DISPUTE, Reason.OTHER, Reason.HARDSHIP, Reason.AWAY)
LIGHT_ARREARS = ((Reason.AWAY, 6), (Reason.OTHER, 3))


class Calendar:
    """The 12 statement months ending with the latest one drafted by now, and each
    month's moments."""

    def __init__(self, settings_row, now):
        self.settings = settings_row
        last = statements.statement_month(settings_row, timezone.localdate(now))
        if self.draft_at(last) > now:
            last = self.previous(last)
        months = [last]
        for _ in range(MONTHS - 1):
            months.insert(0, self.previous(months[0]))
        self.months = months

    @staticmethod
    def previous(month):
        return (month - D).replace(day=1)

    def draft_day(self, month):
        before = self.previous(month)
        return before.replace(day=min(self.settings.draft_day, billing.days_in_month(before)))

    def draft_at(self, month):
        return local(self.draft_day(month), 1, 30)  # the beat job's hour

    def issue_at(self, month):
        return local(self.draft_day(month) + 2 * D, 10)

    def due(self, month):
        return statements.due_date_of(month, self.settings)


@dataclasses.dataclass
class Household:
    house: object
    butler: object
    payer: str
    phone: str
    method: str
    delivery: str
    profile: str = PROMPT
    reason: str = ""
    stop: int | None = None  # the month (index) from which it pays nothing
    resume: int | None = None  # the month in which it settles everything (清欠)
    role: str = ""  # a story: seller, credit, misposted, victim, reprint, service, letter, waiver
    plan: list = dataclasses.field(default_factory=list)  # [(moment, mode, month index)]
    letter_sent: bool = False

    def next_payment(self, after):
        return next((row for row in self.plan if row[0] > after), None)

    def owes_months(self, index):
        return self.stop is not None and self.stop <= index and (self.resume is None or index < self.resume)


class Cast:
    """The households of one community and their habits, drawn from `rng`."""

    def __init__(self, houses, *, butlers, people, rng, full, billed):
        self.rng = rng
        self.households = {}
        for house in houses:
            owner, phone, key = people.get(house.pk, (f"{house.number}业主", "", False))
            delivery = Delivery.DOOR if rng.random() < 0.85 else Delivery.SECURITY
            if key:
                delivery = Delivery.IN_PERSON
            elif house.occupancy in (Occupancy.VACANT, Occupancy.RENOVATING):
                delivery = Delivery.POST
            method = rng.choices(*zip(*METHODS, strict=True))[0]
            self.households[house.pk] = Household(house, butlers[house.butler_id], owner, phone, method, delivery)
        # Houses already billed a repair charge (the repairs demo) keep plain habits.
        order = [self.households[h.pk] for h in houses]
        rng.shuffle(order)
        free = [h for h in order if h.house.pk not in billed]
        n = len(order)
        if full:
            others = itertools.islice(itertools.cycle(ARREARS_CYCLE), max(0, round(n * 0.08) - len(ARREARS_STORIES)))
            arrears = [*ARREARS_STORIES, *others]
            recovered = [RECOVERED_REASONS[i % 4] for i in range(max(3, round(n * 0.05)))]
            prepay, door = round(n * 0.08), max(2, round(n * 0.03))
        else:
            arrears, recovered = list(LIGHT_ARREARS), [Reason.HARDSHIP]
            prepay, door = round(n * 0.05), 0
        for (reason, overdue), household in zip(arrears, free, strict=False):
            household.profile, household.stop = ARREARS, MONTHS - 1 - overdue
            household.reason, household.delivery = (
                reason,
                Delivery.POST if reason == Reason.AWAY else household.delivery,
            )
            household.role = {Reason.MALICIOUS: "letter", "service": "service"}.get(reason, "")
            if reason == "service":
                household.reason = ""
        free = free[len(arrears) :]
        for reason, household in zip(recovered, free, strict=False):
            household.profile, household.reason = RECOVERED, reason
            household.stop = rng.randint(1, 6)
            household.resume = household.stop + rng.randint(2, 4)
        for household in free[: len(recovered)]:
            if household.reason == Reason.DISPUTE:  # asks for a waiver, turned down
                household.role = "waiver"
                break
        free = free[len(recovered) :]
        for household in free[:prepay]:
            household.profile = PREPAY
        for household in free[prepay : prepay + door]:
            household.profile, household.method = DOOR, Method.CASH
        free = free[prepay + door :]
        self.subscribers, self.door_now = [], next((h for h in order if h.profile == DOOR), None)
        if full:
            roles = ("seller", "credit", "victim", "misposted", "reprint")
            for role, household in zip(roles, free, strict=False):
                household.role = role
            self.subscribers = free[len(roles) : len(roles) + max(4, round(n * 0.04))]
            free = free[len(roles) + len(self.subscribers) :]
        for household in free[: round(n * 0.15)]:
            household.profile = LATE
        for role in ("misposted", "victim"):
            for household in self.with_role(role):
                household.method = Method.WECHAT
        for household in self.with_role("reprint"):
            household.method = Method.CASH

    def with_role(self, role):
        return [h for h in self.households.values() if h.role == role]

    def plan(self, calendar, office):
        """Each household's payments of the year, as (moment, mode, month index)."""
        rng = self.rng
        for household in self.households.values():
            for index, month in enumerate(calendar.months):
                issued, due = calendar.issue_at(month), calendar.due(month)
                sent = timezone.localdate(issued)
                prompt = office.moment(sent + rng.randint(1, max(1, (due - sent).days)) * D)
                late = office.moment(due + rng.randint(2, 16) * D)
                settle = office.moment(month.replace(day=rng.randint(20, 26)))
                if household.profile == PREPAY:
                    if index in (0, 6):
                        household.plan.append((prompt, "prepay", index))
                elif household.owes_months(index):
                    if household.reason == Reason.HARDSHIP and (index - household.stop) % 3 == 2:
                        household.plan.append((settle, "part", index))
                elif household.resume == index:
                    household.plan.append((settle, "all", index))
                elif household.profile == LATE:
                    household.plan.append((late, "all", index))
                else:
                    household.plan.append((prompt, "all", index))
            household.plan.sort(key=lambda row: row[0])
