"""The front desk in the demo (SPEC §3 [000][001]): two months of walk-in visitors,
the watchlist and its overrides, temporary passes, large-item permits and registered
domestic helpers.

阳光花园 registers a few dozen visitors a day — deliveries at lunch and in the
evening, friends in the evening and on weekend mornings, renovation crews at eight
on working days (noisy work is banned at weekends) — and almost all of them have
left again; a handful are inside right now, one of them past the overstay hours.
`frontdesk` is the clerk, the supervisor restricts and approves. A renovation
worker who damaged a lift went on the watchlist from the incident; he has come
back since with the supervisor's approval from her inbox, and once more with her
password at the desk (this morning; yesterday when seeded before noon). A man
handing out leaflets as a "courier" is on the watchlist by his ID and mobile, and
is at the gate right now, waiting for the supervisor's decision. Passes, permits
and helpers go through their services on owner households. 翠湖苑 has a quarter of
the traffic, two visitors inside and one pass; it has no clerk or supervisor of
its own, so the company admin does both, as the inbox falls back to.

The walk-ins go in bulk — `register_entry` and `mark_exit` take about 3 ms a
visitor on SQLite, some 7 s for the 2,400 of them, as long as the rest of the demo
together — leaving what the services leave: masked ID number and keyed hashes
(`visitors.id_hash`, `visitors.mobile_hash`), a history row for the registration
and one for the exit, and the clear ID number in neither once the visitor has
left. Everything else goes through the services and is then dated when it
happened, as `monthly` does. The retention job then runs as it does each night:
entries older than the retention period lose their personal data, in the register
and its history. A community with any front-desk data is left alone, so
`seed_demo` twice adds nothing. Each community draws from its own seeded Random
and Faker; dates follow today (Asia/Shanghai).
"""

import copy
import datetime as dt
import random
import struct
import zlib
from dataclasses import dataclass, replace

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from faker import Faker

from core.demo import DEMO_PASSWORD
from core.models import Reminder
from core.services import mark_reminder_read
from residents import services as archive
from residents.choices import Gender, IdType, Occupancy, Relation
from residents.demo.identity import LOCAL_REGIONS, OTHER_REGIONS, random_mobile, random_plate, resident_id
from residents.masking import mask_id_number
from residents.models import HelperRegistration, House, Residency
from residents.validators import birth_date_from_resident_id
from visits import passes, visitors
from visits.choices import EntryStatus, IncidentKind, VisitorPurpose
from visits.demo.records import at, pick
from visits.models import FrontDeskSettings, ItemPermit, TemporaryPass, VisitorEntry, VisitorIncident

BATCH = 1000
DAYS = 60  # today and the 59 days before it
REFERENCE_DATE = dt.date(2026, 3, 1)  # ages are drawn against a fixed date

DELIVERY, FRIEND, RENOVATION = VisitorPurpose.DELIVERY, VisitorPurpose.FRIEND, VisitorPurpose.RENOVATION
HOUSEKEEPING, REPAIR, AGENT = VisitorPurpose.HOUSEKEEPING, VisitorPurpose.REPAIR, VisitorPurpose.AGENT
BUSINESS, OTHER = VisitorPurpose.BUSINESS, VisitorPurpose.OTHER

