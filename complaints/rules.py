"""Who may do what to a complaint (SPEC §0, §4). Services check these; views use
them to show only the actions a person may take."""

from core.choices import Role

REVIEWERS = (Role.SUPERVISOR, Role.MANAGER)
# Everyone on the staff must take a complaint (首问责任制 [004]: 无论其部门分工).
RECEIVERS = (Role.BUTLER, Role.SUPERVISOR, Role.MANAGER, Role.FRONT_DESK, Role.TECHNICIAN, Role.FINANCE)
# Who reads the community's whole complaint list; the others see what they own or handle.
READERS = (Role.BUTLER, Role.SUPERVISOR, Role.MANAGER, Role.FRONT_DESK)


def is_reviewer(user, community):
    return user.has_role(community, *REVIEWERS)


def is_supervisor(user, community):
    """首问 reassignment is the supervisor's alone (company admins as everywhere)."""
    return user.has_role(community, Role.SUPERVISOR)


def is_manager(user, community):
    return user.has_role(community, Role.MANAGER)


def heads_department(user, complaint):
    return complaint.department_id is not None and complaint.department.head_id == user.pk


def may_work(user, complaint):
    """Owner, handler, the responsible department's head, supervisors and managers."""
    return (
        user.pk in (complaint.owner_id, complaint.handler_id)
        or heads_department(user, complaint)
        or is_reviewer(user, complaint.community)
    )


def may_dispatch(user, complaint):
    return user.pk == complaint.owner_id or is_reviewer(user, complaint.community)


def may_read(user, complaint):
    return user.has_role(complaint.community, *READERS) or may_work(user, complaint)


GATES = {
    "dispatch": may_dispatch,
    "reassign": lambda user, c: is_supervisor(user, c.community),
    "major": lambda user, c: is_reviewer(user, c.community),
    "validity": lambda user, c: is_reviewer(user, c.community),
    "review": lambda user, c: is_reviewer(user, c.community),
    "void": lambda user, c: is_reviewer(user, c.community),
    "decide": lambda user, c: is_manager(user, c.community),
    "sign_off": lambda user, c: is_manager(user, c.community),
}


def may(user, complaint, action):
    """Whether `user` may take `action` on `complaint` at all (who they are to it);
    whether the complaint's status allows it now is the service's to say."""
    return GATES.get(action, may_work)(user, complaint)


def owes_return_visit(complaint):
    """Complaints and requests for help are return-visited 100 % [000][004]; a
    household incident by the manager; questions, suggestions and praise are not."""
    from complaints.choices import RETURN_VISIT_KINDS

    return complaint.kind in RETURN_VISIT_KINDS or complaint.is_household_incident


def actions_for(user, complaint):
    """The action names `user` may take on `complaint` now (the detail page shows
    these; the services check the same rules again)."""
    from complaints.choices import OPEN_STATUSES, Kind, Status

    community = complaint.community
    status = complaint.status
    reviewer = is_reviewer(user, community)
    worker = may_work(user, complaint)
    actions = set()
    if worker:
        actions.add("note")
        if complaint.contact:
            actions.add("contact")
    if status in OPEN_STATUSES:
        if worker:
            actions.add("resume" if complaint.is_paused else "pause")
            if complaint.answered_at is None and (complaint.kind != Kind.SUGGESTION or complaint.decision):
                actions.add("answer")
            if complaint.kind != Kind.SUGGESTION or complaint.decision:
                actions.add("resolve")
        if status in (Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS) and may_dispatch(user, complaint):
            actions.add("dispatch")
        if status == Status.DISPATCHED and worker:
            actions.add("start")
        if complaint.kind == Kind.SUGGESTION and is_manager(user, community):
            actions.add("decide")
    owes_visit = owes_return_visit(complaint)
    if status == Status.RESOLVED and worker and complaint.house_id is None and owes_visit:
        actions.add("return_visit")
    closable = status == Status.VISITED or (status == Status.RESOLVED and not owes_visit)
    if worker and closable and (not complaint.reception_id or complaint.manager_signed_at):
        actions.add("close")
    if (
        complaint.reception_id
        and complaint.resolved_at
        and not complaint.manager_signed_at
        and is_manager(user, community)
    ):
        actions.add("sign_off")
    if status not in (Status.CLOSED, Status.VOID):
        if reviewer:
            actions.add("void")
            if not complaint.is_major:
                actions.add("major")
        if is_supervisor(user, community):
            actions.add("reassign")
    if reviewer and status != Status.VOID:
        actions.add("validity")
        if complaint.reviewed_at is None:
            actions.add("review")
    return actions
