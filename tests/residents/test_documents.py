"""Archive documents: PDF/JPEG/PNG by content, size-limited, stored under a
non-guessable name, served only through a scoped view, and never silently
replaced — a new version links the one it supersedes (SPEC §1 [001])."""

import re

import pytest
from django.urls import reverse

from residents import services
from residents.models import Document
from tests.residents.conftest import JPEG, PDF, PNG, upload

pytestmark = pytest.mark.django_db

BAD_TYPE = "只能上传 PDF、JPEG 或 PNG 文件（按文件内容识别）。"


def post_document(client, house, file, **extra):
    data = {"doc_type": "handover_notice", "doc_date": "2026-01-15", "note": "交房", "file": file, **extra}
    return client.post(reverse("residents:document_upload", args=[house.pk]), data)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("交房通知.pdf", PDF, "application/pdf"), ("身份证.jpg", JPEG, "image/jpeg"), ("验房单.png", PNG, "image/png")],
)
def test_pdf_jpeg_png_are_accepted_by_content(client_for, butler1, household, name, content, content_type):
    response = post_document(client_for(butler1), household.house, upload(name, content))
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.content_type, document.original_name, document.size) == (content_type, name, len(content))
    assert document.uploaded_by == butler1


def test_a_pdf_name_does_not_make_a_text_file_a_pdf(client_for, butler1, household):
    fake = upload("合同.pdf", b"just some text, not a PDF at all\n", "application/pdf")
    response = post_document(client_for(butler1), household.house, fake)
    assert response.status_code == 400
    assert BAD_TYPE in response.content.decode()
    assert not Document.objects.exists()


def test_file_over_the_limit_is_rejected(client_for, butler1, household, settings):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    big = upload("big.pdf", PDF + b"0" * (1024 * 1024))
    response = post_document(client_for(butler1), household.house, big)
    assert response.status_code == 400
    assert "文件过大：最大 1 MB。" in response.content.decode()
    assert not Document.objects.exists()


def test_stored_name_is_neither_the_upload_name_nor_guessable(client_for, butler1, household):
    post_document(client_for(butler1), household.house, upload("张伟-身份证.pdf", PDF))
    post_document(client_for(butler1), household.house, upload("张伟-身份证.pdf", PDF))
    first, second = Document.objects.order_by("pk")
    for document in (first, second):
        assert "张伟" not in document.file.name and "身份证" not in document.file.name
        assert re.fullmatch(rf"documents/{household.house.community_id}/[0-9a-f]{{32}}\.pdf", document.file.name)
    assert first.file.name != second.file.name
    assert client_for(butler1).get(f"/media/{first.file.name}").status_code == 404


def test_download_goes_through_the_scoped_view(client_for, butler1, frontdesk, household):
    post_document(client_for(butler1), household.house, upload("张伟-身份证.pdf", PDF))
    document = Document.objects.get()
    house_page = client_for(frontdesk).get(reverse("residents:house_detail", args=[household.house.pk]))
    url = reverse("residents:document_download", args=[document.pk])
    assert url in house_page.content.decode()
    assert document.file.name not in house_page.content.decode()
    response = client_for(frontdesk).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "身份证" not in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_document_of_another_community_is_404(client_for, butler1, household, household_c2, butler3):
    document = services.upload_document(
        house=household_c2.house,
        upload=upload("a.png", PNG),
        doc_type="other",
        doc_date="2026-01-01",
        actor=butler3,
    )
    assert client_for(butler1).get(reverse("residents:document_download", args=[document.pk])).status_code == 404


def test_new_version_supersedes_and_keeps_the_old_one(client_for, butler1, household):
    client = client_for(butler1)
    post_document(client, household.house, upload("v1.pdf", PDF))
    old = Document.objects.get()
    form = client.get(reverse("residents:document_upload", args=[household.house.pk]) + f"?supersedes={old.pk}")
    assert form.status_code == 200

    response = post_document(client, household.house, upload("v2.png", PNG), supersedes=old.pk)
    assert response.status_code == 302
    new = Document.objects.exclude(pk=old.pk).get()
    assert new.supersedes == old
    old.refresh_from_db()
    assert not old.is_current and new.is_current
    with old.file.open("rb") as stored:
        assert stored.read() == PDF
    assert client.get(reverse("residents:document_download", args=[old.pk])).status_code == 200
    page = client.get(reverse("residents:house_detail", args=[household.house.pk])).content.decode()
    assert "已被新版本替代" in page

    response = post_document(client, household.house, upload("v2b.pdf", PDF), supersedes=old.pk)
    assert response.status_code == 400
    assert "该资料已有更新版本" in response.content.decode()
    assert Document.objects.count() == 2
