"""Permission rows for complaints. Complaint 1 (community 1) was received by the
front desk and dispatched by the supervisor to butler2 in 客服部 (headed by the
supervisor); complaint 2 (community 2) was received by butler3.

Who may do what to a complaint follows who they are to it: any staff member may
receive one (首问 [004]); the list and detail pages are for butlers, supervisors,
managers and the front desk, plus whoever owns or handles it (a technician or
finance clerk who does neither gets 404, as for another community's record);
owner, handler, department head, supervisors and managers work on it; only the
supervisor reassigns the owner; reviewers void, review, judge validity and mark
major; the manager decides suggestions and signs reception-day results.

Action rows POST empty forms (400 for those allowed, the page drawn again with
the errors) or, for the form-less actions, a request whose outcome is a
redirect either way (302), so repeating the row never changes a status.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from complaints import services
from core.choices import DepartmentKind
from core.models import Department
from tests.builders import make_houses
from tests.matrix import C1, LOGIN, STAFF, Row, obj, page

RECEIVERS = ["butler1", "butler2", "supervisor", "manager", "frontdesk", "tech1", "finance"]
READERS = ["butler1", "butler2", "supervisor", "manager", "frontdesk"]
REVIEWERS = ["supervisor", "manager"]
MANAGER = ["manager"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _complaint(community, receiver, house, handler=None, dispatcher=None):
    complaint = services.receive_complaint(
        community=community,
        actor=receiver,
        kind="complaint",
        channel="phone",
        category="cleaning",
        reporter_name="王女士",
        contact="13900001111",
        house=house,
        description="楼道垃圾未清",
        photos=[SimpleUploadedFile("p.png", PNG)],
    )
    if handler is not None:
        department = Department.objects.get(community=community, kind=DepartmentKind.SERVICE)
        complaint = services.dispatch(complaint, actor=dispatcher, department=department, handler=handler)
    return complaint


def build_world(world):
    house1 = make_houses(world["community"], "C1", actor=world["supervisor"], butler=world["butler1"], rooms=1)[0]
    house2 = make_houses(world["community2"], "C2", actor=world["admin"], butler=world["butler3"], rooms=1)[0]
    c1 = _complaint(world["community"], world["frontdesk"], house1, world["butler2"], world["supervisor"])
    c2 = _complaint(world["community2"], world["butler3"], house2)
    entry1 = services.draft_entry(
        community=world["community"],
        actor=world["supervisor"],
        question="物业费怎么交",
        answer="前台或微信",
        category="fees",
    )
    entry2 = services.draft_entry(
        community=world["community2"], actor=world["admin"], question="停车怎么办证", answer="前台", category="parking"
    )
    reception1 = services.open_reception(
        community=world["community"], actor=world["manager"], date=c1.received_at.date(), manager=world["manager"]
    )
    reception2 = services.open_reception(
        community=world["community2"], actor=world["admin"], date=c2.received_at.date(), manager=world["admin"]
    )
    # Keys prefixed "tousu_": other apps' worlds have their own "entry1", "photo1" ….
    world.update(
        tousu_complaint1=c1,
        tousu_complaint2=c2,
        tousu_photo1=c1.photos.get(),
        tousu_photo2=c2.photos.get(),
        tousu_entry1=entry1,
        tousu_entry2=entry2,
        tousu_reception1=reception1,
        tousu_reception2=reception2,
    )


def _pk(name):
    return lambda w: {"pk": w[name].pk}


def _complaint_row(url_name, allowed, status, method="post", *, out_butler3=None, data=None):
    """A URL about complaint 1: `allowed` get `status`; other readers 403; people
    who may not read it 404. Out of scope (complaint 2): community-1 staff 404;
    the admin `status`; butler3 (its owner) `out_butler3`."""
    expect = {"anonymous": LOGIN, "admin": status, "butler3": 404}
    for actor in C1:
        if actor in allowed:
            expect[actor] = status
        elif actor in READERS or actor == "butler2":
            expect[actor] = 403
        else:
            expect[actor] = 404
    expect_out = {a: 404 for a in C1}
    expect_out.update(admin=status, butler3=out_butler3 if out_butler3 is not None else 403)
    assert set(expect) == set(STAFF) | {"anonymous"}
    return Row(
        url_name,
        expect,
        method=method,
        data=data,
        kwargs=_pk("tousu_complaint1"),
        out_of_scope=_pk("tousu_complaint2"),
        expect_out=expect_out,
    )


WORKERS = ["frontdesk", "butler2", "supervisor", "manager"]  # owner, handler, department head, reviewers
DISPATCHERS = ["frontdesk", "supervisor", "manager"]

ROWS = [
    page("complaints:list", RECEIVERS),
    page("complaints:intake", RECEIVERS),
    page("complaints:intake", RECEIVERS, status=400, method="post"),
    page("complaints:houses", RECEIVERS),
    page("complaints:review", REVIEWERS),
    page("complaints:review", REVIEWERS, status=302, method="post"),
    page("complaints:statistics", REVIEWERS),
    page("complaints:export", REVIEWERS),
    page("complaints:recurring", REVIEWERS),
    page("complaints:measures", RECEIVERS),
    page("complaints:settings", MANAGER),
    page("complaints:settings", MANAGER, status=400, method="post", data=lambda w: {"warn_percent": "150"}),
    page("complaints:book", RECEIVERS),
    page("complaints:book_search", RECEIVERS),
    page("complaints:book_new", REVIEWERS),
    page("complaints:book_new", REVIEWERS, status=400, method="post"),
    obj("complaints:book_revise", REVIEWERS, _pk("tousu_entry1"), _pk("tousu_entry2")),
    obj("complaints:book_history", RECEIVERS, _pk("tousu_entry1"), _pk("tousu_entry2")),
    obj("complaints:book_decide", MANAGER, _pk("tousu_entry1"), _pk("tousu_entry2"), status=302, method="post"),
    page("complaints:reception_list", REVIEWERS),
    page("complaints:reception_create", REVIEWERS),
    page("complaints:reception_create", REVIEWERS, status=400, method="post"),
    obj("complaints:reception_detail", REVIEWERS, _pk("tousu_reception1"), _pk("tousu_reception2")),
    obj(
        "complaints:reception_detail",
        REVIEWERS,
        _pk("tousu_reception1"),
        _pk("tousu_reception2"),
        status=400,
        method="post",
    ),
    obj("complaints:reception_print", REVIEWERS, _pk("tousu_reception1"), _pk("tousu_reception2")),
    _complaint_row("complaints:detail", [*READERS, "butler2"], 200, "get", out_butler3=200),
    _complaint_row("complaints:print", [*READERS, "butler2"], 200, "get", out_butler3=200),
    Row(
        "complaints:photo",
        {"anonymous": LOGIN, "admin": 200, "butler3": 404, **{a: 200 if a in READERS else 404 for a in C1}},
        kwargs=_pk("tousu_photo1"),
        out_of_scope=_pk("tousu_photo2"),
        expect_out={"admin": 200, "butler3": 200},
    ),
    _complaint_row("complaints:contact", WORKERS, 200, out_butler3=200),
    # Actions with a form: an empty form answers 400 to whoever may act.
    *[
        _complaint_row(f"complaints:{name}", allowed, 400, out_butler3=butler3)
        for name, allowed, butler3 in (
            ("dispatch", DISPATCHERS, 400),
            ("answer", WORKERS, 400),
            ("resolve", WORKERS, 400),
            ("return_visit", WORKERS, 400),
            ("pause", WORKERS, 400),
            ("note", WORKERS, 400),
            ("reassign", ["supervisor"], 403),
            ("validity", REVIEWERS, 403),
            ("void", REVIEWERS, 403),
            ("decide", MANAGER, 403),
        )
    ],
    # Actions without a form: a redirect whether the status allowed it or not.
    *[
        _complaint_row(f"complaints:{name}", allowed, 302, out_butler3=butler3)
        for name, allowed, butler3 in (
            ("start", WORKERS, 302),
            ("close", WORKERS, 302),
            ("resume", WORKERS, 302),
            ("review", REVIEWERS, 403),
            ("major", REVIEWERS, 403),
            ("sign_off", MANAGER, 403),
        )
    ],
]
