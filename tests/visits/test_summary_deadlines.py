"""Deadlines and reminder jobs of the monthly summary (SPEC §2.4, §7), on literal
Asia/Shanghai dates of 2026: the supervisor submits by the 5th (the next working
day when the 5th is not one), the manager approves within 2 working days, the
official holidays and make-up workdays count. Each job reminds once, whether it
runs twice or on two workers at once."""

import datetime as dt
import threading

import pytest
from django.utils import timezone

from core.models import Reminder
from tests.concurrency import run_in_threads
from tests.visits.conftest import at, inbox, make_houses
from visits import figures, progress, services, summaries
from visits.choices import CoverageMode
from visits.models import MonthlySummary, VisitPolicy
from visits.progress import Period

NARRATIVE = {"analysis": "本月走访正常", "measures": "", "next_month_plan": "", "problems": []}
LETTER = {"subject": "外墙渗水", "content": "3栋外墙渗水", "requested_action": "请公司批准维修"}


def _draft(community, period, clock):
    following = period.following
    clock.set(following.year, following.month, 2, 6)
    return summaries.draft_summary(community, period)[0]


def _submit(summary, supervisor, clock, *when):
    summaries.save_narrative(summary, actor=supervisor, **NARRATIVE)
    clock.set(*when)
    return summaries.submit_summary(summary, actor=supervisor)


# --- the submission deadline -----------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "deadline"),
    [
        (Period(2026, 10), at(2026, 11, 5, 23, 59, 59)),  # a Thursday: the 5th itself
        (Period(2026, 9), at(2026, 10, 8, 23, 59, 59)),  # the 5th is inside the National Day week
        (Period(2026, 8), at(2026, 9, 7, 23, 59, 59)),  # the 5th is a Saturday
    ],
)
def test_submit_deadline_is_the_5th_or_the_next_working_day(db, period, deadline):
    assert summaries.submit_deadline(period) == deadline


def test_the_5th_of_november_2026_is_a_thursday(db):
    assert timezone.localtime(summaries.submit_deadline(Period(2026, 10))).date().isoweekday() == 4


def test_the_draft_carries_the_submit_deadline(community, supervisor, clock):
    assert _draft(community, Period(2026, 9), clock).submit_due_at == at(2026, 10, 8, 23, 59, 59)


# --- the approval deadline: 2 working days, the day of submission not counted ---------------


@pytest.mark.parametrize(
    ("submitted", "due"),
    [
        # Wednesday before the National Day week: the 8th and the 9th are the two working days.
        ((2026, 9, 30, 10), at(2026, 10, 9, 23, 59, 59)),
        # Friday 07:30 (still the 8th in UTC): Saturday the 10th is a make-up workday, Sunday is not.
        ((2026, 10, 9, 7, 30), at(2026, 10, 12, 23, 59, 59)),
        # Friday: Sunday the 20th is a make-up workday.
        ((2026, 9, 18, 15), at(2026, 9, 21, 23, 59, 59)),
        # Submitted during the holiday: the 8th and the 9th.
        ((2026, 10, 3, 10), at(2026, 10, 9, 23, 59, 59)),
        # An ordinary Friday: Monday and Tuesday.
        ((2026, 11, 6, 16), at(2026, 11, 10, 23, 59, 59)),
    ],
)
def test_approval_is_due_two_working_days_after_submission(community, supervisor, manager, clock, submitted, due):
    summary = _draft(community, Period(2026, 8), clock)
    assert _submit(summary, supervisor, clock, *submitted).approval_due_at == due


def test_a_returned_summary_is_due_again_two_working_days_later(community, supervisor, manager, clock):
    summary = _submit(_draft(community, Period(2026, 8), clock), supervisor, clock, 2026, 9, 7, 10)
    clock.set(2026, 9, 30, 16)
    returned = summaries.decide_summary(summary, actor=manager, approve=False, comment="请补充")
    assert returned.submit_due_at == at(2026, 10, 9, 23, 59, 59)


# --- reminders and escalation of the summary ----------------------------------------------


@pytest.fixture
def october(community, supervisor, manager, company_admin, clock):
    """October's summary, drafted on 2 November: due Thursday 5 November."""
    return _draft(community, Period(2026, 10), clock)


def _remind(*when):
    return summaries.remind_summaries(now=at(*when))


