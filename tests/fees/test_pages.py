"""The fee pages a person uses: taking a payment, the receipt and its reprint."""

import datetime as dt
import uuid
from decimal import Decimal

from django.urls import reverse

from fees import statements
from fees.models import Payment, Receipt, Statement
from tests.builders import at


def test_butler_takes_a_wechat_payment_and_prints_the_receipt_then_a_reprint(clock, billed_house, butler1, client_for):
    clock.now = at(2026, 1, 28, 9)
    statements.draft_due_statements()
    client = client_for(butler1)
    form = client.get(reverse("fees:pay", args=[billed_house.pk])).content.decode()
    assert "2026年02月物业服务费" in form and "210.33" in form
    data = {
        "amount": "210.33",
        "method": "wechat",
        "payer": "张先生",
        "reference": "4200001",
        "intake_key": uuid.uuid4(),
    }
    first = client.post(reverse("fees:pay", args=[billed_house.pk]), data)
    again = client.post(reverse("fees:pay", args=[billed_house.pk]), data)
    receipt = Receipt.objects.get()
    assert first.url == again.url == reverse("fees:receipt", args=[receipt.pk])
    assert Payment.objects.count() == 1
    printed = client.post(reverse("fees:receipt", args=[receipt.pk]), {"which": "print"}).content.decode()
    assert "SJ-2026-000001" in printed and 'id="reprint"' not in printed
    reprint = client.post(reverse("fees:receipt", args=[receipt.pk]), {"which": "print"}).content.decode()
    assert 'id="reprint"' in reprint


def test_a_bad_amount_keeps_what_was_typed(clock, billed_house, finance, client_for):
    data = {"amount": "-5", "method": "cash", "payer": "李女士", "intake_key": uuid.uuid4()}
    response = client_for(finance).post(reverse("fees:pay", args=[billed_house.pk]), data)
    assert response.status_code == 400 and "李女士" in response.content.decode()
    assert not Payment.objects.exists()


def test_finance_issues_what_the_butler_checked(clock, billed_house, butler1, finance, client_for):
    clock.now = at(2026, 1, 28, 9)
    statements.draft_due_statements()
    url = reverse("fees:statements") + "?month=2026-02"
    client_for(butler1).post(url, {"which": "check"})
    client_for(finance).post(url, {"which": "issue"})
    statement = Statement.objects.get()
    assert statement.status == "issued" and statement.month == dt.date(2026, 2, 1)
    page = client_for(butler1).get(reverse("fees:statement", args=[statement.pk])).content.decode()
    assert 'id="amount-due">¥210.33' in page
    assert statement.amount_due == Decimal("210.33")
