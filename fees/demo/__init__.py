"""Demo data of the fees app (issue 10 §14): a year of 物业费 in each demo community,
ending now.

阳光花园: the manager sets the rates in December (物业服务费 2.35 元/m²/月 — raised to
2.50 from July, set in June — and 垃圾清运费 10.00 元/户/月; no 车位管理费: billing
has no parking spaces to count yet). For each of the 12 months the 28th's job
drafts the statements (`draft_due_statements` with the clock held at 01:30), the
zone's butler checks them, finance issues them two days later and the butler
records how each reached the household (door, post for empty houses and owners
away, in person for key residents, with the security team), a few only after the
14-day unclaimed reminder. Households pay by WeChat, Alipay, bank, POS or cash at
the counter — most by the 10th, some late, some half a year ahead (预存) — and
some elderly households hand cash to their butler at the door: finance confirms
it the next working day, so only the last day's cash is still to be handed over.
About one household in twelve drifts into arrears of 1 to 11 months (every
ageing band, 收缴率 under 100 %), others stop for a few months and settle after a
call (清欠). Collection rounds open on their days (`open_due_rounds`) and the
butlers call most households on the lists: promised dates kept and missed (the
reminder), every reason — 恶意欠费 gets a lawyer's letter (requested, approved,
printed, sent by EMS); 物业服务问题, told today, opens a complaint. Also: a credit
approved and a waiver turned down, a receipt posted to the wrong house and voided,
a receipt reprinted (补打), a 结清证明 for a house being sold, and the year's
《便民服务项目及价格表》 (drafted by the manager in January, approved by the company
admin) with subscriptions on statements, uses billed and one stopped.

翠湖苑 (butler3 alone; the company admin sets its rates, villas their own, and acts
as its finance) has the same cycle with a couple of households in arrears.

Everything goes through the fees services in time order, each step with
`django.utils.timezone.now` held at its moment (`core.demo_timeline.held_at`);
the jobs run at their beat hours. Households follow the archive's size
(`ctx["demo_scale"]`). A community that already has statements is left alone, so
`seed_demo` twice adds nothing. Reminders went out when they came; those more
than two days old have been read.
"""

import datetime as dt
import heapq
import itertools
import random

from django.db.models import F, Max
from django.utils import timezone

from complaints.models import Complaint
from core.choices import Role
from core.demo_timeline import held_at, local
from core.models import Reminder
from core.selectors import staff_with_role
from core.services import mark_reminder_read
from fees import collection, convenience, statements
from fees.demo.households import Calendar, Cast
from fees.demo.year import CommunityYear
from fees.models import CollectionRound, FeeSettings, Statement
from residents.models import House, Residency

SEEDS = (20261231, 20261232)  # 阳光花园, 翠湖苑
READ_AFTER = dt.timedelta(days=2)
D = dt.timedelta(days=1)


def seed(ctx):
    now = timezone.now()
    users = ctx["users"]
    years = []
    for index, community in enumerate(ctx["communities"]):
        if Statement.objects.filter(community=community).exists():
            continue
        houses = list(
            House.objects.filter(community=community, handover_date__isnull=False, butler__isnull=False)
            .select_related("community", "building")
            .order_by("pk")
        )
        if not houses:
            continue
        rng = random.Random(SEEDS[index])
        calendar = Calendar(FeeSettings.current(community), now)
        staff = Staff(community, users)
        cast = Cast(
            houses,
            butlers=staff.by_pk,
            people=people_of(houses),
            rng=rng,
            full=index == 0,
            billed=set(community_lines(community)),
        )
        years.append(CommunityYear(community, calendar, cast, staff, rng=rng, now=now, full=index == 0))
    if years:
        Office(years, now).play()
        settle_reminders([year.community for year in years], now)
    return ctx


def community_lines(community):
    """Houses with lines before the year is played (repair charges the repairs demo billed)."""
    from fees.models import BillLine

    return BillLine.objects.filter(community=community).values_list("house_id", flat=True).distinct()


