"""Forms of the 便民服务 pages. They read types only; what is required and allowed
is checked by `fees.convenience`, whose Chinese messages land on these fields."""

from django import forms

from core.forms import DATE_INPUT
from fees.choices import Cycle

MONEY = {"inputmode": "decimal", "placeholder": "0.00"}


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)


class ServiceForm(forms.Form):
    """One row of the 《便民服务项目及价格表》."""

    name = forms.CharField(label="服务项目", max_length=40, required=False)
    is_free = forms.BooleanField(label="免费服务", required=False)
    price = forms.CharField(label="价格（元）", required=False, widget=forms.TextInput(attrs=MONEY))
    cycle = forms.ChoiceField(label="收费周期", choices=Cycle.choices, initial=Cycle.MONTHLY)
    deposit = forms.CharField(label="押金（元）", required=False, widget=forms.TextInput(attrs=MONEY))
    prepayment = forms.CharField(label="预交费用（元）", required=False, widget=forms.TextInput(attrs=MONEY))
    monthly_cost = forms.CharField(
        label="每月成本（元）",
        required=False,
        widget=forms.TextInput(attrs=MONEY),
        help_text="用于计算保本户数：每月成本 ÷ 价格，向上取整。",
    )
    note = forms.CharField(label="说明", max_length=100, required=False)

    @classmethod
    def for_service(cls, service):
        fields = ("name", "is_free", "price", "cycle", "deposit", "prepayment", "monthly_cost", "note")
        return cls(initial={key: getattr(service, key) for key in fields})


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", max_length=200, required=False)


class SubscriptionForm(forms.Form):
    """《委托服务单》 [001 L560]."""

    house_number = forms.CharField(label="房号", max_length=40, help_text="如 1-1-101")
    service = forms.ModelChoiceField(label="服务项目", queryset=None, empty_label="—请选择—")
    owner_name = forms.CharField(label="业主姓名", max_length=50, required=False)
    phone = forms.CharField(label="电话", max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    started_on = forms.DateField(label="开始日期", widget=DATE_INPUT)
    owner_signed = forms.BooleanField(label="业主已在委托服务单上签字确认", required=False)

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["service"].label_from_instance = _service_label


def _service_label(service):
    if service.is_free:
        return f"{service.name}（免费）"
    return f"{service.name}（¥{service.price}/{service.get_cycle_display()}）"


class StopForm(forms.Form):
    stopped_on = forms.DateField(label="停止日期", widget=DATE_INPUT, help_text="停止当月仍照常收费，次月起不再收费。")
    reason = forms.CharField(label="停止原因", max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class UseForm(forms.Form):
    on = forms.DateField(label="服务日期", widget=DATE_INPUT)
    quantity = forms.CharField(label="次数", initial="1", widget=forms.TextInput(attrs={"inputmode": "decimal"}))