def test_submission_is_reminded_the_day_before_and_on_the_day(october, supervisor, manager, company_admin):
    assert _remind(2026, 11, 3, 10) == 0
    assert _remind(2026, 11, 4, 10) == 1
    assert _remind(2026, 11, 4, 15) == 0
    assert inbox(supervisor, "visits.summary_submit_eve") == [f"{october} 须于明天（11月05日）前提交。"]
    assert _remind(2026, 11, 5, 9) == 1
    assert _remind(2026, 11, 5, 23, 59) == 0
    assert inbox(supervisor, "visits.summary_submit_day") == [f"{october} 须于今天（11月05日）前提交。"]
    assert inbox(manager, "visits.summary_submit_eve") + inbox(manager, "visits.summary_submit_day") == []


def test_a_late_submission_is_escalated_to_the_manager_once(october, supervisor, manager, company_admin):
    assert _remind(2026, 11, 6, 0, 30) == 2
    assert _remind(2026, 11, 6, 10) == 0
    assert _remind(2026, 11, 9, 10) == 0
    text = f"{october} 已超过提交期限（11月05日），尚未提交。"
    assert inbox(supervisor, "visits.summary_submit_overdue") == [text]
    assert inbox(manager, "visits.summary_submit_overdue") == [text]
    assert Reminder.objects.filter(recipient=company_admin).count() == 0


def test_the_eve_of_a_monday_deadline_is_the_friday(community, supervisor, manager, company_admin, clock):
    summary = _draft(community, Period(2026, 8), clock)
    assert summary.submit_due_at == at(2026, 9, 7, 23, 59, 59)
    assert _remind(2026, 9, 4, 10) == 1
    assert _remind(2026, 9, 5, 10) == 0
    assert _remind(2026, 9, 6, 10) == 0
    assert _remind(2026, 9, 7, 10) == 1
    assert len(inbox(supervisor, "visits.summary_submit_eve")) == 1


def test_approval_is_reminded_then_escalated_to_the_company_admins(october, supervisor, manager, company_admin, clock):
    _submit(october, supervisor, clock, 2026, 11, 4, 15)  # due Friday 6 November
    assert _remind(2026, 11, 5, 10) == 1
    assert _remind(2026, 11, 5, 11) == 0
    assert inbox(manager, "visits.summary_approve_eve") == [f"{october} 须于明天（11月06日）前审批。"]
    assert _remind(2026, 11, 6, 10) == 1
    assert inbox(manager, "visits.summary_approve_day") == [f"{october} 须于今天（11月06日）前审批。"]
    assert _remind(2026, 11, 7, 0, 30) == 2
    assert _remind(2026, 11, 7, 10) == 0
    text = f"{october} 已超过审批期限（11月06日），尚未审批。"
    assert inbox(manager, "visits.summary_approve_overdue") == [text]
    assert inbox(company_admin, "visits.summary_approve_overdue") == [text]
    # The submission stage is over: no submission reminder on its old deadline.
    assert inbox(supervisor, "visits.summary_submit_day") == []
    assert inbox(supervisor, "visits.summary_approve_overdue") == []


def test_the_eve_of_an_approval_after_the_holiday_is_the_make_up_saturday(
    community, supervisor, manager, company_admin, clock
):
    summary = _submit(_draft(community, Period(2026, 9), clock), supervisor, clock, 2026, 10, 9, 10)
    assert summary.approval_due_at == at(2026, 10, 12, 23, 59, 59)
    assert _remind(2026, 10, 9, 16) == 0
    assert _remind(2026, 10, 10, 10) == 1  # Saturday, a make-up workday
    assert _remind(2026, 10, 11, 10) == 0
    assert _remind(2026, 10, 12, 10) == 1
    assert _remind(2026, 10, 13, 0, 30) == 2


def test_an_approved_summary_is_not_reminded(october, supervisor, manager, company_admin, clock):
    _submit(october, supervisor, clock, 2026, 11, 4, 15)
    summaries.decide_summary(october, actor=manager, approve=True)
    assert _remind(2026, 11, 5, 10) + _remind(2026, 11, 6, 10) + _remind(2026, 11, 9, 10) == 0


def test_a_returned_summary_is_reminded_afresh(october, supervisor, manager, company_admin, clock):
    assert _remind(2026, 11, 4, 10) == 1  # round 0: eve of the 5th
    _submit(october, supervisor, clock, 2026, 11, 4, 15)
    clock.set(2026, 11, 5, 10)
    summaries.decide_summary(october, actor=manager, approve=False, comment="请补充")  # due Monday the 9th
    assert _remind(2026, 11, 6, 10) == 1  # round 1: eve of the 9th, a Friday
    assert _remind(2026, 11, 10, 0, 30) == 2
    assert len(inbox(supervisor, "visits.summary_submit_eve")) == 2
    assert inbox(manager, "visits.summary_submit_overdue") == [f"{october} 已超过提交期限（11月09日），尚未提交。"]


