"""Fee forms (crispy)."""

from django import forms

from fees.choices import Method


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
