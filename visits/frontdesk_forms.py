"""Front-desk forms (drawn with crispy, like the other apps): keyboard first. The ID number has the focus; the required
fields come first in tab order; Enter saves."""

import datetime as dt

from django import forms
from django.utils import timezone

from core.forms import DATE_INPUT, DATETIME_INPUT
from residents.choices import IdType
from visits.choices import Consent, IncidentKind, VisitorPurpose
from visits.models import FrontDeskSettings


class VisitorEntryForm(forms.Form):
    id_number = forms.CharField(
        label="证件号码", max_length=30, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"})
    )
    name = forms.CharField(label="访客姓名", max_length=50, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    mobile = forms.CharField(
        label="手机号",
        max_length=11,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    house_number = forms.CharField(
        label="到访房号",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"list": "house-options", "autocomplete": "off", "placeholder": "如 1-1-101"}),
    )
    purpose = forms.ChoiceField(label="来访事由", choices=VisitorPurpose.choices, initial=VisitorPurpose.FRIEND)
    head_count = forms.IntegerField(label="人数", min_value=1, max_value=50, initial=1)
    plate = forms.CharField(label="车牌号", max_length=10, required=False)
    items = forms.CharField(label="携带物品", max_length=200, required=False)
    id_type = forms.ChoiceField(label="证件类型", choices=IdType.choices, initial=IdType.RESIDENT_ID)
    entered_at = forms.DateTimeField(label="进入时间", widget=DATETIME_INPUT, required=False)
    consent = forms.ChoiceField(
        label="业主意见",
        choices=[(Consent.CONSENTED, "业主同意"), (Consent.REFUSED, "业主拒绝")],
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    consent_by = forms.CharField(label="同意/拒绝人", max_length=50, required=False)
    override_username = forms.CharField(label="主管账号", max_length=150, required=False)
    override_password = forms.CharField(label="主管密码", required=False, widget=forms.PasswordInput)
    override_reason = forms.CharField(label="放行理由", max_length=200, required=False)
    ask_inbox_approval = forms.BooleanField(label="发送至主管消息审批（访客在外等候）", required=False)

    def clean_entered_at(self):
        value = self.cleaned_data.get("entered_at")
        if value and value > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError("进入时间不能晚于现在。")
        return value


class RestrictionForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_type = forms.ChoiceField(label="证件类型", choices=IdType.choices, initial=IdType.RESIDENT_ID)
    id_number = forms.CharField(label="证件号码", max_length=30, required=False)
    mobile = forms.CharField(label="手机号", max_length=11, required=False)
    reason = forms.CharField(label="限制原因", max_length=200)
    until = forms.DateField(label="限制至（留空为长期）", required=False, widget=DATE_INPUT)


class EntryRestrictionForm(forms.Form):
    reason = forms.CharField(label="限制原因", max_length=200)
    until = forms.DateField(label="限制至（留空为长期）", required=False, widget=DATE_INPUT)


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=IncidentKind.choices)
    description = forms.CharField(label="经过", widget=forms.Textarea(attrs={"rows": 3}))


class FrontDeskSettingsForm(forms.ModelForm):
    class Meta:
        model = FrontDeskSettings
        fields = ["consent_required", "overstay_hours", "night_cutoff", "retention_days"]
        widgets = {"night_cutoff": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


class PassForm(forms.Form):
    requested_by = forms.ModelChoiceField(label="申请业主", queryset=None, empty_label="请选择产权人")
    guest_name = forms.CharField(label="持证人", max_length=50)
    guest_count = forms.IntegerField(label="人数", min_value=1, max_value=20, initial=1)
    guest_mobile = forms.CharField(label="持证人手机", max_length=11, required=False)
    valid_from = forms.DateField(label="生效日期", widget=DATE_INPUT)
    valid_to = forms.DateField(label="截止日期", widget=DATE_INPUT)
    note = forms.CharField(label="事由/备注", max_length=200, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_by"].queryset = people


class PermitForm(forms.Form):
    applicant = forms.ModelChoiceField(label="申请人（业主或获授权家政）", queryset=None, empty_label="请选择")
    items = forms.CharField(label="物品清单", widget=forms.Textarea(attrs={"rows": 3}))
    gate = forms.CharField(label="放行出口", max_length=50, initial="南门")
    valid_on = forms.DateField(label="放行日期", widget=DATE_INPUT)
    carrier = forms.CharField(label="搬运人/车辆", max_length=100, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant"].queryset = people


class HelperForm(forms.Form):
    owner = forms.ModelChoiceField(label="在场业主", queryset=None, empty_label="请选择产权人")
    name = forms.CharField(label="家政人员姓名", max_length=50)
    id_type = forms.ChoiceField(label="证件类型", choices=IdType.choices, initial=IdType.RESIDENT_ID)
    id_number = forms.CharField(label="证件号码", max_length=30)
    mobile = forms.CharField(label="手机号", max_length=11, required=False)
    photo = forms.FileField(label="照片（JPG/PNG）")
    id_checked = forms.BooleanField(label="已当面核验身份证件", required=False)
    may_take_items = forms.BooleanField(label="可代业主办理大件物品放行", required=False)
    may_admit_visitors = forms.BooleanField(label="可代业主同意访客进入", required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class RevokeForm(forms.Form):
    reason = forms.CharField(label="作废原因", max_length=200)


class ExportForm(forms.Form):
    date_from = forms.DateField(label="自", widget=DATE_INPUT)
    date_to = forms.DateField(label="至", widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to"):
            if data["date_to"] < data["date_from"]:
                raise forms.ValidationError("结束日期不能早于开始日期。")
            if (data["date_to"] - data["date_from"]).days > 366:
                raise forms.ValidationError("一次最多导出一年。")
        return data
