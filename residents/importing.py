"""Excel import of buildings, houses and owners (onboarding a community).

Every row is checked first and every problem reported by row and column in
Chinese; only a file without errors is written, all at once (all-or-nothing).
Checking commits its progress as it goes so the status page can show a bar.
"""

import datetime as dt
import decimal
import io
import logging

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from simple_history.utils import bulk_create_with_history

from residents.choices import HouseType, IdType, ImportStatus, Occupancy, Relation
from residents.models import Building, House, ImportJob, Person, Residency
from residents.validators import birth_date_from_resident_id, normalize_id_number, validate_id_number, validate_mobile

COLUMNS = [
    ("building", "楼栋号", True, "3"),
    ("unit", "单元", False, "2"),
    ("floor", "楼层", True, "15"),
    ("room", "室号", True, "01"),
    ("number", "房号", True, "3-2-1501"),
    ("floor_area", "建筑面积(m²)", False, "89.56"),
    ("house_type", "房屋类型", False, "住宅"),
    ("occupancy", "入住状态", False, "已入住"),
    ("handover_date", "交房日期", False, "2024-06-30"),
    ("owner_name", "产权人姓名", False, "张三"),
    ("owner_mobile", "产权人手机号", False, "13800138000"),
    ("owner_id_type", "证件类型", False, "居民身份证"),
    ("owner_id_number", "证件号码", False, "11010519491231002X"),
]
PROGRESS_EVERY = 100
logger = logging.getLogger(__name__)
_TYPES = {label: value for value, label in HouseType.choices}
_OCCUPANCY = {label: value for value, label in Occupancy.choices}
_ID_TYPES = {label: value for value, label in IdType.choices}
# Text columns and the model field that bounds their length: an overlong cell is the
# file's error to report, not a database error that would leave the job running.
_MAX_LENGTHS = {
    "building": (Building, "number"),
    "unit": (House, "unit"),
    "room": (House, "room"),
    "number": (House, "number"),
    "owner_name": (Person, "name"),
}


