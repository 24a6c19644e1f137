from django.db import models


class HouseType(models.TextChoices):
    RESIDENCE = "residence", "住宅"
    SHOP = "shop", "商铺"
    PARKING = "parking", "车位"
    VILLA = "villa", "别墅"


class Occupancy(models.TextChoices):
    """SPEC §1: a house's occupancy state."""

    NOT_DELIVERED = "not_delivered", "未交付"
    VACANT = "vacant", "空置"
    RENOVATING = "renovating", "装修中"
    OCCUPIED = "occupied", "已入住"
    RENTED = "rented", "出租"


OCCUPIED_STATES = (Occupancy.OCCUPIED, Occupancy.RENTED)


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"
    UNKNOWN = "", "未填写"


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAU_PERMIT = "hk_macau", "港澳居民来往内地通行证"
    TAIWAN_PERMIT = "taiwan", "台湾居民来往大陆通行证"
    OTHER = "other", "其他证件"


class KeyReason(models.TextChoices):
    """Why a person is a key resident (重点关注), SPEC §1."""

    DISABLED = "disabled", "残障人士"
    ELDERLY_ALONE = "elderly_alone", "60岁以上独居老人"
    OTHER = "other", "其他"


class CommitteeRole(models.TextChoices):
    NONE = "", "无"
    MEMBER = "member", "业委会委员"
    CHAIR = "chair", "业委会主任"


class Relation(models.TextChoices):
    OWNER = "owner", "产权人"
    TENANT = "tenant", "租户"
    FAMILY = "family", "家属"
    HELPER = "helper", "家政人员"


class DocumentType(models.TextChoices):
    """Typed archive uploads, SPEC §1 and [001] 业主档案的管理和保存."""

    HANDOVER_NOTICE = "handover_notice", "交房通知"
    IDENTITY = "identity", "身份确认"
    INSPECTION = "inspection", "验房单"
    SERVICE_CONTRACT = "service_contract", "服务合同"
    OWNERS_CONVENTION = "owners_convention", "业主公约"
    RENOVATION = "renovation", "装修资料"
    NOTICE = "notice", "告知书"
    SPECIAL_SERVICE = "special_service", "特约服务协议"
    WRITTEN_COMPLAINT = "written_complaint", "书面投诉"
    INCIDENT = "incident", "事故记录"
    OTHER = "other", "其他"


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已完成"
    FAILED = "failed", "有错误，未导入"
