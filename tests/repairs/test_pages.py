"""The repairs pages a person uses: intake errors, the list's queries, the printed
four-part form, the 维修记录表 and binding list, finance's summary, statistics."""

import datetime as dt
import re
import uuid
from decimal import Decimal

from django.urls import reverse

from repairs import services
from repairs.models import WorkOrder
from tests.builders import at

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_intake_bad_input_keeps_what_was_typed(clock, client_for, frontdesk, category):
    data = {
        "source": "phone",
        "category": category("水").pk,
        "house_number": "9-9-999",
        "description": "卫生间地漏堵了，水漫出来",
        "intake_key": str(uuid.uuid4()),
    }
    response = client_for(frontdesk).post(reverse("repairs:intake"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "本小区没有房号 9-9-999" in page and "卫生间地漏堵了，水漫出来" in page
    assert not WorkOrder.objects.exists()


def test_intake_creates_the_order_and_a_double_submit_registers_once(clock, client_for, frontdesk, house, category):
    data = {
        "source": "phone",
        "category": category("电").pk,
        "house_number": house.number,
        "description": "客厅插座冒火花",
        "conditions": ["wiring"],
        "intake_key": str(uuid.uuid4()),
    }
    client = client_for(frontdesk)
    first = client.post(reverse("repairs:intake"), data)
    second = client.post(reverse("repairs:intake"), data)
    order = WorkOrder.objects.get()
    assert first.url == second.url == reverse("repairs:detail", args=[order.pk])
    assert order.urgency == "urgent" and order.owner == frontdesk


def test_list_queries_do_not_grow_with_the_page(
    clock, order, supervisor, tech, client_for, django_assert_max_num_queries
):
    for _ in range(3):
        services.dispatch(order(), actor=supervisor, technician=tech)
    client = client_for(supervisor)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("repairs:list"))
    for _ in range(12):
        services.dispatch(order(), actor=supervisor, technician=tech)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("repairs:list")).content.decode()
    assert len(re.findall(r'id="order-\d+"', page)) == 15


def test_print_has_four_copies_each_with_the_number(clock, order, frontdesk, client_for):
    o = order()
    page = client_for(frontdesk).get(reverse("repairs:print", args=[o.pk])).content.decode()
    for copy in ("业主联", "财务联", "客服部联", "工程部联"):
        assert f'data-copy="{copy}"' in page
    assert page.count(f'<strong class="number">{o.number}</strong>') == 4
    assert "13812345678" not in page and "138****5678" in page


def test_records_and_binding_list_in_number_order_with_states(clock, order, supervisor, client_for):
    clock.now = at(2026, 3, 29, 23, 59)
    march = order()
    clock.now = at(2026, 3, 30, 0, 0)
    april = order()
    services.void(april, actor=supervisor, reason="重复报修")
    client = client_for(supervisor)
    records = client.get(reverse("repairs:records") + "?month=2026-03").content.decode()
    assert march.number in records and april.number not in records
    assert "138****5678" in records and "13812345678" not in records
    binding = client.get(reverse("repairs:records") + "?month=2026-04&binding=1").content.decode()
    assert april.number in binding and "已作废" in binding


def test_finance_sees_the_signed_charge(clock, order, supervisor, tech, price_list, finance, client_for):
    o = services.dispatch(order(), actor=supervisor, technician=tech)
    o = services.arrive(o, actor=tech, entry_agreed=True)
    o = services.quote(o, actor=tech, lines=[(price_list.items.get(unit="m"), Decimal("2.5"))])
    o = services.agree_quote(o, actor=tech)
    services.complete(o, actor=tech, result="已换管", signature="signed", signature_png=PNG)
    page = client_for(finance).get(reverse("repairs:charges") + "?month=2026-11").content.decode()
    assert o.number in page and "¥30.63" in page


def test_statistics_counts_on_time_by_category(clock, order, supervisor, tech, category, client_for):
    clock.now = at(2026, 11, 10, 10)
    fast, slow = order(), order(category=category("电"))
    services.dispatch(fast, actor=supervisor, technician=tech)
    clock.now += dt.timedelta(minutes=6)
    services.dispatch(slow, actor=supervisor, technician=tech)
    from repairs import statistics

    figures = statistics.month_figures(fast.community, dt.date(2026, 11, 1))
    assert figures["totals"]["dispatch_rate"] == Decimal("50.0")
    rows = {r["label"]: r for r in figures["by_category"]}
    assert rows["水"]["dispatch_rate"] == Decimal("100.0") and rows["电"]["dispatch_rate"] == Decimal("0.0")
    page = client_for(supervisor).get(reverse("repairs:statistics") + "?month=2026-11").content.decode()
    assert 'id="fig-dispatch">50.0%' in page


def test_manager_dashboard_shows_overdue_repairs_and_a_butler_does_not_see_it(
    clock, order, manager, butler1, client_for
):
    order()
    clock.now += dt.timedelta(minutes=6)  # not dispatched within 5 minutes
    page = client_for(manager).get(reverse("core:home")).content.decode()
    assert 'id="widget-repairs"' in page and 'id="repairs-overdue">1<' in page
    assert 'id="widget-repairs"' not in client_for(butler1).get(reverse("core:home")).content.decode()


def test_settings_refuse_a_warning_point_over_99_percent_and_keep_the_old_value(clock, manager, client_for):
    from repairs.models import RepairSettings

    response = client_for(manager).post(
        reverse("repairs:settings"),
        {"which": "settings", "settings-warn_percent": "150", "settings-dispatch_mode": "assign"},
    )
    assert response.status_code == 400 and "预警点须在 1% 到 99% 之间" in response.content.decode()
    assert RepairSettings.current(manager.memberships.first().community).warn_percent == 75


def test_butlers_repair_return_visit_form_asks_attitude_quality_manners(
    clock, order, supervisor, tech, butler1, client_for, django_capture_on_commit_callbacks
):
    from visits.models import ReturnVisit

    clock.now = at(2026, 11, 2, 10)
    o = services.dispatch(order(), actor=supervisor, technician=tech)
    o = services.arrive(o, actor=tech, entry_agreed=True)
    services.complete(services.start(o, actor=tech), actor=tech, result="已修")
    rv = ReturnVisit.objects.get()
    clock.now = at(2026, 11, 3, 10)
    client = client_for(butler1)
    form = client.get(reverse("visits:log") + f"?house={o.house_id}&return_visit={rv.pk}").content.decode()
    assert 'id="repair-ratings"' in form and "礼节礼貌" in form
    data = {
        "house_number": o.house.number,
        "started_at": "2026-11-03T09:50",
        "channel": "door",
        "visit_type": "repair_return",
        "satisfaction": "fairly",
        "signature": "not_asked",
        "rate_attitude": "satisfied",
        "rate_quality": "dissatisfied",
        "rate_manners": "satisfied",
        "reply": "水龙头仍在滴水",
        "return_visit": rv.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("visits:log"), data)
    assert response.status_code == 302, response.context["form"].errors
    rework = WorkOrder.objects.get(rework_of=o)
    assert "维修质量不满意" in rework.description


def test_household_page_shows_its_work_orders(clock, order, butler1, client_for):
    o = order()
    page = client_for(butler1).get(reverse("residents:house_detail", args=[o.house_id])).content.decode()
    assert 'id="house-repairs"' in page and o.number in page
