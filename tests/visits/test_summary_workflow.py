"""The monthly summary goes draft → narrative → submitted → (a decision on each
problem) → approved, or returned with a comment → resubmitted (SPEC §2.4 [002]).
The supervisor writes and submits, the manager decides and approves, a company
admin may do either, nobody of another community may do anything. Matters beyond
the manager go to the company as a 《工作联系函》: sent → replied (company admin) →
closed (manager)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.choices import Role
from core.models import Reminder
from tests.factories import CompanyFactory, make_company_admin, make_staff
from tests.visits.conftest import at, inbox, make_houses
from visits import figures, services, summaries
from visits.choices import LetterStatus, ProblemDecision, SummaryAction, SummaryStatus
from visits.models import MonthlySummary, SummaryProblem, WorkLetter
from visits.progress import Period

OCTOBER = Period(2026, 10)
NARRATIVE = {"analysis": "本月走访正常", "measures": "加强巡查", "next_month_plan": "回访重点户"}
LETTER = {"subject": "外墙渗水", "content": "3栋外墙渗水，需公司维修基金", "requested_action": "请公司批准动用维修基金"}


@pytest.fixture
def houses(community, manager, butler1, butler2):
    return make_houses(community, "1", actor=manager, butler=butler1, rooms=3) + make_houses(
        community, "2", actor=manager, butler=butler2, rooms=2
    )


def _visit(house, actor, day):
    started = at(2026, 10, day, 10)
    return services.log_visit(
        house=house,
        actor=actor,
        started_at=started,
        channel="door",
        visit_type="routine",
        opinions=[("cleaning", "楼道卫生")],
        now=started + dt.timedelta(hours=1),
    )


@pytest.fixture
def summary(clock, community, houses, butler1, butler2, supervisor, manager, company_admin, butler3):
    """October's summary, drafted on 2 November: three visits to two households."""
    _visit(houses[0], butler1, 9)
    _visit(houses[0], butler1, 16)
    _visit(houses[3], butler2, 20)
    return summaries.draft_summary(community, OCTOBER)[0]


def _write(summary, actor, problems=("楼道卫生反复被投诉", "3栋外墙渗水")):
    return summaries.save_narrative(summary, actor=actor, problems=list(problems), **NARRATIVE)


@pytest.fixture
def submitted(summary, supervisor, clock):
    _write(summary, supervisor)
    clock.set(2026, 11, 4, 15)
    return summaries.submit_summary(summary, actor=supervisor)


def _problems(summary):
    return list(SummaryProblem.objects.filter(summary=summary).order_by("position"))


def _events(summary):
    return list(summary.events.order_by("pk").values_list("action", "actor__username", "comment"))


def _status(summary):
    return MonthlySummary.objects.get(pk=summary.pk).status


# --- drafting ------------------------------------------------------------------------


def test_the_draft_holds_the_months_figures_and_is_made_once(summary, community, supervisor):
    assert summary.status == SummaryStatus.DRAFT
    assert summary.round == 0
    assert summary.figures == figures.compute(community, OCTOBER)
    assert summary.figures["visits"]["total"] == 3
    assert summary.submit_due_at == at(2026, 11, 5, 23, 59, 59)
    assert _events(summary) == [(SummaryAction.DRAFTED, None, "系统自动生成")]
    assert summaries.draft_summary(community, OCTOBER) == (summary, False)
    assert MonthlySummary.objects.count() == 1
    assert inbox(supervisor, "visits.summary_drafted") == [f"{summary} 草稿已生成，请补充分析并于 11月05日 前提交。"]


# --- the supervisor's narrative ------------------------------------------------------


def test_supervisor_writes_the_narrative_and_problems(summary, supervisor):
    summary = _write(summary, supervisor, problems=[" 楼道卫生反复被投诉 ", "", "  ", "3栋外墙渗水"])
    summary.refresh_from_db()
    assert (summary.analysis, summary.measures, summary.next_month_plan) == ("本月走访正常", "加强巡查", "回访重点户")
    assert [(p.position, p.description) for p in _problems(summary)] == [(0, "楼道卫生反复被投诉"), (1, "3栋外墙渗水")]
    assert summary.history.first().history_user == supervisor
    assert _events(summary)[-1] == (SummaryAction.EDITED, "supervisor", "")


