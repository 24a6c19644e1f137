"""Onboarding by Excel: a template to download, a checked import that writes all
rows or none, errors by row and column in Chinese, safe to run twice (SPEC §1)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from residents import importing, services
from residents.choices import ImportStatus, Occupancy
from residents.exports import XLSX
from residents.models import Building, House, ImportJob, Person, Residency

pytestmark = pytest.mark.django_db

HEADERS = [label for _, label, _, _ in importing.COLUMNS]
# 楼栋号 单元 楼层 室号 房号 建筑面积 房屋类型 入住状态 交房日期 产权人姓名 产权人手机号 证件类型 证件号码
ID = "11010519491231002X"
GOOD_ROWS = [
    ["3", "2", 15, "01", "3-2-1501", 89.56, "住宅", "已入住", "2024-06-30", "张三", "13800138000", "", ID],
    ["3", "2", 15, "02", "3-2-1502", "", "", "", "", "", "", "", ""],
    ["5", "", 1, "01", "5-101", "120", "商铺", "空置", "", "李四", "13900139000", "护照", "E12345678"],
]


def xlsx(rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("住户导入.xlsx", buffer.getvalue(), content_type=XLSX)


def start_import(client, django_capture_on_commit_callbacks, file):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("residents:import_start"), {"file": file})
    assert response.status_code == 302
    return ImportJob.objects.latest("pk")


def archive_counts():
    return (Building.objects.count(), House.objects.count(), Person.objects.count(), Residency.objects.count())


def test_template_is_an_xlsx_with_the_headers(client_for, supervisor):
    response = client_for(supervisor).get(reverse("residents:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert {"楼栋号", "房号", "产权人姓名", "证件号码"} <= set(HEADERS)


def test_good_file_creates_buildings_houses_and_owners(
    client_for, supervisor, community, django_capture_on_commit_callbacks
):
    client = client_for(supervisor)
    job = start_import(client, django_capture_on_commit_callbacks, xlsx(GOOD_ROWS))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert (job.total_rows, job.processed_rows) == (3, 3)
    assert job.summary == {"buildings": 2, "houses": 3, "people": 2}

    house = House.objects.get(community=community, number="3-2-1501")
    assert (house.building.number, house.unit, house.floor, str(house.floor_area)) == ("3", "2", 15, "89.56")
    assert house.occupancy == Occupancy.OCCUPIED and str(house.handover_date) == "2024-06-30"
    owner = house.residencies.get(relation="owner").person
    assert (owner.name, owner.mobile, owner.id_number, str(owner.birth_date)) == (
        "张三",
        "13800138000",
        ID,
        "1949-12-31",
    )
    assert owner.history.get().history_user == supervisor
    shop = House.objects.get(number="5-101")
    assert (shop.house_type, shop.residencies.get().person.id_type) == ("shop", "passport")
    assert not House.objects.get(number="3-2-1502").residencies.exists()

    page = client.get(reverse("residents:import_status", args=[job.pk])).content.decode()
    assert "导入完成：新建楼栋 2 栋，房屋 3 户，产权人 2 人" in page
    assert "13800138000" not in page


def test_file_with_errors_reports_row_column_message_and_writes_nothing(
    client_for, supervisor, community, django_capture_on_commit_callbacks
):
    services.create_building(community=community, number="9", actor=supervisor, units=0, floors=1, rooms_per_floor=1)
    services.create_person(community=community, actor=supervisor, name="赵六", id_number="110105194912310038")
    before = archive_counts()
    rows = [
        GOOD_ROWS[0],
        ["3", "2", "十五", "02", "3-2-1502", "", "", "", "", "", "", "", ""],
        ["3", "2", 15, "03", "3-2-1503", "", "", "", "", "王五", "12345", "", "110105194912310021"],
        ["3", "2", 15, "04", "3-2-1501", "", "别墅区", "", "", "", "", "", ""],
        ["9", "", 1, "01", "9-101", "", "", "", "", "", "", "", ""],
        ["3", "2", 15, "05", "3-2-1505", "", "", "", "", "赵六", "", "", "110105194912310038"],
    ]
    job = start_import(client_for(supervisor), django_capture_on_commit_callbacks, xlsx(rows))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    errors = {(e["row"], e["column"], e["message"]) for e in job.errors}
    assert (3, "楼层", "应为整数") in errors
    assert (4, "产权人手机号", "手机号应为11位大陆手机号（1开头，第二位为3–9）") in errors
    assert (4, "证件号码", "身份证号校验位不正确") in errors
    assert (5, "房号", "与第 2 行房号重复") in errors
    assert (5, "房屋类型", "应为：住宅、商铺、车位、别墅") in errors
    assert (6, "房号", "房号 9-101 已存在") in errors
    assert (7, "证件号码", "该证件号已登记为本小区住户") in errors
    assert archive_counts() == before  # the good first row was not written either

    page = client_for(supervisor).get(reverse("residents:import_status", args=[job.pk])).content.decode()
    assert "共 7 处错误，文件未导入" in page
    assert "<td>4</td><td>证件号码</td><td>身份证号校验位不正确</td>" in page


def test_missing_header_is_reported(client_for, supervisor, django_capture_on_commit_callbacks):
    file = xlsx([["3", "3-101"]], headers=["楼栋号", "房号"])
    job = start_import(client_for(supervisor), django_capture_on_commit_callbacks, file)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.errors[0]["message"] == "表头缺少列：楼层、室号（请使用下载的模板）"
    assert archive_counts() == (0, 0, 0, 0)


def test_running_the_same_job_twice_does_nothing_the_second_time(
    client_for, supervisor, django_capture_on_commit_callbacks
):
    job = start_import(client_for(supervisor), django_capture_on_commit_callbacks, xlsx(GOOD_ROWS))
    after_first = archive_counts()
    finished_at = ImportJob.objects.get(pk=job.pk).finished_at
    assert importing.run_import(job.pk) is None
    assert archive_counts() == after_first == (2, 3, 2, 2)
    assert ImportJob.objects.get(pk=job.pk).finished_at == finished_at


def test_non_xlsx_upload_is_rejected_on_the_form(client_for, supervisor):
    fake = SimpleUploadedFile("住户.xlsx", "姓名,手机号\n张三,13800138000\n".encode(), content_type=XLSX)
    response = client_for(supervisor).post(reverse("residents:import_start"), {"file": fake})
    assert response.status_code == 400
    assert "请上传 .xlsx 格式的 Excel 文件（可先下载模板）。" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_overlong_values_are_reported_not_crashing(client_for, supervisor, django_capture_on_commit_callbacks):
    rows = [["3", "2", 15, "01", "3-2-1501-" + "9" * 40, "", "", "", "", "张" * 51, "", "", ""]]
    job = start_import(client_for(supervisor), django_capture_on_commit_callbacks, xlsx(rows))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    errors = {(e["row"], e["column"], e["message"]) for e in job.errors}
    assert (2, "房号", "最多 40 个字") in errors
    assert (2, "产权人姓名", "最多 50 个字") in errors
    assert archive_counts() == (0, 0, 0, 0)
