"""After the work: the return visits through the visits engine and rework orders."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from repairs.choices import (
    Action,
    ReturnKind,
    Status,
    Urgency,
)
from repairs.models import (
    RepairSettings,
    WorkOrder,
)
from repairs.services.base import _event, _locked, _save, _tell_head


def return_visit_plan(order):
    """(trigger, delay override) of the return visit a finished house order owes
    (SPEC §2.3, [001 L364, L476], [000 L277–279]); None for a public area."""
    from visits.choices import Trigger

    if order.house_id is None:
        return None
    settings_row = RepairSettings.current(order.community)
    if order.urgency in (Urgency.EMERGENCY, Urgency.URGENT):
        return Trigger.URGENT_REPAIR, None
    kind = order.category.return_kind if order.category_id else ReturnKind.OTHER
    if kind == ReturnKind.LEAK:
        return Trigger.LEAK_REPAIR, None
    if kind == ReturnKind.SAFETY:
        return Trigger.OTHER_REPAIR, dt.timedelta(hours=settings_row.safety_return_hours)
    if kind == ReturnKind.PLUMBING:
        return Trigger.OTHER_REPAIR, dt.timedelta(hours=settings_row.plumbing_return_hours)
    return Trigger.OTHER_REPAIR, None


def _raise_return_visits(order, now):
    from visits import engine

    plan = return_visit_plan(order)
    if plan is None:
        return
    trigger, delay = plan
    raised = engine.raise_return_visit(
        trigger,
        house=order.house,
        occurred_at=now,
        source=order,
        note=f"{order.number} {order.description[:60]}",
        delay=delay,
    )
    if raised is not None:
        due = timezone.localtime(raised.due_at).strftime("%Y-%m-%d %H:%M")
        _event(order, Action.RETURN_VISIT_RAISED, actor=None, note=f"回访人：{raised.assignee.display_name}，{due} 前")


def on_return_visit_done(sender, return_visit, visit, **kwargs):
    """The visits engine reports a logged return visit of this app's order: the
    order is 已回访 with the owner's view of the technician's attitude, quality
    and manners [003 L508]; a problem (不满意, overall or on any of them) opens a
    linked rework order, tells the technician in writing within 24 h [001 L364]
    and goes to the 工程部 head."""
    from visits.choices import Satisfaction
    from visits.services import REPAIR_ASPECTS

    if return_visit.source_type_id != ContentType.objects.get_for_model(WorkOrder).pk:
        return
    with transaction.atomic():
        order = WorkOrder.objects.select_for_update().filter(pk=return_visit.source_id).first()
        if order is None or order.status not in (Status.DONE, Status.CONFIRMED, Status.VISITED):
            return
        order = _locked(order)
        if order.events.filter(action=Action.RETURN_VISITED, note__startswith=f"回访记录 #{visit.pk}，").exists():
            return  # the same visit reported again (a retried commit hook): taken once
        label = dict(Satisfaction.choices).get(visit.satisfaction, "未记录")
        if order.status != Status.VISITED:
            order.status, order.return_visited_at = Status.VISITED, visit.started_at
        order.return_satisfaction = visit.satisfaction or ""
        order.return_ratings = dict(visit.repair_ratings or {})
        _save(order, visit.created_by)
        ratings = "".join(f"，{aspect}：{value}" for aspect, value in visit.repair_rating_rows)
        _event(order, Action.RETURN_VISITED, actor=visit.created_by,
               note=f"回访记录 #{visit.pk}，满意度：{label}{ratings}", at=visit.started_at)  # fmt: skip
        unhappy = [REPAIR_ASPECTS[k] for k, v in order.return_ratings.items() if v == Satisfaction.DISSATISFIED]
        if visit.satisfaction == Satisfaction.DISSATISFIED or unhappy:
            problem = visit.reply or "回访时业主表示不满意"
            if unhappy:
                problem = f"{'、'.join(unhappy)}不满意：{problem}"
            open_rework(order, actor=visit.created_by, problem=problem)


def open_rework(order, *, actor, problem, now=None):
    """返工: a new order linked to the first, the technician told in writing."""
    now = now or timezone.now()
    settings_row = RepairSettings.current(order.community)
    from repairs.services.intake import _receive

    rework = _receive(
        community=order.community,
        actor=actor,
        source=order.source,
        category=order.category,
        conditions=[c for c in order.conditions if c],
        house=order.house,
        public_area=order.public_area,
        location=order.location,
        reporter=order.reporter,
        reporter_name=order.reporter_name,
        contact=order.contact,
        description=f"返工（原单 {order.number}）：{problem}"[:500],
        rework_of=order,
    )
    _event(order, Action.REWORK, actor=actor, note=f"回访发现问题，已开返工单 {rework.number}：{problem}", at=now)
    extra = [order.technician] if order.technician_id else []
    _tell_head(
        order,
        "repairs.rework",
        f"返工通知：{order.number} 回访发现问题（{problem[:60]}），返工单 {rework.number}，"
        f"请在 {settings_row.rework_notice_hours} 小时内整改。",
        now,
        due_at=now + dt.timedelta(hours=settings_row.rework_notice_hours),
        extra=extra,
    )
    return rework
