"""A half-typed record is kept as a server-side draft until the visit is logged;
photos are JPEG/PNG (or a PDF scan of the signed form) by content and size-limited
like archive uploads, with Chinese messages (issue 5 §3)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.visits.conftest import at
from visits import services
from visits.choices import Channel, VisitType
from visits.models import Visit, VisitDraft, VisitPhoto

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%%EOF\n"
MB = 1024 * 1024


def _upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _log(house, actor, **fields):
    return services.log_visit(
        house=house,
        actor=actor,
        started_at=at(2026, 11, 17, 10, 0),
        channel=Channel.DOOR,
        visit_type=VisitType.ROUTINE,
        **fields,
    )


def test_a_draft_is_kept_per_person_and_house(house, butler1):
    services.save_draft(user=butler1, house=house, payload={"channel": "door"})
    services.save_draft(user=butler1, house=house, payload={"channel": "door", "reply": "稍后答复"})
    assert list(VisitDraft.objects.values_list("payload", flat=True)) == [{"channel": "door", "reply": "稍后答复"}]


def test_logging_the_visit_removes_only_the_authors_draft_for_that_house(zone1, butler1, butler2):
    house, other_house = zone1[0], zone1[1]
    services.save_draft(user=butler1, house=house, payload={"reply": "半截"})
    services.save_draft(user=butler1, house=other_house, payload={"reply": "另一户"})
    services.save_draft(user=butler2, house=house, payload={"reply": "同事的"})

    _log(house, butler1)

    assert sorted(VisitDraft.objects.values_list("user__username", "house__number")) == [
        ("butler1", "1-1-102"),
        ("butler2", "1-1-101"),
    ]


def test_photos_are_stored_with_their_real_type(house, butler1):
    visit = _log(house, butler1, photos=[_upload(JPEG), _upload(PNG, "b.png", "image/png")])
    photo = services.attach_photo(visit, _upload(PDF, "signed.pdf", "application/pdf"))
    assert sorted(visit.photos.values_list("content_type", "size")) == [
        ("application/pdf", len(PDF)),
        ("image/jpeg", len(JPEG)),
        ("image/png", len(PNG)),
    ]
    assert photo.file.name.endswith(".pdf")


def test_non_image_content_is_refused_whatever_its_name(house, butler1):
    visit = _log(house, butler1)
    fake = _upload(b"MZ\x90\x00 not really a picture", "photo.jpg", "image/jpeg")
    with pytest.raises(ValidationError) as raised:
        services.attach_photo(visit, fake)
    assert raised.value.message_dict == {"photos": ["照片只能是 JPEG、PNG 或 PDF（按文件内容识别）。"]}
    assert not VisitPhoto.objects.exists()


def test_oversize_photos_are_refused(house, butler1, settings):
    settings.DOCUMENT_MAX_BYTES = MB
    visit = _log(house, butler1)
    services.attach_photo(visit, _upload(JPEG + b"\x00" * (MB - len(JPEG))))  # exactly the limit
    with pytest.raises(ValidationError) as raised:
        services.attach_photo(visit, _upload(JPEG + b"\x00" * (MB + 1 - len(JPEG))))
    assert raised.value.message_dict == {"photos": ["照片过大：最大 1 MB。"]}
    assert VisitPhoto.objects.count() == 1


def test_a_bad_photo_saves_nothing_of_the_visit(house, butler1):
    services.save_draft(user=butler1, house=house, payload={"reply": "半截"})
    with pytest.raises(ValidationError, match="照片只能是"):
        _log(house, butler1, opinions=[("cleaning", "楼道")], photos=[_upload(b"GIF89a")])
    assert not Visit.objects.exists()
    assert VisitDraft.objects.count() == 1  # the draft survives to be finished
