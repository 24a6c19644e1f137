"""Work-order forms, drawn with crispy; the technician's forms are phone-first."""

import base64
import binascii

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from core.choices import Role
from core.forms import DATETIME_INPUT, MultipleFileField
from repairs.choices import Condition, PauseReason, Rating, Signature, Source
from repairs.models import PriceItem, PriceList, PublicArea, RepairCategory, RepairSettings
from repairs.services import approved_price_items, categories_for
from residents.models import House, Person

QUOTE_ROWS = 5
PURCHASE_ROWS = 5
SIGNATURE_MAX_BYTES = 300_000


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


def technicians(community):
    return (
        get_user_model()
        .objects.filter(
            memberships__community=community,
            memberships__role=Role.TECHNICIAN,
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("name", "username")
    )


class CategoryField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class IntakeForm(forms.Form):
    source = forms.ChoiceField(label="来源", choices=Source.choices, initial=Source.PHONE)
    quick = forms.BooleanField(
        label="紧急先行：只登记地点和一句话，手续事后补办",
        required=False,
        help_text="跑水、火情、匪情、大面积停水停电等，立即派人赶往现场，不必取单。",
    )
    conditions = forms.MultipleChoiceField(
        label="紧急 / 急修情形（勾选即按最高级别处理）",
        choices=Condition.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    category = CategoryField(label="类别", queryset=RepairCategory.objects.none(), required=False, empty_label="请选择")
    house_number = forms.CharField(
        label="房号",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "repair-house-options"}),
    )
    reporter = forms.IntegerField(label="报修人（住户）", required=False, widget=forms.Select(choices=[("", "—")]))
    public_area = forms.ModelChoiceField(
        label="公共区域", queryset=PublicArea.objects.none(), required=False, empty_label="—（住户报修不选）"
    )
    location = forms.CharField(label="具体位置", max_length=100, required=False, help_text="如 卫生间、3栋地库B区")
    reporter_name = forms.CharField(label="报修人姓名", max_length=50, required=False, help_text="非住户档案人员时填写")
    contact = forms.CharField(
        label="联系电话", max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    description = forms.CharField(label="维修内容", widget=forms.Textarea(attrs={"rows": 3}))
    appointment_at = forms.DateTimeField(label="约定上门时间", required=False, widget=DATETIME_INPUT)
    received_at = forms.DateTimeField(label="受理时间", required=False, widget=DATETIME_INPUT, help_text="默认现在")
    photos = MultipleFileField(label="照片（可多选）", required=False)
    intake_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["category"].queryset = RepairCategory.objects.filter(
            pk__in=[c.pk for c in categories_for(community) if c.is_active]
        )
        self.fields["public_area"].queryset = PublicArea.objects.filter(community=community, is_active=True)
        number = (self.data.get("house_number") or self.initial.get("house_number") or "").strip()
        if number:
            people = Person.objects.filter(
                community=community, residencies__house__number=number, residencies__end_date__isnull=True
            ).distinct()
            self.fields["reporter"].widget.choices = [("", "—"), *[(p.pk, p.name) for p in people]]

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
        pk = data.get("reporter")
        data["reporter_person"] = None
        if pk:
            data["reporter_person"] = Person.objects.filter(pk=pk, community=self.community).first()
            if data["reporter_person"] is None:
                self.add_error("reporter", "所选住户不存在。")
        return data


class DispatchForm(forms.Form):
    technician = StaffChoiceField(label="维修人", queryset=None)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = technicians(community)


class ArriveForm(forms.Form):
    entry_agreed = forms.BooleanField(label="已出示工单、向业主说明维修项目和内容，业主同意入户", required=False)


class QuoteForm(forms.Form):
    """Up to five lines from the approved price list."""

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        items = list(approved_price_items(community))
        choices = [("", "—"), *[(i.pk, f"{i.name}（{i.unit_price} 元/{i.unit}）") for i in items]]
        self.items = {str(i.pk): i for i in items}
        for n in range(QUOTE_ROWS):
            self.fields[f"item_{n}"] = forms.ChoiceField(label=f"项目 {n + 1}", choices=choices, required=False)
            self.fields[f"quantity_{n}"] = forms.DecimalField(
                label="数量", max_digits=10, decimal_places=2, min_value=0, required=False
            )

    def clean(self):
        data = super().clean()
        lines = []
        for n in range(QUOTE_ROWS):
            item, quantity = data.get(f"item_{n}"), data.get(f"quantity_{n}")
            if item and quantity is None:
                self.add_error(f"quantity_{n}", "请填写数量。")
            elif item:
                lines.append((self.items.get(item), quantity))
        if not lines and not self.errors:
            raise ValidationError("请至少选择一个收费项目。")
        data["lines"] = lines
        return data

    def rows(self):
        """(item, quantity) bound fields, one line of the form each."""
        return [(self[f"item_{n}"], self[f"quantity_{n}"]) for n in range(QUOTE_ROWS)]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200)


class PauseForm(forms.Form):
    reason = forms.ChoiceField(label="暂停原因", choices=PauseReason.choices)
    note = forms.CharField(label="说明", max_length=200)


