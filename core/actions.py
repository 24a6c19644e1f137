"""One action of a record's detail page, posted to its own URL (complaints, work
orders): the action's form (or none), who may take it, the service it runs and
the message on success. A refused or invalid submission draws the detail page
again with the form's errors and what was typed (400); a form-less action whose
service refuses goes back with the message."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views import View

from core.feedback import add_errors, flash_error


@dataclass(frozen=True)
class ActionSpec:
    label: str
    form: type | None
    run: object  # (record, user, cleaned_data) -> record
    done: str
    needs_community: bool = False


class RecordActionView(View):
    """A subclass names `actions`, `detail_url_name` and `denied_message`, and
    defines four methods: `get_record(request, pk)` (the record or 404),
    `may(user, record)`, `make_form(record, data, files)` (None for a form-less
    action) and `render_again(request, record, form)` (the detail page, 400)."""

    action = ""
    actions = {}
    detail_url_name = ""
    denied_message = "您无权执行此操作。"

    def post(self, request, pk):
        record = self.get_record(request, pk)
        spec = self.actions[self.action]
        if not self.may(request.user, record):
            raise PermissionDenied(self.denied_message)
        form = self.make_form(record, request.POST, request.FILES)
        if form is not None and not form.is_valid():
            return self.render_again(request, record, form)
        try:
            spec.run(record, request.user, form.cleaned_data if form is not None else {})
        except ValidationError as error:
            if form is None:
                flash_error(request, error)
                return redirect(self.detail_url_name, record.pk)
            add_errors(form, error)
            return self.render_again(request, record, form)
        messages.success(request, spec.done)
        return redirect(self.detail_url_name, record.pk)
