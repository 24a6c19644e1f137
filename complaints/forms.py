"""Complaint forms, drawn with crispy. Intake is phone-first: kind, channel and
urgency are buttons-sized selects, the house number has a type-ahead, and the
answer book is searched from the description."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from complaints.choices import Category, Channel, Decision, Kind, Urgency, Validity
from complaints.models import AnswerEntry, CategoryRule, ComplaintSettings, ReceptionSession
from core.forms import DATE_INPUT, DATETIME_INPUT, MultipleFileField
from core.models import Department
from residents.models import House
from visits.choices import Satisfaction, Signature


def staff_choices(community):
    User = get_user_model()
    return (
        User.objects.filter(memberships__community=community, memberships__is_active=True, is_active=True)
        .distinct()
        .order_by("name", "username")
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class IntakeForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Kind.choices, initial=Kind.COMPLAINT)
    channel = forms.ChoiceField(label="渠道", choices=Channel.choices, initial=Channel.PHONE)
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, initial=Urgency.NORMAL)
    category = forms.ChoiceField(label="类别", choices=[("", "请选择"), *Category.choices])
    house_number = forms.CharField(
        label="房号",
        max_length=40,
        required=False,
        help_text="业主家中的事项填写房号；公共区域可不填，改填地点。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "complaint-house-options"}),
    )
    location = forms.CharField(label="地点（公共区域）", max_length=100, required=False)
    reporter_name = forms.CharField(label="反映人", max_length=50)
    contact = forms.CharField(
        label="联系电话", max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 4}))
    is_household_incident = forms.BooleanField(label="家中事故（求助）", required=False)
    is_municipal = forms.BooleanField(
        label="市政原因（水电气路讯）", required=False, help_text="仍须做好解释、积极与市政部门交涉，计时照常。"
    )
    counter_callback = forms.BooleanField(
        label="现场无法答复，主管 24 小时内回电", required=False, help_text="生成回电任务（回访），不再单独提醒。"
    )
    answer_now = forms.CharField(
        label="当场答复（可选）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="咨询等当场答复完毕的，填写答复内容即办结。",
    )
    answer_entry = forms.IntegerField(required=False, widget=forms.HiddenInput)
    intake_key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    received_at = forms.DateTimeField(
        label="收到时间",
        required=False,
        widget=DATETIME_INPUT,
        help_text="来信等非即时渠道填写实际收到时间；默认现在。",
    )
    photos = MultipleFileField(label="照片（可多选）", required=False)

    def __init__(self, *args, community, reception=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.reception = reception
        if reception is not None:
            self.fields["channel"].initial = Channel.RECEPTION_DAY
            self.fields["handler"] = StaffChoiceField(
                label="指定责任人", queryset=staff_choices(community), required=False, help_text="经理当场指定。"
            )

    def clean_house_number(self):
        number = self.cleaned_data["house_number"].strip()
        self.cleaned_data["house"] = None
        if number:
            house = House.objects.filter(community=self.community, number=number).first()
            if house is None:
                raise ValidationError(f"本小区没有房号 {number}。")
            self.cleaned_data["house"] = house
        return number

    def clean(self):
        data = super().clean()
        if data.get("answer_now", "").strip() and data.get("kind") == Kind.SUGGESTION:
            self.add_error("answer_now", "建议须由经理决定后再答复，不能当场办结。")
        return data

    def clean_answer_entry(self):
        pk = self.cleaned_data.get("answer_entry")
        if not pk:
            return None
        entry = AnswerEntry.objects.filter(pk=pk, community=self.community).first()
        if entry is None:
            raise ValidationError("所选答复口径不存在。")
        return entry


class DispatchForm(forms.Form):
    department = forms.ModelChoiceField(label="责任部门", queryset=Department.objects.none(), required=False)
    handler = StaffChoiceField(label="处理人", queryset=None)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(community=community)
        self.fields["handler"].queryset = staff_choices(community)


class AnswerForm(forms.Form):
    reply = forms.CharField(label="答复业主（解决方案）", widget=forms.Textarea(attrs={"rows": 3}))
    promised_at = forms.DateTimeField(label="承诺完成时间", required=False, widget=DATETIME_INPUT)


class ResolveForm(forms.Form):
    result = forms.CharField(label="处理结果", widget=forms.Textarea(attrs={"rows": 3}))
    reply = forms.CharField(
        label="答复业主", required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="尚未答复时必填。"
    )
    signature = forms.ChoiceField(label="反映人签字", choices=[("", "—"), *Signature.choices], required=False)
    photos = MultipleFileField(label="照片（可多选）", required=False)


class ReturnVisitForm(forms.Form):
    satisfaction = forms.ChoiceField(label="满意度", choices=Satisfaction.choices)
    dissatisfaction_reason = forms.CharField(label="不满意原因", max_length=200, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200)


class NoteForm(forms.Form):
    note = forms.CharField(label="处理记录", widget=forms.Textarea(attrs={"rows": 2}))
    photos = MultipleFileField(label="照片（可多选）", required=False)


class ReassignForm(forms.Form):
    owner = StaffChoiceField(label="新的首问责任人", queryset=None)
    reason = forms.CharField(label="变更原因", max_length=200)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_choices(community)


class ValidityForm(forms.Form):
    validity = forms.ChoiceField(label="认定", choices=[c for c in Validity.choices if c[0]])
    validity_reason = forms.CharField(label="认定理由", max_length=200)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="经理决定", choices=[c for c in Decision.choices if c[0]])
    measures = forms.CharField(label="采取措施 / 理由", widget=forms.Textarea(attrs={"rows": 3}))
    publish = forms.BooleanField(label="公示措施", required=False)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ComplaintSettings
        fields = [
            "clock_mode",
            "urgent_answer_hours",
            "normal_answer_hours",
            "resolution_hours",
            "warn_percent",
            "manager_hours",
            "valid_rate_target",
        ]

    def clean_warn_percent(self):
        value = self.cleaned_data["warn_percent"]
        if not 1 <= value <= 99:
            raise ValidationError("预警点须在 1% 到 99% 之间。")
        return value

    def clean(self):
        data = super().clean()
        for field in ("urgent_answer_hours", "normal_answer_hours", "resolution_hours", "manager_hours"):
            if data.get(field) == 0:
                self.add_error(field, "时限须大于 0。")
        return data


class CategoryRuleForm(forms.ModelForm):
    class Meta:
        model = CategoryRule
        fields = ["category", "urgent_answer_hours", "normal_answer_hours", "resolution_hours"]


class EntryForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=Category.choices, initial=Category.OTHER)
    question = forms.CharField(label="问题", max_length=200)
    answer = forms.CharField(label="统一答复口径", widget=forms.Textarea(attrs={"rows": 5}))
    keywords = forms.CharField(label="关键词", max_length=200, required=False, help_text="空格分隔，柜台检索用")


class ReceptionForm(forms.ModelForm):
    class Meta:
        model = ReceptionSession
        fields = ["date", "manager", "place", "attendees"]
        widgets = {"date": DATE_INPUT}

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        from core.choices import Role

        field = self.fields["manager"]
        field.queryset = (
            get_user_model()
            .objects.filter(
                memberships__community=community, memberships__role=Role.MANAGER, memberships__is_active=True
            )
            .distinct()
        )
        field.label_from_instance = lambda user: user.display_name


class ReceptionSummaryForm(forms.Form):
    summary = forms.CharField(label="接待小结", widget=forms.Textarea(attrs={"rows": 3}))


class WeekForm(forms.Form):
    week = forms.DateField(label="周（任选一天）", required=False, widget=DATE_INPUT)
