"""Where a reminder goes besides the inbox: e-mail (Django's mail settings) and,
when a deployment plugs one in, SMS through one small interface."""

import abc
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsBackend(abc.ABC):
    """Subclass and point SMS_BACKEND at it (dotted path) to send SMS."""

    @abc.abstractmethod
    def send(self, mobile, text):
        """Send `text` to the mainland mobile number `mobile`."""


class ConsoleSmsBackend(SmsBackend):
    """Development backend: logs the message instead of sending it."""

    def send(self, mobile, text):
        logger.info("SMS to %s: %s", mobile, text)


def get_sms_backend():
    if not settings.SMS_BACKEND:
        return None
    return import_string(settings.SMS_BACKEND)()


def deliver(reminder):
    """Send `reminder` by e-mail and SMS where configured. Returns the channels used."""
    channels = []
    recipient = reminder.recipient
    if settings.REMINDER_EMAIL_ENABLED and recipient.email:
        body = reminder.text
        if reminder.url:
            body += f"\n\n{reminder.url}"
        send_mail(f"【物业管家】{reminder.text[:30]}", body, None, [recipient.email])
        channels.append("email")
    sms = get_sms_backend()
    if sms is not None and recipient.mobile:
        sms.send(recipient.mobile, reminder.text)
        channels.append("sms")
    return channels