@pytest.mark.postgres
def test_two_workers_remind_once(transactional_db, community, supervisor, manager, company_admin, clock, monkeypatch):
    october = _draft(community, Period(2026, 10), clock)
    _submit(october, supervisor, clock, 2026, 11, 4, 15)
    barrier = threading.Barrier(2, timeout=10)
    original = summaries.raise_reminder

    def held(**kwargs):
        barrier.wait()  # both workers have found the same overdue step and are about to insert
        return original(**kwargs)

    monkeypatch.setattr(summaries, "raise_reminder", held)
    results = run_in_threads(lambda: summaries.remind_summaries(now=at(2026, 11, 7, 0, 30)))

    assert sum(results) == 2  # each reminder raised by one of the two
    overdue = Reminder.objects.filter(kind="visits.summary_approve_overdue")
    assert sorted(overdue.values_list("recipient__username", flat=True)) == ["admin", "manager"]


# --- the daily drafting job -----------------------------------------------------------------


def test_drafting_starts_on_the_2nd_once_per_community(community, community2, supervisor, manager, clock):
    assert summaries.draft_due_summaries(today=dt.date(2026, 11, 1)) == 0
    assert not MonthlySummary.objects.exists()
    assert summaries.draft_due_summaries(today=dt.date(2026, 11, 2)) == 2
    assert summaries.draft_due_summaries(today=dt.date(2026, 11, 2)) == 0
    assert summaries.draft_due_summaries(today=dt.date(2026, 11, 3)) == 0
    assert sorted(MonthlySummary.objects.values_list("community__code", "year", "month")) == [
        ("CHY", 2026, 10),
        ("YGHY", 2026, 10),
    ]
    assert len(inbox(supervisor, "visits.summary_drafted")) == 1


def test_drafting_in_january_drafts_december(community, supervisor, manager, clock):
    assert summaries.draft_due_summaries(today=dt.date(2027, 1, 2)) == 1
    assert MonthlySummary.objects.get().month_param == "2026-12"


@pytest.mark.postgres
def test_two_workers_draft_each_summary_once(
    transactional_db, community, community2, supervisor, manager, clock, monkeypatch
):
    barrier = threading.Barrier(2, timeout=10)
    original = figures.compute

    def held(*args):
        result = original(*args)
        barrier.wait()  # both workers found no summary and computed its figures
        return result

    monkeypatch.setattr(figures, "compute", held)
    results = run_in_threads(lambda: summaries.draft_due_summaries(today=dt.date(2026, 11, 2)))

    assert sorted(results) in ([0, 2], [1, 1])
    assert sum(results) == 2
    assert MonthlySummary.objects.count() == 2
    assert len(inbox(supervisor, "visits.summary_drafted")) == 1


# --- coverage: pro rata by working days -------------------------------------------------------

NOVEMBER = Period(2026, 11)  # 21 working days; 2–6 and 9–13 make the first ten


@pytest.fixture
def november(community, supervisor, manager, butler1, butler2):
    """Full coverage; each butler has 21 occupied households; by Sunday 15 November
    butler1 has visited 9 of them, butler2 10."""
    services.update_policy(VisitPolicy.for_community(community), actor=manager, coverage_mode=CoverageMode.FULL)
    zones = {
        butler1: make_houses(community, "1", actor=manager, butler=butler1, rooms=21),
        butler2: make_houses(community, "2", actor=manager, butler=butler2, rooms=21),
    }
    for butler, count in ((butler1, 9), (butler2, 10)):
        for n, house in enumerate(zones[butler][:count]):
            started = at(2026, 11, 2 + n, 10)
            services.log_visit(
                house=house,
                actor=butler,
                started_at=started,
                channel="door",
                visit_type="routine",
                now=started + dt.timedelta(hours=1),
            )
    return zones


def test_pro_rata_is_rounded_down():
    assert progress.pro_rata(20, 10, 20) == 10
    assert progress.pro_rata(21, 9, 21) == 9
    assert progress.pro_rata(5, 3, 21) == 0
    assert progress.pro_rata(7, 0, 0) == 7


def test_working_days_follow_the_official_calendar(db):
    october = progress.working_days(Period(2026, 10))
    assert len(october) == 18
    assert dt.date(2026, 10, 10) in october  # make-up Saturday
    assert dt.date(2026, 10, 5) not in october
    assert len(progress.working_days(NOVEMBER)) == 21