# Why people come, on a working day and at a weekend (Shanghai bans noisy renovation at weekends).
PURPOSES = {
    False: {DELIVERY: 40, FRIEND: 24, HOUSEKEEPING: 9, RENOVATION: 8, REPAIR: 7, BUSINESS: 5, AGENT: 4, OTHER: 3},
    True: {DELIVERY: 38, FRIEND: 38, AGENT: 7, HOUSEKEEPING: 5, REPAIR: 5, OTHER: 3, BUSINESS: 2, RENOVATION: 2},
}
# When they arrive: hour → weight, on a working day and at a weekend.
_DELIVERY_WEEKDAY = {8: 2, 9: 3, 10: 5, 11: 12, 12: 10, 13: 4, 14: 3, 15: 3, 16: 4, 17: 8, 18: 13, 19: 12, 20: 7, 21: 4}
_DELIVERY_WEEKEND = {8: 2, 9: 4, 10: 7, 11: 12, 12: 10, 13: 5, 14: 5, 15: 5, 16: 5, 17: 7, 18: 10, 19: 9, 20: 6, 21: 4}
_OFFICE = {9: 4, 10: 4, 11: 2, 13: 2, 14: 4, 15: 3, 16: 2}
HOURS = {
    DELIVERY: (_DELIVERY_WEEKDAY, _DELIVERY_WEEKEND),
    FRIEND: (
        {10: 1, 11: 1, 14: 1, 15: 1, 16: 2, 17: 4, 18: 8, 19: 10, 20: 6, 21: 2},
        {8: 3, 9: 9, 10: 12, 11: 8, 12: 3, 13: 3, 14: 6, 15: 6, 16: 4, 17: 4, 18: 5, 19: 4, 20: 2},
    ),
    RENOVATION: ({7: 3, 8: 12, 9: 3, 13: 3, 14: 2}, {8: 3, 9: 2, 14: 1}),
    HOUSEKEEPING: ({8: 6, 9: 6, 10: 3, 13: 2, 14: 3, 15: 1, 18: 1}, {8: 3, 9: 4, 10: 3, 14: 2}),
    REPAIR: ({9: 3, 10: 4, 11: 2, 13: 2, 14: 4, 15: 4, 16: 2, 19: 1}, {9: 3, 10: 4, 11: 2, 14: 3, 15: 3, 16: 1}),
    AGENT: ({10: 2, 11: 2, 14: 3, 15: 3, 16: 2, 18: 2, 19: 2}, {9: 3, 10: 5, 11: 4, 14: 5, 15: 5, 16: 3}),
    BUSINESS: (_OFFICE, {9: 2, 10: 3, 11: 2, 14: 2, 15: 2}),
    OTHER: ({9: 2, 10: 2, 11: 1, 14: 2, 15: 2, 16: 1, 19: 1}, {9: 2, 10: 2, 14: 2, 15: 2, 19: 1}),
}
# How long they stay, in minutes: (low, most likely, high).
STAYS = {
    DELIVERY: (3, 8, 25),
    FRIEND: (40, 110, 300),
    HOUSEKEEPING: (90, 180, 260),
    REPAIR: (25, 60, 160),
    AGENT: (15, 35, 70),
    BUSINESS: (10, 20, 50),
    OTHER: (15, 40, 120),
}
HEADS = {FRIEND: {1: 50, 2: 30, 3: 14, 4: 6}, RENOVATION: {1: 50, 2: 35, 3: 15}, REPAIR: {1: 80, 2: 20}}
PLATES = {FRIEND: 0.25, RENOVATION: 0.35, REPAIR: 0.4, AGENT: 0.3, BUSINESS: 0.2, OTHER: 0.1, HOUSEKEEPING: 0.05}
ITEMS = {
    RENOVATION: ("电钻、切割机", "瓷砖 8 箱", "水泥 5 袋、黄沙 3 袋", "乳胶漆 4 桶", "木工工具箱", ""),
    REPAIR: ("工具包", "空调维修工具", "燃气热水器配件", "水管配件", ""),
    FRIEND: ("水果礼盒", "生日蛋糕", "", "", "", "", ""),
}
COURIER_SHARE = 0.75  # deliveries by the riders who come every day
REPEAT_FRIEND = 0.2  # the same friend or relative again
REGULAR_HOUSEKEEPER = 0.8


@dataclass(frozen=True)
class Visitor:
    name: str
    id_type: str
    id_number: str
    mobile: str
    plate: str = ""
    parcel: str = ""  # a rider's: 外卖 or 快递


