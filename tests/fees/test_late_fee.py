"""滞纳金 (issue 10 §8 acceptance)."""

import datetime as dt
from decimal import Decimal

from fees import latefees, services
from fees.models import LateFeePolicy

D = Decimal
DUE = dt.date(2026, 3, 10)
AS_OF = dt.date(2026, 4, 9)


def test_thirty_days_on_a_thousand():
    assert latefees.late_fee(D("1000.00"), DUE, AS_OF) == (D("9.00"), 30)


def test_grace_days_are_free():
    assert latefees.late_fee(D("1000.00"), DUE, AS_OF, terms=latefees.Terms(grace_days=5)) == (D("7.50"), 25)


def test_a_part_payment_lowers_the_principal_from_its_day():
    fee, days = latefees.late_fee(D("1000.00"), DUE, AS_OF, payments=[(dt.date(2026, 3, 25), D("400.00"))])
    assert (fee, days) == (D("7.08"), 30)  # 14 days on 1,000.00 + 16 on 600.00


def test_rounded_once_per_line():
    assert latefees.late_fee(D("1234.56"), DUE, DUE + dt.timedelta(days=17))[0] == D("6.30")


def test_nothing_before_the_due_date_and_nothing_once_paid():
    assert latefees.late_fee(D("1000.00"), DUE, DUE) == (D("0.00"), 0)
    paid = [(dt.date(2026, 3, 1), D("1000.00"))]
    assert latefees.late_fee(D("1000.00"), DUE, AS_OF, payments=paid) == (D("0.00"), 0)


def test_item_policy_beats_community_beats_company(community, company):
    item = services.items_for(community)[0]
    assert latefees.terms_for(item).daily_rate == D("0.0003")  # nobody set one
    LateFeePolicy.objects.create(company=company, daily_rate=D("0.0005"))
    assert latefees.terms_for(item).daily_rate == D("0.0005")
    LateFeePolicy.objects.create(company=company, community=community, daily_rate=D("0.0004"), grace_days=3)
    assert latefees.terms_for(item).daily_rate == D("0.0004")
    LateFeePolicy.objects.create(company=company, community=community, item=item, daily_rate=D("0.0002"))
    terms = latefees.terms_for(item)
    assert (terms.daily_rate, terms.grace_days) == (D("0.0002"), 0)
    other = services.items_for(community)[1]
    assert latefees.terms_for(other).daily_rate == D("0.0004")