def template_workbook():
    """The downloadable template: headers, one example row, and a notes sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "房屋住户"
    sheet.append([label for _, label, _, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append([example for *_, example in COLUMNS])
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "必填", "说明"])
    for _key, label, required, example in COLUMNS:
        notes.append([label, "是" if required else "否", f"例：{example}"])
    notes.append(["房屋类型", "", "、".join(_TYPES)])
    notes.append(["入住状态", "", "、".join(_OCCUPANCY)])
    notes.append(["证件类型", "", "、".join(_ID_TYPES)])
    notes.append(["说明", "", "导入前会逐行检查，任何一行有错误都不会写入；请删除示例行后再导入。"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(fileobj):
    """(row number, {key: text}) for every non-empty data row of the first sheet."""
    workbook = load_workbook(fileobj, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    headers = [_text(h) for h in next(rows, [])]
    index = {label: position for position, label in enumerate(headers)}
    missing = [label for _, label, required, _ in COLUMNS if required and label not in index]
    if missing:
        raise ValueError(f"表头缺少列：{'、'.join(missing)}（请使用下载的模板）")
    result = []
    for number, values in enumerate(rows, start=2):
        record = {}
        for key, label, _, _ in COLUMNS:
            position = index.get(label)
            raw = values[position] if position is not None and position < len(values) else None
            record[key] = (
                raw.date() if isinstance(raw, dt.datetime) else raw if isinstance(raw, dt.date) else _text(raw)
            )
        if any(value not in ("", None) for value in record.values()):
            result.append((number, record))
    return result


class _Checker:
    def __init__(self, community):
        self.community = community
        self.errors = []
        self.existing_numbers = set(House.objects.filter(community=community).values_list("number", flat=True))
        self.existing_ids = set(
            Person.objects.filter(community=community).exclude(id_number="").values_list("id_type", "id_number")
        )
        self.seen_numbers = {}
        self.seen_ids = {}

    def error(self, row, column, message):
        self.errors.append({"row": row, "column": column, "message": message})

    def check(self, row, record):
        """Validate one row; return cleaned values (or None when it has errors)."""
        before = len(self.errors)
        clean = {}
        for key, label, required, _ in COLUMNS:
            if required and record[key] in ("", None):
                self.error(row, label, "必填")
            if key in _MAX_LENGTHS:
                model, field = _MAX_LENGTHS[key]
                limit = model._meta.get_field(field).max_length
                if len(str(record[key])) > limit:
                    self.error(row, label, f"最多 {limit} 个字")
        number = record["number"]
        if number:
            if number in self.existing_numbers:
                self.error(row, "房号", f"房号 {number} 已存在")
            elif number in self.seen_numbers:
                self.error(row, "房号", f"与第 {self.seen_numbers[number]} 行房号重复")
            self.seen_numbers.setdefault(number, row)
        try:
            clean["floor"] = int(record["floor"]) if record["floor"] else None
        except ValueError:
            self.error(row, "楼层", "应为整数")
        clean["floor_area"] = None  # an empty cell is "unknown", not "" (which a DecimalField refuses)
        if record["floor_area"]:
            try:
                clean["floor_area"] = decimal.Decimal(record["floor_area"]).quantize(decimal.Decimal("0.01"))
                if clean["floor_area"] <= 0:
                    raise decimal.InvalidOperation
            except decimal.InvalidOperation:
                self.error(row, "建筑面积(m²)", "应为正数，如 89.56")
        clean["house_type"] = self._choice(row, "房屋类型", record["house_type"], _TYPES, HouseType.RESIDENCE)
        clean["occupancy"] = self._choice(row, "入住状态", record["occupancy"], _OCCUPANCY, Occupancy.NOT_DELIVERED)
        clean["handover_date"] = self._date(row, "交房日期", record["handover_date"])
        self._check_owner(row, record, clean)
        return None if len(self.errors) > before else {**record, **clean}

    def _choice(self, row, column, value, mapping, default):
        if not value:
            return default
        if value not in mapping:
            self.error(row, column, f"应为：{'、'.join(mapping)}")
        return mapping.get(value, default)

    def _date(self, row, column, value):
        if not value:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value.replace("/", "-"))
        except ValueError:
            self.error(row, column, "日期格式应为 2024-06-30")
            return None

    def _check_owner(self, row, record, clean):
        name, mobile, id_number = record["owner_name"], record["owner_mobile"], record["owner_id_number"]
        if not (name or mobile or id_number):
            return
        if not name:
            self.error(row, "产权人姓名", "填写了产权人信息时姓名必填")
        if mobile:
            try:
                validate_mobile(mobile)
            except Exception as error:
                self.error(row, "产权人手机号", error.messages[0])
        id_type = _ID_TYPES.get(record["owner_id_type"] or "居民身份证")
        if id_type is None:
            self.error(row, "证件类型", f"应为：{'、'.join(_ID_TYPES)}")
            return
        clean["owner_id_type"] = id_type
        if id_number:
            id_number = normalize_id_number(id_number)
            clean["owner_id_number"] = id_number
            try:
                validate_id_number(id_type, id_number)
            except Exception as error:
                self.error(row, "证件号码", error.messages[0])
                return
            if (id_type, id_number) in self.existing_ids:
                self.error(row, "证件号码", "该证件号已登记为本小区住户")
            elif (id_type, id_number) in self.seen_ids and self.seen_ids[(id_type, id_number)][1] != name:
                self.error(row, "证件号码", f"与第 {self.seen_ids[(id_type, id_number)][0]} 行证件号相同但姓名不同")
            self.seen_ids.setdefault((id_type, id_number), (row, name))


def _progress(job, processed, **fields):
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=processed, **fields)


def run_import(job_id):
    """Check, then write everything in one transaction. Safe to call twice: a job
    that is no longer pending is left alone."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.PENDING).update(status=ImportStatus.RUNNING)
    if not claimed:
        return None
    job = ImportJob.objects.select_related("community", "created_by").get(pk=job_id)
    try:
        with job.file.open("rb") as handle:
            rows = read_rows(io.BytesIO(handle.read()))
    except Exception as error:  # a broken file is the user's problem to fix, reported plainly
        message = str(error) if isinstance(error, ValueError) else "无法读取文件，请确认是 .xlsx 格式"
        _progress(
            job,
            0,
            status=ImportStatus.FAILED,
            errors=[{"row": "", "column": "", "message": message}],
            finished_at=timezone.now(),
        )
        return job
    _progress(job, 0, total_rows=len(rows))
    checker = _Checker(job.community)
    cleaned = []
    for position, (row, record) in enumerate(rows, start=1):
        result = checker.check(row, record)
        if result is not None:
            cleaned.append(result)
        if position % PROGRESS_EVERY == 0:
            _progress(job, position)
    if checker.errors or not rows:
        errors = checker.errors or [{"row": "", "column": "", "message": "文件中没有数据行"}]
        _progress(job, len(rows), status=ImportStatus.FAILED, errors=errors[:1000], finished_at=timezone.now())
        return job
    try:
        summary = write_rows(job.community, cleaned, actor=job.created_by)
    except Exception:
        # The transaction rolled back: nothing was written. Never leave the job "running".
        logger.exception("import %s failed while writing", job.pk)
        error = {"row": "", "column": "", "message": "写入时出错，未导入任何数据；请稍后重试或联系管理员。"}
        _progress(job, len(rows), status=ImportStatus.FAILED, errors=[error], finished_at=timezone.now())
        return job
    _progress(job, len(rows), status=ImportStatus.DONE, summary=summary, finished_at=timezone.now())
    return job


