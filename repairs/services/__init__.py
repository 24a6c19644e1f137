"""Everything that changes a work order (STYLE: services own the rules).

Each service runs in one transaction, locks the order row, checks who may act
and in which status, writes a timeline entry and lets `clocks.refresh` recompute
the deadlines. Numbers come from the one `core` allocator. `intake` registers
orders, `work` is the work itself, `aftercare` the return visits and rework,
`ends` closing, returning, voiding and the rest.
"""

from django.core.exceptions import PermissionDenied, ValidationError

from repairs.services.aftercare import on_return_visit_done, open_rework, return_visit_plan
from repairs.services.base import MAX_PHOTOS, NUMBER_TEMPLATE, categories_for, report_month_of
from repairs.services.ends import (
    add_note,
    approve_price_list,
    close,
    complete_paperwork,
    mark_reviewed,
    return_order,
    reveal_contact,
    technician_basis,
    void,
)
from repairs.services.intake import next_technician, receive_order
from repairs.services.work import (
    accept,
    agree_quote,
    approved_price_items,
    arrive,
    claim,
    complete,
    confirm,
    decline_quote,
    dispatch,
    file_purchase,
    notify_owner,
    pause,
    quote,
    resume,
    start,
)

__all__ = [
    "MAX_PHOTOS",
    "NUMBER_TEMPLATE",
    "PermissionDenied",
    "ValidationError",
    "accept",
    "add_note",
    "agree_quote",
    "approve_price_list",
    "approved_price_items",
    "arrive",
    "categories_for",
    "claim",
    "close",
    "complete",
    "complete_paperwork",
    "confirm",
    "decline_quote",
    "dispatch",
    "file_purchase",
    "mark_reviewed",
    "next_technician",
    "notify_owner",
    "on_return_visit_done",
    "open_rework",
    "pause",
    "quote",
    "receive_order",
    "report_month_of",
    "resume",
    "return_order",
    "return_visit_plan",
    "reveal_contact",
    "start",
    "technician_basis",
    "void",
]
