"""Fee forms (crispy)."""

from django import forms

from core.forms import DATE_INPUT
from fees.choices import CallChannel, Cycle, Method, Reason


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label="收款金额（元）", max_digits=12, decimal_places=2, min_value=0.01)
    method = forms.ChoiceField(label="收款方式", choices=Method.choices, initial=Method.WECHAT)
    payer = forms.CharField(label="缴款人", max_length=50)
    reference = forms.CharField(label="交易单号", max_length=60, required=False, help_text="微信、支付宝、转账的单号")
    lines = forms.MultipleChoiceField(
        label="指定冲抵的账单（不选则按到期先后冲抵）", required=False, widget=forms.CheckboxSelectMultiple
    )
    intake_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, open_lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.open_lines = {str(line.pk): line for line in open_lines}
        self.fields["lines"].choices = [
            (str(line.pk), f"{line.description} 未缴 ¥{line.open_amount}（{line.due_date:%m-%d} 到期）")
            for line in open_lines
        ]

    def chosen_lines(self):
        return [self.open_lines[pk] for pk in self.cleaned_data.get("lines", []) if pk in self.open_lines]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200)


class CollectionCallForm(forms.Form):
    """《物管费催收记录表》 [003 L530]. What is required, and the promised date's
    rule, are checked by `fees.collection.record_call`; the form only reads types."""

    channel = forms.ChoiceField(
        label="联系方式", choices=CallChannel.choices, initial=CallChannel.PHONE, required=False
    )
    person_reached = forms.CharField(label="联系到的人", max_length=50, required=False, help_text="如：业主张先生")
    statement_received = forms.NullBooleanField(
        label="已收到对账单",
        required=False,
        initial="unknown",
        widget=forms.RadioSelect(choices=[("true", "是"), ("false", "否"), ("unknown", "未知")]),
    )
    answer = forms.CharField(label="业主答复", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    promised_date = forms.DateField(label="承诺缴费日期", required=False, widget=DATE_INPUT)
    reason = forms.ChoiceField(
        label="欠费原因",
        choices=[("", "—（未了解）"), *Reason.choices],
        required=False,
        help_text="选“物业服务问题”将自动生成投诉，由您跟进至解决。",
    )
    next_step = forms.CharField(label="下一步", max_length=200, required=False)


class AdjustmentForm(forms.Form):
    amount = forms.DecimalField(
        label="调整金额（元）", max_digits=12, decimal_places=2, help_text="减免填负数（如 -10.00），补收填正数。"
    )
    reason = forms.CharField(label="调整原因", max_length=200)


class RateForm(forms.Form):
    """A new rate period (fees.services.set_rate): from a month's 1st."""

    item = forms.ChoiceField(label="收费项目")
    house_type = forms.ChoiceField(label="房屋类型", required=False, help_text="留空：该项目所有房屋类型通用。")
    unit_price = forms.DecimalField(label="单价（元）", max_digits=12, decimal_places=4, min_value=0.0001)
    valid_from = forms.DateField(
        label="起始月份", widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"), input_formats=["%Y-%m"]
    )

    def __init__(self, *args, items=(), **kwargs):
        from residents.choices import HouseType

        super().__init__(*args, **kwargs)
        self.items = {str(item.pk): item for item in items}
        self.fields["item"].choices = [(str(item.pk), item.name) for item in items]
        self.fields["house_type"].choices = [("", "全部类型"), *HouseType.choices]


# --- 便民服务: the forms read types only; `fees.convenience` checks what is required
# and allowed, and its Chinese messages land on these fields.

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
