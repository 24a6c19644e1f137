"""Real browser at phone width (390 px): a butler finds a house, opens its 360°
page, adds a family member (fixing a wrong ID check digit), and another butler
sees that person's numbers masked (issue 4)."""

import pytest
from playwright.sync_api import expect

from residents import services
from residents.models import House

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD_ID = "11010519491231002X"
BAD_ID = "110105194912310021"
MOBILE = "13912345678"


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.fixture
def zone_house(community, supervisor, butler1):
    building = services.create_building(
        community=community, number="3", actor=supervisor, units=2, floors=18, rooms_per_floor=4
    )
    services.assign_zone(community=community, butler=butler1, buildings=[building], actor=supervisor)
    house = House.objects.get(community=community, number="3-2-1501")
    services.update_house(house, actor=supervisor, occupancy="occupied", floor_area="89.50")
    services.add_resident(house=house, relation="owner", actor=supervisor, name="张伟", mobile="13800138000")
    return house


def test_butler_adds_family_member_and_other_butler_sees_masked(
    page, live_server, login_as, butler1, butler2, zone_house
):
    login_as(butler1)
    page.goto(f"{live_server.url}/residents/houses/")
    page.locator("#archive-search").fill("3-2-1501")
    page.get_by_role("button", name="搜索").click()
    page.locator("#search-results").get_by_role("link", name="3-2-1501").click()

    expect(page.locator("#house-number")).to_have_text("3-2-1501")
    expect(page.locator("#resident-list")).to_contain_text("张伟")
    _no_horizontal_scroll(page)

    page.get_by_role("link", name="添加住户").click()
    page.get_by_label("与房屋关系").select_option(label="家属")
    page.get_by_label("姓名").fill("张小梅")
    page.get_by_label("手机号").fill(MOBILE)
    page.get_by_label("证件号码").fill(BAD_ID)
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("身份证号校验位不正确")).to_be_visible()
    expect(page.get_by_label("姓名")).to_have_value("张小梅")
    expect(page.get_by_label("证件号码")).to_have_value(BAD_ID)
    _no_horizontal_scroll(page)

    page.get_by_label("证件号码").fill(GOOD_ID)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#resident-list")).to_contain_text("张小梅")
    expect(page.locator("#resident-list")).to_contain_text("139****5678")
    assert MOBILE not in page.content()

    page.context.clear_cookies()
    login_as(butler2)
    page.goto(f"{live_server.url}/residents/houses/{zone_house.pk}/")
    page.get_by_role("link", name="张小梅").click()
    expect(page.locator("#masked-numbers")).to_contain_text("139****5678")
    expect(page.locator("#masked-numbers")).to_contain_text("110***********002X")
    assert MOBILE not in page.content() and GOOD_ID not in page.content()
    expect(page.get_by_role("button", name="显示号码")).to_have_count(0)
    expect(page.get_by_role("button", name="申请查看")).to_be_visible()
    _no_horizontal_scroll(page)


def test_zone_butler_reveals_and_dials(page, live_server, login_as, butler1, zone_house):
    login_as(butler1)
    person = zone_house.residencies.get().person
    page.goto(f"{live_server.url}/residents/people/{person.pk}/")
    expect(page.locator("#masked-numbers")).to_contain_text("138****8000")
    page.get_by_label("查看用途").select_option("上门拜访前联系")
    page.get_by_role("button", name="显示号码").click()
    expect(page.locator("#revealed-mobile")).to_have_text("13800138000")
    expect(page.get_by_role("link", name="拨打")).to_have_attribute("href", "tel:13800138000")
    page.reload()
    assert "13800138000" not in page.content()
