"""Format checks for personal data, with the Chinese messages staff see (SPEC §1)."""

import datetime as dt
import re

from django.core.exceptions import ValidationError

from residents.choices import IdType

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_LETTER = "A-HJ-NP-Z"  # plates never use I or O
PLATE_RE = re.compile(
    rf"^[{_PROVINCES}][{_LETTER}]"
    rf"(?:[{_LETTER}0-9]{{4}}[{_LETTER}0-9挂学警港澳]"  # 7 characters: ordinary plate
    rf"|[DF][{_LETTER}0-9]\d{{4}}|\d{{5}}[DF])$"  # 8 characters: new-energy plate
)
_ID_FORMATS = {
    IdType.PASSPORT: (re.compile(r"^[A-Z0-9]{5,17}$"), "护照号码格式不正确（5–17位字母或数字）"),
    IdType.HK_MACAU_PERMIT: (re.compile(r"^[HM]\d{8}(\d{2})?$"), "港澳通行证号码应为 H 或 M 开头加 8 或 10 位数字"),
    IdType.TAIWAN_PERMIT: (re.compile(r"^\d{8}(\d{2})?$"), "台湾居民来往大陆通行证号码应为 8 或 10 位数字"),
    IdType.OTHER: (re.compile(r"^[A-Z0-9-]{4,30}$"), "证件号码只能包含字母、数字和连字符"),
}


def normalize_id_number(value):
    return re.sub(r"\s+", "", value or "").upper()


def normalize_plate(value):
    return re.sub(r"[\s·.\-]", "", value or "").upper()


def validate_resident_id(value):
    """GB 11643: 18 characters, a real birth date and the ISO 7064 check character."""
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise ValidationError("身份证号应为18位，前17位为数字，最后一位为数字或X", code="id_format")
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError("身份证号中的出生日期无效", code="id_birth_date") from None
    if born.year < 1900 or born > dt.date.today():
        raise ValidationError("身份证号中的出生日期无效", code="id_birth_date")
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        raise ValidationError("身份证号校验位不正确", code="id_check_digit")


def validate_id_number(id_type, value):
    """Check `value` (already normalised) against the rules of `id_type`."""
    if id_type == IdType.RESIDENT_ID:
        validate_resident_id(value)
        return
    pattern, message = _ID_FORMATS.get(id_type, _ID_FORMATS[IdType.OTHER])
    if not pattern.fullmatch(value):
        raise ValidationError(message, code="id_format")


def birth_date_from_resident_id(value):
    try:
        return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except (ValueError, IndexError):
        return None


def validate_mobile(value):
    if not MOBILE_RE.fullmatch(value):
        raise ValidationError("手机号应为11位大陆手机号（1开头，第二位为3–9）", code="mobile")


def validate_plate(value):
    if not PLATE_RE.fullmatch(value):
        raise ValidationError("车牌号格式不正确（如 沪A12345，新能源 沪AD12345）", code="plate")
