"""便民服务 [001 L546–588] (SPEC §6, issue 10 §12).

Each January the community's manager drafts the year's 《便民服务项目及价格表》 on
the 保本微利 principle and submits it to the company; a company admin approves it
or returns it with a reason [001 L552]. The approved table is printed for posting
[001 L554–556]. Owners ask for a service on the 《委托服务单》 and sign it [001
L560]; a monthly service is then billed on every statement (`fees.statements`),
a per-use one line by line as it is used. Stopping records the reason [001 L580];
a service whose subscribers fall below break-even flags the manager [001 L584]."""

from fees.convenience.price_lists import (
    MONEY_FIELDS,
    REGISTRARS,
    active_q,
    add_service,
    approve_price_list,
    below_break_even,
    break_even,
    current_price_list,
    draft_price_list,
    dues_notice,
    edit_service,
    flag_unprofitable,
    is_company_admin,
    may_register,
    remove_service,
    return_price_list,
    return_reason,
    service_rows,
    submit_price_list,
)
from fees.convenience.subscriptions import record_use, stop, subscribe, use_lines

__all__ = [
    "MONEY_FIELDS",
    "REGISTRARS",
    "active_q",
    "add_service",
    "approve_price_list",
    "below_break_even",
    "break_even",
    "current_price_list",
    "draft_price_list",
    "dues_notice",
    "edit_service",
    "flag_unprofitable",
    "is_company_admin",
    "may_register",
    "record_use",
    "remove_service",
    "return_price_list",
    "return_reason",
    "service_rows",
    "stop",
    "submit_price_list",
    "subscribe",
    "use_lines",
]
