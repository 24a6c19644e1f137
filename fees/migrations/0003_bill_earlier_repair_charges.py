"""Repair charges signed before the fees app existed become 特约服务/维修费 lines
(issue 10 §3: "earlier charges: a migration"), like `fees.services.bill_repair_charge`."""

import calendar
import datetime as dt
from decimal import Decimal

from django.db import migrations
from django.utils import timezone


def bill_earlier_charges(apps, schema_editor):
    Charge = apps.get_model("repairs", "Charge")
    BillLine = apps.get_model("fees", "BillLine")
    FeeItem = apps.get_model("fees", "FeeItem")
    FeeSettings = apps.get_model("fees", "FeeSettings")
    for charge in Charge.objects.filter(bill_line__isnull=True).select_related("order"):
        item = FeeItem.objects.filter(community_id=charge.community_id, kind="repair").first()
        if item is None:
            item = FeeItem.objects.create(
                community_id=charge.community_id, name="特约服务/维修费", kind="repair", basis="one_off", priority=4
            )
        settings_row = FeeSettings.objects.filter(community_id=charge.community_id).first()
        due_day = settings_row.due_day if settings_row else 10
        signed = timezone.localdate(charge.signed_at)
        following = (signed.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        due = following.replace(day=min(due_day, calendar.monthrange(following.year, following.month)[1]))
        BillLine.objects.create(
            community_id=charge.community_id,
            house_id=charge.house_id,
            item=item,
            source="repair",
            month=signed.replace(day=1),
            description=f"维修收费 {charge.order.number}",
            quantity=Decimal("1"),
            unit_price=charge.amount,
            amount=charge.amount,
            open_amount=charge.amount,
            due_date=due,
            repair_charge=charge,
        )
        Charge.objects.filter(pk=charge.pk, billed_at__isnull=True).update(billed_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("fees", "0002_statements_payments"),
        ("repairs", "0003_technician_done_index"),
    ]

    operations = [migrations.RunPython(bill_earlier_charges, migrations.RunPython.noop)]
