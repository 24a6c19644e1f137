"""Excel exports. Confidential numbers are always masked, and any cell that a
spreadsheet would run as a formula is neutralised (OWASP CSV/formula injection)."""

import io
import tempfile
from decimal import Decimal

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """Text that starts like a formula gets a leading apostrophe so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def workbook_response(title, headers, rows, filename):
    return sheets_response([(title, headers, rows)], filename)


def sheets_response(sheets, filename):
    """An .xlsx download of several sheets, each (title, headers, rows)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response


def streamed_workbook_response(title, headers, rows, filename):
    """An .xlsx download of one sheet whose memory does not grow with its rows:
    openpyxl's write-only mode spools each row to disk as it comes, the workbook
    is saved to a temporary file, and the response streams that file. `rows`
    should be a generator over `.iterator(chunk_size=…)`."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_styled(sheet, header, font=bold) for header in headers])
    for row in rows:
        sheet.append([_streamed_cell(sheet, value) for value in row])
    # Not a `with`: the response streams the file and closes it, which removes it.
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    try:
        workbook.save(spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(spool, as_attachment=True, filename=f"{filename}-{stamp}.xlsx", content_type=XLSX)


def _styled(sheet, value, **style):
    cell = WriteOnlyCell(sheet, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _streamed_cell(sheet, value):
    if isinstance(value, Decimal):
        return _styled(sheet, value, number_format="#,##0.00")
    if isinstance(value, str):
        # A control character would make openpyxl refuse the whole export.
        return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def houses_workbook(houses):
    headers = [
        "房号",
        "楼栋",
        "单元",
        "楼层",
        "建筑面积(m²)",
        "类型",
        "入住状态",
        "交房日期",
        "入住日期",
        "责任管家",
        "产权人",
        "外出报备",
    ]
    rows = (
        [
            house.number,
            str(house.building),
            house.unit,
            house.floor,
            house.floor_area,
            house.get_house_type_display(),
            house.get_occupancy_display(),
            house.handover_date,
            house.move_in_date,
            house.butler.display_name if house.butler else "",
            "、".join(r.person.name for r in house.current_owners),
            "是" if house.is_absent else "",
        ]
        for house in houses.iterator(chunk_size=1000)
    )
    return workbook_response("房屋", headers, rows, "houses")


def people_workbook(people):
    headers = ["姓名", "性别", "手机号", "证件类型", "证件号码", "房屋", "重点关注", "业委会"]
    rows = (
        [
            person.name,
            person.get_gender_display() if person.gender else "",
            person.masked_mobile,
            person.get_id_type_display(),
            person.masked_id_number,
            "、".join(f"{r.house.number}({r.get_relation_display()})" for r in person.current_residencies),
            person.get_key_reason_display() if person.is_key_resident else "",
            person.get_committee_role_display() if person.committee_role else "",
        ]
        for person in people.iterator(chunk_size=1000)
    )
    return workbook_response("住户", headers, rows, "people")
