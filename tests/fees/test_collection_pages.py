"""The collection pages (issue 10 §6–§7): the butler's call list, the 催收记录
form, a round's progress, and the cash hand-over to finance [001 L578]."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from complaints.models import Complaint
from core.models import Reminder
from fees import collection, payments
from fees.models import BillLine, CollectionCall, CollectionRound, CollectionTask, Payment
from tests.builders import at, make_houses


def owe(house, item, amount="210.33", month=dt.date(2026, 4, 1)):
    """An unpaid 物业服务费 line of `month`, due on its 10th."""
    return BillLine.objects.create(
        community=house.community,
        house=house,
        item=item,
        month=month,
        description=f"{month:%Y年%m月}物业服务费",
        quantity=Decimal("1.00"),
        unit_price=Decimal(amount),
        amount=Decimal(amount),
        open_amount=Decimal(amount),
        due_date=month.replace(day=10),
    )


@pytest.fixture
def zone2(community, supervisor, butler2):
    return make_houses(community, "2", actor=supervisor, butler=butler2, rooms=2)


@pytest.fixture
def round_(clock, zone1, zone2, service_item):
    """The May monthly round (15th–21st), opened on the 16th: three of butler1's
    houses and two of butler2's owe April."""
    for house in [*zone1[:3], *zone2]:
        owe(house, service_item)
    clock.now = at(2026, 5, 16, 10)
    collection.open_due_rounds()
    return CollectionRound.objects.get()


def task_of(house):
    return CollectionTask.objects.get(house=house)


def call_data(**overrides):
    data = {
        "channel": "phone",
        "person_reached": "张先生",
        "statement_received": "true",
        "answer": "月底前交",
        "promised_date": "2026-05-30",
        "reason": "hardship",
        "next_step": "月底再联系",
    }
    return {**data, **overrides}


def test_the_round_reminder_opens_the_call_list(round_, butler1):
    assert Reminder.objects.get(recipient=butler1, kind="fees.round").url == reverse("fees:tasks")


def test_butler_sees_only_their_zone_in_open_rounds_undone_first(round_, zone1, zone2, butler1, client_for):
    april = CollectionRound.objects.create(
        community=round_.community, kind="monthly", opened_on=dt.date(2026, 4, 15), ends_on=dt.date(2026, 4, 21)
    )
    old = CollectionTask.objects.create(round=april, house=zone1[3], butler=butler1, arrears=Decimal("99.00"))
    first = task_of(zone1[0])
    collection.record_call(house=zone1[0], actor=butler1, channel="door", person_reached="张先生", answer="已交",
                           task=first)  # fmt: skip
    page = client_for(butler1).get(reverse("fees:tasks")).content.decode()
    mine = [task_of(house) for house in zone1[:3]]
    for task in mine:
        assert f'id="task-{task.pk}"' in page
    for house in zone2:
        assert f'id="task-{task_of(house).pk}"' not in page
    assert f'id="task-{old.pk}"' not in page
    assert page.index(f'id="task-{mine[1].pk}"') < page.index(f'id="task-{first.pk}"')  # undone first
    assert 'id="task-total">3<' in page and 'id="task-done">1<' in page
    assert "¥210.33" in page and reverse("fees:pay", args=[zone1[1].pk]) in page


def test_recording_a_call_from_the_list_marks_the_task_done(clock, round_, zone1, butler1, client_for):
    client = client_for(butler1)
    task = task_of(zone1[0])
    url = reverse("fees:call", args=[zone1[0].pk]) + f"?task={task.pk}"
    assert "登记催收" in client.get(url).content.decode()
    response = client.post(url, call_data())
    assert response.status_code == 302 and response.url == reverse("fees:tasks")
    call = CollectionCall.objects.get()
    assert (call.butler, call.task, call.called_at, call.statement_received) == (butler1, task, clock.now, True)
    assert call.promised_date == dt.date(2026, 5, 30) and call.reason == "hardship"
    task.refresh_from_db()
    assert task.done_at == clock.now
    page = client.get(reverse("fees:tasks")).content.decode()
    assert "经济困难" in page and "承诺 05-30 缴费" in page
    assert "月底前交" in client.get(reverse("fees:call", args=[zone1[0].pk])).content.decode()  # earlier calls


def test_a_service_problem_call_opens_a_complaint_named_in_the_message(round_, zone1, butler1, client_for):
    client = client_for(butler1)
    task = task_of(zone1[0])
    url = reverse("fees:call", args=[zone1[0].pk]) + f"?task={task.pk}"
    response = client.post(url, call_data(reason="service", answer="楼道灯坏了一个月"), follow=True)
    complaint = Complaint.objects.get()
    call = CollectionCall.objects.get()
    assert call.complaint == complaint and complaint.owner == butler1 and complaint.house == zone1[0]
    page = response.content.decode()
    assert f'href="{reverse("complaints:detail", args=[complaint.pk])}">{complaint.number}</a>' in page


