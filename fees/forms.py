"""Fee forms (crispy)."""

from django import forms

from core.forms import DATE_INPUT
from fees.choices import CallChannel, Method, Reason


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
