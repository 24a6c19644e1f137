"""One check for every upload that keeps personal records (archive documents,
visit photos): the type is read from the file's first bytes, never trusted from
its name, and the size is capped (SPEC §1)."""

from django.conf import settings
from django.core.exceptions import ValidationError

_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def sniff_content_type(head):
    """The file's real type from its first bytes; None when it is not PDF/JPEG/PNG."""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def checked_content_type(upload, *, noun, bad_type_message, max_bytes=None):
    """The upload's real content type, or a Chinese ValidationError naming `noun`
    when it is too large or not PDF/JPEG/PNG. Leaves the file at its start."""
    limit = max_bytes or settings.DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(f"{noun}过大：最大 {limit // (1024 * 1024)} MB。", code="too_large")
    upload.seek(0)
    content_type = sniff_content_type(upload.read(16))
    upload.seek(0)
    if content_type is None:
        raise ValidationError(bad_type_message, code="bad_type")
    return content_type
