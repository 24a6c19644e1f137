"""Temporary passes, large-item permits and domestic helpers (issue 7 §4–6, §9)."""

import datetime as dt

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from residents import services as archive
from tests.visits.conftest import make_houses
from visits import passes
from visits.choices import PassCheck, PassStatus
from visits.models import TemporaryPass

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HELPER_ID = "11010519491231002X"


@pytest.fixture
def household(community, manager, butler1):
    house, other = make_houses(community, "1", actor=manager, butler=butler1, rooms=2)
    owner = archive.add_resident(house=house, relation="owner", actor=manager, name="业主甲")
    tenant = archive.add_resident(house=house, relation="tenant", actor=manager, name="租户乙")
    return {"house": house, "other": other, "owner": owner, "tenant": tenant}


def _pass(household, actor, **fields):
    today = timezone.localdate()
    data = {"guest_name": "亲戚丙", "valid_from": today, "valid_to": today + dt.timedelta(days=5), **fields}
    return passes.issue_pass(house=household["house"], actor=actor, requested_by=household["owner"], **data)


def test_only_the_owner_requests_a_pass(household, frontdesk):
    with pytest.raises(ValidationError) as error:
        passes.issue_pass(
            house=household["house"],
            actor=frontdesk,
            requested_by=household["tenant"],
            guest_name="x",
            valid_from=timezone.localdate(),
            valid_to=timezone.localdate(),
        )
    assert "产权人" in error.value.message_dict["requested_by"][0]


def test_pass_validity_is_computed_at_the_gate(household, frontdesk, community, community2):
    temporary_pass = _pass(household, frontdesk)
    token = passes.token_for(temporary_pass)
    assert str(temporary_pass.pk) != token and temporary_pass.number not in token
    today = timezone.localdate()
    assert passes.check_token(token, community=community)[0] == PassCheck.VALID
    assert passes.check_token(token, community=community, today=today + dt.timedelta(days=6))[0] == PassCheck.EXPIRED
    assert passes.check_token(token, community=community, today=today - dt.timedelta(days=1))[0] == PassCheck.NOT_YET
    # The daily job has not run: the status still says active, the gate says expired anyway.
    assert TemporaryPass.objects.get().status == PassStatus.ACTIVE
    assert passes.check_token(token, community=community2)[0] == PassCheck.OTHER_COMMUNITY
    assert passes.check_token(token[:-2] + "xx", community=community)[0] == PassCheck.INVALID
    forged = signing.dumps({"n": temporary_pass.number, "c": community.pk}, salt="another-salt")
    assert passes.check_token(forged, community=community)[0] == PassCheck.INVALID


def test_revoked_pass_is_refused(household, frontdesk, community):
    temporary_pass = _pass(household, frontdesk)
    with pytest.raises(ValidationError):
        passes.revoke_pass(temporary_pass, actor=frontdesk, reason="")
    passes.revoke_pass(temporary_pass, actor=frontdesk, reason="业主申请作废")
    assert passes.check_token(passes.token_for(temporary_pass), community=community)[0] == PassCheck.REVOKED


def test_expiry_job_twice_gives_the_same_result(household, frontdesk):
    today = timezone.localdate()
    old = _pass(household, frontdesk)
    TemporaryPass.objects.filter(pk=old.pk).update(
        valid_from=today - dt.timedelta(days=9), valid_to=today - dt.timedelta(days=1)
    )
    current = _pass(household, frontdesk)
    assert passes.mark_expired_passes(today=today) == 1
    assert passes.mark_expired_passes(today=today) == 0
    statuses = dict(TemporaryPass.objects.values_list("pk", "status"))
    assert statuses == {old.pk: PassStatus.EXPIRED, current.pk: PassStatus.ACTIVE}


def test_pass_numbers_run_per_community(household, frontdesk, community):
    first, second = _pass(household, frontdesk), _pass(household, frontdesk)
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"{community.code}-TXZ-{year}-001", f"{community.code}-TXZ-{year}-002")


