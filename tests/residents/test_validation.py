"""Personal data is checked as it is typed: ID numbers (GB 11643 and permit formats),
mobiles, plates, duplicates and key-resident reasons, with Chinese messages and
the typed input kept (SPEC §1)."""

import pytest
from django.urls import reverse

from residents.choices import IdType
from residents.forms import ResidentForm, VehicleForm
from residents.models import Person, Vehicle
from tests.residents.conftest import OWNER_ID

pytestmark = pytest.mark.django_db

BAD_CHECK_DIGIT = "110105194912310021"
FEB_30 = "440304199002301232"  # right check digit, impossible birth date


def resident_form(community, **data):
    fields = {"relation": "family", "name": "张小梅", "id_type": IdType.RESIDENT_ID, **data}
    return ResidentForm(fields, community=community)


def test_valid_resident_id_is_accepted_and_gives_birth_date(community):
    form = resident_form(community, id_number="11010519491231002x")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["id_number"] == "11010519491231002X"
    assert str(form.person_fields()["birth_date"]) == "1949-12-31"


def test_resident_id_with_wrong_check_digit_is_rejected(community):
    form = resident_form(community, id_number=BAD_CHECK_DIGIT)
    assert not form.is_valid()
    assert form.errors["id_number"] == ["身份证号校验位不正确"]


def test_resident_id_with_impossible_birth_date_is_rejected(community):
    form = resident_form(community, id_number=FEB_30)
    assert not form.is_valid()
    assert form.errors["id_number"] == ["身份证号中的出生日期无效"]


@pytest.mark.parametrize(
    ("id_type", "number", "valid"),
    [
        (IdType.PASSPORT, "E12345678", True),
        (IdType.PASSPORT, "E12*4567", False),
        (IdType.HK_MACAU_PERMIT, "H12345678", True),
        (IdType.HK_MACAU_PERMIT, "M1234567890", True),
        (IdType.HK_MACAU_PERMIT, "H1234567", False),
        (IdType.HK_MACAU_PERMIT, "X12345678", False),
        (IdType.TAIWAN_PERMIT, "12345678", True),
        (IdType.TAIWAN_PERMIT, "1234567890", True),
        (IdType.TAIWAN_PERMIT, "123456789", False),
    ],
)
def test_passports_and_permits_are_accepted_by_format(community, id_type, number, valid):
    form = resident_form(community, id_type=id_type, id_number=number)
    assert form.is_valid() is valid, form.errors
    if not valid:
        assert form.errors["id_number"][0].endswith(("不正确（5–17位字母或数字）", "位数字"))


@pytest.mark.parametrize(
    ("mobile", "valid"),
    [("13812345678", True), ("199 1234 5678", True), ("12812345678", False), ("1381234567", False)],
)
def test_mobile_must_be_a_mainland_number(community, mobile, valid):
    form = resident_form(community, mobile=mobile)
    assert form.is_valid() is valid
    if not valid:
        assert form.errors["mobile"] == ["手机号应为11位大陆手机号（1开头，第二位为3–9）"]


@pytest.mark.parametrize(
    ("plate", "valid"),
    [
        ("沪A12345", True),
        ("沪AD12345", True),  # new energy, small car
        ("粤B12345D", True),  # new energy, large vehicle
        ("沪a·d12345", True),  # typed loosely, normalised
        ("沪I12345", False),  # plates never use I
        ("沪A1234", False),
        ("AB12345", False),
    ],
)
def test_plate_formats_including_new_energy(plate, valid):
    form = VehicleForm({"plate": plate})
    assert form.is_valid() is valid
    if not valid:
        assert "车牌号格式不正确" in form.errors["plate"][0]


def test_vehicle_add_view_rejects_bad_plate_and_keeps_it(client_for, butler1, household):
    url = reverse("residents:vehicle_add", args=[household.house.pk])
    response = client_for(butler1).post(url, {"plate": "沪I12345", "parking_space": "B2-018"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "车牌号格式不正确" in html
    assert 'value="沪I12345"' in html and 'value="B2-018"' in html
    assert not Vehicle.objects.exists()

    client_for(butler1).post(url, {"plate": "沪ad12345"})
    assert Vehicle.objects.get().plate == "沪AD12345"


def test_duplicate_id_in_same_community_links_to_existing_person(community, household):
    form = resident_form(community, name="张伟（重复）", id_number=OWNER_ID)
    assert not form.is_valid()
    error = form.errors["id_number"][0]
    assert "该证件号已登记为本小区住户" in error
    assert f'href="{reverse("residents:person_detail", args=[household.owner.pk])}"' in error
    assert "张伟" in error


def test_same_id_in_another_community_is_allowed(community2, household):
    assert resident_form(community2, id_number=OWNER_ID).is_valid()


def test_key_resident_requires_a_reason(community):
    form = resident_form(community, is_key_resident="on")
    assert not form.is_valid()
    assert form.errors["key_reason"] == ["重点关注住户须选择关注原因。"]

    form = resident_form(community, is_key_resident="on", key_reason="other")
    assert form.errors["key_reason_note"] == ["关注原因为“其他”时请填写说明。"]

    assert resident_form(community, is_key_resident="on", key_reason="elderly_alone").is_valid()


def test_adding_family_member_with_wrong_check_digit_rerenders_with_input(client_for, butler1, household):
    url = reverse("residents:resident_add", args=[household.house.pk])
    data = {
        "relation": "family",
        "name": "张小梅",
        "mobile": "13700001111",
        "id_type": IdType.RESIDENT_ID,
        "id_number": BAD_CHECK_DIGIT,
    }
    response = client_for(butler1).post(url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "身份证号校验位不正确" in html
    assert 'value="张小梅"' in html
    assert f'value="{BAD_CHECK_DIGIT}"' in html
    assert not Person.objects.filter(name="张小梅").exists()


def test_adding_family_member_with_valid_id_saves_and_returns_to_house(client_for, butler1, household):
    url = reverse("residents:resident_add", args=[household.house.pk])
    data = {"relation": "family", "name": "张小梅", "id_type": IdType.RESIDENT_ID, "id_number": "110105194912310038"}
    response = client_for(butler1).post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("residents:house_detail", args=[household.house.pk])
    assert "已添加张小梅（家属）" in response.content.decode()
    person = Person.objects.get(name="张小梅")
    assert person.residencies.get().house == household.house