def test_rewriting_drops_removed_problems(summary, supervisor):
    _write(summary, supervisor, problems=["甲", "乙", "丙"])
    _write(summary, supervisor, problems=["甲", "丙"])
    assert [p.description for p in _problems(summary)] == ["甲", "丙"]


@pytest.mark.parametrize("who", ["butler1", "manager", "butler3"])
def test_only_the_supervisor_writes_submits_and_recomputes(request, summary, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        _write(summary, actor)
    with pytest.raises(PermissionDenied):
        summaries.submit_summary(summary, actor=actor)
    with pytest.raises(PermissionDenied):
        summaries.recompute_summary(summary, actor=actor)
    summary.refresh_from_db()
    assert (summary.status, summary.analysis, summary.problems.count()) == (SummaryStatus.DRAFT, "", 0)
    assert [action for action, *_ in _events(summary)] == [SummaryAction.DRAFTED]


def test_a_company_admin_may_write_and_submit(summary, company_admin):
    _write(summary, company_admin)
    summary = summaries.submit_summary(summary, actor=company_admin)
    assert (summary.status, summary.submitted_by) == (SummaryStatus.SUBMITTED, company_admin)


def test_the_narrative_cannot_change_the_figures(summary, supervisor, houses, butler2):
    before = summary.figures
    _visit(houses[4], butler2, 25)  # a new record after the draft
    with pytest.raises(TypeError):
        summaries.save_narrative(summary, actor=supervisor, problems=[], figures={"visits": {"total": 99}}, **NARRATIVE)
    _write(summary, supervisor)
    summary.refresh_from_db()
    assert summary.figures == before
    assert summary.figures["visits"]["total"] == 3


# --- recomputing ---------------------------------------------------------------------


def test_recompute_refreshes_the_figures_and_logs_what_changed(summary, supervisor, houses, butler2, clock):
    _visit(houses[4], butler2, 25)
    clock.set(2026, 11, 3, 9)
    summary = summaries.recompute_summary(summary, actor=supervisor)
    assert summary.figures["visits"]["total"] == 4
    assert summary.computed_at == at(2026, 11, 3, 9)
    assert summary.history.first().history_user == supervisor
    # 5 occupied households: 2 visited → 3; a new opinion; 3 never visited → 2
    assert _events(summary)[-1] == (
        SummaryAction.RECOMPUTED,
        "supervisor",
        "访问记录 3→4；已访问住户 2→3；业主意见 3→4；本轮未访问 3→2",
    )
    summaries.recompute_summary(summary, actor=supervisor)
    assert _events(summary)[-1] == (SummaryAction.RECOMPUTED, "supervisor", "数据无变化")


def test_no_recompute_after_submission(submitted, supervisor, houses, butler2):
    before = submitted.figures
    _visit(houses[4], butler2, 25)
    with pytest.raises(ValidationError, match="已提交或已批准的总结不能重新计算数据"):
        summaries.recompute_summary(submitted, actor=supervisor)
    submitted.refresh_from_db()
    assert submitted.figures == before


# --- submitting ----------------------------------------------------------------------


def test_submitting_needs_the_analysis(summary, supervisor):
    summaries.save_narrative(summary, actor=supervisor, analysis="  ", measures="", next_month_plan="", problems=[])
    with pytest.raises(ValidationError, match="请先填写访问情况分析再提交"):
        summaries.submit_summary(summary, actor=supervisor)
    assert _status(summary) == SummaryStatus.DRAFT


def test_submitting_starts_the_managers_two_working_days(submitted, supervisor, manager):
    assert submitted.status == SummaryStatus.SUBMITTED
    assert submitted.round == 1
    assert (submitted.submitted_by, submitted.submitted_at) == (supervisor, at(2026, 11, 4, 15))
    assert submitted.first_submitted_at == at(2026, 11, 4, 15)
    assert submitted.approval_due_at == at(2026, 11, 6, 23, 59, 59)  # Wednesday → Friday
    assert submitted.history.first().history_user == supervisor
    assert inbox(manager, "visits.summary_submitted") == [f"{submitted} 已提交，请于 11月06日 前审批。"]


def test_a_submitted_summary_is_not_edited_or_submitted_again(submitted, supervisor):
    with pytest.raises(ValidationError, match="总结已提交，不能修改"):
        _write(submitted, supervisor, problems=["别的问题"])
    with pytest.raises(ValidationError, match="总结已提交"):
        summaries.submit_summary(submitted, actor=supervisor)
    assert [p.description for p in _problems(submitted)] == ["楼道卫生反复被投诉", "3栋外墙渗水"]
    assert MonthlySummary.objects.get(pk=submitted.pk).round == 1


# --- the manager's decisions ---------------------------------------------------------


def test_approval_waits_for_a_decision_on_every_problem(submitted, manager, supervisor, clock):
    first, second = _problems(submitted)
    with pytest.raises(ValidationError, match="请先对每个问题作出处理决定"):
        summaries.decide_summary(submitted, actor=manager, approve=True)
    summaries.decide_problem(first, actor=manager, decision=ProblemDecision.HANDLE, note="保洁加派一人")
    with pytest.raises(ValidationError, match="请先对每个问题作出处理决定"):
        summaries.decide_summary(submitted, actor=manager, approve=True)
    assert _status(submitted) == SummaryStatus.SUBMITTED

    summaries.decide_problem(second, actor=manager, decision=ProblemDecision.NOTED, note="")
    clock.set(2026, 11, 5, 10)
    summary = summaries.decide_summary(submitted, actor=manager, approve=True)
    assert (summary.status, summary.decided_by, summary.decided_at) == (
        SummaryStatus.APPROVED,
        manager,
        at(2026, 11, 5, 10),
    )
    assert summary.history.first().history_user == manager
    first.refresh_from_db()
    assert (first.decision, first.decision_note, first.decided_by) == ("handle", "保洁加派一人", manager)
    assert inbox(supervisor, "visits.summary_decided") == [f"{summary} 已批准。"]
    assert [action for action, *_ in _events(summary)][-3:] == ["decided", "decided", "approved"]


def test_handling_a_problem_needs_a_measure(submitted, manager):
    problem = _problems(submitted)[0]
    with pytest.raises(ValidationError, match="请写明处理措施"):
        summaries.decide_problem(problem, actor=manager, decision=ProblemDecision.HANDLE, note=" ")
    with pytest.raises(ValidationError, match="请选择处理决定"):
        summaries.decide_problem(problem, actor=manager, decision="maybe", note="x")
    problem.refresh_from_db()
    assert problem.decision == ""


def test_problems_are_decided_only_on_a_submitted_summary(summary, supervisor, manager):
    _write(summary, supervisor)
    with pytest.raises(ValidationError, match="只能对待审批的总结作出处理决定"):
        summaries.decide_problem(_problems(summary)[0], actor=manager, decision=ProblemDecision.NOTED, note="")
    with pytest.raises(ValidationError, match="只有待审批的总结可以审批"):
        summaries.decide_summary(summary, actor=manager, approve=True)


@pytest.mark.parametrize("who", ["butler1", "supervisor", "butler3"])
def test_only_the_manager_decides_and_approves(request, submitted, who):
    actor = request.getfixturevalue(who)
    problem = _problems(submitted)[0]
    with pytest.raises(PermissionDenied):
        summaries.decide_problem(problem, actor=actor, decision=ProblemDecision.NOTED, note="")
    with pytest.raises(PermissionDenied):
        summaries.decide_summary(submitted, actor=actor, approve=False, comment="退回")
    problem.refresh_from_db()
    assert (problem.decision, _status(submitted)) == ("", SummaryStatus.SUBMITTED)


def test_a_company_admin_may_decide_and_approve(submitted, company_admin):
    for problem in _problems(submitted):
        summaries.decide_problem(problem, actor=company_admin, decision=ProblemDecision.NOTED, note="")
    assert summaries.decide_summary(submitted, actor=company_admin, approve=True).status == SummaryStatus.APPROVED


def test_an_approved_summary_is_final(submitted, manager, supervisor):
    for problem in _problems(submitted):
        summaries.decide_problem(problem, actor=manager, decision=ProblemDecision.NOTED, note="")
    summaries.decide_summary(submitted, actor=manager, approve=True)
    with pytest.raises(ValidationError):
        summaries.decide_summary(submitted, actor=manager, approve=False, comment="再看看")
    with pytest.raises(ValidationError):
        _write(submitted, supervisor)
    with pytest.raises(ValidationError):
        summaries.recompute_summary(submitted, actor=supervisor)
    assert _status(submitted) == SummaryStatus.APPROVED


# --- returning and resubmitting ------------------------------------------------------


def test_returning_needs_a_comment(submitted, manager):
    with pytest.raises(ValidationError, match="退回时请写明意见"):
        summaries.decide_summary(submitted, actor=manager, approve=False, comment="  ")
    assert _status(submitted) == SummaryStatus.SUBMITTED


def test_returned_summary_is_revised_and_resubmitted_in_a_new_round(submitted, manager, supervisor, clock):
    clock.set(2026, 11, 5, 10)
    returned = summaries.decide_summary(submitted, actor=manager, approve=False, comment="请补充原因分析")
    assert (returned.status, returned.decision_comment) == (SummaryStatus.RETURNED, "请补充原因分析")
    assert returned.submit_due_at == at(2026, 11, 9, 23, 59, 59)  # Thursday + 2 working days → Monday
    assert inbox(supervisor, "visits.summary_decided") == [f"{returned} 被退回：请补充原因分析"]

    _write(returned, supervisor, problems=["楼道卫生反复被投诉", "3栋外墙渗水", "绿化养护不到位"])
    clock.set(2026, 11, 6, 16)
    again = summaries.submit_summary(returned, actor=supervisor)
    assert (again.status, again.round) == (SummaryStatus.SUBMITTED, 2)
    assert again.submitted_at == at(2026, 11, 6, 16)
    assert again.first_submitted_at == at(2026, 11, 4, 15)
    assert again.approval_due_at == at(2026, 11, 10, 23, 59, 59)  # Friday + 2 working days → Tuesday
    assert _events(again)[-1] == (SummaryAction.SUBMITTED, "supervisor", "重新提交")
    assert len(inbox(manager, "visits.summary_submitted")) == 2  # each round is announced


def test_a_changed_problem_loses_its_earlier_decision(submitted, manager, supervisor):
    first, second = _problems(submitted)
    summaries.decide_problem(first, actor=manager, decision=ProblemDecision.HANDLE, note="加派保洁")
    summaries.decide_problem(second, actor=manager, decision=ProblemDecision.HANDLE, note="安排维修")
    summaries.decide_summary(submitted, actor=manager, approve=False, comment="请细化")
    _write(submitted, supervisor, problems=["楼道卫生反复被投诉", "3栋外墙渗水（已蔓延至5层）"])
    first.refresh_from_db()
    assert (first.decision, first.decided_by) == ("handle", manager)
    reworded = summaries.SummaryProblem.objects.get(summary=submitted, description="3栋外墙渗水（已蔓延至5层）")
    assert (reworded.decision, reworded.decision_note, reworded.decided_by) == ("", "", None)


# --- escalation: 《工作联系函》 ---------------------------------------------------------


def test_escalating_a_problem_sends_a_numbered_letter(submitted, manager, company_admin, clock):
    clock.set(2026, 11, 5, 10)
    problem = _problems(submitted)[1]
    summaries.decide_problem(problem, actor=manager, decision=ProblemDecision.ESCALATE, note="", letter=LETTER)
    letter = WorkLetter.objects.get()
    assert letter.number == "YGHY-LXH-2026-001"
    assert (letter.problem, letter.sent_by, letter.status) == (problem, manager, LetterStatus.SENT)
    assert (letter.subject, letter.requested_action) == ("外墙渗水", "请公司批准动用维修基金")
    assert letter.sent_at == at(2026, 11, 5, 10)
    assert letter.reply_due_at == at(2026, 11, 12, 23, 59, 59)  # 5 working days
    assert letter.history.first().history_user == manager
    assert inbox(company_admin, "visits.letter_sent") == [
        "阳光花园 报送工作联系函 YGHY-LXH-2026-001：外墙渗水，请于 11月12日 前回复。"
    ]
    problem.refresh_from_db()
    assert problem.decision == ProblemDecision.ESCALATE


def test_letters_are_numbered_per_community_and_year(submitted, community2, manager, company_admin, clock):
    first, second = _problems(submitted)
    summaries.decide_problem(first, actor=manager, decision=ProblemDecision.ESCALATE, note="", letter=LETTER)
    summaries.decide_problem(second, actor=manager, decision=ProblemDecision.ESCALATE, note="", letter=LETTER)
    manager2 = make_staff("manager2", community2, Role.MANAGER)
    summaries.send_letter(community=community2, actor=manager2, **LETTER)
    clock.set(2027, 1, 4, 10)
    summaries.send_letter(community=submitted.community, actor=manager, **LETTER)
    assert sorted(WorkLetter.objects.values_list("number", flat=True)) == [
        "CHY-LXH-2026-001",
        "YGHY-LXH-2026-001",
        "YGHY-LXH-2026-002",
        "YGHY-LXH-2027-001",
    ]


def test_escalating_needs_the_letter(submitted, manager):
    problem = _problems(submitted)[0]
    with pytest.raises(ValidationError, match="上报公司时请填写工作联系函"):
        summaries.decide_problem(problem, actor=manager, decision=ProblemDecision.ESCALATE, note="报公司")
    with pytest.raises(ValidationError, match="请填写主题、事由和请求事项"):
        summaries.decide_problem(
            problem, actor=manager, decision=ProblemDecision.ESCALATE, note="", letter={**LETTER, "subject": " "}
        )
    problem.refresh_from_db()
    assert problem.decision == ""
    assert not WorkLetter.objects.exists()


def test_an_escalated_problem_stays_escalated(submitted, manager, supervisor):
    problem = _problems(submitted)[0]
    summaries.decide_problem(problem, actor=manager, decision=ProblemDecision.ESCALATE, note="", letter=LETTER)
    with pytest.raises(ValidationError, match="该问题已上报工作联系函"):
        summaries.decide_problem(problem, actor=manager, decision=ProblemDecision.NOTED, note="")
    # deciding "escalate" again updates the note and sends no second letter
    summaries.decide_problem(problem, actor=manager, decision=ProblemDecision.ESCALATE, note="催办", letter=LETTER)
    summaries.decide_summary(submitted, actor=manager, approve=False, comment="请补充")
    with pytest.raises(ValidationError, match="已上报工作联系函，不能修改或删除"):
        _write(submitted, supervisor, problems=["改过的问题", "3栋外墙渗水"])
    with pytest.raises(ValidationError, match="已上报工作联系函，不能修改或删除"):
        _write(submitted, supervisor, problems=[])
    assert [p.description for p in _problems(submitted)] == ["楼道卫生反复被投诉", "3栋外墙渗水"]
    assert WorkLetter.objects.count() == 1


# --- the letter's life: sent → replied → closed ---------------------------------------


@pytest.fixture
def letter(clock, community, manager, supervisor, company_admin, butler3):
    clock.set(2026, 11, 2, 10)
    return summaries.send_letter(community=community, actor=manager, **LETTER)


def test_only_the_manager_sends_a_letter(community, supervisor, butler1, butler3, clock):
    for actor in (supervisor, butler1, butler3):
        with pytest.raises(PermissionDenied):
            summaries.send_letter(community=community, actor=actor, **LETTER)
    assert not WorkLetter.objects.exists()


def test_only_a_company_admin_of_the_company_replies(letter, manager, supervisor):
    other_admin = make_company_admin("admin2", CompanyFactory(name="别的物业公司"))
    for actor in (manager, supervisor, other_admin):
        with pytest.raises(PermissionDenied, match="只有公司管理员可以回复工作联系函"):
            summaries.reply_letter(letter, actor=actor, reply="同意")
    letter.refresh_from_db()
    assert (letter.status, letter.reply) == (LetterStatus.SENT, "")


def test_reply_reminds_the_sender(letter, company_admin, manager, clock):
    with pytest.raises(ValidationError, match="请填写回复内容"):
        summaries.reply_letter(letter, actor=company_admin, reply=" ")
    clock.set(2026, 11, 4, 11)
    letter = summaries.reply_letter(letter, actor=company_admin, reply="同意动用维修基金")
    assert (letter.status, letter.replied_by, letter.replied_at) == (
        LetterStatus.REPLIED,
        company_admin,
        at(2026, 11, 4, 11),
    )
    assert letter.history.first().history_user == company_admin
    assert inbox(manager, "visits.letter_replied") == [f"公司已回复工作联系函 {letter.number}：外墙渗水"]
    with pytest.raises(ValidationError, match="该联系函已回复"):
        summaries.reply_letter(letter, actor=company_admin, reply="再次回复")


def test_the_manager_closes_after_the_reply(letter, manager, supervisor, butler3, company_admin, clock):
    with pytest.raises(ValidationError, match="公司回复后才能办结"):
        summaries.close_letter(letter, actor=manager, note="")
    summaries.reply_letter(letter, actor=company_admin, reply="同意")
    for actor in (supervisor, butler3):
        with pytest.raises(PermissionDenied):
            summaries.close_letter(letter, actor=actor)
    assert WorkLetter.objects.get(pk=letter.pk).status == LetterStatus.REPLIED
    clock.set(2026, 11, 6, 9)
    letter = summaries.close_letter(letter, actor=manager, note=" 已完成维修 ")
    assert (letter.status, letter.closed_by, letter.closed_at, letter.close_note) == (
        LetterStatus.CLOSED,
        manager,
        at(2026, 11, 6, 9),
        "已完成维修",
    )
    assert letter.history.first().history_user == manager
    with pytest.raises(ValidationError):
        summaries.close_letter(letter, actor=manager)


def test_sending_reminds_the_company_admins_once_each(letter, company_admin):
    assert Reminder.objects.filter(kind="visits.letter_sent").count() == 1
    assert inbox(company_admin, "visits.letter_sent") == [
        "阳光花园 报送工作联系函 YGHY-LXH-2026-001：外墙渗水，请于 11月09日 前回复。"
    ]


def test_moving_a_problem_keeps_its_decision(submitted, manager, supervisor):
    first, second = _problems(submitted)
    summaries.decide_problem(second, actor=manager, decision=ProblemDecision.HANDLE, note="本周维修")
    summaries.decide_summary(submitted, actor=manager, approve=False, comment="请调整顺序")
    _write(submitted, supervisor, problems=[second.description, first.description, "新发现：路灯不亮"])
    moved = {p.description: p.decision for p in _problems(submitted)}
    assert [p.description for p in _problems(submitted)] == [second.description, first.description, "新发现：路灯不亮"]
    assert moved == {second.description: ProblemDecision.HANDLE, first.description: "", "新发现：路灯不亮": ""}


def test_nobody_approves_their_own_submission_except_a_company_admin(houses, community, supervisor, company_admin):
    from core.models import Membership

    Membership.objects.create(user=supervisor, community=community, role="manager")
    summary = summaries.draft_summary(community, OCTOBER)[0]
    summaries.save_narrative(summary, actor=supervisor, problems=[], **NARRATIVE)
    summaries.submit_summary(summary, actor=supervisor)
    with pytest.raises(PermissionDenied, match="不能审批本人提交的总结"):
        summaries.decide_summary(summary, actor=supervisor, approve=True)
    assert summaries.decide_summary(summary, actor=company_admin, approve=True).status == SummaryStatus.APPROVED
