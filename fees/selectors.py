"""Reads of the fee records that are more than one filter."""

from decimal import Decimal

from django.db.models import Max, Min, Q, Sum
from django.utils import timezone

from fees.models import BillLine, Payment, Subscription
from fees.payments import unallocated


def house_panel(house, request):
    """The household 360° panel (issue 10 §13): arrears, the oldest unpaid month,
    the last payment, the latest promise and reason, prepaid, the running 便民服务
    subscriptions — fixed queries."""
    from fees.models import CollectionCall

    open_lines = BillLine.objects.filter(house=house, open_amount__gt=0)
    arrears = open_lines.aggregate(total=Sum("open_amount"), oldest=Min("month"))
    last_paid = Payment.objects.filter(house=house, voided_at__isnull=True).aggregate(at=Max("received_at"))["at"]
    last_call = CollectionCall.objects.filter(house=house).order_by("-called_at", "-pk").first()
    today = timezone.localdate()
    subscriptions = (
        Subscription.objects.filter(house=house, started_on__lte=today)
        .filter(Q(stopped_on__isnull=True) | Q(stopped_on__gte=today))
        .select_related("service")
        .order_by("started_on")
    )
    return {
        "arrears": arrears["total"] or Decimal("0.00"),
        "oldest": arrears["oldest"],
        "last_paid": last_paid,
        "prepaid": unallocated(house),
        "last_call": last_call,
        "subscriptions": list(subscriptions),
    }
