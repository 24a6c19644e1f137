"""Draws one community's people, pets and vehicles for the demo archive; saves nothing."""

import datetime as dt
import random

from django.utils import timezone
from faker import Faker

from residents.choices import CommitteeRole, Gender, IdType, KeyReason, Occupancy, Relation
from residents.demo.identity import LOCAL_REGIONS, OTHER_REGIONS, random_mobile, random_plate, resident_id
from residents.models import Person, Pet, Residency, Vehicle

# Ages are drawn against a fixed date so the same seed gives the same people.
REFERENCE_DATE = dt.date(2026, 3, 1)

DOG_BREEDS = ("泰迪", "比熊", "柯基", "金毛", "拉布拉多", "柴犬", "博美", "雪纳瑞", "边境牧羊犬", "中华田园犬")
CAT_BREEDS = ("英国短毛猫", "美国短毛猫", "布偶猫", "橘猫", "狸花猫", "暹罗猫")
PET_NAMES = ("豆豆", "球球", "旺财", "可乐", "布丁", "团子", "花花", "毛毛", "乐乐", "糖糖", "小白", "咪咪", "年糕")
COLOURS = ("白色", "黑色", "灰色", "银色", "蓝色", "红色")
CARS = ("大众帕萨特", "丰田凯美瑞", "本田雅阁", "别克GL8", "宝马3系", "奔驰C级", "奥迪A4L", "日产轩逸", "吉利星越L")
ELECTRIC_CARS = ("特斯拉Model Y", "比亚迪汉", "比亚迪秦PLUS", "理想L7", "蔚来ES6", "小鹏P7", "问界M7", "小米SU7")
CONTACT_TIMES = ("工作日晚上 19:00 后", "周末上午", "工作日 9:00–17:00", "微信留言，看到回电", "随时")
DISABILITY_NOTES = ("下肢残疾，出行使用轮椅", "视力残疾二级", "听力障碍，请发短信或微信联系")
OTHER_KEY_NOTES = (
    "低保家庭，收费问题请先与主管沟通",
    "长期卧床，需上门办理业务",
    "家中有重病患者，请勿午休时间上门",
    "曾多次投诉噪音，沟通时注意方式",
)
ELDERLY_NOTES = ("子女在外地，每月回来一次", "老伴去年过世，子女在国外", "")
HELPER_NOTES = ("住家保姆", "钟点工，周一、三、五上午", "育儿嫂", "照护老人")


