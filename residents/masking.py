"""Masks for confidential numbers ([001] 业主电话属于保密内容; SPEC §1)."""


def mask_mobile(value):
    """`13812345678` → `138****5678`."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def mask_id_number(value):
    """`110105194912310021` → `110***********0021`: region and last four only."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"
