"""What every app stands on: the company and its communities, staff and roles,
departments, the reminders inbox and the working-day calendar overrides."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from simple_history.models import HistoricalRecords

from core.choices import COMPANY_ADMIN, DepartmentKind, Role


class CommunityScopedQuerySet(models.QuerySet):
    """The one place that decides what a person may *see* (SPEC §0, STYLE 4).

    A record belongs to one community; staff see the communities they are members
    of, company admins every community of their company. Views go through
    `for_user`, so another community's object is a 404, never its data.
    """

    community_field = "community"

    def for_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(**{f"{self.community_field}__in": user.visible_community_ids()})

    def in_community(self, community):
        return self.filter(**{self.community_field: community})


class Company(models.Model):
    name = models.CharField("公司名称", max_length=100, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "物业公司"

    def __str__(self):
        return self.name


class CommunityQuerySet(CommunityScopedQuerySet):
    def for_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(pk__in=user.visible_community_ids())


class Community(models.Model):
    """A 小区 / 项目: the boundary of what staff see."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="communities", verbose_name="公司")
    name = models.CharField("小区名称", max_length=100)
    code = models.SlugField("简码", max_length=20, unique=True, help_text="用于编号等，如 YGHY")
    address = models.CharField("地址", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = CommunityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "小区/项目"
        ordering = ["company", "name"]
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="community_name_unique_in_company")]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A staff member. Roles come from memberships, one per community and role."""

    name = models.CharField("姓名", max_length=50, blank=True)
    mobile = models.CharField("手机号", max_length=20, blank=True)
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name="公司"
    )
    is_company_admin = models.BooleanField(
        "公司管理员", default=False, help_text="可查看本公司所有小区，管理人员、角色与策略，并可进入后台管理。"
    )

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = verbose_name_plural = "员工"

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.name or self.get_full_name() or self.username

    def visible_community_ids(self):
        """Ids of the communities this person may see, computed once per instance."""
        cached = getattr(self, "_visible_community_ids", None)
        if cached is None:
            if self.is_superuser and not self.company_id:
                qs = Community.objects.all()
            elif self.is_company_admin:
                qs = Community.objects.filter(company_id=self.company_id)
            else:
                qs = Community.objects.filter(memberships__user=self, memberships__is_active=True)
            cached = frozenset(qs.values_list("pk", flat=True))
            self._visible_community_ids = cached
        return cached

    def roles_in(self, community):
        """The set of role values this person holds in `community` (company admin included)."""
        if community is None:
            return frozenset()
        cache = self.__dict__.setdefault("_roles_cache", {})
        key = community.pk
        if key not in cache:
            roles = set(self.memberships.filter(community_id=key, is_active=True).values_list("role", flat=True))
            if self.is_company_admin and key in self.visible_community_ids():
                roles.add(COMPANY_ADMIN)
            cache[key] = frozenset(roles)
        return cache[key]

    def has_role(self, community, *roles):
        """True when the person holds any of `roles` in `community`; company admins always do."""
        held = self.roles_in(community)
        return COMPANY_ADMIN in held or bool(held.intersection(roles))


class Department(models.Model):
    """A community's department (客服部, 工程部 …); work is routed to its head."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="departments", verbose_name="小区")
    name = models.CharField("部门名称", max_length=50)
    kind = models.CharField("部门类别", max_length=20, choices=DepartmentKind.choices, default=DepartmentKind.OTHER)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_departments",
        verbose_name="部门主管",
    )

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "部门"
        ordering = ["community", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="department_name_unique_in_community")
        ]

    def __str__(self):
        return f"{self.community} · {self.name}"


class Membership(models.Model):
    """One role of one staff member in one community."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name="员工"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships", verbose_name="小区")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="members", verbose_name="部门"
    )
    is_head_butler = models.BooleanField("大管家", default=False)
    is_active = models.BooleanField("在岗", default=True)
    # On shift now (当班): round-robin dispatch and the grab pool reach only those on shift.
    on_shift = models.BooleanField("当班", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "岗位"
        constraints = [
            models.UniqueConstraint(fields=["user", "community", "role"], name="membership_unique_role"),
        ]
        indexes = [models.Index(fields=["community", "role", "is_active"])]

    def __str__(self):
        return f"{self.user} · {self.community} · {self.get_role_display()}"


class ReminderQuerySet(models.QuerySet):
    def for_user(self, user):
        """A reminder is seen by its recipient only."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Reminder(models.Model):
    """An inbox entry (SPEC §7). `dedup_key` is unique per recipient, so a job that
    runs twice, or on two workers at once, raises each reminder exactly once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders", verbose_name="接收人"
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders", verbose_name="小区"
    )
    kind = models.CharField("类别", max_length=64)
    text = models.TextField("内容")
    url = models.CharField("链接", max_length=500, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    due_at = models.DateTimeField("到期时间", null=True, blank=True)
    dedup_key = models.CharField("去重键", max_length=200)
    created_at = models.DateTimeField("提醒时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    delivered_at = models.DateTimeField("邮件/短信发送时间", null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "提醒"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedup_key"], name="reminder_unique_per_recipient"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["read_at"]),
        ]

    def __str__(self):
        return self.text[:40]

    @property
    def is_read(self):
        return self.read_at is not None


class CalendarDay(models.Model):
    """An admin's entry that decides one date, over the chinesecalendar package.

    Used for years the package does not know yet and to correct a single day.
    """

    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("工作日", help_text="勾选：上班（含调休补班）；不勾选：休息（法定节假日）")
    note = models.CharField("说明", max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "工作日历调整"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_working_day else '休息'}"


class CalendarYear(models.Model):
    """Marks a year's official arrangement as fully entered in CalendarDay."""

    year = models.PositiveIntegerField("年份", unique=True)
    note = models.CharField(
        "依据", max_length=200, blank=True, help_text="如：国务院办公厅关于2027年部分节假日安排的通知"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "已录入的年度放假安排"
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class Sequence(models.Model):
    """A running number per community, kind and year (联系函, 工单 …). Taken under a
    row lock (`core.services.next_number`), so two clerks never get the same number."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "kind", "year"], name="sequence_unique")]

    def __str__(self):
        return f"{self.community} {self.kind} {self.year}: {self.last}"


class EscalationStep(models.Model):
    """One rung of an escalation ladder reached by one record (a complaint, a work
    order) in one round. The unique key is what makes each step happen once: the
    job that inserts the row sends the reminders; a second run, a second worker or
    a catch-up after downtime finds the row and sends nothing (SPEC §7)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    about = GenericForeignKey("content_type", "object_id")
    step = models.CharField("步骤", max_length=30)
    round = models.PositiveSmallIntegerField("轮次", default=1)
    due_at = models.DateTimeField("应到时间")
    reached_at = models.DateTimeField("到达时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "升级步骤"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "step", "round"], name="escalation_step_once_per_round"
            )
        ]

    def __str__(self):
        return f"{self.about} {self.step} #{self.round}"
