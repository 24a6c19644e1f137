"""Reads of work orders that are more than one filter: who sees which orders,
the lists' clocks, the review queue, the household panel, the printed records."""

from django.db.models import Case, IntegerField, Q, When, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.choices import Role
from repairs import clocks, rules
from repairs.choices import OPEN_STATUSES, WORKING_STATUSES, DispatchMode, Status
from repairs.models import WorkOrder

LIST_RELATED = ("house", "public_area", "category", "technician", "owner")


def visible_orders(user, community):
    """The orders `user` may open in `community` (STYLE 4): readers and the 工程部
    head see all; a technician only those they do, own or may grab."""
    qs = WorkOrder.objects.for_user(user).in_community(community)
    if user.has_role(community, *rules.READERS) or rules.heads_engineering(user, community):
        return qs
    departments = list(
        user.memberships.filter(community=community, role=Role.TECHNICIAN, is_active=True).values_list(
            "department_id", flat=True
        )
    )
    pool = Q(
        status=Status.RECEIVED,
        technician__isnull=True,
        dispatch_mode=DispatchMode.GRAB,
        department_id__in=[d for d in departments if d is not None],
    )
    return qs.filter(Q(technician=user) | Q(owner=user) | pool)


def order_for(request, pk):
    """The order behind a URL, or 404 (another community's, or not the user's)."""
    return get_object_or_404(
        visible_orders(request.user, request.community).select_related(
            *LIST_RELATED, "department__head", "received_by", "reporter", "rework_of", "complaint", "follow_up"
        ),
        pk=pk,
    )


def with_clocks(orders, *, now=None):
    """Attach `clock` to each order of a page: one query for all their pauses."""
    now = now or timezone.now()
    orders = list(orders)
    prefetch_related_objects(orders, "pauses")
    for order in orders:
        order.clock = clocks.display(order, now)
    return orders


def technician_today(user, community, *, now=None):
    """The technician's phone list: own orders still to do (urgent first, then the
    nearest deadline), those finished today, and the grab pool."""
    now = now or timezone.now()
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    mine = WorkOrder.objects.filter(community=community, technician=user)
    rank = Case(
        When(urgency="emergency", then=0), When(urgency="urgent", then=1), default=2, output_field=IntegerField()
    )
    # The hundred to show first (ids only), then their rows with what the page draws.
    ids = list(
        mine.filter(status__in=WORKING_STATUSES)
        .annotate(rank=rank)
        .order_by("rank", "completion_due_at", "pk")
        .values_list("pk", flat=True)[:100]
    )
    rows = {o.pk: o for o in WorkOrder.objects.filter(pk__in=ids).select_related(*LIST_RELATED)}
    done = mine.filter(done_at__gte=start_of_day).select_related(*LIST_RELATED).order_by("-done_at")
    pool = visible_orders(user, community).filter(
        status=Status.RECEIVED, technician__isnull=True, dispatch_mode=DispatchMode.GRAB
    )
    return {
        "todo": with_clocks([rows[pk] for pk in ids], now=now),
        "done": list(done[:30]),
        "pool": with_clocks(pool.select_related(*LIST_RELATED).order_by("received_at")[:50], now=now),
    }


def review_queue(community):
    """Orders the supervisor has not yet reviewed (daily review [001 L108])."""
    return (
        WorkOrder.objects.filter(community=community, reviewed_at__isnull=True)
        .exclude(status=Status.VOID)
        .select_related(*LIST_RELATED)
        .order_by("received_at", "pk")
    )


def house_panel(house, request):
    """The household 360° panel: the house's orders, open ones first."""
    qs = (
        WorkOrder.objects.filter(house=house)
        .exclude(status=Status.VOID)
        .select_related(*LIST_RELATED)
        .annotate(open_rank=Case(When(status__in=OPEN_STATUSES, then=0), default=1, output_field=IntegerField()))
        .order_by("open_rank", "-received_at")[:15]
    )
    orders = with_clocks(qs)
    return {"orders": orders, "open_count": sum(1 for o in orders if o.is_open)}


MONTH_FIELDS = (
    "pk",
    "number",
    "received_at",
    "status",
    "house__number",
    "public_area__name",
    "location",
    "reporter_name",
    "reporter__mobile",
    "contact",
    "description",
    "received_by__name",
    "received_by__username",
    "owner__name",
    "owner__username",
    "technician__name",
    "technician__username",
    "void_reason",
    "return_reason",
)


def month_orders(community, month):
    """A reporting month's orders in number order, as plain rows (the binding list,
    the 维修记录表: a month holds thousands; model instances with their people cost
    ten times the query)."""
    return WorkOrder.objects.filter(community=community, report_month=month).order_by("number").values(*MONTH_FIELDS)


def dashboard_widget(request):
    """The manager dashboard's repairs card (SPEC §8)."""
    from repairs import statistics
    from repairs.models import RepairSettings
    from repairs.services import report_month_of

    now = timezone.now()
    month = report_month_of(now, RepairSettings.current(request.community).report_tail_days)
    return statistics.headline(request.community, month, now)