def test_bad_input_shows_the_message_keeps_what_was_typed_and_saves_nothing(round_, zone1, butler1, client_for):
    task = task_of(zone1[0])
    url = reverse("fees:call", args=[zone1[0].pk]) + f"?task={task.pk}"
    data = call_data(answer="", promised_date="2026-05-01", person_reached="业主李女士", reason="service")
    response = client_for(butler1).post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "请填写业主的答复。" in page and "承诺缴费日期不能早于今天。" in page
    assert 'value="业主李女士"' in page and 'value="2026-05-01"' in page
    assert not CollectionCall.objects.exists() and not Complaint.objects.exists()
    task.refresh_from_db()
    assert task.done_at is None


def test_a_butler_cannot_open_another_butlers_house_or_task(round_, zone1, zone2, butler1, client_for):
    client = client_for(butler1)
    theirs = task_of(zone2[0])
    assert client.get(reverse("fees:call", args=[zone2[0].pk])).status_code == 404
    mine = reverse("fees:call", args=[zone1[0].pk])
    assert client.get(f"{mine}?task={theirs.pk}").status_code == 404
    assert client.post(f"{mine}?task={theirs.pk}", call_data()).status_code == 404
    assert client.get(reverse("fees:tasks") + f"?round={round_.pk}&butler={theirs.butler_id}").status_code == 200
    assert not CollectionCall.objects.exists()


def test_round_progress_per_butler(round_, zone1, butler1, butler2, supervisor, client_for):
    collection.record_call(house=zone1[0], actor=butler1, channel="phone", person_reached="张先生", answer="下周交",
                           task=task_of(zone1[0]))  # fmt: skip
    client = client_for(supervisor)
    rounds = client.get(reverse("fees:rounds")).content.decode()
    assert f'id="round-{round_.pk}"' in rounds and "5 户，已联系 1 户" in rounds and "20%" in rounds
    progress = client.get(reverse("fees:round", args=[round_.pk])).content.decode()
    row1 = progress.split(f'id="butler-{butler1.pk}"')[1].split("</tr>")[0]
    row2 = progress.split(f'id="butler-{butler2.pk}"')[1].split("</tr>")[0]
    assert ">3<" in row1 and ">1<" in row1 and "33%" in row1 and "¥630.99" in row1
    assert ">2<" in row2 and "0%" in row2
    listing = client.get(reverse("fees:tasks") + f"?round={round_.pk}&butler={butler1.pk}").content.decode()
    assert 'id="task-total">3<' in listing and 'id="task-done">1<' in listing


def test_round_pages_are_for_supervisors_not_butlers(round_, butler1, tech1, client_for):
    assert client_for(butler1).get(reverse("fees:round", args=[round_.pk])).status_code == 403
    assert client_for(tech1).get(reverse("fees:tasks")).status_code == 403


def test_cash_hand_over_list_and_confirm(clock, round_, zone1, butler1, butler2, finance, tech1, client_for):
    cash = payments.record_payment(house=zone1[0], actor=butler1, amount="210.33", method="cash", payer="张先生")
    other = payments.record_payment(house=zone1[1], actor=butler2, amount="100.00", method="cash", payer="李女士")
    payments.record_payment(house=zone1[2], actor=butler1, amount="50.00", method="wechat", payer="王先生")
    own = client_for(butler1).get(reverse("fees:handover")).content.decode()
    assert cash.receipt.number in own and other.receipt.number not in own
    assert 'id="handover-total">待交合计 <span class="fw-semibold">¥210.33' in own
    assert client_for(butler1).post(reverse("fees:handover"), {"payments": [cash.pk]}).status_code == 403
    assert client_for(tech1).get(reverse("fees:handover")).status_code == 403
    client = client_for(finance)
    page = client.get(reverse("fees:handover")).content.decode()
    assert f'id="collector-{butler1.pk}"' in page and f'id="collector-{butler2.pk}"' in page
    assert "¥310.33" in page
    response = client.post(reverse("fees:handover"), {"payments": [cash.pk]}, follow=True)
    assert "已确认收到 1 笔现金，合计 ¥210.33。" in response.content.decode()
    cash.refresh_from_db()
    assert (cash.handed_over_at, cash.handed_over_to) == (clock.now, finance)
    assert list(payments.to_hand_over(zone1[0].community)) == [Payment.objects.get(pk=other.pk)]


def _grow(community, supervisor, butler1, item, count):
    for house in make_houses(community, f"9{count}", actor=supervisor, butler=butler1, rooms=count):
        owe(house, item)
        task = CollectionTask.objects.create(
            round=CollectionRound.objects.get(), house=house, butler=butler1, arrears=Decimal("210.33")
        )
        collection.record_call(house=house, actor=butler1, channel="phone", person_reached="业主", answer="会交",
                               reason="away", task=task)  # fmt: skip
        payments.record_payment(house=house, actor=butler1, amount="10.00", method="cash", payer="业主")


@pytest.mark.parametrize("count", [2, 12])
def test_query_counts_stay_flat_as_tasks_grow(
    round_, community, supervisor, butler1, finance, service_item, client_for, django_assert_max_num_queries, count
):
    _grow(community, supervisor, butler1, service_item, count)
    pages = [
        (butler1, reverse("fees:tasks")),
        (supervisor, reverse("fees:tasks")),
        (supervisor, reverse("fees:rounds")),
        (supervisor, reverse("fees:round", args=[round_.pk])),
        (butler1, reverse("fees:handover")),
        (finance, reverse("fees:handover")),
    ]
    for user, url in pages:
        client = client_for(user)
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200
