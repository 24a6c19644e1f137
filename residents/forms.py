"""Archive forms. Every error is in Chinese and every field keeps what was typed."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from residents.choices import DocumentType, HouseType, IdType, Occupancy, Relation
from residents.models import Building, House, Person, Pet, Vehicle
from residents.privacy import PURPOSES
from residents.validators import (
    birth_date_from_resident_id,
    normalize_id_number,
    normalize_plate,
    validate_id_number,
    validate_mobile,
    validate_plate,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BuildingCreateForm(forms.Form):
    number = forms.CharField(label="楼栋号", max_length=20, help_text="如 3；房号将为 3-单元-楼层房间，如 3-2-1501")
    name = forms.CharField(label="楼栋名称", max_length=50, required=False)
    units = forms.IntegerField(label="单元数", min_value=0, max_value=20, initial=2, help_text="无单元填 0")
    floors = forms.IntegerField(label="楼层数", min_value=1, max_value=120, initial=18)
    first_floor = forms.IntegerField(label="起始楼层", min_value=-5, max_value=50, initial=1)
    rooms_per_floor = forms.IntegerField(label="每层户数", min_value=1, max_value=40, initial=4)
    floor_area = forms.DecimalField(
        label="默认建筑面积(m²)", max_digits=8, decimal_places=2, min_value=0, required=False
    )
    house_type = forms.ChoiceField(label="房屋类型", choices=HouseType.choices, initial=HouseType.RESIDENCE)
    occupancy = forms.ChoiceField(label="初始状态", choices=Occupancy.choices, initial=Occupancy.NOT_DELIVERED)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if Building.objects.filter(community=self.community, number=number).exists():
            raise ValidationError(f"本小区已有 {number} 号楼。")
        return number

    def clean(self):
        data = super().clean()
        total = (data.get("units") or 1) * (data.get("floors") or 0) * (data.get("rooms_per_floor") or 0)
        if total > 5000:
            raise ValidationError(f"一次最多生成 5000 户，当前为 {total} 户。")
        return data


class HouseForm(forms.ModelForm):
    class Meta:
        model = House
        fields = [
            "floor_area",
            "house_type",
            "occupancy",
            "handover_date",
            "move_in_date",
            "move_out_date",
            "note",
        ]
        widgets = {
            "handover_date": DATE_INPUT,
            "move_in_date": DATE_INPUT,
            "move_out_date": DATE_INPUT,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        data = super().clean()
        handover, move_in = data.get("handover_date"), data.get("move_in_date")
        if handover and move_in and move_in < handover:
            self.add_error("move_in_date", "入住日期不能早于交房日期。")
        return data


class PersonForm(forms.ModelForm):
    """Create or edit a person. When editing, the confidential numbers are never put
    into the page: the fields start empty and an empty field keeps the stored value."""

    mobile = forms.CharField(label="手机号", max_length=20, required=False)

    class Meta:
        model = Person
        fields = [
            "name",
            "gender",
            "mobile",
            "id_type",
            "id_number",
            "email",
            "preferred_contact_time",
            "is_key_resident",
            "key_reason",
            "key_reason_note",
            "committee_role",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["mobile"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off"})
        if self.instance.pk:
            for name, masked in (
                ("mobile", self.instance.masked_mobile),
                ("id_number", self.instance.masked_id_number),
            ):
                self.initial[name] = ""
                self.fields[name].widget.attrs["placeholder"] = masked or "未登记"
                self.fields[name].help_text = "留空表示不修改"

    def _keep_stored(self, name):
        return self.instance.pk and not self.cleaned_data.get(name)

    def clean_mobile(self):
        mobile = (self.cleaned_data.get("mobile") or "").replace(" ", "").replace("-", "")
        if not mobile:
            return self.instance.mobile if self.instance.pk else ""
        validate_mobile(mobile)
        return mobile

    def clean_id_number(self):
        value = normalize_id_number(self.cleaned_data.get("id_number"))
        if not value and self.instance.pk:
            return self.instance.id_number
        return value

    def clean(self):
        data = super().clean()
        id_type, id_number = data.get("id_type"), data.get("id_number")
        if id_number and id_type and "id_number" not in self.errors:
            try:
                validate_id_number(id_type, id_number)
            except ValidationError as error:
                self.add_error("id_number", error)
            else:
                self._check_duplicate(id_type, id_number)
        if data.get("is_key_resident") and not data.get("key_reason"):
            self.add_error("key_reason", "重点关注住户须选择关注原因。")
        if data.get("key_reason") == "other" and not data.get("key_reason_note"):
            self.add_error("key_reason_note", "关注原因为“其他”时请填写说明。")
        if id_type == IdType.RESIDENT_ID and id_number and "id_number" not in self.errors:
            data["birth_date"] = birth_date_from_resident_id(id_number)
        return data

    def _check_duplicate(self, id_type, id_number):
        existing = (
            Person.objects.filter(community=self.community, id_type=id_type, id_number=id_number)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if existing is not None:
            url = reverse("residents:person_detail", args=[existing.pk])
            self.add_error(
                "id_number",
                ValidationError(
                    format_html(
                        '该证件号已登记为本小区住户 <a href="{}">{}</a>。如是同一人，请在其档案页“关联房屋”。',
                        url,
                        existing.name,
                    ),
                    code="duplicate_id",
                ),
            )

    def person_fields(self):
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if "birth_date" in self.cleaned_data:
            fields["birth_date"] = self.cleaned_data["birth_date"]
        return fields


class ResidentForm(PersonForm):
    """A new person and their relation to the house, in one form."""

    relation = forms.ChoiceField(label="与房屋关系", choices=Relation.choices, initial=Relation.FAMILY)
    start_date = forms.DateField(label="起始日期", required=False, widget=DATE_INPUT)

    field_order = ["relation", "start_date", "name"]


class LinkHouseForm(forms.Form):
    house_number = forms.CharField(label="房号", max_length=40, help_text="如 3-2-1501")
    relation = forms.ChoiceField(label="与房屋关系", choices=Relation.choices)
    start_date = forms.DateField(label="起始日期", required=False, widget=DATE_INPUT)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community

    def clean_house_number(self):
        number = self.cleaned_data["house_number"].strip()
        house = House.objects.filter(community=self.community, number=number).first()
        if house is None:
            raise ValidationError(f"本小区没有房号 {number}。")
        self.cleaned_data["house"] = house
        return number


class EndResidencyForm(forms.Form):
    end_date = forms.DateField(label="迁出日期", widget=DATE_INPUT, initial=timezone.localdate)


class PetForm(forms.ModelForm):
    class Meta:
        model = Pet
        fields = ["kind", "breed", "name", "licence_no"]


class VehicleForm(forms.ModelForm):
    class Meta:
        model = Vehicle
        fields = ["plate", "parking_space", "model_desc"]

    def clean_plate(self):
        plate = normalize_plate(self.cleaned_data["plate"])
        validate_plate(plate)
        return plate


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label="资料类型", choices=DocumentType.choices)
    doc_date = forms.DateField(label="资料日期", widget=DATE_INPUT, initial=timezone.localdate)
    person = forms.ModelChoiceField(label="相关住户", queryset=Person.objects.none(), required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)
    file = forms.FileField(label="文件（PDF/JPEG/PNG）")

    def __init__(self, *args, house, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(residencies__house=house).distinct()
        self.fields["file"].widget.attrs["accept"] = "application/pdf,image/jpeg,image/png"


class AbsenceForm(forms.Form):
    from_date = forms.DateField(label="外出日期", widget=DATE_INPUT, initial=timezone.localdate)
    to_date = forms.DateField(label="预计返回日期", widget=DATE_INPUT)
    contact = forms.CharField(label="外出期间联系方式", max_length=100, required=False)
    note = forms.CharField(label="备注（如水电气已关闭）", max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("from_date") and data.get("to_date") and data["to_date"] < data["from_date"]:
            self.add_error("to_date", "返回日期不能早于外出日期。")
        return data


class RevealForm(forms.Form):
    purpose = forms.ChoiceField(label="查看用途", choices=[("", "请选择用途")] + [(p, p) for p in PURPOSES])


class AccessRequestForm(forms.Form):
    reason = forms.CharField(
        label="申请理由", max_length=200, widget=forms.TextInput(attrs={"placeholder": "如：协助业主办理车位登记"})
    )


class DecideAccessForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "批准"), ("reject", "驳回")])
    hours = forms.IntegerField(label="有效时长(小时)", min_value=1, max_value=24 * 7, required=False)
    note = forms.CharField(label="审批意见", max_length=200, required=False)


class ZoneAssignForm(forms.Form):
    butler = forms.ModelChoiceField(label="管家", queryset=None, required=False, empty_label="（不分配）")

    def __init__(self, *args, butlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["butler"].queryset = butlers


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise ValidationError("请上传 .xlsx 格式的 Excel 文件（可先下载模板）。")
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError("文件过大：最大 20 MB。")
        return upload
