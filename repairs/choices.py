from django.db import models


class Source(models.TextChoices):
    """Where a work order came from (issue 9 §1)."""

    PHONE = "phone", "电话报修"
    COUNTER = "counter", "前台报修"
    VISIT = "visit", "走访发现"
    PATROL = "patrol", "巡检整改"
    VACANT = "vacant", "空置房巡视"
    COMPLAINT = "complaint", "投诉转入"
    APP = "app", "业主小程序"


class Urgency(models.TextChoices):
    """[001 L434–442, L484–490]; the highest matching class wins."""

    EMERGENCY = "emergency", "紧急"
    URGENT = "urgent", "急修"
    NORMAL = "normal", "一般"


URGENCY_RANK = {Urgency.EMERGENCY: 0, Urgency.URGENT: 1, Urgency.NORMAL: 2}


class Condition(models.TextChoices):
    """What the person taking the call ticks; each condition implies a class."""

    OUTAGE_BEYOND_ROOM = "outage", "超过一个房间范围的停水、停电、停空调、停电话"
    FLOODING = "flooding", "跑水"
    FIRE = "fire", "火情"
    CRIME = "crime", "匪情"
    STRUCTURAL = "structural", "房屋结构性损坏发生危险"
    WIRING = "wiring", "室内线路故障引起停电、漏电"
    PUMP_PIPE = "pump_pipe", "水泵故障或进水表以内水管爆裂、龙头严重漏水"
    STAIRS_RAILINGS = "stairs", "楼地板、扶梯踏步断裂，扶手、栏杆活动或损坏"
    FALLING = "falling", "钢门窗、玻璃、外墙部件即将坠落"
    DANGER = "danger", "其他涉及危险的情况"


EMERGENCY_CONDITIONS = {Condition.OUTAGE_BEYOND_ROOM, Condition.FLOODING, Condition.FIRE, Condition.CRIME}


def urgency_of(conditions):
    """The class the ticked conditions give (SPEC §5: the highest wins)."""
    conditions = set(conditions)
    if conditions & EMERGENCY_CONDITIONS:
        return Urgency.EMERGENCY
    if conditions:
        return Urgency.URGENT
    return Urgency.NORMAL


class Status(models.TextChoices):
    RECEIVED = "received", "已受理"
    DISPATCHED = "dispatched", "已派工"
    ACCEPTED = "accepted", "已接单"
    ON_SITE = "on_site", "已到场"
    QUOTING = "quoting", "待确认报价"
    IN_PROGRESS = "in_progress", "维修中"
    DONE = "done", "已完工"
    CONFIRMED = "confirmed", "已验收"
    VISITED = "visited", "已回访"
    CLOSED = "closed", "已关闭"
    RETURNED = "returned", "已退单"
    VOID = "void", "已作废"
    DECLINED = "declined", "业主不同意报价"


# The order still needs work (its clocks run, the ladder climbs).
WORKING_STATUSES = (
    Status.RECEIVED,
    Status.DISPATCHED,
    Status.ACCEPTED,
    Status.ON_SITE,
    Status.QUOTING,
    Status.IN_PROGRESS,
)
# Not finished with: the list's default "open".
OPEN_STATUSES = (*WORKING_STATUSES, Status.DONE, Status.CONFIRMED, Status.VISITED)
FINAL_STATUSES = (Status.CLOSED, Status.RETURNED, Status.VOID, Status.DECLINED)


class DispatchMode(models.TextChoices):
    ASSIGN = "assign", "指派"
    GRAB = "grab", "抢单"
    ROUND_ROBIN = "round_robin", "轮派"


class ReturnKind(models.TextChoices):
    """Which return visit a category's house orders owe ([001 L364], [000 L277–279])."""

    LEAK = "leak", "渗漏水（3天内，雨后再访）"
    SAFETY = "safety", "安全设施"
    PLUMBING = "plumbing", "管道疏通/水件"
    OTHER = "other", "其他维修"


class PauseReason(models.TextChoices):
    OWNER = "owner", "等待业主"
    MATERIALS = "materials", "待料"


class Signature(models.TextChoices):
    SIGNED = "signed", "业主已签字"
    REFUSED = "refused", "业主拒绝签字"
    ABSENT = "absent", "业主不在场"


class Rating(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", "非常满意"
    SATISFIED = "satisfied", "满意"
    NEUTRAL = "neutral", "一般"
    DISSATISFIED = "dissatisfied", "不满意"


class PriceListStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    APPROVED = "approved", "已批准"


class Action(models.TextChoices):
    RECEIVED = "received", "受理"
    DISPATCHED = "dispatched", "派工"
    CLAIMED = "claimed", "抢单"
    ACCEPTED = "accepted", "接单"
    ARRIVED = "arrived", "到场"
    QUOTED = "quoted", "报价"
    QUOTE_AGREED = "quote_agreed", "业主同意报价"
    QUOTE_DECLINED = "quote_declined", "业主不同意报价"
    STARTED = "started", "开始维修"
    PAUSED = "paused", "暂停计时"
    RESUMED = "resumed", "恢复计时"
    PURCHASE = "purchase", "填写购物单"
    OWNER_NOTIFIED = "owner_notified", "已通知业主"
    DONE = "done", "完工"
    CONFIRMED = "confirmed", "业主验收"
    RETURN_VISIT_RAISED = "return_visit_raised", "生成回访"
    RETURN_VISITED = "return_visited", "已回访"
    REWORK = "rework", "返工"
    CLOSED = "closed", "关闭"
    RETURNED = "returned", "退单"
    VOIDED = "voided", "作废"
    PAPERWORK = "paperwork", "补办手续"
    REVIEWED = "reviewed", "主管审阅"
    NOTE = "note", "处理记录"
    CONTACT_VIEWED = "contact_viewed", "查看联系电话"


class Step(models.TextChoices):
    """The rungs of a work order's escalation ladder (each once per order)."""

    GRAB_UNCLAIMED = "grab_unclaimed", "抢单无人接，报派工人"
    DISPATCH_OVERDUE = "dispatch_overdue", "超过5分钟未派工"
    ARRIVAL_WARNING = "arrival_warning", "到场时限将到"
    ARRIVAL_OVERDUE = "arrival_overdue", "到场超时，报工程部负责人"
    ARRIVAL_MANAGER = "arrival_manager", "到场超时，报经理"
    COMPLETION_WARNING = "completion_warning", "完工时限将到"
    COMPLETION_OVERDUE = "completion_overdue", "完工超时，报工程部负责人"
    COMPLETION_MANAGER = "completion_manager", "完工超时，报经理"
    MATERIALS_CHECK = "materials_check", "受理满3天未完工，未填购物单"
