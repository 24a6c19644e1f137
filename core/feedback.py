"""Turning a service's ValidationError into what the user reads: a flash message,
or the messages under the form's fields (the typed values stay on the form)."""

from django.contrib import messages


def error_text(error):
    """The first message of a ValidationError (or any exception) as one line."""
    if hasattr(error, "message_dict"):
        return next(iter(error.message_dict.values()))[0]
    return error.messages[0] if hasattr(error, "messages") else str(error)


def field_errors(error):
    """{field: first message} of a ValidationError raised with a dict."""
    return {field: problems[0] for field, problems in error.message_dict.items()}


def add_errors(form, error):
    """Put a service's ValidationError on `form`: under its field when the form has
    one by that name, else at the top."""
    if not hasattr(error, "message_dict"):
        form.add_error(None, error_text(error))
        return
    for field, message in field_errors(error).items():
        form.add_error(field if field in form.fields else None, message)


def flash_error(request, error):
    messages.error(request, error_text(error))
