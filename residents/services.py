"""Writes of the resident archive. Views, tasks, imports and the demo seeder all
come through here; archives are never hard-deleted (SPEC §1)."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.services import apply_changes
from core.uploads import checked_content_type
from residents.choices import HouseType, Occupancy
from residents.models import (
    Absence,
    Building,
    Document,
    House,
    Person,
    Pet,
    Residency,
    Vehicle,
    ZoneAssignment,
)

# --- places -----------------------------------------------------------------


def house_number(building_number, unit, floor, room_index):
    """`3-2-1501`: building-unit-floor+room (room as two digits); no unit → `3-1501`."""
    room = f"{floor}{room_index:02d}"
    return f"{building_number}-{unit}-{room}" if unit else f"{building_number}-{room}"


@transaction.atomic
def create_building(
    *,
    community,
    number,
    actor,
    units,
    floors,
    rooms_per_floor,
    name="",
    first_floor=1,
    floor_area=None,
    house_type=HouseType.RESIDENCE,
    occupancy=Occupancy.NOT_DELIVERED,
):
    """A building and all its houses in one step: units × floors × rooms per floor
    (2 × 18 × 4 = 144 houses). `units=0` means the building has no units."""
    building = Building.objects.create(community=community, number=number, name=name)
    unit_names = [str(u) for u in range(1, units + 1)] or [""]
    houses = [
        House(
            community=community,
            building=building,
            unit=unit,
            floor=floor,
            room=f"{room:02d}",
            number=house_number(number, unit, floor, room),
            floor_area=floor_area,
            house_type=house_type,
            occupancy=occupancy,
        )
        for unit in unit_names
        for floor in range(first_floor, first_floor + floors)
        for room in range(1, rooms_per_floor + 1)
    ]
    bulk_create_with_history(houses, House, batch_size=500, default_user=actor)
    return building


@transaction.atomic
def update_house(house, *, actor, **fields):
    """Change a house's details; the occupancy state's history is the house's history."""
    return apply_changes(house, actor=actor, fields=fields)


# --- people -----------------------------------------------------------------


@transaction.atomic
def create_person(*, community, actor, **fields):
    person = Person(community=community, **fields)
    person._history_user = actor
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def update_person(person, *, actor, **fields):
    """Change a person's details (numbers included); every change is in the history."""
    return apply_changes(person, actor=actor, fields=fields)


@transaction.atomic
def add_residency(*, house, person, relation, actor, start_date=None):
    """Link a person to a house (产权人/租户/家属/家政人员)."""
    if person.community_id != house.community_id:
        raise ValidationError("住户与房屋不在同一小区。")
    if Residency.objects.filter(house=house, person=person, relation=relation, end_date__isnull=True).exists():
        raise ValidationError(f"{person.name} 已是该房屋的{Residency(relation=relation).get_relation_display()}。")
    residency = Residency(house=house, person=person, relation=relation, start_date=start_date, created_by=actor)
    residency._history_user = actor
    residency.save()
    return residency


@transaction.atomic
def add_resident(*, house, relation, actor, start_date=None, **person_fields):
    """A new person living in (or owning) `house`, in one step."""
    person = create_person(community=house.community, actor=actor, **person_fields)
    add_residency(house=house, person=person, relation=relation, actor=actor, start_date=start_date)
    return person


@transaction.atomic
def end_residency(residency, *, actor, end_date=None):
    """Moving out ends the link; the person and the link stay in the archive."""
    residency = Residency.objects.select_for_update().get(pk=residency.pk)
    if residency.end_date is not None:
        return residency
    residency.end_date = end_date or timezone.localdate()
    residency._history_user = actor
    residency.save()
    return residency


@transaction.atomic
def add_pet(*, house, actor, **fields):
    pet = Pet(house=house, **fields)
    pet._history_user = actor
    pet.save()
    return pet


@transaction.atomic
def add_vehicle(*, house, actor, **fields):
    vehicle = Vehicle(house=house, **fields)
    vehicle._history_user = actor
    vehicle.save()
    return vehicle


@transaction.atomic
def end_household_item(item, *, actor, ended_on=None):
    """A pet or vehicle leaves the household: it is marked, never deleted."""
    item = type(item).objects.select_for_update().get(pk=item.pk)
    if item.ended_on is None:
        item.ended_on = ended_on or timezone.localdate()
        item._history_user = actor
        item.save()
    return item


# --- zones --------------------------------------------------------------------


@transaction.atomic
def assign_zone(*, community, butler, actor, buildings=(), houses=()):
    """Give buildings (or single houses) to `butler`. Open assignments of the same
    buildings/houses end now, so the history shows who had them when; a single-
    house assignment outranks its building's."""
    now = timezone.now()
    buildings = list(buildings)
    houses = list(houses)
    ZoneAssignment.objects.filter(building__in=buildings, ended_at__isnull=True).update(ended_at=now)
    ZoneAssignment.objects.filter(house__in=houses, ended_at__isnull=True).update(ended_at=now)
    ZoneAssignment.objects.bulk_create(
        [
            ZoneAssignment(community=community, butler=butler, building=b, assigned_by=actor, started_at=now)
            for b in buildings
        ]
        + [
            ZoneAssignment(community=community, butler=butler, house=h, assigned_by=actor, started_at=now)
            for h in houses
        ]
    )
    single = ZoneAssignment.objects.filter(ended_at__isnull=True, house__isnull=False).values("house_id")
    changed = list(House.objects.filter(building__in=buildings).exclude(pk__in=single).exclude(butler=butler)) + [
        h for h in House.objects.filter(pk__in=[h.pk for h in houses]).exclude(butler=butler)
    ]
    for house in changed:
        house.butler = butler
        house._history_user = actor
    if changed:
        # One history row per house: a zone change is part of the house's record.
        House.objects.bulk_update(changed, ["butler"], batch_size=500)
        House.history.bulk_history_create(changed, default_user=actor, update=True)
    return len(changed)


