from django.db import models


class ItemKind(models.TextChoices):
    PROPERTY_SERVICE = "property_service", "物业服务费"
    PARKING = "parking", "车位管理费"
    GARBAGE = "garbage", "垃圾清运费"
    REPAIR = "repair", "特约服务/维修费"
    CONVENIENCE = "convenience", "便民服务"
    OTHER = "other", "其他"


class Basis(models.TextChoices):
    """How a fee item's amount is reckoned (issue 10 §1)."""

    AREA_MONTH = "area_month", "按建筑面积（元/m²/月）"
    HOUSE_MONTH = "house_month", "按户（元/户/月）"
    SPACE_MONTH = "space_month", "按车位（元/个/月）"
    QUANTITY = "quantity", "按数量（数量×单价）"
    ONE_OFF = "one_off", "一次性"


MONTHLY_BASES = (Basis.AREA_MONTH, Basis.HOUSE_MONTH, Basis.SPACE_MONTH)


class StatementStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    CHECKED = "checked", "管家已核对"
    ISSUED = "issued", "已发出"


class LineSource(models.TextChoices):
    CHARGE = "charge", "当月费用"
    REPAIR = "repair", "维修收费"
    ADJUSTMENT = "adjustment", "调整"
    LATE_FEE = "late_fee", "滞纳金"
    SERVICE = "service", "便民服务"
    SERVICE_USE = "service_use", "便民服务（按次）"


class Delivery(models.TextChoices):
    """How the butler delivered the statement [003 L453–461]."""

    POST = "post", "邮寄"
    DOOR = "door", "上门发放"
    IN_PERSON = "in_person", "重点客户亲自发放"
    SECURITY = "security", "与安防部共同发放"


class Method(models.TextChoices):
    """How a payment was made: recorded, never processed (issue 10 §4)."""

    CASH = "cash", "现金"
    WECHAT = "wechat", "微信"
    ALIPAY = "alipay", "支付宝"
    BANK = "bank", "银行转账"
    POS = "pos", "POS刷卡"
    PREPAID = "prepaid", "预存抵扣"


class RoundKind(models.TextChoices):
    """Collection rounds [003 L526–537]."""

    MONTHLY = "monthly", "月度催缴（15–21日）"
    REASON = "reason", "季中了解欠费原因（25日）"
    QUARTER = "quarter", "季末再确认（15–21日）"
    FINAL = "final", "季末最后确认（22–27日）"


class Reason(models.TextChoices):
    """Why a household has not paid (《物管费催收记录表》 [003 L530])."""

    SERVICE = "service", "物业服务问题"
    MALICIOUS = "malicious", "恶意欠费"
    HARDSHIP = "hardship", "经济困难"
    AWAY = "away", "长期不在"
    HOUSE_QUALITY = "house_quality", "房屋质量问题"
    DISPUTE = "dispute", "对收费有异议"
    OTHER = "other", "其他"


class CallChannel(models.TextChoices):
    PHONE = "phone", "电话"
    DOOR = "door", "上门"
    WECHAT = "wechat", "微信"
    LETTER = "letter", "书面"


class AdjustmentStatus(models.TextChoices):
    PENDING = "pending", "待经理审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"


class LetterStatus(models.TextChoices):
    """律师函: requested for 恶意欠费, approved (numbered) by the manager, frozen when printed."""

    REQUESTED = "requested", "待经理审批"
    APPROVED = "approved", "已批准"
    PRINTED = "printed", "已打印"
    SENT = "sent", "已发出"
    REJECTED = "rejected", "已驳回"


class SendVia(models.TextChoices):
    REGISTERED = "registered", "挂号信"
    EMS = "ems", "EMS"
    LAW_FIRM = "law_firm", "律师事务所发出"
    BY_HAND = "by_hand", "当面送达"


class PriceListStatus(models.TextChoices):
    """《便民服务项目及价格表》 [001 L552–556]: the manager drafts, a company admin approves."""

    DRAFT = "draft", "草拟中"
    SUBMITTED = "submitted", "已报公司审批"
    APPROVED = "approved", "已批准"


class Cycle(models.TextChoices):
    MONTHLY = "monthly", "每月"
    PER_USE = "per_use", "按次"
