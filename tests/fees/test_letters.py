"""The lawyer's letter and the 催缴通知书 (issue 10 §9)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fees import collection, letters, payments
from fees.choices import LetterStatus
from fees.models import BillLine, FrozenLetter, LawyerLetter
from residents.services import add_resident
from tests.builders import at

D = Decimal


@pytest.fixture
def owing(billed_house, service_item, supervisor):
    """1,000.00 due 2026-03-10 (the late-fee acceptance line) and an owner with an ID number."""
    add_resident(
        house=billed_house, relation="owner", actor=supervisor, name="王大海", mobile="13800001111",
        id_type="resident_id", id_number="310101198001010011",
    )  # fmt: skip
    return BillLine.objects.create(
        community=billed_house.community, house=billed_house, item=service_item, month=dt.date(2026, 3, 1),
        description="2026年03月物业服务费", quantity=D("1"), unit_price=D("1000"), amount=D("1000.00"),
        open_amount=D("1000.00"), due_date=dt.date(2026, 3, 10),
    )  # fmt: skip


def _malicious_call(house, butler, day):
    return collection.record_call(
        house=house, actor=butler, channel="door", person_reached="王大海", answer="就是不交", reason="malicious",
        now=at(*day),
    )  # fmt: skip


def test_a_letter_needs_a_malicious_arrears_call_and_the_managers_approval(clock, owing, butler1, manager, supervisor):
    clock.now = at(2026, 4, 1)
    with pytest.raises(ValidationError) as error:
        letters.request_letter(owing.house, actor=butler1)
    assert "恶意欠费" in str(error.value)
    _malicious_call(owing.house, butler1, (2026, 4, 1))
    letter = letters.request_letter(owing.house, actor=butler1)
    assert (letter.status, letter.number, letter.addressee) == (LetterStatus.REQUESTED, "", "王大海")
    with pytest.raises(ValidationError):
        letters.request_letter(owing.house, actor=butler1)  # one at a time
    with pytest.raises(PermissionDenied):
        letters.approve_letter(letter, actor=supervisor)
    letter = letters.approve_letter(letter, actor=manager)
    assert letter.number == "LS-2026-000001"


def test_printing_freezes_the_letter_with_each_lines_late_fee(clock, owing, butler1, manager, finance, client_for):
    clock.now = at(2026, 4, 1)
    _malicious_call(owing.house, butler1, (2026, 4, 1))
    letter = letters.approve_letter(letters.request_letter(owing.house, actor=butler1), actor=manager)
    clock.now = at(2026, 4, 9, 15)
    response = client_for(finance).post(f"/fees/letters/{letter.pk}/", {"which": "print"})
    letter.refresh_from_db()
    # 1,000.00 due 2026-03-10, as of 2026-04-09: 30 days at 0.03 % → 9.00
    assert (letter.letter_date, letter.principal, letter.late_fee, letter.total) == (
        dt.date(2026, 4, 9), D("1000.00"), D("9.00"), D("1009.00"),
    )  # fmt: skip
    assert letter.lines[0]["days"] == 30 and letter.lines[0]["rate_text"] == "0.03%"
    html = response.content.decode()
    assert "LS-2026-000001" in html and "¥1009.00" in html and "王大海" in html
    assert "310101" not in html  # never an ID number
    # A payment later changes nothing printed; a reprint says 补打.
    clock.now = at(2026, 4, 20)
    payments.record_payment(house=owing.house, actor=finance, amount="400", method="cash", payer="王大海")
    reprint = client_for(finance).post(f"/fees/letters/{letter.pk}/", {"which": "print"}).content.decode()
    letter.refresh_from_db()
    assert (letter.total, letter.print_count) == (D("1009.00"), 2)
    assert "补打" in reprint and "¥1009.00" in reprint
    letter.total = D("1.00")
    with pytest.raises(FrozenLetter):
        letter.save()


def test_the_sending_is_recorded_after_printing(clock, owing, butler1, manager, finance):
    clock.now = at(2026, 4, 1)
    _malicious_call(owing.house, butler1, (2026, 4, 1))
    letter = letters.approve_letter(letters.request_letter(owing.house, actor=butler1), actor=manager)
    with pytest.raises(ValidationError):
        letters.record_sending(letter, actor=finance, via="ems")  # not printed yet
    letters.print_letter(letter, actor=finance)
    with pytest.raises(ValidationError):
        letters.record_sending(letter, actor=finance, via="pigeon")
    letters.record_sending(letter, actor=finance, via="ems", tracking="EA123456789CN")
    letter.refresh_from_db()
    assert (letter.status, letter.tracking, letter.sent_by) == (LetterStatus.SENT, "EA123456789CN", finance)


def test_a_rejected_letter_tells_the_requester(clock, owing, butler1, manager):
    clock.now = at(2026, 4, 1)
    _malicious_call(owing.house, butler1, (2026, 4, 1))
    letter = letters.request_letter(owing.house, actor=butler1)
    with pytest.raises(ValidationError):
        letters.reject_letter(letter, actor=manager, note="")
    letters.reject_letter(letter, actor=manager, note="先再上门沟通一次")
    assert LawyerLetter.objects.get().status == LetterStatus.REJECTED
    assert butler1.reminders.filter(kind="fees.letter_rejected").count() == 1


def test_the_notice_lists_the_arrears_and_the_pages_say_who_may(clock, owing, butler1, butler2, tech1, client_for):
    clock.now = at(2026, 4, 9)
    html = client_for(butler1).get(f"/fees/houses/{owing.house.pk}/notice/").content.decode()
    assert "催缴通知书" in html and "¥1000.00" in html and "310101" not in html
    page = client_for(butler1).get(f"/fees/houses/{owing.house.pk}/arrears/").content.decode()
    assert "¥9.00" in page  # the late fee as of today
    assert client_for(tech1).get(f"/fees/houses/{owing.house.pk}/notice/").status_code == 403
    # butler2 may read but not ask for a letter for butler1's house
    assert client_for(butler2).post(f"/fees/houses/{owing.house.pk}/arrears/").status_code == 403


def test_the_letters_list_shows_pending_first_with_flat_queries(
    clock, owing, butler1, manager, client_for, django_assert_max_num_queries
):
    clock.now = at(2026, 4, 1)
    _malicious_call(owing.house, butler1, (2026, 4, 1))
    letters.request_letter(owing.house, actor=butler1)
    client = client_for(manager)
    with django_assert_max_num_queries(14):
        html = client.get("/fees/letters/").content.decode()
    assert "待经理审批" in html and owing.house.number in html
