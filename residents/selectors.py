"""Reads of the archive that are more than one filter. Each list runs a fixed
number of queries whatever its length (tests assert it)."""

import re

from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch
from django.db.models.functions import Collate
from django.utils import timezone

from residents.choices import Relation
from residents.models import Absence, Document, House, Person, Residency, Vehicle


def absence_in_force(today=None):
    today = today or timezone.localdate()
    return Absence.objects.filter(
        house=OuterRef("pk"), from_date__lte=today, to_date__gte=today, cleared_at__isnull=True
    )


def house_list(community, *, butler=None, building=None, occupancy="", house_type="", q=""):
    """Houses of the community for the list page, with owners and the absence flag."""
    qs = House.objects.filter(community=community)
    if butler is not None:
        qs = qs.filter(butler=butler)
    if building:
        qs = qs.filter(building_id=building)
    if occupancy:
        qs = qs.filter(occupancy=occupancy)
    if house_type:
        qs = qs.filter(house_type=house_type)
    if q:
        qs = qs.filter(number__startswith=q.strip())
    owners = Residency.objects.filter(relation=Relation.OWNER, end_date__isnull=True).select_related("person")
    return (
        qs.select_related("building", "butler")
        .annotate(is_absent=Exists(absence_in_force()))
        .prefetch_related(Prefetch("residencies", queryset=owners, to_attr="current_owners"))
    )


def person_list(community, *, butler=None, q="", key_only=False):
    qs = Person.objects.filter(community=community)
    if butler is not None:
        in_zone = Residency.objects.filter(person=OuterRef("pk"), house__butler=butler, end_date__isnull=True)
        qs = qs.filter(Exists(in_zone))
    if key_only:
        qs = qs.filter(is_key_resident=True)
    if q:
        q = q.strip()
        qs = qs.filter(mobile_last4=q) if re.fullmatch(r"\d{4}", q) else qs.filter(name__startswith=q)
    current = Residency.objects.filter(end_date__isnull=True).select_related("house")
    return qs.prefetch_related(Prefetch("residencies", queryset=current, to_attr="current_residencies"))


def household(house):
    """Everything of the archive's own on the 360° page, in a fixed number of queries."""
    residencies = sorted(
        Residency.objects.filter(house=house).select_related("person"),
        key=lambda r: (r.end_date is not None, r.end_date or 0, RELATION_ORDER.index(r.relation), r.pk),
    )
    return {
        "current": [r for r in residencies if r.end_date is None],
        "former": [r for r in residencies if r.end_date is not None],
        "pets": list(house.pets.order_by("ended_on", "pk")),
        "vehicles": list(house.vehicles.order_by("ended_on", "pk")),
        "documents": list(
            Document.objects.filter(house=house).select_related("person", "uploaded_by", "superseded_by")
        ),
        "absences": list(house.absences.filter(cleared_at__isnull=True).order_by("from_date")),
    }


SEARCH_LIMIT = 10
# Owners first on the 360° page, then tenants, family, helpers.
RELATION_ORDER = [Relation.OWNER, Relation.TENANT, Relation.FAMILY, Relation.HELPER]


def _codepoint(field):
    """`field` ordered by code point: the "C" collation on PostgreSQL; SQLite's
    default collation already is."""
    return Collate(field, "C") if connection.vendor == "postgresql" else F(field)


def house_suggestions(community, prefix, limit=SEARCH_LIMIT):
    """Type-ahead: the first house numbers starting with `prefix`, in code-point order."""
    prefix = (prefix or "").strip()
    if not prefix:
        return []
    houses = House.objects.filter(community=community, number__startswith=prefix)
    return list(houses.order_by(_codepoint("number")).values_list("number", flat=True)[:limit])


def search(community, q):
    """One box: a house number, a person's name, the last 4 digits of a mobile, or a plate."""
    q = (q or "").strip()
    result = {"houses": [], "people": [], "vehicles": [], "q": q}
    if not q:
        return result
    plate = re.sub(r"[\s·]", "", q).upper()
    # The first ten numbers in code-point order come straight off the "C" index
    # (migration 0003) however many houses match; shown in the list's order.
    houses = House.objects.filter(community=community, number__startswith=q).select_related("building")
    result["houses"] = sorted(
        houses.order_by(_codepoint("number"))[:SEARCH_LIMIT],
        key=lambda house: (house.building.number, house.unit, house.floor, house.room),
    )
    people = Person.objects.filter(community=community)
    if re.fullmatch(r"\d{4}", q):
        people = people.filter(mobile_last4=q)
    else:
        # Likewise the first ten names: a common surname reads ten rows, not thousands.
        people = people.filter(name__startswith=q).order_by(_codepoint("name"), "pk")
    current = Residency.objects.filter(end_date__isnull=True).select_related("house")
    result["people"] = list(
        people.prefetch_related(Prefetch("residencies", queryset=current, to_attr="current_residencies"))[:SEARCH_LIMIT]
    )
    if len(plate) >= 3 and not re.fullmatch(r"\d{4}", q):
        result["vehicles"] = list(
            Vehicle.objects.filter(
                house__community=community, plate__contains=plate, ended_on__isnull=True
            ).select_related("house")[:SEARCH_LIMIT]
        )
    return result