@transaction.atomic
def clear_zone(*, building, actor):
    """Take a building out of every butler's zone (its houses keep single-house assignments)."""
    ZoneAssignment.objects.filter(building=building, ended_at__isnull=True).update(ended_at=timezone.now())
    single = ZoneAssignment.objects.filter(ended_at__isnull=True, house__isnull=False).values("house_id")
    changed = list(House.objects.filter(building=building, butler__isnull=False).exclude(pk__in=single))
    for house in changed:
        house.butler = None
    House.objects.bulk_update(changed, ["butler"])
    House.history.bulk_history_create(changed, default_user=actor, update=True)
    return len(changed)


# --- documents ----------------------------------------------------------------


@transaction.atomic
def upload_document(*, house, upload, doc_type, doc_date, actor, note="", person=None, supersedes=None):
    """Store a typed document. Only PDF/JPEG/PNG by content, at most
    DOCUMENT_MAX_BYTES; a new version links to the one it replaces."""
    content_type = checked_content_type(
        upload, noun="文件", bad_type_message="只能上传 PDF、JPEG 或 PNG 文件（按文件内容识别）。"
    )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    if supersedes is not None:
        supersedes = Document.objects.select_for_update().get(pk=supersedes.pk)
        if supersedes.house_id != house.pk:
            raise ValidationError("只能替代本房屋的资料。")
        if hasattr(supersedes, "superseded_by"):
            raise ValidationError("该资料已有更新版本，请在最新版本上操作。")
    document = Document(
        community=house.community,
        house=house,
        person=person,
        doc_type=doc_type,
        doc_date=doc_date,
        note=note,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        supersedes=supersedes,
        uploaded_by=actor,
    )
    document.file.save("upload", upload, save=False)
    document.save()
    return document


# --- long absence ---------------------------------------------------------------


@transaction.atomic
def record_absence(*, house, from_date, to_date, actor, contact="", note=""):
    """外出报备 [001]: the house is on the guards' patrol-attention list until `to_date`."""
    if to_date < from_date:
        raise ValidationError("返回日期不能早于外出日期。")
    absence = Absence(
        community=house.community,
        house=house,
        from_date=from_date,
        to_date=to_date,
        contact=contact,
        note=note,
        reported_by=actor,
    )
    absence._history_user = actor
    absence.save()
    return absence


@transaction.atomic
def end_absence(absence, *, actor):
    """The owner is back early (or the job found the return date passed)."""
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    if absence.cleared_at is None:
        absence.cleared_at = timezone.now()
        absence._history_user = actor
        absence.save()
    return absence


def clear_expired_absences(*, today=None):
    """Daily: absences whose return date has passed leave the patrol list."""
    from core.jobs import claim_each

    today = today or timezone.localdate()
    due = Absence.objects.filter(cleared_at__isnull=True, to_date__lt=today)

    def clear(absence):
        absence.cleared_at = timezone.now()
        absence.save(update_fields=["cleared_at"])

    return claim_each(due, clear)


@transaction.atomic
def register_helper(
    *,
    house,
    actor,
    owner,
    photo,
    id_checked,
    may_take_items=False,
    may_admit_visitors=False,
    person=None,
    **person_fields,
):
    """家政人员备案 [001]: registered in person with the owner present; photo and ID
    checked; a pass number. `person` an archive person, or `person_fields` a new one."""
    from core.services import next_number
    from core.uploads import checked_content_type
    from residents.choices import Relation
    from residents.models import HelperRegistration

    errors = {}
    if not Residency.objects.filter(house=house, person=owner, relation=Relation.OWNER, end_date__isnull=True).exists():
        errors["owner"] = "家政人员须在该房屋业主（产权人）在场时备案。"
    if not id_checked:
        errors["id_checked"] = "请先核验家政人员的身份证件。"
    content_type = None
    if photo is None:
        errors["photo"] = "请上传家政人员照片。"
    else:
        try:
            content_type = checked_content_type(photo, noun="照片", bad_type_message="照片只能是 JPG 或 PNG 图片。")
        except ValidationError as error:
            errors["photo"] = error.messages[0]
        else:
            if not content_type.startswith("image/"):
                errors["photo"] = "照片只能是 JPG 或 PNG 图片。"
    if errors:
        raise ValidationError(errors)
    if person is None:
        person = create_person(community=house.community, actor=actor, **person_fields)
    residency = add_residency(
        house=house, person=person, relation=Relation.HELPER, actor=actor, start_date=timezone.localdate()
    )
    registration = HelperRegistration(
        residency=residency,
        registered_with=owner,
        photo_content_type=content_type,
        id_checked=True,
        pass_number=next_number(community=house.community, kind="helper", prefix="JZ"),
        may_take_items=may_take_items,
        may_admit_visitors=may_admit_visitors,
        created_by=actor,
    )
    registration.photo = photo
    registration._history_user = actor
    registration.save()
    return registration
