"""People, their links to houses, pets and vehicles (SPEC §1)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.models import Community, CommunityScopedQuerySet
from residents.choices import CommitteeRole, Gender, IdType, KeyReason, Relation
from residents.masking import mask_id_number, mask_mobile
from residents.models.places import House


class Person(models.Model):
    """A resident or owner. Mobile and ID number are confidential: every page shows
    `masked_mobile` / `masked_id_number`; the raw values leave only through the
    logged reveal service (residents.privacy)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="people", verbose_name="小区")
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices, blank=True)
    mobile = models.CharField("手机号", max_length=11, blank=True)
    mobile_last4 = models.CharField(max_length=4, blank=True, editable=False)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID)
    id_number = models.CharField("证件号码", max_length=30, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    preferred_contact_time = models.CharField("方便联系时间", max_length=50, blank=True)
    notes = models.TextField("备注", blank=True)
    is_key_resident = models.BooleanField("重点关注", default=False)
    key_reason = models.CharField("关注原因", max_length=20, choices=KeyReason.choices, blank=True)
    key_reason_note = models.CharField("关注说明", max_length=200, blank=True)
    committee_role = models.CharField("业委会", max_length=10, choices=CommitteeRole.choices, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "住户"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "id_type", "id_number"],
                condition=~Q(id_number=""),
                name="person_id_unique_in_community",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "mobile_last4"]),
            models.Index(fields=["community", "name"]),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.mobile_last4 = self.mobile[-4:] if self.mobile else ""
        super().save(*args, **kwargs)

    @property
    def masked_mobile(self):
        return mask_mobile(self.mobile)

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number)


class ResidencyQuerySet(CommunityScopedQuerySet):
    community_field = "house__community"

    def current(self):
        return self.filter(end_date__isnull=True)


class Residency(models.Model):
    """A person's link to a house with a relation, from/to. Moving out ends it;
    nothing is deleted (SPEC §1)."""

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="residencies", verbose_name="房屋")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="residencies", verbose_name="住户")
    relation = models.CharField("关系", max_length=10, choices=Relation.choices)
    start_date = models.DateField("起始日期", null=True, blank=True)
    end_date = models.DateField("迁出日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ResidencyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "房屋住户关系"
        ordering = ["house", "relation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["house", "person", "relation"], condition=Q(end_date__isnull=True), name="residency_open_unique"
            ),
        ]
        indexes = [models.Index(fields=["house", "end_date"]), models.Index(fields=["person", "end_date"])]

    def __str__(self):
        return f"{self.house} · {self.person} · {self.get_relation_display()}"


class HouseholdItemQuerySet(CommunityScopedQuerySet):
    community_field = "house__community"

    def current(self):
        return self.filter(ended_on__isnull=True)


class Pet(models.Model):
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="pets", verbose_name="房屋")
    kind = models.CharField("种类", max_length=20, help_text="如 犬、猫")
    breed = models.CharField("品种", max_length=50, blank=True)
    name = models.CharField("名字", max_length=30, blank=True)
    licence_no = models.CharField("犬证/登记号", max_length=50, blank=True)
    ended_on = models.DateField("注销日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HouseholdItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "宠物"

    def __str__(self):
        return f"{self.kind} {self.name}".strip()


class Vehicle(models.Model):
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="vehicles", verbose_name="房屋")
    plate = models.CharField("车牌号", max_length=10, db_index=True)
    parking_space = models.CharField("车位", max_length=30, blank=True)
    model_desc = models.CharField("品牌颜色", max_length=50, blank=True)
    ended_on = models.DateField("注销日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HouseholdItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "车辆"

    def __str__(self):
        return self.plate


def helper_photo_path(instance, filename):
    import uuid

    extension = {"image/jpeg": "jpg", "image/png": "png"}.get(instance.photo_content_type, "bin")
    return f"helpers/{instance.residency.house.community_id}/{uuid.uuid4().hex}.{extension}"


class HelperRegistrationQuerySet(CommunityScopedQuerySet):
    community_field = "residency__house__community"


class HelperRegistration(models.Model):
    """家政人员备案 [001]: the archive's helper link (a Residency with relation
    家政人员) with what the front desk needs — registered in person with the owner,
    photo and ID checked, a pass number, and optional authority to take large items
    out and to admit visitors. Ending the residency ends all of it."""

    residency = models.OneToOneField(
        Residency, on_delete=models.PROTECT, related_name="helper", verbose_name="家政关系"
    )
    registered_with = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="在场业主")
    photo = models.FileField("照片", upload_to=helper_photo_path, max_length=200)
    photo_content_type = models.CharField(max_length=20)
    id_checked = models.BooleanField("已核验身份证件", default=False)
    pass_number = models.CharField("出入证号", max_length=40, unique=True)
    may_take_items = models.BooleanField("可代业主办理大件物品放行", default=False)
    may_admit_visitors = models.BooleanField("可代业主同意访客进入", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("备案时间", auto_now_add=True)

    objects = HelperRegistrationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "家政人员备案"

    def __str__(self):
        return f"{self.residency.person} · {self.residency.house}"

    @property
    def active(self):
        return self.residency.end_date is None
