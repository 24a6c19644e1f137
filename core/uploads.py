"""One check for every upload that keeps personal records (archive documents,
visit photos): the type is read from the file's first bytes, never trusted from
its name, and the size is capped (SPEC §1)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
PHOTO_TYPE_MESSAGE = "照片只能是 JPEG、PNG 或 PDF（按文件内容识别）。"

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


def stored_name(folder, community_id, content_type):
    """Where an upload is kept: a random name under the app's and community's
    folder, the extension from the sniffed type (never the uploader's file name)."""
    return f"{folder}/{community_id}/{uuid.uuid4().hex}.{EXTENSIONS.get(content_type, 'bin')}"


def save_photo(photo, upload, *, max_bytes=None):
    """Check `upload` (a photo or a scan) and save it as the unsaved `photo` row,
    which has `file`, `content_type` and `size`. A bad file is a ValidationError
    on the form's `photos` field."""
    try:
        photo.content_type = checked_content_type(
            upload, noun="照片", bad_type_message=PHOTO_TYPE_MESSAGE, max_bytes=max_bytes
        )
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from None
    photo.size = upload.size
    photo.file.save("photo", upload, save=False)
    photo.save()
    return photo