@dataclass(frozen=True)
class Plan:
    seed: int
    daily: tuple  # walk-ins a day at scale 1, Monday … Sunday
    couriers: int
    inside: tuple  # who is inside now: (purpose, minutes ago, head count, items, by car)
    passes: tuple = ()
    story: bool = False  # the watchlist, helpers and permits


SUNSHINE = Plan(
    seed=20260903,
    daily=(27, 26, 27, 28, 33, 45, 41),
    couriers=14,
    inside=(
        (DELIVERY, 6, 1, "外卖 2 份", False),
        (AGENT, 22, 1, "", False),
        (FRIEND, 48, 3, "水果礼盒", False),
        (RENOVATION, 130, 2, "电钻、角磨机", True),
        (FRIEND, None, 2, "", True),  # None: past the overstay hours
    ),
    passes=("active", "expired", "revoked"),
    story=True,
)
LAKESIDE = Plan(
    seed=20260904,
    daily=(6, 6, 6, 7, 8, 11, 10),
    couriers=5,
    inside=((REPAIR, 35, 1, "燃气热水器配件", True), (FRIEND, 95, 2, "", False)),
    passes=("active",),
)
# Temporary passes: head count, note; valid from, valid to (days from today); issued, revoked (days back, hour, minute).
PASSES = {
    "active": (2, "业主父母从老家来沪小住两周", -2, 12, (3, 16, 40), None),
    "expired": (1, "亲属来沪就医，暂住陪护", -20, -6, (21, 10, 5), None),
    "revoked": (1, "家政试用期一个月", -5, 25, (6, 9, 40), (1, 18, 20)),
}
REVOKE_REASON = "业主来电：试用结束不再聘用，申请作废。"
HELPERS = (
    # notes, may take items out, may admit visitors, registered (days back, hour, minute)
    ("住家保姆", True, True, (41, 10, 30)),
    ("钟点工，周一、三、五上午", False, False, (13, 15, 0)),
)


def seed(communities, users, *, scale, now):
    """Each community with houses and no front-desk data yet; then the nightly jobs."""
    sunshine, lakeside = communities
    staff = {
        sunshine.pk: (users["frontdesk"], users["supervisor"]),
        lakeside.pk: (users["admin"], users["admin"]),
    }
    for community, plan in zip(communities, (SUNSHINE, LAKESIDE), strict=True):
        if untouched(community):
            clerk, supervisor = staff[community.pk]
            FrontDeskDemo(community, plan, clerk=clerk, supervisor=supervisor, scale=scale, now=now).run()
    passes.mark_expired_passes(today=timezone.localdate(now))
    visitors.anonymise_expired_entries(now=now)


def untouched(community):
    """Houses, and nothing at the front desk yet."""
    return (
        House.objects.filter(community=community).exists()
        and not VisitorEntry.objects.filter(community=community).exists()
        and not TemporaryPass.objects.filter(community=community).exists()
        and not ItemPermit.objects.filter(community=community).exists()
        and not HelperRegistration.objects.filter(residency__house__community=community).exists()
    )


