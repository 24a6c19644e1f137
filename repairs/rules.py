"""Who may do what to a work order (SPEC §0, §5). Services check these; views
show only the actions a person may take."""

from core.choices import DepartmentKind, Role
from core.models import Department
from repairs.choices import FINAL_STATUSES, DispatchMode, Status

# Everyone on the staff takes a repair call (首问 [001 L174]; 24 h hotline).
RECEIVERS = (Role.BUTLER, Role.SUPERVISOR, Role.MANAGER, Role.FRONT_DESK, Role.TECHNICIAN, Role.FINANCE)
# Who reads the community's whole list; a technician sees own orders (and the pool).
READERS = (Role.BUTLER, Role.SUPERVISOR, Role.MANAGER, Role.FRONT_DESK, Role.FINANCE)
REVIEWERS = (Role.SUPERVISOR, Role.MANAGER)
CHARGE_READERS = (Role.FINANCE, Role.SUPERVISOR, Role.MANAGER)


def heads_engineering(user, community):
    """The 工程部 head [001 L470, L478, L480]."""
    if user.has_role(community):  # no role named: true only for a company admin
        return True
    return Department.objects.filter(community=community, kind=DepartmentKind.ENGINEERING, head=user).exists()


def heads_order_department(user, order):
    return order.department_id is not None and order.department.head_id == user.pk


def is_head(user, order):
    return heads_order_department(user, order) or heads_engineering(user, order.community)


def is_reviewer(user, community):
    return user.has_role(community, *REVIEWERS)


def may_dispatch(user, community):
    """A dispatcher: front desk, supervisor, manager or the 工程部 head [001 L470]."""
    return user.has_role(community, Role.FRONT_DESK, Role.SUPERVISOR, Role.MANAGER) or heads_engineering(
        user, community
    )


def is_technician_of(user, order):
    return order.technician_id is not None and order.technician_id == user.pk


def in_pool_for(user, order):
    """A grab-mode order waiting in the pool of a department `user` works in."""
    if order.dispatch_mode != DispatchMode.GRAB or order.status != Status.RECEIVED or order.technician_id:
        return False
    return user.memberships.filter(
        community=order.community, role=Role.TECHNICIAN, is_active=True, department=order.department_id
    ).exists()


def may_read(user, order):
    return (
        user.has_role(order.community, *READERS)
        or user.pk in (order.owner_id, order.technician_id)
        or is_head(user, order)
        or in_pool_for(user, order)
    )


def may_work(user, order):
    """The technician, the head, the owner (首问), supervisors and managers."""
    return (
        is_technician_of(user, order)
        or is_head(user, order)
        or user.pk == order.owner_id
        or is_reviewer(user, order.community)
    )


def may_do_site_work(user, order):
    """Accept, arrive, quote, start, done: the technician (the head stands in)."""
    return is_technician_of(user, order) or is_head(user, order)


GATES = {
    "dispatch": lambda user, o: may_dispatch(user, o.community),
    "claim": in_pool_for,
    "accept": may_do_site_work,
    "arrive": may_do_site_work,
    "quote": may_do_site_work,
    "agree": may_do_site_work,
    "decline": may_do_site_work,
    "start": may_do_site_work,
    "done": may_do_site_work,
    "confirm": may_work,
    "purchase": is_head,
    "return": is_head,
    "void": lambda user, o: is_reviewer(user, o.community),
    "review": lambda user, o: is_reviewer(user, o.community),
    "close": may_work,
}


def may(user, order, action):
    return GATES.get(action, may_work)(user, order)


def actions_for(user, order):
    """The actions `user` may take on `order` now (the services check again)."""
    s = order.status
    actions = set()
    worker = may_work(user, order)
    site = may_do_site_work(user, order)
    if worker or site:
        actions.update({"note", "contact"})
    if s in (Status.RECEIVED, Status.DISPATCHED, Status.ACCEPTED) and may_dispatch(user, order.community):
        actions.add("dispatch")
    if in_pool_for(user, order):
        actions.add("claim")
    if s == Status.DISPATCHED and site:
        actions.add("accept")
    if s in (Status.DISPATCHED, Status.ACCEPTED) and site:
        actions.add("arrive")
    if site and s in (Status.ON_SITE, Status.QUOTING, Status.IN_PROGRESS) and order.house_id:
        actions.add("quote")
    if site and s == Status.QUOTING:
        actions.update({"agree", "decline"})
    if site and s == Status.ON_SITE:
        actions.add("start")
    if site and s == Status.IN_PROGRESS:
        actions.add("done")
    if (site or worker) and s in (Status.ON_SITE, Status.QUOTING, Status.IN_PROGRESS, Status.ACCEPTED):
        actions.add("resume" if order.is_paused else "pause")
    if worker and s == Status.DONE:
        actions.add("confirm")
    if is_head(user, order) and s not in FINAL_STATUSES and order.done_at is None:
        actions.update({"purchase", "return"})
    if worker and s not in (Status.VOID,):
        actions.add("notify")
    if worker and order.paperwork_pending and s != Status.VOID:
        actions.add("paperwork")
    if worker and (s == Status.VISITED or (s in (Status.CONFIRMED, Status.DONE) and order.house_id is None)):
        actions.add("close")
    if is_reviewer(user, order.community):
        if s not in FINAL_STATUSES and s != Status.CLOSED:
            actions.add("void")
        if order.reviewed_at is None:
            actions.add("review")
    return actions