def test_permit_applicant_is_checked_against_the_archive(household, frontdesk, manager):
    today = timezone.localdate()
    fields = {"items": "旧沙发一张", "gate": "南门", "valid_on": today}
    with pytest.raises(ValidationError) as error:
        passes.issue_permit(house=household["house"], actor=frontdesk, applicant=household["tenant"], **fields)
    assert "不是该房屋的产权人" in error.value.message_dict["applicant"][0]
    # A helper counts only with the authority to take items out.
    plain = archive.register_helper(
        house=household["house"],
        actor=frontdesk,
        owner=household["owner"],
        photo=SimpleUploadedFile("a.png", PNG),
        id_checked=True,
        name="家政丁",
        id_type="resident_id",
        id_number=HELPER_ID,
    )
    with pytest.raises(ValidationError):
        passes.issue_permit(house=household["house"], actor=frontdesk, applicant=plain.residency.person, **fields)
    permit = passes.issue_permit(house=household["house"], actor=frontdesk, applicant=household["owner"], **fields)
    assert permit.applicant_relation == "owner"


def test_permit_is_used_once(household, frontdesk):
    permit = passes.issue_permit(
        house=household["house"],
        actor=frontdesk,
        applicant=household["owner"],
        items="冰箱",
        gate="北门",
        valid_on=timezone.localdate(),
    )
    passes.mark_permit_used(permit, actor=frontdesk)
    with pytest.raises(ValidationError) as error:
        passes.mark_permit_used(permit, actor=frontdesk)
    assert "不能重复使用" in error.value.messages[0]


def test_helper_needs_owner_photo_and_id_check(household, frontdesk):
    base = {
        "house": household["house"],
        "actor": frontdesk,
        "name": "家政戊",
        "id_type": "resident_id",
        "id_number": HELPER_ID,
    }
    with pytest.raises(ValidationError) as error:
        archive.register_helper(owner=household["tenant"], photo=None, id_checked=False, **base)
    assert set(error.value.message_dict) == {"owner", "photo", "id_checked"}
    with pytest.raises(ValidationError) as error:
        archive.register_helper(
            owner=household["owner"], photo=SimpleUploadedFile("a.png", b"%PDF-1.4 x"), id_checked=True, **base
        )
    assert "JPG 或 PNG" in error.value.message_dict["photo"][0]
    registration = archive.register_helper(
        owner=household["owner"], photo=SimpleUploadedFile("a.png", PNG), id_checked=True, may_take_items=True, **base
    )
    assert registration.residency.relation == "helper" and registration.pass_number.endswith("-001")
    assert registration.residency.start_date == timezone.localdate()
    assert passes.may_take_items(household["house"], registration.residency.person)
    archive.end_residency(registration.residency, actor=frontdesk)
    assert not passes.may_take_items(household["house"], registration.residency.person)


def test_helper_pass_prints_and_shows_when_ended(client_for, household, frontdesk):
    registration = archive.register_helper(
        house=household["house"],
        actor=frontdesk,
        owner=household["owner"],
        photo=SimpleUploadedFile("a.png", PNG),
        id_checked=True,
        may_take_items=True,
        name="家政己",
        id_type="resident_id",
        id_number=HELPER_ID,
    )
    page = client_for(frontdesk).get(f"/visits/frontdesk/helpers/{registration.pk}/pass/").content.decode()
    assert registration.pass_number in page and "可办大件物品放行" in page and "终止" not in page
    archive.end_residency(registration.residency, actor=frontdesk)
    page = client_for(frontdesk).get(f"/visits/frontdesk/helpers/{registration.pk}/pass/").content.decode()
    assert "出入证失效" in page


