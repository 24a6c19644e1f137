"""Demo data of the resident archive (SPEC §1): 阳光花园 with 1,200 households in
8 buildings, 翠湖苑 with 300; owners, families, tenants, domestic helpers, pets,
vehicles, key residents, the owners' committee, long absences and butler zones.

Each community draws from its own seeded Faker and Random, so runs on an empty
database give the same archive (only lease and absence dates follow today). A
community that already has buildings is left alone: `seed_demo` twice adds
nothing. Rows go in bulk with their history rows; one save per row would take
minutes. `bench/residents_bench.py` reuses `populate` with a 50,000-household plan.
`households.Archive` draws the people; `identity` makes valid ID numbers, mobiles, plates.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from residents import services
from residents.choices import HouseType, Occupancy
from residents.demo import households
from residents.models import Building, House, Person, Pet, Residency, Vehicle

BATCH = 1000
ABSENCE_CONTACTS = ("本人手机", "本人微信", "家属电话（见档案）")
ABSENCE_NOTES = (
    "去海南过冬，水电气总阀已关闭",
    "出国探亲（子女在加拿大）",
    "回老家照顾父母，钥匙寄存管家处",
    "外派出差，阳台有盆栽请留意漏水",
    "住院治疗期间家中无人",
)

SETTLED = ((Occupancy.OCCUPIED, 72), (Occupancy.RENTED, 15), (Occupancy.VACANT, 8), (Occupancy.RENOVATING, 5))
JUST_DELIVERED = ((Occupancy.RENOVATING, 45), (Occupancy.VACANT, 35), (Occupancy.OCCUPIED, 20))


@dataclass(frozen=True)
class BuildingPlan:
    number: str
    units: int
    floors: int
    rooms: int
    floor_area: str
    handover: dt.date
    mix: tuple = SETTLED
    name: str = ""
    house_type: str = HouseType.RESIDENCE
    undelivered_units: tuple = ()  # units whose keys have not been handed over yet


@dataclass(frozen=True)
class CommunityPlan:
    seed: int
    district: str  # dog licences read 浦东犬字…
    buildings: tuple
    committee_members: int
    absences: int


SUNSHINE = CommunityPlan(
    seed=20190628,
    district="浦东",
    buildings=(
        *(BuildingPlan(str(n), 2, 25, 3, "89.56", dt.date(2019, 6, 28)) for n in range(1, 5)),
        *(BuildingPlan(str(n), 2, 25, 3, "118.32", dt.date(2020, 12, 26)) for n in range(5, 8)),
        # phase 3: unit 1 handed over last autumn, unit 2 not yet
        BuildingPlan("8", 2, 25, 3, "128.60", dt.date(2025, 9, 28), JUST_DELIVERED, undelivered_units=("2",)),
    ),
    committee_members=4,
    absences=8,
)
LAKESIDE = CommunityPlan(
    seed=20151018,
    district="闵行",
    buildings=(
        *(BuildingPlan(str(n), 2, 18, 2, ("132.75", "96.20")[n % 2], dt.date(2015, 10, 18)) for n in range(1, 5)),
        BuildingPlan("9", 0, 1, 12, "286.40", dt.date(2016, 5, 1), name="湖畔别墅", house_type=HouseType.VILLA),
    ),
    committee_members=2,
    absences=3,
)


def scaled(floors, scale):
    return max(1, int(floors * scale + 0.5))


def populate(community, plan, *, actor, zones, zone_actor, scale=1.0):
    """One community's archive from `plan`: buildings (by `actor`), handover, zones
    (`zones` = [(butler, building numbers)], assigned by `zone_actor`), then people,
    pets and vehicles registered by each zone's butler. Returns row counts."""
    archive = households.Archive(community, plan)
    rng = archive.rng
    for bp in plan.buildings:
        services.create_building(
            community=community,
            number=bp.number,
            name=bp.name,
            actor=actor,
            units=bp.units,
            floors=scaled(bp.floors, scale),
            rooms_per_floor=bp.rooms,
            floor_area=Decimal(bp.floor_area),
            house_type=bp.house_type,
        )
    buildings = {b.number: b for b in Building.objects.filter(community=community)}
    houses = list(House.objects.filter(community=community).order_by("pk"))
    delivered = archive.hand_over(houses, {buildings[bp.number].pk: bp for bp in plan.buildings})
    fields = ["occupancy", "handover_date", "move_in_date"]
    bulk_update_with_history(delivered, House, fields, batch_size=500, default_user=actor)

    butler_of = {}
    for butler, numbers in zones:
        services.assign_zone(
            community=community, butler=butler, actor=zone_actor, buildings=[buildings[n] for n in numbers]
        )
        butler_of.update({buildings[n].pk: butler for n in numbers})

    occupied = [h for h in delivered if h.occupancy == Occupancy.OCCUPIED]
    roles = {}
    for role, share in (("elderly_alone", 0.04), ("disabled", 0.01), ("other", 0.005), ("helper", 0.03)):
        free = [h for h in occupied if h.pk not in roles]
        roles.update((h.pk, role) for h in rng.sample(free, min(len(free), max(1, round(len(occupied) * share)))))
    for house in delivered:
        archive.butler = butler_of.get(house.building_id, zone_actor)
        archive.household(house, roles.get(house.pk))
    archive.committee(plan.committee_members)

    bulk_create_with_history(archive.people, Person, batch_size=BATCH, default_user=zone_actor)
    bulk_create_with_history(archive.residencies, Residency, batch_size=BATCH, default_user=zone_actor)
    bulk_create_with_history(archive.pets, Pet, batch_size=BATCH, default_user=zone_actor)
    bulk_create_with_history(archive.vehicles, Vehicle, batch_size=BATCH, default_user=zone_actor)

    away = rng.sample(occupied, min(len(occupied), max(1, round(plan.absences * scale))))
    for house in away:
        start = archive.today - dt.timedelta(days=rng.randint(3, 40))
        services.record_absence(
            house=house,
            from_date=start,
            to_date=start + dt.timedelta(days=rng.randint(45, 150)),
            actor=butler_of.get(house.building_id, zone_actor),
            contact=rng.choice(ABSENCE_CONTACTS),
            note=rng.choice(ABSENCE_NOTES),
        )
    return {
        "houses": len(houses),
        "people": len(archive.people),
        "residencies": len(archive.residencies),
        "pets": len(archive.pets),
        "vehicles": len(archive.vehicles),
        "absences": len(away),
    }


def seed(ctx):
    """阳光花园: butler1 and butler2 each own half the buildings (given by the supervisor);
    翠湖苑: butler3 owns all (given by the company admin). `ctx["demo_scale"]` shrinks
    the number of floors (tests run at 0.02–0.1)."""
    scale = float(ctx.get("demo_scale", 1.0))
    users = ctx["users"]
    sunshine, lakeside = ctx["communities"]
    if not Building.objects.filter(community=sunshine).exists():
        numbers = [b.number for b in SUNSHINE.buildings]
        half = len(numbers) // 2
        populate(
            sunshine,
            SUNSHINE,
            actor=users["admin"],
            zones=[(users["butler1"], numbers[:half]), (users["butler2"], numbers[half:])],
            zone_actor=users["supervisor"],
            scale=scale,
        )
    if not Building.objects.filter(community=lakeside).exists():
        populate(
            lakeside,
            LAKESIDE,
            actor=users["admin"],
            zones=[(users["butler3"], [b.number for b in LAKESIDE.buildings])],
            zone_actor=users["admin"],
            scale=scale,
        )
    return ctx
