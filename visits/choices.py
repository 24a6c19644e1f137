from django.db import models


class Channel(models.TextChoices):
    """How a visit was made (SPEC §2.2)."""

    DOOR = "door", "上门"
    PHONE = "phone", "电话"
    OFFICE = "office", "物业办公室"
    OUTDOOR = "outdoor", "户外偶遇"
    WRITTEN = "written", "书面/邮件"
    SURVEY = "survey", "问卷"


IN_PERSON_CHANNELS = (Channel.DOOR, Channel.OFFICE, Channel.OUTDOOR)


class VisitType(models.TextChoices):
    ROUTINE = "routine", "日常拜访"
    MOVE_IN = "move_in", "入住拜访"
    MOVE_IN_3M = "move_in_3m", "入住三个月回访"
    COMPLAINT_RETURN = "complaint_return", "投诉回访"
    REPAIR_RETURN = "repair_return", "维修回访"
    COMMISSION_RETURN = "commission_return", "委托事项回访"
    HOLIDAY = "holiday", "节日/慰问拜访"
    FEE = "fee", "催费拜访"
    SATISFACTION = "satisfaction", "满意度调查"
    EVENT_INVITE = "event_invite", "活动邀请"
    VACANT_INSPECTION = "vacant_inspection", "空置房巡视"
    OTHER = "other", "其他"


RETURN_VISIT_TYPES = (
    VisitType.MOVE_IN_3M,
    VisitType.COMPLAINT_RETURN,
    VisitType.REPAIR_RETURN,
    VisitType.COMMISSION_RETURN,
)


class OpinionCategory(models.TextChoices):
    """The 11 content categories of [002] 业户意见."""

    ORDER = "order", "秩序"
    CLEANING = "cleaning", "保洁"
    GREENING = "greening", "绿化"
    REPAIR = "repair", "维修服务"
    FACILITIES = "facilities", "休闲/儿童设施"
    STAFF = "staff", "服务人员能力"
    CONVENIENCE = "convenience", "便民服务"
    CULTURE = "culture", "社区文化"
    NEEDS = "needs", "满足需求能力"
    SPECIAL_NEEDS = "special_needs", "特殊困难和需求"
    OTHER = "other", "其他"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    FAIRLY = "fairly", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class Signature(models.TextChoices):
    """Owner signature: asked for, never forced [002]."""

    SIGNED = "signed", "已签字"
    REFUSED = "refused", "拒绝签字"
    NOT_ASKED = "not_asked", "未签（电话/书面等）"


class VisitStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已审核"
    RETURNED = "returned", "退回修改"


class PlanKind(models.TextChoices):
    ANNUAL = "annual", "年度计划"
    MONTHLY = "monthly", "月度计划"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审批"
    APPROVED = "approved", "已批准"
    RETURNED = "returned", "已退回"


class CoverageMode(models.TextChoices):
    FULL = "full", "全覆盖（每户每月）"
    SAMPLING = "sampling", "抽样（按入住户数比例）"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "待处理"
    DONE = "done", "已完成"
    CONVERTED = "converted", "已转办"
    CANCELLED = "cancelled", "已取消"


class Trigger(models.TextChoices):
    """What raises a return visit (SPEC §2.3)."""

    MOVE_IN = "move_in", "新业主入住"
    MOVE_IN_3M = "move_in_3m", "入住满三个月"
    COMPLAINT_CLOSED = "complaint_closed", "投诉办结"
    URGENT_REPAIR = "urgent_repair", "急修完成"
    URGENT_REPAIR_AGAIN = "urgent_repair_again", "急修完成后复访"
    LEAK_REPAIR = "leak_repair", "渗漏维修完成"
    LEAK_REPAIR_RAIN = "leak_repair_rain", "渗漏维修雨后复访"
    OTHER_REPAIR = "other_repair", "其他维修完成"
    COMMISSION_DONE = "commission_done", "委托事项完成"
    SPECIAL_SERVICE_NEW = "special_service_new", "新特约服务完成"
    HOUSEHOLD_INCIDENT = "household_incident", "家中事故处理完毕"
    COUNTER_QUESTION = "counter_question", "前台疑难问题回复"


class ReturnVisitStatus(models.TextChoices):
    WAITING = "waiting", "等待条件（如雨后）"
    DUE = "due", "待回访"
    DONE = "done", "已回访"
    CANCELLED = "cancelled", "已取消"


class SummaryStatus(models.TextChoices):
    """《月度客户访问工作总结》 (SPEC §2.4 [002])."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待经理审批"
    RETURNED = "returned", "已退回修改"
    APPROVED = "approved", "已批准"


EDITABLE_SUMMARY_STATES = (SummaryStatus.DRAFT, SummaryStatus.RETURNED)


class SummaryAction(models.TextChoices):
    DRAFTED = "drafted", "生成草稿"
    RECOMPUTED = "recomputed", "重新计算数据"
    EDITED = "edited", "修改总结"
    SUBMITTED = "submitted", "提交审批"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "批准"
    DECIDED = "decided", "问题处理决定"


class ProblemDecision(models.TextChoices):
    """The manager's decision on a problem the summary raises [002]."""

    HANDLE = "handle", "本中心处理"
    ESCALATE = "escalate", "超出权限，报公司（工作联系函）"
    NOTED = "noted", "知悉，暂不处理"


class LetterStatus(models.TextChoices):
    """《工作联系函》 to the company's customer-service department [002]."""

    SENT = "sent", "已报送，待公司回复"
    REPLIED = "replied", "公司已回复"
    CLOSED = "closed", "已办结"


# --- front desk: visitor entries (来访登记, SPEC §3) — never "visits" ------------------


class VisitorPurpose(models.TextChoices):
    FRIEND = "friend", "访友"
    DELIVERY = "delivery", "快递外卖"
    RENOVATION = "renovation", "装修"
    HOUSEKEEPING = "housekeeping", "家政"
    REPAIR = "repair", "维修"
    AGENT = "agent", "中介看房"
    BUSINESS = "business", "业务办理"
    OTHER = "other", "其他"


class EntryStatus(models.TextChoices):
    INSIDE = "inside", "在内"
    LEFT = "left", "已离开"
    AWAITING_OVERRIDE = "awaiting", "待主管放行"
    REFUSED = "refused", "未准入"


class Consent(models.TextChoices):
    NOT_ASKED = "not_asked", "无需征询"
    CONSENTED = "consented", "业主同意"
    REFUSED = "refused", "业主拒绝"


class OverrideMethod(models.TextChoices):
    PASSWORD = "password", "主管现场输入密码确认"
    INBOX = "inbox", "主管在消息中批准"


class IncidentKind(models.TextChoices):
    UNCIVIL = "uncivil", "不文明行为"
    DAMAGE = "damage", "损坏公共设施"
    OTHER = "other", "其他违规"


class PassStatus(models.TextChoices):
    """What the lists show; the gate computes validity when it checks."""

    ACTIVE = "active", "有效"
    EXPIRED = "expired", "已过期"
    REVOKED = "revoked", "已作废"


class PassCheck(models.TextChoices):
    VALID = "valid", "有效"
    NOT_YET = "not_yet", "未到生效日期"
    EXPIRED = "expired", "已过期"
    REVOKED = "revoked", "已作废"
    INVALID = "invalid", "无效（无法识别或已被篡改）"
    OTHER_COMMUNITY = "other", "非本小区出入证"
