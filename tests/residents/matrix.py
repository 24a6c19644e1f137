"""Permission rows for the resident archive. Community 1 objects are in scope;
community 2 objects (butler3's) are out of scope."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from residents import privacy, services
from residents.models import House
from tests.matrix import obj, page

READERS = ["butler1", "butler2", "supervisor", "manager", "frontdesk", "finance"]
EDITORS = ["butler1", "butler2", "supervisor", "manager"]
ADMINS = ["supervisor", "manager"]
ABSENCE = ["frontdesk", "butler1", "butler2", "supervisor", "manager"]
MANAGER = ["manager"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _household(world, community, butler, supervisor, suffix):
    building = services.create_building(
        community=community, number=f"9{suffix}", actor=supervisor, units=1, floors=2, rooms_per_floor=2
    )
    services.assign_zone(community=community, butler=butler, buildings=[building], actor=supervisor)
    house = House.objects.filter(building=building).order_by("pk").first()
    person = services.add_resident(
        house=house, relation="owner", actor=supervisor, name=f"业主{suffix}", mobile="13912345678"
    )
    residency = person.residencies.get()
    pet = services.add_pet(house=house, actor=supervisor, kind="犬")
    vehicle = services.add_vehicle(house=house, actor=supervisor, plate="沪A12345")
    document = services.upload_document(
        house=house,
        upload=SimpleUploadedFile("a.png", PNG),
        doc_type="other",
        doc_date=dt.date(2026, 1, 1),
        actor=supervisor,
    )
    absence = services.record_absence(
        house=house, from_date=dt.date(2026, 1, 1), to_date=dt.date(2099, 1, 1), actor=supervisor
    )
    return {
        f"house{suffix}": house,
        f"person{suffix}": person,
        f"residency{suffix}": residency,
        f"pet{suffix}": pet,
        f"vehicle{suffix}": vehicle,
        f"document{suffix}": document,
        f"absence{suffix}": absence,
    }


def build_world(world):
    world.update(_household(world, world["community"], world["butler1"], world["supervisor"], "1"))
    world.update(_household(world, world["community2"], world["butler3"], world["admin"], "2"))
    world["access1"] = privacy.request_access(world["person1"], actor=world["frontdesk"], reason="协助登记")
    world["access2"] = privacy.request_access(world["person2"], actor=world["butler3"], reason="协助登记")
    from residents.models import ImportJob

    world["import1"] = ImportJob.objects.create(
        community=world["community"], created_by=world["supervisor"], original_name="a.xlsx", status="done"
    )
    world["import2"] = ImportJob.objects.create(
        community=world["community2"], created_by=world["admin"], original_name="b.xlsx", status="done"
    )


def _pk(name):
    return lambda w: {"pk": w[name].pk}


def _pair(name):
    return _pk(f"{name}1"), _pk(f"{name}2")


ROWS = [
    page("residents:house_list", READERS),
    page("residents:house_export", READERS),
    page("residents:person_list", READERS),
    page("residents:person_export", READERS),
    page("residents:search", READERS),
    page("residents:building_list", READERS),
    page("residents:building_create", ADMINS),
    page("residents:building_create", ADMINS, status=400, method="post"),
    page("residents:absence_list", ABSENCE),
    page("residents:access_request_list", ADMINS),
    page("residents:reveal_log", MANAGER),
    page("residents:zones", ADMINS),
    page("residents:zones", ADMINS, status=302, method="post"),
    page("residents:import_start", ADMINS),
    page("residents:import_start", ADMINS, status=400, method="post"),
    page("residents:import_template", ADMINS),
    obj("residents:house_detail", READERS, *_pair("house")),
    obj("residents:house_history", READERS, *_pair("house")),
    obj("residents:house_edit", EDITORS, *_pair("house")),
    obj("residents:house_edit", EDITORS, *_pair("house"), status=400, method="post"),
    obj("residents:resident_add", EDITORS, *_pair("house")),
    obj("residents:resident_add", EDITORS, *_pair("house"), status=400, method="post"),
    obj("residents:pet_add", EDITORS, *_pair("house")),
    obj("residents:vehicle_add", EDITORS, *_pair("house"), status=400, method="post"),
    obj("residents:document_upload", EDITORS, *_pair("house")),
    obj("residents:absence_add", ABSENCE, *_pair("house")),
    obj("residents:absence_add", ABSENCE, *_pair("house"), status=400, method="post"),
    obj("residents:person_detail", READERS, *_pair("person")),
    obj("residents:person_history", READERS, *_pair("person")),
    obj("residents:person_edit", EDITORS, *_pair("person")),
    obj("residents:person_link_house", EDITORS, *_pair("person"), status=400, method="post"),
    obj("residents:person_reveal", READERS, *_pair("person"), status=400, method="post"),
    obj("residents:access_request_create", READERS, *_pair("person"), status=302, method="post"),
    obj("residents:residency_end", EDITORS, *_pair("residency")),
    obj("residents:residency_end", EDITORS, *_pair("residency"), status=400, method="post"),
    obj("residents:pet_end", EDITORS, *_pair("pet"), status=302, method="post"),
    obj("residents:vehicle_end", EDITORS, *_pair("vehicle"), status=302, method="post"),
    obj("residents:document_download", READERS, *_pair("document")),
    obj("residents:absence_end", ABSENCE, *_pair("absence"), status=302, method="post"),
    obj("residents:access_request_decide", ADMINS, *_pair("access"), status=302, method="post"),
    obj("residents:import_status", ADMINS, *_pair("import")),
]
