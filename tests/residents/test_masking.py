"""Mobiles and ID numbers are masked everywhere, for every role — pages, history,
exports and the Django admin — and revealed only one person at a time by a logged
action, at once for the zone's butler, the supervisor and the manager (SPEC §1)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from residents import services
from residents.models import RevealLog
from tests.residents.conftest import OWNER_ID, OWNER_MASKED_ID, OWNER_MASKED_MOBILE, OWNER_MOBILE

pytestmark = pytest.mark.django_db

READERS = ["butler1", "butler2", "supervisor", "manager", "frontdesk", "finance", "admin"]
OLD_MOBILE = "13500009999"
PURPOSE = "上门拜访前联系"


@pytest.fixture
def changed_owner(household, supervisor):
    """The owner's mobile changed once, so the history holds two raw values."""
    services.update_person(household.owner, actor=supervisor, mobile=OLD_MOBILE)
    services.update_person(household.owner, actor=supervisor, mobile=OWNER_MOBILE)
    return household


def assert_no_raw_numbers(text, where):
    for raw in (OWNER_MOBILE, OLD_MOBILE, OWNER_ID):
        assert raw not in text, f"{raw} leaked on {where}"


def workbook_text(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return "\n".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)


@pytest.mark.parametrize("who", READERS)
def test_pages_show_masked_numbers_only(client_for, people, changed_owner, who):
    client = client_for(people[who])
    house, owner = changed_owner.house, changed_owner.owner
    pages = {
        "house detail": reverse("residents:house_detail", args=[house.pk]),
        "person detail": reverse("residents:person_detail", args=[owner.pk]),
        "person list": reverse("residents:person_list") + "?scope=all",
        "search by name": reverse("residents:search") + "?q=张伟",
        "search by last 4": reverse("residents:search") + "?q=5678",
        "house history": reverse("residents:house_history", args=[house.pk]),
        "person history": reverse("residents:person_history", args=[owner.pk]),
    }
    for where, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, where
        html = response.content.decode()
        assert_no_raw_numbers(html, where)
        if where != "house history":
            assert OWNER_MASKED_MOBILE in html, where
    person_html = client.get(pages["person detail"]).content.decode()
    assert OWNER_MASKED_ID in person_html
    assert "135****9999" in client.get(pages["person history"]).content.decode()


@pytest.mark.parametrize("who", READERS)
def test_exports_hold_masked_numbers_only(client_for, people, changed_owner, who):
    client = client_for(people[who])
    people_text = workbook_text(client.get(reverse("residents:person_export") + "?scope=all"))
    houses_text = workbook_text(client.get(reverse("residents:house_export") + "?scope=all"))
    assert_no_raw_numbers(people_text, "person export")
    assert_no_raw_numbers(houses_text, "house export")
    assert OWNER_MASKED_MOBILE in people_text and OWNER_MASKED_ID in people_text
    assert "3-1-101" in houses_text and "张伟" in houses_text


