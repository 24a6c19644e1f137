"""Bill lines and their rounding (issue 10 §1–§2 acceptance)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fees import billing, services
from fees.models import FeeItem
from tests.builders import make_houses

D = Decimal


@pytest.mark.parametrize(
    ("area", "price", "amount"),
    [("89.50", "2.35", "210.33"), ("89.50", "2.15", "192.43")],  # half-even / float: 210.32, 192.42
)
def test_a_month_is_area_times_rate_rounded_half_up_once(area, price, amount):
    assert billing.line_amount(D(area), D(price)) == D(amount)


def test_a_quarter_is_three_rounded_monthly_lines():
    assert sum(billing.line_amount(D("89.50"), D("2.35")) for _ in range(3)) == D("630.99")


@pytest.fixture
def service_item(community):
    return next(i for i in services.items_for(community) if i.name == "物业服务费")


def test_handover_month_is_prorated_by_days(community, supervisor, service_item):
    house = make_houses(community, "9", actor=supervisor, rooms=1)[0]
    house.floor_area, house.handover_date = D("89.50"), dt.date(2026, 3, 17)
    march = billing.month_charge(service_item, D("2.35"), house, dt.date(2026, 3, 1))
    assert (march.amount, march.days, march.month_days) == (D("101.77"), 15, 31)
    april = billing.month_charge(service_item, D("2.35"), house, dt.date(2026, 4, 1))
    assert (april.amount, april.days) == (D("210.33"), None)
    assert billing.month_charge(service_item, D("2.35"), house, dt.date(2026, 2, 1)) is None


def test_rates_start_on_the_first_never_overlap_and_a_change_is_a_new_period(community, manager, butler1, service_item):
    with pytest.raises(PermissionDenied):
        services.set_rate(service_item, actor=butler1, unit_price="2.35", valid_from=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.set_rate(service_item, actor=manager, unit_price="2.35", valid_from=dt.date(2026, 1, 15))
    assert "1 日" in str(error.value)
    with pytest.raises(ValidationError):
        services.set_rate(service_item, actor=manager, unit_price="2.123456", valid_from=dt.date(2026, 1, 1))
    old = services.set_rate(service_item, actor=manager, unit_price="2.15", valid_from=dt.date(2026, 1, 1))
    new = services.set_rate(service_item, actor=manager, unit_price="2.3500", valid_from=dt.date(2026, 7, 1))
    old.refresh_from_db()
    assert old.valid_to == dt.date(2026, 6, 30) and new.valid_to is None
    assert services.rate_on(service_item, dt.date(2026, 6, 30)).unit_price == D("2.1500")
    assert services.rate_on(service_item, dt.date(2026, 7, 1)).unit_price == D("2.3500")
    with pytest.raises(ValidationError):
        services.set_rate(service_item, actor=manager, unit_price="2.25", valid_from=dt.date(2026, 7, 1))


def test_a_house_types_own_rate_wins(community, manager, service_item):
    services.set_rate(service_item, actor=manager, unit_price="2.35", valid_from=dt.date(2026, 1, 1))
    services.set_rate(service_item, actor=manager, unit_price="5.00", valid_from=dt.date(2026, 1, 1), house_type="shop")
    assert services.rate_on(service_item, dt.date(2026, 5, 1), "shop").unit_price == D("5.0000")
    assert services.rate_on(service_item, dt.date(2026, 5, 1), "residence").unit_price == D("2.3500")
    assert FeeItem.objects.filter(community=community).count() == 5
