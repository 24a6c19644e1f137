"""Permission rows for visits. Community 1 objects are in scope (butler1's);
community 2 objects (butler3's) are out of scope."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from residents import services as archive
from tests.matrix import C1, LOGIN, STAFF, Row, obj, page
from visits import engine, passes, services, summaries, visitors
from visits.choices import Trigger
from visits.progress import Period

VISITORS = ["butler1", "butler2", "supervisor", "manager"]
REVIEWERS = ["supervisor", "manager"]
MANAGER = ["manager"]
SUPERVISOR = ["supervisor"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _visits(world, house, butler, reviewer, suffix):
    started = timezone.now() - dt.timedelta(hours=1)
    started = started.replace(hour=10) if timezone.localtime(started).hour < 8 else started
    visit = services.log_visit(
        house=house,
        actor=butler,
        started_at=started,
        channel="door",
        visit_type="routine",
        opinions=[("cleaning", "楼道需要清扫")],
        follow_ups=[{"description": "答复保洁排班", "due_at": timezone.now() + dt.timedelta(days=1)}],
        window_reason="矩阵测试",
        photos=[SimpleUploadedFile("p.png", PNG)],
    )
    rv = engine.raise_return_visit(Trigger.COMPLAINT_CLOSED, house=house, occurred_at=timezone.now(), note=suffix)
    today = timezone.localdate()
    plan = services.create_monthly_plan(
        community=house.community, owner=butler, year=today.year, month=today.month, houses=[house], actor=butler
    )
    return {
        f"visit{suffix}": visit,
        f"photo{suffix}": visit.photos.get(),
        f"follow_up{suffix}": visit.follow_ups.get(),
        f"return_visit{suffix}": rv,
        f"plan{suffix}": plan,
    }


def _summary(world, community, editor, manager, suffix):
    period = Period.of(timezone.localdate()).previous
    summary, _ = summaries.draft_summary(community, period)
    summaries.save_narrative(
        summary, actor=editor, analysis="分析", measures="", next_month_plan="", problems=["电梯等候时间长"]
    )
    letter = summaries.send_letter(
        community=community, actor=manager, subject="电梯更换", content="电梯老化", requested_action="请公司立项"
    )
    return {f"summary{suffix}": summary, f"problem{suffix}": summary.problems.get(), f"letter{suffix}": letter}


GOOD_ID = "11010519491231002X"


def _frontdesk(world, community, house, clerk, supervisor, suffix):
    entry = visitors.register_entry(
        community=community,
        actor=clerk,
        name="访客",
        id_type="resident_id",
        id_number=GOOD_ID,
        house=house,
        purpose="friend",
    )
    restriction = visitors.restrict_visitor(
        community=community, actor=supervisor, name="限制", reason="矩阵", mobile="13900000000"
    )
    owner = world[f"person{suffix}"]
    today = timezone.localdate()
    temporary_pass = passes.issue_pass(
        house=house, actor=clerk, requested_by=owner, guest_name="客人", valid_from=today, valid_to=today
    )
    permit = passes.issue_permit(house=house, actor=clerk, applicant=owner, items="沙发", gate="南门", valid_on=today)
    helper = archive.register_helper(
        house=house,
        actor=clerk,
        owner=owner,
        photo=SimpleUploadedFile("h.png", PNG),
        id_checked=True,
        name="家政",
        id_type="resident_id",
        id_number=GOOD_ID,
    )
    return {
        f"entry{suffix}": entry,
        f"restriction{suffix}": restriction,
        f"pass{suffix}": temporary_pass,
        f"permit{suffix}": permit,
        f"helper{suffix}": helper,
    }


def build_world(world):
    world.update(_visits(world, world["house1"], world["butler1"], world["supervisor"], "1"))
    world.update(_visits(world, world["house2"], world["butler3"], world["admin"], "2"))
    world.update(_summary(world, world["community"], world["supervisor"], world["manager"], "1"))
    world.update(_summary(world, world["community2"], world["admin"], world["admin"], "2"))
    world.update(_frontdesk(world, world["community"], world["house1"], world["frontdesk"], world["supervisor"], "1"))
    world.update(_frontdesk(world, world["community2"], world["house2"], world["admin"], world["admin"], "2"))


def _pk(name):
    return lambda w: {"pk": w[name].pk}


def _pair(name):
    return _pk(f"{name}1"), _pk(f"{name}2")


def _problem(suffix):
    return lambda w: {"pk": w[f"summary{suffix}"].pk, "problem_pk": w[f"problem{suffix}"].pk}


NARRATIVE = {"analysis": "分析", "problems": "电梯等候时间长", "measures": "", "next_month_plan": "", "action": "save"}


CLERKS = ["frontdesk", "supervisor", "manager"]
FRONTDESK_READERS = ["frontdesk", "supervisor", "manager", "butler1", "butler2"]


def _entry_row(method="get", status=200, data=None):
    """An entry is read by clerks and by the butler of its house's zone (butler1;
    butler3 for community 2's); another zone's butler gets 403; a POST needs a
    clerk. Out of scope, the lookup answers 404 before any role question."""
    readers = {"frontdesk", "supervisor", "manager"} | ({"butler1"} if method == "get" else set())
    expect = {"anonymous": LOGIN, "admin": status, "butler3": 404}
    expect.update({a: status if a in readers else 403 for a in C1})
    out = {a: 404 if a in FRONTDESK_READERS else 403 for a in C1}
    out.update(admin=status, butler3=status if method == "get" else 403)
    return Row(
        "visits:frontdesk_entry",
        expect,
        method=method,
        data=data,
        kwargs=_pk("entry1"),
        out_of_scope=_pk("entry2"),
        expect_out=out,
    )


def _plan_row():
    """A plan is its owner's and the reviewers': butler2 (another butler) gets 403."""
    expect = {"anonymous": LOGIN, "admin": 200, "butler1": 200, "supervisor": 200, "manager": 200}
    expect.update(butler2=403, frontdesk=403, tech1=403, finance=403, butler3=404)
    out = {a: 404 for a in STAFF} | {"frontdesk": 403, "tech1": 403, "finance": 403, "admin": 200, "butler3": 200}
    return Row("visits:plan_detail", expect, kwargs=_pk("plan1"), out_of_scope=_pk("plan2"), expect_out=out)


ROWS = [
    page("visits:today", VISITORS),
    page("visits:log", VISITORS),
    page("visits:log", VISITORS, status=400, method="post"),
    page("visits:draft_save", VISITORS, status=400, method="post"),
    page("visits:visit_list", VISITORS),
    page("visits:visit_export", VISITORS),
    page("visits:review", REVIEWERS),
    page("visits:confirm_list", VISITORS),
    page("visits:follow_up_list", VISITORS),
    page("visits:return_visit_list", VISITORS),
    page("visits:rainy_day", VISITORS, status=302, method="post"),
    page("visits:plan_list", VISITORS),
    page("visits:plan_propose", VISITORS, status=302, method="post"),
    page("visits:policy", MANAGER),
    page("visits:policy", MANAGER, status=400, method="post", data=lambda w: {"coverage_mode": "nonsense"}),
    obj("visits:visit_detail", VISITORS, *_pair("visit")),
    obj("visits:photo", VISITORS, *_pair("photo")),
    obj("visits:review_decide", REVIEWERS, *_pair("visit"), status=302, method="post"),
    obj("visits:confirm", VISITORS, *_pair("visit"), status=302, method="post"),
    obj("visits:follow_up_close", VISITORS, *_pair("follow_up"), status=302, method="post"),
    _plan_row(),
    page("visits:coverage", VISITORS),
    page("visits:summary_list", VISITORS),
    page("visits:summary_generate", SUPERVISOR, status=302, method="post"),
    page("visits:summary_company", []),
    obj("visits:summary_detail", VISITORS, *_pair("summary")),
    obj("visits:summary_edit", SUPERVISOR, *_pair("summary")),
    obj("visits:summary_edit", SUPERVISOR, *_pair("summary"), status=302, method="post", data=lambda w: NARRATIVE),
    obj("visits:summary_recompute", SUPERVISOR, *_pair("summary"), status=302, method="post"),
    # A refused decision draws the review page again with what was typed (400).
    obj("visits:summary_decide", MANAGER, *_pair("summary"), status=400, method="post"),
    obj("visits:summary_problem_decide", MANAGER, _problem("1"), _problem("2"), status=400, method="post"),
    obj("visits:summary_records", VISITORS, *_pair("summary"), data=lambda w: {"kind": "visits"}),
    obj("visits:summary_print", REVIEWERS, *_pair("summary")),
    obj("visits:summary_export", REVIEWERS, *_pair("summary")),
    page("visits:letter_list", REVIEWERS),
    page("visits:letter_create", MANAGER),
    page("visits:letter_create", MANAGER, status=400, method="post"),
    obj("visits:letter_detail", REVIEWERS, *_pair("letter")),
    obj(
        "visits:letter_detail",
        REVIEWERS,
        *_pair("letter"),
        status=302,
        method="post",
        data=lambda w: {"action": "close"},
    ),
    page("visits:frontdesk_board", FRONTDESK_READERS),
    page("visits:frontdesk_register", CLERKS),
    page("visits:frontdesk_register", CLERKS, status=400, method="post"),
    page("visits:frontdesk_lookup", CLERKS),
    page("visits:frontdesk_houses", CLERKS),
    _entry_row(),
    _entry_row(method="post", status=302, data=lambda w: {"action": "nonsense"}),
    obj("visits:frontdesk_exit", CLERKS, *_pair("entry"), status=302, method="post"),
    page("visits:frontdesk_watchlist", CLERKS),
    page("visits:frontdesk_watchlist", REVIEWERS, status=400, method="post"),
    obj("visits:frontdesk_lift", REVIEWERS, *_pair("restriction"), status=302, method="post"),
    page("visits:frontdesk_settings", MANAGER),
    page("visits:frontdesk_settings", MANAGER, status=400, method="post"),
    page("visits:frontdesk_statistics", CLERKS),
    page("visits:frontdesk_export", CLERKS, status=400),
    page("visits:frontdesk_passes", CLERKS),
    page("visits:frontdesk_pass_create", CLERKS),
    page("visits:frontdesk_pass_create", CLERKS, status=302, method="post"),
    page("visits:frontdesk_pass_check", CLERKS),
    obj("visits:frontdesk_pass", CLERKS, *_pair("pass")),
    obj("visits:frontdesk_pass", CLERKS, *_pair("pass"), status=302, method="post"),
    page("visits:frontdesk_permits", CLERKS),
    page("visits:frontdesk_permit_create", CLERKS),
    page("visits:frontdesk_permit_create", CLERKS, status=302, method="post"),
    obj("visits:frontdesk_permit", CLERKS, *_pair("permit")),
    obj("visits:frontdesk_permit", CLERKS, *_pair("permit"), status=302, method="post"),
    page("visits:frontdesk_helpers", CLERKS),
    page("visits:frontdesk_helper_create", CLERKS),
    page("visits:frontdesk_helper_create", CLERKS, status=302, method="post"),
    obj("visits:frontdesk_helper_photo", CLERKS, *_pair("helper")),
    obj("visits:frontdesk_helper_pass", CLERKS, *_pair("helper")),
]
