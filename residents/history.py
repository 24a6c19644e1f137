"""History tab rows from django-simple-history, with confidential values masked
(SPEC §1: masking holds on history pages too)."""

from residents.masking import mask_id_number, mask_mobile

MASKS = {"mobile": mask_mobile, "id_number": mask_id_number}
HIDDEN = {"mobile_last4", "id", "history_id", "history_date", "history_user", "history_type", "history_change_reason"}
TYPES = {"+": "创建", "~": "修改", "-": "删除"}


def _display(record, field, value):
    if field.name in MASKS:
        return MASKS[field.name](value) or "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value) or "—"
    if field.is_relation:
        target = getattr(record, field.name, None)
        return str(target) if target is not None else "—"
    return "—" if value in (None, "") else str(value)


def history_rows(obj, limit=200):
    """Newest first: when, who, what kind, and the fields that changed (old → new)."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    rows = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        for field in record.instance_type._meta.fields:
            if field.name in HIDDEN or not field.concrete:
                continue
            attname = field.attname
            new = getattr(record, attname, None)
            old = getattr(previous, attname, None) if previous else None
            if previous is None and new in (None, "", False):
                continue
            if previous is not None and new == old:
                continue
            changes.append(
                {
                    "field": str(field.verbose_name),
                    "old": _display(previous, field, old) if previous else "",
                    "new": _display(record, field, new),
                }
            )
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user.display_name if record.history_user else "系统",
                "type": TYPES.get(record.history_type, record.history_type),
                "changes": changes,
            }
        )
    return rows
