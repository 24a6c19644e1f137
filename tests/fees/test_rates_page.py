"""The 收费标准 page: rate periods from a month's 1st, never overlapping (issue 10 §1)."""

import datetime as dt
from decimal import Decimal

from fees.models import Rate


def test_the_manager_adds_a_period_and_an_overlap_is_refused_on_the_form(
    billed_house, service_item, manager, butler1, client_for
):
    client = client_for(manager)
    data = {"item": service_item.pk, "house_type": "", "unit_price": "2.50", "valid_from": "2026-07"}
    assert client.post("/fees/rates/", data).status_code == 302
    earlier, later = Rate.objects.filter(item=service_item).order_by("valid_from")
    assert (earlier.valid_to, later.valid_from, later.unit_price) == (
        dt.date(2026, 6, 30), dt.date(2026, 7, 1), Decimal("2.5000"),
    )  # fmt: skip
    response = client.post("/fees/rates/", {**data, "valid_from": "2026-03", "unit_price": "2.45"})
    html = response.content.decode()
    assert response.status_code == 400 and "不能重叠" in html and 'value="2.45"' in html
    assert Rate.objects.filter(item=service_item).count() == 2
    page = client_for(butler1).get("/fees/rates/").content.decode()
    assert "2026-07-01 至 今" in page and "rate-form" not in page
    assert client_for(butler1).post("/fees/rates/", data).status_code == 403