def tiny_png(size=16):
    """A small grey head-and-shoulders silhouette as a PNG (8-bit greyscale), built by hand."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    middle = (size - 1) / 2
    rows = b""
    for y in range(size):
        row = bytearray([0])  # filter type: none
        for x in range(size):
            head = (x - middle) ** 2 + (y - size * 0.38) ** 2 <= (size * 0.2) ** 2
            shoulders = y >= size * 0.68 and abs(x - middle) <= (y - size * 0.5)
            row.append(90 if head or shoulders else 220)
        rows += bytes(row)
    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class Walkins:
    """Draws who comes on a day, when, why and for how long, and who they are: riders
    who come every day, a regular housekeeper, a renovation crew, friends who come
    back, and everyone else new. Saves nothing."""

    def __init__(self, plan, *, rng, fake, scale):
        self.plan, self.rng, self.fake, self.scale = plan, rng, fake, scale
        self.couriers = [
            replace(self.person(male=rng.random() < 0.8, age=(20, 45), mobile=1.0), parcel=("快递", "外卖")[n % 2])
            for n in range(plan.couriers)
        ]

    def person(self, *, male=None, age=(20, 60), mobile=0.9, plate=0.0):
        """A new visitor: a name, a valid ID (a few from Hong Kong or abroad), a mobile, a car."""
        rng = self.rng
        male = rng.random() < 0.55 if male is None else male
        name = self.fake.last_name() + (self.fake.first_name_male() if male else self.fake.first_name_female())
        roll = rng.random()
        if roll < 0.01:
            id_type, number = IdType.HK_MACAU_PERMIT, f"H{rng.randrange(10**8):08d}"
        elif roll < 0.02:
            id_type, number = IdType.PASSPORT, f"E{rng.randrange(10**8):08d}"
        else:
            birth = REFERENCE_DATE - dt.timedelta(days=rng.randint(age[0] * 365, age[1] * 365))
            region = rng.choice(LOCAL_REGIONS if rng.random() < 0.35 else OTHER_REGIONS)
            id_type, number = IdType.RESIDENT_ID, resident_id(region, birth, rng.randrange(500) * 2 + male)
        return Visitor(
            name=name,
            id_type=id_type,
            id_number=number,
            mobile=random_mobile(rng) if rng.random() < mobile else "",
            plate=random_plate(rng, new_energy=rng.random() < 0.3) if rng.random() < plate else "",
        )

    def count(self, day):
        """The day's walk-ins at the demo scale, rounded at random so small scales keep some."""
        value = self.plan.daily[day.weekday()] * self.rng.uniform(0.85, 1.15) * self.scale
        return int(value) + (self.rng.random() < value - int(value))

    def arrivals(self, day):
        """[(entered_at, purpose, minutes inside)] of the walk-ins on `day`, in arrival order."""
        rng, weekend = self.rng, day.weekday() >= 5
        found = []
        for _ in range(self.count(day)):
            purpose = pick(rng, PURPOSES[weekend])
            entered = at(day, pick(rng, HOURS[purpose][weekend]), rng.randrange(60))
            if purpose == RENOVATION:  # the crew works until the end of the afternoon
                leaves = at(day, 17, rng.randrange(60))
                minutes = max(int((leaves - entered).total_seconds() // 60), rng.randint(60, 120))
            else:
                low, likely, high = STAYS[purpose]
                minutes = round(rng.triangular(low, high, likely))
            found.append((entered, purpose, minutes))
        return sorted(found, key=lambda row: row[0])

    def items(self, purpose, visitor):
        rng = self.rng
        if purpose == DELIVERY:
            n = rng.choice((1, 1, 1, 2, 2, 3))
            return f"外卖 {n} 份" if visitor.parcel == "外卖" else f"快递包裹 {n} 件"
        return rng.choice(ITEMS.get(purpose, ("",)))

    def heads(self, purpose):
        return pick(self.rng, HEADS[purpose]) if purpose in HEADS else 1


class FrontDeskDemo(Walkins):
    """One community's front desk: `clerk` registers and lets out, `supervisor` restricts
    and approves; `plan` says how busy it is and what else there is."""

    def __init__(self, community, plan, *, clerk, supervisor, scale, now):
        rng = random.Random(plan.seed)
        fake = Faker("zh_CN")
        fake.seed_instance(plan.seed)
        super().__init__(plan, rng=rng, fake=fake, scale=scale)
        self.community, self.clerk, self.supervisor, self.now = community, clerk, supervisor, now
        self.today = timezone.localdate(now)
        self.policy = FrontDeskSettings.for_community(community)
        houses = list(House.objects.filter(community=community).order_by("pk"))
        self.lived_in = [h for h in houses if h.is_occupied] or houses
        self.renovating = [h for h in houses if h.occupancy == Occupancy.RENOVATING] or self.lived_in
        self.for_sale = [h for h in houses if h.occupancy in (Occupancy.VACANT, Occupancy.RENTED)] or self.lived_in
        self.owners = list(
            Residency.objects.filter(
                house__community=community,
                house__occupancy=Occupancy.OCCUPIED,
                relation=Relation.OWNER,
                end_date__isnull=True,
            )
            .select_related("house", "person")
            .order_by("house_id", "pk")
        )
        self.friends, self.crews, self.housekeepers = {}, {}, {}

    def run(self):
        self.register_walkins()
        if self.plan.story:
            self.watchlist()
        self.inside_now()
        households = self.owner_households(len(self.plan.passes) + (len(HELPERS) + 2 if self.plan.story else 0))
        for kind in self.plan.passes:
            self.temporary_pass(kind, *households.pop())
        if self.plan.story:
            helpers = [self.helper(*spec, *households.pop()) for spec in HELPERS]
            self.permits(helpers[0], households)

    # --- the walk-ins, in bulk -------------------------------------------------------------

    def register_walkins(self):
        """Two months of visitors, all gone again, saved as `register_entry` and `mark_exit`
        would leave them: the entry and two history rows, none with the clear ID number."""
        entries, latest = [], self.now - dt.timedelta(minutes=2)
        for back in range(DAYS - 1, -1, -1):
            for entered, purpose, minutes in self.arrivals(self.today - dt.timedelta(days=back)):
                exited = entered + dt.timedelta(minutes=minutes)
                if exited > latest:
                    continue  # still inside: who is inside now is `inside_now`'s
                entry = self.entry(purpose, entered)
                entry.status, entry.exited_at, entry.exit_by = EntryStatus.LEFT, exited, self.clerk
                entry._history_user, entry._history_date = self.clerk, exited
                entries.append(entry)
        VisitorEntry.objects.bulk_create(entries, batch_size=BATCH)
        registered = []
        for entry in entries:  # as it was at the desk: inside, dated when they came
            row = copy.copy(entry)
            row.status, row.exited_at, row.exit_by = EntryStatus.INSIDE, None, None
            row._history_date = entry.entered_at
            registered.append(row)
        VisitorEntry.history.bulk_history_create(registered, batch_size=BATCH)
        VisitorEntry.history.bulk_history_create(entries, batch_size=BATCH, update=True)

    def entry(self, purpose, entered):
        """One walk-in as registered (inside), its clear ID number already gone."""
        visitor, house = self.visitor(purpose)
        return VisitorEntry(
            community=self.community,
            house=house,
            name=visitor.name,
            id_type=visitor.id_type,
            id_number="",
            id_masked=mask_id_number(visitor.id_number),
            id_hash=visitors.id_hash(visitor.id_type, visitor.id_number),
            mobile=visitor.mobile,
            mobile_hash=visitors.mobile_hash(visitor.mobile),
            plate=visitor.plate if self.rng.random() < 0.85 else "",
            head_count=self.heads(purpose),
            purpose=purpose,
            items=self.items(purpose, visitor),
            entered_at=entered,
            registered_by=self.clerk,
        )

    def visitor(self, purpose):
        """(who comes for `purpose`, to which house): riders, housekeepers, crews and
        friends come back; business at the office has no house."""
        rng = self.rng
        if purpose == BUSINESS:
            return self.person(plate=PLATES[BUSINESS]), None
        if purpose == DELIVERY:
            rider = rng.choice(self.couriers) if rng.random() < COURIER_SHARE else self.person(age=(20, 45), mobile=1.0)
            return rider, rng.choice(self.lived_in)
        if purpose == RENOVATION:
            house = rng.choice(self.renovating[:40])  # a few houses being done up at a time
            crew = self.crews.setdefault(house.pk, [])
            if len(crew) < 3:
                crew.append(self.person(male=True, age=(25, 55), mobile=0.95, plate=PLATES[RENOVATION]))
            return rng.choice(crew), house
        if purpose == HOUSEKEEPING and rng.random() < REGULAR_HOUSEKEEPER:
            house = rng.choice(self.lived_in[:: max(1, len(self.lived_in) // 12)])
            if house.pk not in self.housekeepers:
                self.housekeepers[house.pk] = self.person(male=False, age=(35, 58), plate=PLATES[HOUSEKEEPING])
            return self.housekeepers[house.pk], house
        house = rng.choice(self.for_sale if purpose == AGENT else self.lived_in)
        if purpose == FRIEND:
            known = self.friends.setdefault(house.pk, [])
            if known and rng.random() < REPEAT_FRIEND:
                return rng.choice(known), house
            known.append(self.person(plate=PLATES[FRIEND]))
            return known[-1], house
        return self.person(plate=PLATES.get(purpose, 0)), house

    # --- through the services ------------------------------------------------------------

    def register(self, visitor, purpose, house, entered, *, head_count=1, items="", dates=None, **override):
        """`register_entry` at the desk, dated `entered` (and `dates`, the times it wrote as now)."""
        entry = visitors.register_entry(
            community=self.community,
            actor=self.clerk,
            name=visitor.name,
            id_type=visitor.id_type,
            id_number=visitor.id_number,
            mobile=visitor.mobile,
            plate=visitor.plate,
            head_count=head_count,
            house=house,
            purpose=purpose,
            items=items,
            entered_at=entered,
            **override,
        )
        stamp(entry, entered, **(dates or {}))
        return entry

    def leave(self, entry, moment):
        visitors.mark_exit(entry, actor=self.clerk, at=moment)
        stamp(entry, moment)

    def inside_now(self):
        """A handful registered in the last hours, still inside; one past the overstay hours."""
        for purpose, minutes, heads, items, by_car in self.plan.inside:
            if minutes is None:
                minutes = self.policy.overstay_hours * 60 + 35
            visitor, house = self.visitor(purpose)
            if by_car and not visitor.plate:
                visitor = replace(visitor, plate=random_plate(self.rng))
            entered = self.now - dt.timedelta(minutes=minutes)
            self.register(visitor, purpose, house, entered, head_count=heads, items=items)

    def watchlist(self):
        """A renovation worker on the watchlist from an incident — let in since through the
        supervisor's inbox and with her password — and a leaflet man at the gate right now."""
        rng, supervisor = self.rng, self.supervisor
        worker = self.person(male=True, age=(30, 50), mobile=1.0, plate=1.0)
        house = rng.choice(self.renovating[:40])
        building = house.number.split("-")[0]
        entry = self.register(
            worker, RENOVATION, house, self.when(16, 13, 50), head_count=2, items="瓷砖切割机、水泥 4 袋"
        )
        incident = visitors.record_incident(
            entry,
            actor=self.clerk,
            kind=IncidentKind.DAMAGE,
            description=f"搬运水泥和瓷砖时未按要求在电梯内铺设保护板，划伤{building}号楼电梯轿厢不锈钢面板多处；"
            "值班保安要求登记赔偿时拒不配合并辱骂值班人员，已拍照留存并通知业主。",
        )
        VisitorIncident.objects.filter(pk=incident.pk).update(recorded_at=self.when(16, 15, 5))
        self.leave(entry, self.when(16, 15, 40))
        restricted = self.when(15, 9, 30)
        restriction = visitors.restrict_visitor(
            community=self.community,
            actor=supervisor,
            name="",
            reason="损坏电梯轿厢面板并辱骂值班保安，拒不配合赔偿；进入须主管放行。",
            until=self.today + dt.timedelta(days=75),
            entry=entry,
            incident=incident,
        )
        stamp(restriction, restricted, created_at=restricted)

        asked = self.when(10, 8, 20)
        entry = self.register(
            worker,
            RENOVATION,
            house,
            asked,
            head_count=2,
            items="防水涂料 3 桶",
            ask_inbox_approval=True,
            override_reason="业主到门岗说明工人须完成卫生间防水施工，请主管审批。",
        )
        visitors.approve_override(
            entry, actor=supervisor, approve=True, comment="已与业主电话确认，同意放行；请提醒工人使用电梯保护板。"
        )
        approved = asked + dt.timedelta(minutes=12)
        stamp(entry, approved, entered_at=approved, override_at=approved)
        read_reminders(entry)
        self.leave(entry, self.when(10, 17, 25))

        back = 0 if at(self.today, 12) <= self.now else 1  # this morning (yesterday's, seeded before noon)
        entered = self.when(back, 8, 35)
        try:
            entry = self.register(
                worker,
                RENOVATION,
                house,
                entered,
                head_count=2,
                items="收尾工具",
                dates={"override_at": entered},
                override_username=supervisor.username,
                override_password=DEMO_PASSWORD,
                override_reason="业主到门岗当面担保并陪同进入，本次进场完成收尾施工。",
            )
        except ValidationError as error:
            if "override_password" not in error.message_dict:
                raise
            # the demo supervisor's password has been changed: nobody confirms on the spot
        else:
            self.leave(entry, self.when(back, 11, 50))

        leaflets = self.person(male=True, age=(22, 40), mobile=1.0)
        restricted = self.when(9, 16, 10)
        restriction = visitors.restrict_visitor(
            community=self.community,
            actor=supervisor,
            name=leaflets.name,
            reason="多次冒充快递员进入楼栋张贴小广告，业主投诉并经监控核实。",
            id_type=leaflets.id_type,
            id_number=leaflets.id_number,
            mobile=leaflets.mobile,
        )
        stamp(restriction, restricted, created_at=restricted)
        self.register(
            leaflets,
            DELIVERY,
            rng.choice(self.lived_in),
            self.now - dt.timedelta(minutes=9),
            items="大件包裹 1 件",
            ask_inbox_approval=True,
            override_reason="自称为该户送货上门，业主电话暂未接通，请主管审批。",
        )

    # --- passes, helpers and permits -----------------------------------------------------

    def owner_households(self, n):
        """`n` different occupied houses with an owner on file: [(house, owner)]."""
        first = {}
        for residency in self.owners:
            first.setdefault(residency.house_id, residency)
        chosen = self.rng.sample(sorted(first), min(n, len(first)))
        return [(first[pk].house, first[pk].person) for pk in chosen]

    def temporary_pass(self, kind, house, owner):
        """Issued by the clerk at the owner's request; an expired one was issued while it
        still ran, a revoked one withdrawn at the owner's call."""
        guests, note, start, end, issued, revoked = PASSES[kind]
        guest = self.person(age=(25, 75))
        valid_to = self.today + dt.timedelta(days=end)
        made = passes.issue_pass(
            house=house,
            actor=self.clerk,
            requested_by=owner,
            guest_name=guest.name,
            guest_count=guests,
            guest_mobile=guest.mobile,
            valid_from=self.today + dt.timedelta(days=start),
            valid_to=max(valid_to, self.today),
            note=note,
        )
        moment = self.when(*issued)
        stamp(made, moment, issued_at=moment, valid_to=valid_to)
        if revoked:
            passes.revoke_pass(made, actor=self.clerk, reason=REVOKE_REASON)
            moment = self.when(*revoked)
            stamp(made, moment, revoked_at=moment)
        return made

    def helper(self, notes, may_take_items, may_admit_visitors, registered, house, owner):
        """家政人员备案 with the owner present: photo taken, ID checked, a pass number."""
        person = self.person(male=False, age=(38, 58), mobile=1.0)
        registration = archive.register_helper(
            house=house,
            actor=self.clerk,
            owner=owner,
            photo=SimpleUploadedFile("helper.png", tiny_png(), content_type="image/png"),
            id_checked=True,
            may_take_items=may_take_items,
            may_admit_visitors=may_admit_visitors,
            name=person.name,
            gender=Gender.FEMALE,
            id_type=person.id_type,
            id_number=person.id_number,
            mobile=person.mobile,
            birth_date=birth_date_from_resident_id(person.id_number) if person.id_type == IdType.RESIDENT_ID else None,
            notes=notes,
        )
        moment = self.when(*registered)
        for made in (registration, registration.residency, registration.residency.person):
            stamp(made, moment, created_at=moment)
        return registration

    def permits(self, helper, households):
        """Large items out: one let out this morning (the authorised helper applied), one
        for later today, one in a few days."""
        rng = self.rng
        used = passes.issue_permit(
            house=helper.residency.house,
            actor=self.clerk,
            applicant=helper.residency.person,
            items="旧三人沙发 1 套、旧床垫 1 张（业主委托家政人员办理）",
            gate="南门车行出口",
            valid_on=self.today,
            carrier=f"搬家公司货车 {random_plate(rng)}",
        )
        moment = self.when(1, 17, 10)
        stamp(used, moment, issued_at=moment)
        passes.mark_permit_used(used, actor=self.clerk, today=self.today)
        moment = self.when(0, 10, 20)
        stamp(used, moment, used_at=moment)
        later = (
            ("旧冰箱 1 台（以旧换新回收）", "北门", f"家电回收车 {random_plate(rng)}", 0, (0, 8, 50)),
            (
                "搬家：衣柜 2 个、餐桌椅 1 套、纸箱约 30 件",
                "南门车行出口",
                f"货拉拉 {random_plate(rng)}",
                3,
                (1, 15, 45),
            ),
        )
        for (items, gate, carrier, ahead, issued), (house, owner) in zip(later, households, strict=False):
            permit = passes.issue_permit(
                house=house,
                actor=self.clerk,
                applicant=owner,
                items=items,
                gate=gate,
                valid_on=self.today + dt.timedelta(days=ahead),
                carrier=carrier,
            )
            moment = self.when(*issued)
            stamp(permit, moment, issued_at=moment)

    # --- when ----------------------------------------------------------------------------

    def when(self, back, hour, minute=0):
        """Local hour:minute `back` days ago. Today's times that have not come yet (the demo
        seeded early in the day) move to just before now — still today, still in order."""
        moment = at(self.today - dt.timedelta(days=back), hour, minute)
        if back:
            return moment
        midnight = at(self.today, 0)
        latest = max(self.now - dt.timedelta(minutes=1), midnight + (self.now - midnight) / 2)
        squeezed = latest - dt.timedelta(minutes=10) - (at(self.today, 24) - moment) / 48
        spread = midnight + (moment - midnight) * ((latest - midnight) / dt.timedelta(days=1))
        return max(min(moment, squeezed), spread)


def stamp(obj, moment, **fields):
    """Date the step a service just took on `obj`: its latest history row gets `moment`,
    and `fields` (the times the service wrote as now) go on the row and on `obj`."""
    model = type(obj)
    if fields:
        model.objects.filter(pk=obj.pk).update(**fields)
        for name, value in fields.items():
            setattr(obj, name, value)
    latest = model.history.filter(id=obj.pk).order_by("-history_id").values_list("history_id", flat=True)[:1]
    model.history.filter(history_id__in=list(latest)).update(history_date=moment, **fields)


def read_reminders(about):
    """The reminders of a step long done have been read."""
    kind = ContentType.objects.get_for_model(about)
    for reminder in Reminder.objects.filter(content_type=kind, object_id=str(about.pk), read_at__isnull=True):
        mark_reminder_read(reminder, actor=reminder.recipient)
