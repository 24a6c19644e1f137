"""Visit forms: phone first — household, channel and time come pre-filled, one
opinion with a follow-up fits in a handful of taps."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.forms import DATETIME_INPUT, MultipleFileField
from residents.models import House
from visits.choices import Channel, OpinionCategory, ProblemDecision, Satisfaction, Signature, VisitType
from visits.models import VisitPolicy
from visits.services import CHECKLIST_LABELS, REPAIR_ASPECTS

OPINION_ROWS = 3


class VisitForm(forms.Form):
    house_number = forms.CharField(label="房号", max_length=40)
    started_at = forms.DateTimeField(label="访问时间", widget=DATETIME_INPUT, input_formats=["%Y-%m-%dT%H:%M"])
    channel = forms.ChoiceField(label="方式", choices=Channel.choices, initial=Channel.DOOR)
    visit_type = forms.ChoiceField(label="类型", choices=VisitType.choices, initial=VisitType.ROUTINE)
    people_met = forms.CharField(label="接待人", max_length=100, required=False)
    satisfaction = forms.ChoiceField(
        label="满意度", choices=[("", "未评价"), *list(Satisfaction.choices)], required=False
    )
    signature = forms.ChoiceField(label="业主签字", choices=Signature.choices, initial=Signature.NOT_ASKED)
    reply = forms.CharField(label="答复情况", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    follow_up = forms.CharField(
        label="需跟进事项（答应业主稍后答复的事）", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    follow_up_due = forms.DateTimeField(
        label="答复期限", widget=DATETIME_INPUT, input_formats=["%Y-%m-%dT%H:%M"], required=False
    )
    contains_complaint = forms.BooleanField(label="含投诉（转投诉处理程序）", required=False)
    window_reason = forms.CharField(label="非规定时段原因", max_length=200, required=False)
    owner_notified = forms.CharField(label="已告知业主（空置房问题）", max_length=100, required=False)
    photos = MultipleFileField(label="照片/签字单（可多选）", required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        for index in range(OPINION_ROWS):
            self.fields[f"opinion_category_{index}"] = forms.ChoiceField(
                label="意见类别", choices=[("", "—"), *list(OpinionCategory.choices)], required=False
            )
            self.fields[f"opinion_content_{index}"] = forms.CharField(
                label="意见内容", widget=forms.Textarea(attrs={"rows": 2}), required=False
            )
        for key, label in REPAIR_ASPECTS.items():
            self.fields[f"rate_{key}"] = forms.ChoiceField(
                label=label, choices=[("", "未评价"), *list(Satisfaction.choices)], required=False
            )
        for key in ("doors_windows", "switches", "leaks", "cracks"):
            self.fields[f"check_{key}"] = forms.ChoiceField(
                label=CHECKLIST[key], choices=[("", "—"), ("ok", "正常"), ("defect", "有问题")], required=False
            )

    def clean_house_number(self):
        number = self.cleaned_data["house_number"].strip()
        house = House.objects.filter(community=self.community, number=number).first()
        if house is None:
            raise ValidationError(f"本小区没有房号 {number}。")
        self.cleaned_data["house"] = house
        return number

    def clean_started_at(self):
        started_at = self.cleaned_data["started_at"]
        if started_at > timezone.now() + dt.timedelta(minutes=5):
            raise ValidationError("访问时间不能晚于现在。")
        return started_at

    def clean(self):
        data = super().clean()
        opinions = []
        for index in range(OPINION_ROWS):
            category = data.get(f"opinion_category_{index}")
            content = (data.get(f"opinion_content_{index}") or "").strip()
            if content and not category:
                self.add_error(f"opinion_category_{index}", "请选择意见类别。")
            elif category and not content:
                self.add_error(f"opinion_content_{index}", "请填写意见内容。")
            elif category and content:
                opinions.append((category, content))
        data["opinions"] = opinions
        if data.get("follow_up") and not data.get("follow_up_due"):
            self.add_error("follow_up_due", "请填写答复期限。")
        if data.get("follow_up_due") and data["follow_up_due"] <= timezone.now():
            self.add_error("follow_up_due", "答复期限应晚于现在。")
        checklist = {key: data.get(f"check_{key}") for key in CHECKLIST if data.get(f"check_{key}")}
        data["checklist"] = checklist
        data["repair_ratings"] = {key: data.get(f"rate_{key}") for key in REPAIR_ASPECTS if data.get(f"rate_{key}")}
        if data.get("visit_type") == VisitType.VACANT_INSPECTION and len(checklist) < len(CHECKLIST):
            self.add_error(None, "空置房巡视须逐项填写：门窗、水电气开关、渗漏、裂缝。")
        return data

    def opinion_rows(self):
        return [(self[f"opinion_category_{i}"], self[f"opinion_content_{i}"]) for i in range(OPINION_ROWS)]

    def repair_rating_fields(self):
        return [self[f"rate_{key}"] for key in REPAIR_ASPECTS]

    def checklist_fields(self):
        return [self[f"check_{key}"] for key in CHECKLIST]


CHECKLIST = CHECKLIST_LABELS


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "通过"), ("return", "退回")])
    comment = forms.CharField(max_length=200, required=False)


class FollowUpCloseForm(forms.Form):
    resolution = forms.CharField(label="处理结果", widget=forms.Textarea(attrs={"rows": 2}))


class PlanDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "批准"), ("return", "退回")])
    comment = forms.CharField(max_length=200, required=False)


class PlanItemForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    intended_date = forms.DateField(
        label="计划日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    channel = forms.ChoiceField(label="方式", choices=Channel.choices)
    purpose = forms.CharField(label="目的", max_length=100, required=False)
    window_reason = forms.CharField(label="非规定时段原因", max_length=200, required=False)


class SwapForm(forms.Form):
    remove = forms.CharField(label="换下房号", max_length=40)
    add = forms.CharField(label="换上房号", max_length=40)


class RainyDayForm(forms.Form):
    date = forms.DateField(
        label="下雨日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), initial=timezone.localdate
    )


class PolicyForm(forms.ModelForm):
    class Meta:
        model = VisitPolicy
        fields = [
            "coverage_mode",
            "manager_quota",
            "supervisor_quota",
            "door_start",
            "door_end",
            "record_due_days",
            "move_in_sample_percent",
            "mass_move_in_threshold",
        ]
        widgets = {
            "door_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "door_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean(self):
        data = super().clean()
        if data.get("door_start") and data.get("door_end") and data["door_start"] >= data["door_end"]:
            self.add_error("door_end", "最晚时间应晚于最早时间。")
        return data


# --- monthly summary and 《工作联系函》 ---------------------------------------------


class NarrativeForm(forms.Form):
    analysis = forms.CharField(label="访问情况分析", widget=forms.Textarea(attrs={"rows": 5}), required=False)
    problems = forms.CharField(
        label="发现的问题（每行一条）",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="每行写一个问题，经理将逐条作出处理决定。",
    )
    measures = forms.CharField(label="改进措施", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    next_month_plan = forms.CharField(label="下月工作计划", widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def problem_lines(self):
        return [line for line in self.cleaned_data["problems"].splitlines() if line.strip()]


class SummaryDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="审批结果", choices=[("approve", "批准"), ("return", "退回修改")])
    comment = forms.CharField(label="审批意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("comment", "").strip():
            self.add_error("comment", "退回时请写明意见。")
        return data


class LetterForm(forms.Form):
    subject = forms.CharField(label="主题", max_length=100)
    content = forms.CharField(label="事由及情况说明", widget=forms.Textarea(attrs={"rows": 4}))
    requested_action = forms.CharField(label="请求事项（处理建议）", widget=forms.Textarea(attrs={"rows": 3}))


class ProblemDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="处理决定", choices=ProblemDecision.choices)
    note = forms.CharField(label="处理措施", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    subject = forms.CharField(label="联系函主题", max_length=100, required=False)
    requested_action = forms.CharField(label="请求事项", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == ProblemDecision.ESCALATE:
            if not data.get("subject", "").strip():
                self.add_error("subject", "上报公司时请填写联系函主题。")
            if not data.get("requested_action", "").strip():
                self.add_error("requested_action", "上报公司时请填写请求事项。")
        elif decision == ProblemDecision.HANDLE and not data.get("note", "").strip():
            self.add_error("note", "请写明处理措施。")
        return data


class LetterReplyForm(forms.Form):
    reply = forms.CharField(label="公司回复", widget=forms.Textarea(attrs={"rows": 4}))


class LetterCloseForm(forms.Form):
    note = forms.CharField(label="办结说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)