class Archive:
    """Draws the people, pets and vehicles of one community; nothing is saved here."""

    def __init__(self, community, plan):
        self.community = community
        self.plan = plan
        self.rng = random.Random(plan.seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(plan.seed)
        self.today = timezone.localdate()
        self.ids, self.plates, self.spaces_sold = set(), set(), 0
        self.people, self.residencies, self.pets, self.vehicles = [], [], [], []
        self.resident_owners = []  # (person, house) of owners living in: committee and investors come from here
        self.butler = None

    def date_after(self, start, low, high):
        return min(start + dt.timedelta(days=self.rng.randint(low, high)), self.today - dt.timedelta(days=3))

    def hand_over(self, houses, plans):
        """Occupancy and dates of the houses whose keys were handed over; returns them."""
        rng, delivered = self.rng, []
        for house in houses:
            plan = plans[house.building_id]
            if house.unit in plan.undelivered_units:
                continue
            states, weights = zip(*plan.mix, strict=True)
            house.occupancy = rng.choices(states, weights)[0]
            house.handover_date = plan.handover + dt.timedelta(days=rng.randint(0, 45))
            if house.occupancy in (Occupancy.OCCUPIED, Occupancy.RENTED):
                house.move_in_date = self.date_after(house.handover_date, 60, 540)
            delivered.append(house)
        return delivered

    def person(self, *, age=None, birth=None, gender=None, surname=None, mobile=True, local=0.7, **fields):
        rng = self.rng
        gender = gender or rng.choice((Gender.MALE, Gender.FEMALE))
        if birth is None:
            birth = REFERENCE_DATE - dt.timedelta(days=rng.randint(int(age[0] * 365.25), int(age[1] * 365.25)))
        first = self.fake.first_name_male() if gender == Gender.MALE else self.fake.first_name_female()
        fields.setdefault("id_type", IdType.RESIDENT_ID)
        if fields["id_type"] == IdType.RESIDENT_ID:
            region = rng.choice(LOCAL_REGIONS if rng.random() < local else OTHER_REGIONS)
            while True:
                number = resident_id(region, birth, rng.randrange(500) * 2 + (gender == Gender.MALE))
                if number not in self.ids:
                    break
        else:
            number = f"{rng.choice('HM')}{rng.randrange(10**8):08d}"
        self.ids.add(number)
        number_mobile = random_mobile(rng) if mobile else ""
        surname = surname or self.fake.last_name()
        person = Person(
            community=self.community,
            name=surname + first,
            gender=gender,
            mobile=number_mobile,
            mobile_last4=number_mobile[-4:],
            id_number=number,
            birth_date=birth,
            **fields,
        )
        person.surname = surname  # not a field: children take it
        person._history_user = self.butler
        self.people.append(person)
        return person

    def link(self, house, person, relation, start, end=None):
        residency = Residency(
            house=house, person=person, relation=relation, start_date=start, end_date=end, created_by=self.butler
        )
        residency._history_user = self.butler
        self.residencies.append(residency)

    def household(self, house, role=None):
        """Owners for every delivered house; residents, pets and cars by occupancy.
        `role`: elderly_alone / disabled / other / helper — the household's special trait."""
        rng, state = self.rng, house.occupancy
        if state == Occupancy.RENTED and self.resident_owners and rng.random() < 0.15:
            owner = rng.choice(self.resident_owners)[0]  # lives in one house, lets out this one
            self.link(house, owner, Relation.OWNER, house.handover_date)
            self.tenants(house)
            self.cars(house, 0.4, 0.05)
            return
        if role == "elderly_alone":
            owner = self.person(
                age=(72, 91),
                mobile=rng.random() < 0.7,
                is_key_resident=True,
                key_reason=KeyReason.ELDERLY_ALONE,
                key_reason_note=rng.choice(ELDERLY_NOTES),
                preferred_contact_time="上午 9:00–11:00",
            )
            self.link(house, owner, Relation.OWNER, house.handover_date)
            return
        hk = rng.random() < 0.01
        owner = self.person(
            age=(28, 72),
            id_type=IdType.HK_MACAU_PERMIT if hk else IdType.RESIDENT_ID,
            email=self.fake.free_email() if rng.random() < 0.2 else "",
            preferred_contact_time=rng.choice(CONTACT_TIMES) if rng.random() < 0.3 else "",
        )
        self.link(house, owner, Relation.OWNER, house.handover_date)
        couple = [owner]
        co_owner = rng.random() < 0.35
        if co_owner or (state == Occupancy.OCCUPIED and rng.random() < 0.55):
            other = Gender.FEMALE if owner.gender == Gender.MALE else Gender.MALE
            spouse = self.person(birth=owner.birth_date + dt.timedelta(days=rng.randint(-1500, 1500)), gender=other)
            couple.append(spouse)
            if co_owner:
                self.link(house, spouse, Relation.OWNER, house.handover_date)
            elif state == Occupancy.OCCUPIED:
                self.link(house, spouse, Relation.FAMILY, house.move_in_date)
        if state == Occupancy.OCCUPIED:
            if not hk:
                self.resident_owners.append((owner, house))
            first_link = len(self.residencies)
            self.family(house, couple)
            if role == "helper":
                self.link(
                    house,
                    self.person(age=(40, 58), gender=Gender.FEMALE, local=0.1, notes=rng.choice(HELPER_NOTES)),
                    Relation.HELPER,
                    self.date_after(house.move_in_date, 30, 1500),
                )
            self.pet(house, 0.18)
            self.cars(house, 0.5, 0.12)
            if role in ("disabled", "other"):
                household = couple + [r.person for r in self.residencies[first_link:]]
                flagged = rng.choice(household)
                flagged.is_key_resident = True
                flagged.key_reason = KeyReason.DISABLED if role == "disabled" else KeyReason.OTHER
                flagged.key_reason_note = rng.choice(DISABILITY_NOTES if role == "disabled" else OTHER_KEY_NOTES)
        elif state == Occupancy.RENTED:
            self.tenants(house)
            self.pet(house, 0.05)
            self.cars(house, 0.4, 0.05)
        elif state == Occupancy.RENOVATING:
            self.cars(house, 0.1, 0)

    def family(self, house, couple):
        """Children (with the father's surname) and sometimes an elderly parent."""
        rng = self.rng
        father = next((p for p in couple if p.gender == Gender.MALE), couple[0])
        parent_age = (REFERENCE_DATE - couple[0].birth_date).days // 365
        oldest = min(parent_age - 24, 30)
        for _ in range(rng.choices((0, 1, 2), (35, 50, 15))[0] if oldest >= 1 else 0):
            age = rng.randint(max(1, oldest - 20), oldest)
            birth = REFERENCE_DATE - dt.timedelta(days=age * 365 + rng.randrange(365))
            child = self.person(birth=birth, surname=father.surname, mobile=age >= 14)
            self.link(house, child, Relation.FAMILY, max(house.move_in_date, birth))
        if parent_age < 60 and rng.random() < 0.2:
            elder = self.person(age=(parent_age + 22, parent_age + 32), mobile=rng.random() < 0.6, local=0.4)
            self.link(house, elder, Relation.FAMILY, self.date_after(house.move_in_date, 0, 900))

    def tenants(self, house):
        rng = self.rng
        lease = max(house.move_in_date, self.today - dt.timedelta(days=rng.randint(20, 700)))
        had_tenant = rng.random() < 0.3  # drawn first so the sequence does not depend on today
        if had_tenant and (lease - house.move_in_date).days > 90:
            former = self.person(age=(22, 45), local=0.3)
            self.link(house, former, Relation.TENANT, house.move_in_date, lease - dt.timedelta(days=rng.randint(3, 30)))
        first = self.person(age=(22, 45), local=0.3, preferred_contact_time=rng.choice(CONTACT_TIMES))
        self.link(house, first, Relation.TENANT, lease)
        for _ in range(rng.choices((0, 1, 2), (40, 45, 15))[0]):
            self.link(house, self.person(age=(20, 45), local=0.3), Relation.TENANT, lease)

    def pet(self, house, chance):
        rng = self.rng
        for _ in range(2 if rng.random() < chance * 0.1 else 1 if rng.random() < chance else 0):
            dog = rng.random() < 0.65
            licence = ""
            if dog and rng.random() < 0.9:
                licence = f"{self.plan.district}犬字{rng.randint(2019, 2026)}第{rng.randrange(10**5):05d}号"
            pet = Pet(
                house=house,
                kind="犬" if dog else "猫",
                breed=rng.choice(DOG_BREEDS if dog else CAT_BREEDS),
                name=rng.choice(PET_NAMES),
                licence_no=licence,
            )
            pet._history_user = self.butler
            self.pets.append(pet)

    def cars(self, house, one, two):
        rng = self.rng
        roll = rng.random()
        for _ in range(2 if roll < two else 1 if roll < one + two else 0):
            electric = rng.random() < 0.3
            while (plate := random_plate(rng, new_energy=electric)) in self.plates:
                pass
            self.plates.add(plate)
            space = ""
            if rng.random() < 0.85:  # the rest park on the surface, first come first served
                space = self.next_space()
            vehicle = Vehicle(
                house=house,
                plate=plate,
                parking_space=space,
                model_desc=f"{rng.choice(COLOURS)} {rng.choice(ELECTRIC_CARS if electric else CARS)}",
            )
            vehicle._history_user = self.butler
            self.vehicles.append(vehicle)

    def next_space(self):
        """Spaces are sold in order: B1-001…B1-800, B2-001…, then the next garage."""
        n = self.spaces_sold
        self.spaces_sold += 1
        garage, level, slot = n // 1600 + 1, n // 800 % 2 + 1, n % 800 + 1
        return f"B{level}-{slot:03d}" if garage == 1 else f"{garage}号库B{level}-{slot:03d}"

    def committee(self, members):
        """业委会: a chair and `members` members among owners living in the community."""
        candidates = [p for p, _ in self.resident_owners if not p.is_key_resident and p.birth_date.year <= 1986]
        chosen = self.rng.sample(candidates, min(len(candidates), members + 1))
        for index, person in enumerate(chosen):
            person.committee_role = CommitteeRole.CHAIR if index == 0 else CommitteeRole.MEMBER
