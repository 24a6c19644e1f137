"""The permission matrix: hand-written rows of who may use which URL.

Each app adds `tests/<app>/matrix.py` with a list `ROWS`. A row names a URL,
how to build its arguments for an object in scope (community 1) and, where the
URL takes an object, one out of scope (community 2), and the status each person
gets. `tests/test_permission_matrix.py` runs every row for every person and
fails when a URL pattern of the project has no row.

Statuses: an int, or LOGIN for "redirected to the login page".
"""

from collections.abc import Callable
from dataclasses import dataclass, field

LOGIN = "login"
ACTORS = [
    "anonymous",
    "butler1",
    "butler2",
    "supervisor",
    "manager",
    "frontdesk",
    "tech1",
    "finance",
    "admin",
    "butler3",
]
STAFF = [a for a in ACTORS if a != "anonymous"]
COMMUNITY1_STAFF = [a for a in STAFF if a not in {"admin", "butler3"}]


def everyone(status, **overrides):
    """Expectation map: `status` for all staff, LOGIN for anonymous, with overrides."""
    return {"anonymous": LOGIN, **{a: status for a in STAFF}, **overrides}


def only(allowed, status=200, denied=403, **overrides):
    """`status` for the named people (and the company admin), `denied` for other staff."""
    expect = {a: (status if a in allowed or a == "admin" else denied) for a in STAFF}
    return {"anonymous": LOGIN, **expect, **overrides}


@dataclass
class Row:
    url_name: str
    expect: dict
    method: str = "get"
    # world -> kwargs for reverse(); None: the URL takes no arguments
    kwargs: Callable[[dict], dict] | None = None
    # world -> POST data
    data: Callable[[dict], dict] | None = None
    # world -> kwargs (or POST data) naming an object of community 2, and what each person gets
    out_of_scope: Callable[[dict], dict] | None = None
    out_data: Callable[[dict], dict] | None = None
    expect_out: dict = field(default_factory=dict)

    @property
    def has_out_of_scope(self):
        return self.out_of_scope is not None or self.out_data is not None

    def out_expectation(self):
        """Default: 404 for every community-1 member; admin and butler3 as the row says."""
        base = {"anonymous": LOGIN, **{a: 404 for a in STAFF}}
        return {**base, **self.expect_out}