def test_pages_print_and_check(client_for, household, frontdesk, butler1):
    temporary_pass = _pass(household, frontdesk)
    page = client_for(frontdesk).get(f"/visits/frontdesk/passes/{temporary_pass.pk}/").content.decode()
    assert "<svg" in page and temporary_pass.number in page
    check = client_for(frontdesk).get("/visits/frontdesk/passes/check/", {"t": passes.token_for(temporary_pass)})
    assert 'id="check-result"' in check.content.decode() and "有效" in check.content.decode()
    permit = passes.issue_permit(
        house=household["house"],
        actor=frontdesk,
        applicant=household["owner"],
        items="钢琴",
        gate="南门",
        valid_on=timezone.localdate(),
    )
    printed = client_for(frontdesk).get(f"/visits/frontdesk/permits/{permit.pk}/?print=1").content.decode()
    assert "大件物品放行条" in printed and "钢琴" in printed and "@page" in printed
    client_for(frontdesk).post(f"/visits/frontdesk/permits/{permit.pk}/")
    second = client_for(frontdesk).post(f"/visits/frontdesk/permits/{permit.pk}/", follow=True)
    assert "不能重复使用" in second.content.decode()
    assert client_for(butler1).get(f"/visits/frontdesk/passes/{temporary_pass.pk}/").status_code == 403
    panel = client_for(butler1).get(f"/residents/houses/{household['house'].pk}/").content.decode()
    assert 'id="frontdesk-panel"' in panel and temporary_pass.number in panel


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_guards_marking_one_permit_at_once_one_wins(household, frontdesk, supervisor):
    """Two "mark used" at the same moment on PostgreSQL: one lets the items out,
    the other is refused with a clear message (the row lock, not luck)."""
    import threading

    from tests.concurrency import run_in_threads

    permit = passes.issue_permit(
        house=household["house"],
        actor=frontdesk,
        applicant=household["owner"],
        items="衣柜",
        gate="南门",
        valid_on=timezone.localdate(),
    )
    guards = iter([frontdesk, supervisor])
    lock, barrier = threading.Lock(), threading.Barrier(2)

    def mark():
        with lock:
            guard = next(guards)
        barrier.wait()
        try:
            passes.mark_permit_used(permit, actor=guard)
        except ValidationError as error:
            return error.messages[0]
        return "used"

    results = run_in_threads(mark)
    assert results.count("used") == 1
    assert ["不能重复使用" in result for result in results if result != "used"] == [True]
    permit.refresh_from_db()
    assert permit.used_at is not None
    assert permit.history.exclude(used_at=None).count() == 1


def test_consenters_are_residents_and_authorised_helpers(client_for, household, frontdesk):
    allowed = archive.register_helper(
        house=household["house"],
        actor=frontdesk,
        owner=household["owner"],
        photo=SimpleUploadedFile("a.png", PNG),
        id_checked=True,
        may_admit_visitors=True,
        name="家政庚",
        id_type="resident_id",
        id_number=HELPER_ID,
    )
    archive.register_helper(
        house=household["house"],
        actor=frontdesk,
        owner=household["owner"],
        photo=SimpleUploadedFile("b.png", PNG),
        id_checked=True,
        name="家政辛",
        id_type="passport",
        id_number="E12345678",
    )
    data = client_for(frontdesk).get("/visits/frontdesk/houses/", {"consent": household["house"].number}).json()
    assert data["consenters"] == ["业主甲（产权人）", "租户乙（租户）", f"{allowed.residency.person.name}（家政人员）"]


def test_counter_flows_through_the_pages(client_for, household, frontdesk):
    """House first, then the form with that household's people; errors stay on the form."""
    client = client_for(frontdesk)
    number = household["house"].number
    page = client.get("/visits/frontdesk/passes/new/", {"house": number}).content.decode()
    assert "业主甲" in page and "租户乙" not in page  # only owners may request a pass
    assert (
        "本小区没有房号"
        in client.get("/visits/frontdesk/passes/new/", {"house": "9-9-9"}, follow=True).content.decode()
    )
    today = timezone.localdate().isoformat()
    bad = client.post(
        "/visits/frontdesk/passes/new/",
        {
            "house": number,
            "requested_by": household["owner"].pk,
            "guest_name": "",
            "guest_count": 1,
            "valid_from": today,
            "valid_to": today,
        },
    )
    assert bad.status_code == 400 and "这个字段是必填项" in bad.content.decode()
    good = client.post(
        "/visits/frontdesk/passes/new/",
        {
            "house": number,
            "requested_by": household["owner"].pk,
            "guest_name": "表哥",
            "guest_count": 2,
            "valid_from": today,
            "valid_to": today,
        },
    )
    assert good.status_code == 302 and TemporaryPass.objects.get().guest_name == "表哥"
    helper = client.post(
        "/visits/frontdesk/helpers/new/",
        {
            "house": number,
            "owner": household["owner"].pk,
            "name": "家政壬",
            "id_type": "resident_id",
            "id_number": HELPER_ID.lower(),
            "photo": SimpleUploadedFile("p.png", PNG),
            "id_checked": "on",
            "may_take_items": "on",
        },
    )
    assert helper.status_code == 302
    permit_page = client.get("/visits/frontdesk/permits/new/", {"house": number}).content.decode()
    assert "家政壬" in permit_page and "租户乙" not in permit_page