def test_the_target_grows_with_working_days_not_calendar_days(november, community, butler1):
    def target(as_of):
        rows, info = progress.staff_progress(community, NOVEMBER, as_of=as_of)
        row = next(row for row in rows if row.user_id == butler1.pk)
        return row.required, row.done, info["elapsed"], info["working_days"], row.target

    assert target(dt.date(2026, 11, 15)) == (21, 9, 10, 21, 10)
    assert target(dt.date(2026, 11, 12)) == (21, 9, 9, 21, 9)  # by calendar days 12/30 × 21 would be 8
    assert target(dt.date(2026, 11, 1)) == (21, 9, 0, 21, 0)
    assert target(None) == (21, 9, 21, 21, 21)


def test_butlers_below_target_are_reminded_and_the_supervisor_gets_a_digest(
    november, supervisor, manager, butler1, butler2
):
    assert summaries.remind_coverage(today=dt.date(2026, 11, 16)) == 2
    assert inbox(butler1, "visits.coverage_behind") == [
        "本月走访进度落后：已访 9 户，截至昨日应达 10 户（本月共 21 户），还差 1 户。"
    ]
    assert inbox(butler2, "visits.coverage_behind") == []  # 10 of 10: on target
    assert inbox(supervisor, "visits.coverage_shortfall") == [
        f"截至昨日走访进度落后 1 人：{butler1.display_name} 差 1 户（9/10）"
    ]
    assert Reminder.objects.filter(recipient=manager).count() == 0


def test_coverage_reminders_once_a_day(november, supervisor, butler1, butler2):
    assert summaries.remind_coverage(today=dt.date(2026, 11, 16)) == 2
    assert summaries.remind_coverage(today=dt.date(2026, 11, 16)) == 0
    # A new day: 11 working days elapsed, target 11; now butler2 (10) is behind as well.
    assert summaries.remind_coverage(today=dt.date(2026, 11, 17)) == 3
    assert summaries.remind_coverage(today=dt.date(2026, 11, 17)) == 0
    assert len(inbox(butler1, "visits.coverage_behind")) == 2
    assert len(inbox(butler2, "visits.coverage_behind")) == 1
    assert len(inbox(supervisor, "visits.coverage_shortfall")) == 2


def test_no_coverage_reminders_on_a_non_working_day_or_the_first(november, community, butler1):
    assert summaries.remind_coverage(today=dt.date(2026, 11, 14)) == 0  # Saturday
    assert summaries.remind_coverage(today=dt.date(2026, 11, 15)) == 0  # Sunday
    assert summaries.remind_coverage(today=dt.date(2026, 12, 1)) == 0  # Tuesday, nothing elapsed yet
    assert not Reminder.objects.filter(kind__startswith="visits.coverage").exists()


def test_a_make_up_saturday_is_a_working_day_for_coverage(november, supervisor, butler1, butler2):
    # October: nobody visited; by Friday the 9th two of 18 working days elapsed → target 21 × 2 / 18 = 2
    assert summaries.remind_coverage(today=dt.date(2026, 10, 11)) == 0  # Sunday
    assert summaries.remind_coverage(today=dt.date(2026, 10, 10)) == 3  # make-up Saturday
    assert inbox(butler2, "visits.coverage_behind") == [
        "本月走访进度落后：已访 0 户，截至昨日应达 2 户（本月共 21 户），还差 2 户。"
    ]


# --- 《工作联系函》 reply deadline ---------------------------------------------------------------


def test_an_unanswered_letter_is_reminded_on_the_day_and_once_when_overdue(community, manager, company_admin, clock):
    clock.set(2026, 11, 2, 10)
    letter = summaries.send_letter(community=community, actor=manager, **LETTER)
    answered = summaries.send_letter(community=community, actor=manager, **LETTER)
    summaries.reply_letter(answered, actor=company_admin, reply="同意")
    assert letter.reply_due_at == at(2026, 11, 9, 23, 59, 59)

    assert summaries.remind_letters(now=at(2026, 11, 6, 10)) == 0
    assert summaries.remind_letters(now=at(2026, 11, 9, 10)) == 1
    assert summaries.remind_letters(now=at(2026, 11, 9, 16)) == 0
    assert inbox(company_admin, "visits.letter_day") == [f"工作联系函 {letter.number}（外墙渗水）今天到回复期限。"]
    assert summaries.remind_letters(now=at(2026, 11, 10, 0, 30)) == 2
    assert summaries.remind_letters(now=at(2026, 11, 11, 10)) == 0
    text = f"工作联系函 {letter.number}（外墙渗水）已超过回复期限，公司尚未回复。"
    assert inbox(company_admin, "visits.letter_overdue") == [text]
    assert inbox(manager, "visits.letter_overdue") == [text]
    reminded = Reminder.objects.filter(kind__in=["visits.letter_day", "visits.letter_overdue"])
    assert not reminded.filter(object_id=str(answered.pk)).exists()