class PurchaseForm(forms.Form):
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(PURCHASE_ROWS):
            self.fields[f"name_{n}"] = forms.CharField(label=f"材料 {n + 1}", max_length=60, required=False)
            self.fields[f"quantity_{n}"] = forms.DecimalField(
                label="数量", max_digits=10, decimal_places=2, required=False
            )
            self.fields[f"unit_{n}"] = forms.CharField(label="单位", max_length=10, required=False)
            self.fields[f"estimate_{n}"] = forms.DecimalField(
                label="预估金额", max_digits=10, decimal_places=2, required=False
            )

    def clean(self):
        data = super().clean()
        items = []
        for n in range(PURCHASE_ROWS):
            name = (data.get(f"name_{n}") or "").strip()
            if not name:
                continue
            quantity, estimate = data.get(f"quantity_{n}"), data.get(f"estimate_{n}")
            if quantity is None or estimate is None:
                self.add_error(f"name_{n}", "请填写数量和预估金额。")
                continue
            items.append((name, quantity, data.get(f"unit_{n}") or "", estimate))
        data["items"] = items
        return data


class NoteForm(forms.Form):
    note = forms.CharField(label="记录", widget=forms.Textarea(attrs={"rows": 2}))
    photos = MultipleFileField(label="照片（可多选）", required=False)


class NotifyForm(forms.Form):
    note = forms.CharField(label="通知方式和内容", max_length=300, help_text="如：电话告知业主材料预计周五到货")


def decode_signature(value):
    """The on-screen signature (a PNG data URL from the canvas) as bytes, checked."""
    if not value:
        return None
    head, _, payload = value.partition(",")
    if head != "data:image/png;base64":
        raise ValidationError("签字图片格式不正确，请重新签字。")
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError("签字图片格式不正确，请重新签字。") from None
    if not raw.startswith(b"\x89PNG\r\n\x1a\n") or len(raw) > SIGNATURE_MAX_BYTES:
        raise ValidationError("签字图片格式不正确，请重新签字。")
    return raw


class SignatureMixin(forms.Form):
    signature = forms.ChoiceField(label="业主签字", choices=[("", "—"), *Signature.choices], required=False)
    signature_data = forms.CharField(required=False, widget=forms.HiddenInput)
    rating = forms.ChoiceField(label="业主评价", choices=[("", "—"), *Rating.choices], required=False)
    rating_note = forms.CharField(label="评价意见", max_length=200, required=False)

    def clean_signature_data(self):
        return decode_signature(self.cleaned_data.get("signature_data"))


class DoneForm(SignatureMixin):
    result = forms.CharField(label="维修结果", widget=forms.Textarea(attrs={"rows": 2}))
    final_amount = forms.DecimalField(
        label="收费金额（元）",
        max_digits=10,
        decimal_places=2,
        required=False,
        help_text="按业主确认的报价填写，不得高于报价；维修人员不直接收费。",
    )
    photos = MultipleFileField(label="完工照片", required=False)
    field_order = ["result", "final_amount", "photos", "signature", "rating", "rating_note"]


class ConfirmForm(SignatureMixin):
    pass


class PaperworkForm(forms.Form):
    category = CategoryField(label="类别", queryset=RepairCategory.objects.none())
    description = forms.CharField(label="维修内容", widget=forms.Textarea(attrs={"rows": 2}))
    reporter_name = forms.CharField(label="报修人姓名", max_length=50, required=False)
    contact = forms.CharField(label="联系电话", max_length=30, required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = RepairCategory.objects.filter(community=community, is_active=True)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = RepairSettings
        fields = [
            "dispatch_mode",
            "dispatch_minutes",
            "grab_alert_minutes",
            "emergency_arrival_minutes",
            "urgent_arrival_minutes",
            "normal_arrival_hours",
            "emergency_completion_hours",
            "urgent_completion_hours",
            "normal_completion_hours",
            "warn_percent",
            "manager_after_hours",
            "materials_days",
            "report_tail_days",
            "repeat_days",
            "safety_return_hours",
            "plumbing_return_hours",
            "rework_notice_hours",
        ]

    def clean(self):
        data = super().clean()
        if data.get("warn_percent") is not None and not 1 <= data["warn_percent"] <= 99:
            self.add_error("warn_percent", "预警点须在 1% 到 99% 之间。")
        if data.get("report_tail_days") is not None and data["report_tail_days"] > 10:
            self.add_error("report_tail_days", "月末计入下月的天数不能超过 10 天。")
        for name in ("dispatch_minutes", "emergency_arrival_minutes", "urgent_arrival_minutes", "normal_arrival_hours",
                     "normal_completion_hours", "urgent_completion_hours", "emergency_completion_hours"):  # fmt: skip
            if data.get(name) == 0:
                self.add_error(name, "时限不能为 0。")
        return data


class CategoryForm(forms.ModelForm):
    class Meta:
        model = RepairCategory
        fields = ["name", "department_kind", "return_kind", "dispatch_mode", "is_active", "sort"]


class PublicAreaForm(forms.ModelForm):
    class Meta:
        model = PublicArea
        fields = ["name", "is_active"]


class PriceListForm(forms.ModelForm):
    class Meta:
        model = PriceList
        fields = ["title", "valid_from"]
        widgets = {"valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class PriceItemForm(forms.ModelForm):
    class Meta:
        model = PriceItem
        fields = ["group", "name", "unit", "unit_price", "note", "sort"]