def people_of(houses):
    """{house id: (owner's name, mobile, has a key resident)} from the archive."""
    rows = (
        Residency.objects.filter(house__in=houses, end_date__isnull=True)
        .select_related("person")
        .order_by("house_id", "relation", "pk")
    )
    found = {}
    for residency in rows:
        name, phone, key = found.get(residency.house_id, ("", "", False))
        if not name and residency.relation == "owner":
            name, phone = residency.person.name, residency.person.mobile
        found[residency.house_id] = (name, phone, key or residency.person.is_key_resident)
    return {pk: row for pk, row in found.items() if row[0]}


class Staff:
    """The community's people by role; the same user objects throughout (their
    roles are read once)."""

    def __init__(self, community, users):
        self.by_pk = {user.pk: user for user in users.values()}

        def one(role):
            person = staff_with_role(community, role)[0]
            return self.by_pk.get(person.pk, person)

        self.manager, self.finance = one(Role.MANAGER), one(Role.FINANCE)
        self.supervisor = one(Role.SUPERVISOR)
        self.admin = users["admin"]


class Office:
    """The year in time order: a heap of (moment, step); a step may add later steps.
    The jobs run at their beat hours for every community: the 28th's statements
    (01:30), the rounds on their first day (07:10), the reminders (09:20) and the
    break-even check (08:40) on the days they have something to do."""

    def __init__(self, years, now):
        self.years, self.now = years, now
        self.queue, self.counter, self.reminding = [], itertools.count(), set()
        self.rng = random.Random(SEEDS[0])

    def at(self, moment, step, *args):
        if moment <= self.now:
            heapq.heappush(self.queue, (moment, next(self.counter), step, args))

    def moment(self, day, first=8, last=20):
        """An office moment on `day`."""
        return local(day, self.rng.randint(first, last - 1), self.rng.randint(0, 59))

    def play(self):
        calendar = self.years[0].calendar
        for year in self.years:
            year.plan(self)
        for month in calendar.months:
            self.at(calendar.draft_at(month), self.draft, month)
            for kind, first, _last in collection.windows(month):
                self.at(local(first, 7, 10), self.open_rounds, kind, first)
        while self.queue:
            moment, _order, step, args = heapq.heappop(self.queue)
            with held_at(moment):
                step(moment, *args)
        for year in self.years:
            year.finish(self)

    def draft(self, moment, month):
        statements.draft_due_statements(now=moment)
        for year in self.years:
            year.drafted(self, month)

    def open_rounds(self, moment, kind, first):
        collection.open_due_rounds(now=moment)
        for year in self.years:
            round_ = CollectionRound.objects.filter(community=year.community, kind=kind, opened_on=first).first()
            if round_ is not None:
                year.round_opened(self, round_)

    def remind_on(self, day):
        """The daily reminder job (09:20) on a day it has something to raise: the day
        after a promised date, 15 days after an issue. On the other days it finds
        nothing new (each reminder is raised once), so those runs are left out."""
        if day not in self.reminding:
            self.reminding.add(day)
            self.at(local(day, 9, 20), self.remind)

    def remind(self, moment):
        statements.remind_due(now=moment)

    def flag(self, moment):
        """The daily 便民服务 break-even job (08:40), on the first day of each month
        (it reminds once per service and month) and the day after the approval."""
        convenience.flag_unprofitable(now=moment)


def latest_complaint(community):
    return Complaint.objects.filter(community=community).aggregate(at=Max("received_at"))["at"]


def settle_reminders(communities, now):
    """The fees reminders of the past went out when they came, and those of more
    than two days ago were read a few hours after (as in the complaints demo)."""
    reminders = Reminder.objects.filter(kind__startswith="fees.", community__in=communities)
    reminders.filter(delivered_at__isnull=True).update(delivered_at=F("created_at"))
    old = reminders.filter(read_at__isnull=True, created_at__lt=now - READ_AFTER).select_related("recipient")
    for reminder in old:
        with held_at(reminder.created_at + dt.timedelta(hours=3)):
            mark_reminder_read(reminder, actor=reminder.recipient)
