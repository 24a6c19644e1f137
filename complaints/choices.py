from django.db import models


class Channel(models.TextChoices):
    """Intake channels [004]."""

    WALK_IN = "walk_in", "来访"
    PHONE = "phone", "来电"
    LETTER = "letter", "来信"
    VISIT = "visit", "走访中收集"
    ONLINE = "online", "网络/小程序"
    RECEPTION_DAY = "reception_day", "经理接待日"


class Kind(models.TextChoices):
    COMPLAINT = "complaint", "投诉"
    CONSULTATION = "consultation", "咨询"
    SUGGESTION = "suggestion", "建议"
    HELP = "help", "求助"
    PRAISE = "praise", "表扬"
    OTHER = "other", "其他"


# Kinds the supervisor reviews daily [001] and whose closing owes a return visit [000][004].
REVIEWED_KINDS = (Kind.COMPLAINT, Kind.CONSULTATION)
RETURN_VISIT_KINDS = (Kind.COMPLAINT, Kind.HELP)


class Category(models.TextChoices):
    """The 13 categories of SPEC §4."""

    ORDER = "order", "秩序/安保"
    CLEANING = "cleaning", "保洁"
    GREENING = "greening", "绿化"
    MAINTENANCE = "maintenance", "工程维修"
    FACILITIES = "facilities", "公共设施"
    ATTITUDE = "attitude", "服务态度"
    FEES = "fees", "收费"
    NOISE = "noise", "噪音"
    PETS = "pets", "宠物"
    PARKING = "parking", "停车"
    RENOVATION = "renovation", "装修"
    MUNICIPAL = "municipal", "市政（水电气路讯）"
    OTHER = "other", "其他"


class Urgency(models.TextChoices):
    URGENT = "urgent", "紧急"
    NORMAL = "normal", "一般"


class Status(models.TextChoices):
    ACCEPTED = "accepted", "已受理"
    DISPATCHED = "dispatched", "已派单"
    IN_PROGRESS = "in_progress", "处理中"
    ANSWERED = "answered", "已回复"
    RESOLVED = "resolved", "已办结"
    VISITED = "visited", "已回访"
    CLOSED = "closed", "已关闭"
    VOID = "void", "已作废"


OPEN_STATUSES = (Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.ANSWERED)
# Statuses in which the work is done (SPEC §4: 100 % handled).
HANDLED_STATUSES = (Status.RESOLVED, Status.VISITED, Status.CLOSED)


class Validity(models.TextChoices):
    UNDECIDED = "", "未认定"
    VALID = "valid", "有效投诉"
    INVALID = "invalid", "无效投诉"


class ClockMode(models.TextChoices):
    CALENDAR = "calendar", "按自然时间（全年无休）"
    WORKING = "working", "按工作日（跳过节假日）"


class Step(models.TextChoices):
    """Rungs of the escalation ladder (SPEC §4, §7)."""

    REPORTED = "reported", "当日报告主管"
    ANSWER_WARNING = "answer_warning", "答复期限预警"
    ANSWER_OVERDUE = "answer_overdue", "答复超时报主管"
    RESOLUTION_WARNING = "resolution_warning", "办结期限预警"
    RESOLUTION_OVERDUE = "resolution_overdue", "办结超时报主管"
    MANAGER = "manager", "48小时未解决报经理"


class Action(models.TextChoices):
    """What a timeline entry records."""

    RECEIVED = "received", "受理登记"
    REVIEWED = "reviewed", "主管审阅"
    DISPATCHED = "dispatched", "派单"
    STARTED = "started", "开始处理"
    ANSWERED = "answered", "答复业主"
    RESOLVED = "resolved", "办结"
    RETURN_VISIT_RAISED = "return_visit_raised", "生成回访"
    RETURN_VISITED = "return_visited", "回访"
    REOPENED = "reopened", "不满意重开"
    CLOSED = "closed", "关闭"
    VOIDED = "voided", "作废"
    PAUSED = "paused", "挂起"
    RESUMED = "resumed", "恢复计时"
    REASSIGNED = "reassigned", "变更首问责任人"
    MARKED_MAJOR = "marked_major", "认定重大投诉"
    VALIDITY = "validity", "有效性认定"
    DECIDED = "decided", "经理决定（建议）"
    SIGNED_OFF = "signed_off", "经理签字"
    NOTE = "note", "处理记录"
    ESCALATED = "escalated", "升级提醒"
    CONTACT_VIEWED = "contact_viewed", "查看联系电话"
    COUNTER_CALLBACK = "counter_callback", "现场无法答复，24小时内回电"


class Decision(models.TextChoices):
    UNDECIDED = "", "待决定"
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    DECLINED = "declined", "不采纳"


class EntryStatus(models.TextChoices):
    DRAFT = "draft", "待审批"
    APPROVED = "approved", "现行"
    RETIRED = "retired", "已停用"
