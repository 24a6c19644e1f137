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
C1 = COMMUNITY1_STAFF


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


def _butler_allowed(allowed):
    return "butler1" in allowed  # butler3 is a butler in community 2


def page(url_name, allowed, status=200, method="get", data=None):
    """A page without an object: allowed roles get `status`, others 403."""
    expect = {"anonymous": LOGIN, "admin": status}
    expect.update({a: status if a in allowed else 403 for a in C1})
    expect["butler3"] = status if _butler_allowed(allowed) else 403
    return Row(url_name, expect, method=method, data=data)


def obj(url_name, allowed, kwargs, out, status=200, method="get", data=None):
    """A page about one object: the role check comes first (403), then the scope (404)."""
    expect = {"anonymous": LOGIN, "admin": status}
    expect.update({a: status if a in allowed else 403 for a in C1})
    expect["butler3"] = 404 if _butler_allowed(allowed) else 403
    expect_out = {a: 404 if a in allowed else 403 for a in C1}
    expect_out.update(admin=status, butler3=status if _butler_allowed(allowed) else 403)
    assert set(expect) == set(STAFF) | {"anonymous"}
    return Row(url_name, expect, method=method, data=data, kwargs=kwargs, out_of_scope=out, expect_out=expect_out)