def test_admin_person_pages_are_masked_for_company_admin(client_for, company_admin, changed_owner):
    client = client_for(company_admin)
    owner = changed_owner.owner
    for url in (
        reverse("admin:residents_person_changelist"),
        reverse("admin:residents_person_changelist") + "?q=5678",
        reverse("admin:residents_person_change", args=[owner.pk]),
        reverse("admin:residents_person_history", args=[owner.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_no_raw_numbers(html, url)
        if "history" not in url:
            assert OWNER_MASKED_MOBILE in html, url


def test_admin_save_keeps_the_hidden_numbers(client_for, company_admin, household):
    client = client_for(company_admin)
    url = reverse("admin:residents_person_change", args=[household.owner.pk])
    data = {
        "community": household.owner.community_id,
        "name": "张伟",
        "gender": "male",
        "id_type": "resident_id",
        "committee_role": "",
        "key_reason": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    household.owner.refresh_from_db()
    assert (household.owner.gender, household.owner.mobile, household.owner.id_number) == (
        "male",
        OWNER_MOBILE,
        OWNER_ID,
    )


@pytest.mark.parametrize(
    ("who", "basis"), [("butler1", "片区管家"), ("supervisor", "主管/经理"), ("manager", "主管/经理")]
)
def test_zone_butler_supervisor_and_manager_reveal_with_a_log(client_for, people, household, who, basis):
    url = reverse("residents:person_reveal", args=[household.owner.pk])
    response = client_for(people[who]).post(url, {"purpose": PURPOSE})
    html = response.content.decode()
    assert response.status_code == 200
    assert OWNER_MOBILE in html and OWNER_ID in html
    log = RevealLog.objects.get()
    assert (log.actor, log.person, log.purpose, log.basis) == (people[who], household.owner, PURPOSE, basis)


@pytest.mark.parametrize("who", ["butler2", "frontdesk", "finance", "admin"])
def test_others_cannot_reveal(client_for, people, household, who):
    client = client_for(people[who])
    response = client.post(reverse("residents:person_reveal", args=[household.owner.pk]), {"purpose": PURPOSE})
    html = response.content.decode()
    assert response.status_code == 403
    assert "请提交查看申请" in html
    assert_no_raw_numbers(html, "reveal")
    assert not RevealLog.objects.exists()
    detail = client.get(reverse("residents:person_detail", args=[household.owner.pk])).content.decode()
    assert "显示号码" not in detail and "申请查看" in detail


def test_reveal_needs_a_purpose(client_for, butler1, household):
    response = client_for(butler1).post(reverse("residents:person_reveal", args=[household.owner.pk]), {})
    html = response.content.decode()
    assert response.status_code == 400
    assert "请选择查看号码的用途" in html
    assert_no_raw_numbers(html, "reveal without purpose")
    assert not RevealLog.objects.exists()


def test_butler_of_another_zone_cannot_reveal_until_the_zone_is_theirs(client_for, butler2, supervisor, household):
    url = reverse("residents:person_reveal", args=[household.owner.pk])
    assert client_for(butler2).post(url, {"purpose": PURPOSE}).status_code == 403
    services.assign_zone(
        community=household.house.community, butler=butler2, houses=[household.house], actor=supervisor
    )
    assert client_for(butler2).post(url, {"purpose": PURPOSE}).status_code == 200


def test_revealed_numbers_are_masked_again_on_the_next_page_load(client_for, butler1, household):
    client = client_for(butler1)
    client.post(reverse("residents:person_reveal", args=[household.owner.pk]), {"purpose": PURPOSE})
    assert_no_raw_numbers(
        client.get(reverse("residents:person_detail", args=[household.owner.pk])).content.decode(), ""
    )


def test_edit_form_never_contains_the_raw_numbers(client_for, butler1, household):
    html = client_for(butler1).get(reverse("residents:person_edit", args=[household.owner.pk])).content.decode()
    assert_no_raw_numbers(html, "edit form")
    assert f'placeholder="{OWNER_MASKED_MOBILE}"' in html
    assert f'placeholder="{OWNER_MASKED_ID}"' in html


def test_edit_with_empty_number_fields_keeps_stored_values(client_for, butler1, household):
    data = {"name": "张伟", "id_type": "resident_id", "mobile": "", "id_number": "", "preferred_contact_time": "晚上"}
    response = client_for(butler1).post(reverse("residents:person_edit", args=[household.owner.pk]), data)
    assert response.status_code == 302
    household.owner.refresh_from_db()
    assert household.owner.mobile == OWNER_MOBILE
    assert household.owner.id_number == OWNER_ID
    assert household.owner.preferred_contact_time == "晚上"


def test_edit_form_error_does_not_put_the_numbers_back(client_for, butler1, household):
    data = {"name": "张伟", "id_type": "resident_id", "mobile": "", "id_number": "", "email": "not-an-email"}
    response = client_for(butler1).post(reverse("residents:person_edit", args=[household.owner.pk]), data)
    assert response.status_code == 400
    assert_no_raw_numbers(response.content.decode(), "edit form with error")