@transaction.atomic
def write_rows(community, rows, *, actor):
    buildings = {b.number: b for b in Building.objects.filter(community=community)}
    new_buildings = 0
    for row in rows:
        if row["building"] not in buildings:
            buildings[row["building"]] = Building.objects.create(community=community, number=row["building"])
            new_buildings += 1
    houses = [
        House(
            community=community,
            building=buildings[row["building"]],
            unit=row["unit"],
            floor=row["floor"],
            room=row["room"],
            number=row["number"],
            floor_area=row.get("floor_area"),
            house_type=row["house_type"],
            occupancy=row["occupancy"],
            handover_date=row["handover_date"],
        )
        for row in rows
    ]
    bulk_create_with_history(houses, House, batch_size=500, default_user=actor)
    by_number = dict(
        House.objects.filter(community=community, number__in=[r["number"] for r in rows]).values_list("number", "pk")
    )
    people, links, by_id = [], [], {}
    for row in rows:
        if not row["owner_name"]:
            continue
        key = (row.get("owner_id_type"), row.get("owner_id_number")) if row.get("owner_id_number") else None
        person = by_id.get(key) if key else None
        if person is None:
            person = Person(
                community=community,
                name=row["owner_name"],
                mobile=row["owner_mobile"],
                mobile_last4=row["owner_mobile"][-4:],
                id_type=row.get("owner_id_type") or IdType.RESIDENT_ID,
                id_number=row.get("owner_id_number") or "",
                birth_date=birth_date_from_resident_id(row.get("owner_id_number") or "")
                if row.get("owner_id_type") == IdType.RESIDENT_ID
                else None,
            )
            people.append(person)
            if key:
                by_id[key] = person
        links.append((by_number[row["number"]], person))
    bulk_create_with_history(people, Person, batch_size=500, default_user=actor)
    residencies = [
        Residency(house_id=house_id, person=person, relation=Relation.OWNER, created_by=actor)
        for house_id, person in links
    ]
    bulk_create_with_history(residencies, Residency, batch_size=500, default_user=actor)
    return {"buildings": new_buildings, "houses": len(houses), "people": len(people)}
