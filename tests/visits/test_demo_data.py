"""`seed_demo` fills the visits app with a few months of realistic records (issue 5
§13), once: a second run adds nothing, butler1's today page and the supervisor's
review queue have something to show, and every demo visit started inside its time
window or carries the reason (SPEC §2.2). The months gone by have their monthly
summaries (SPEC §2.4): last month's a draft for the supervisor, the older ones
approved on time, and 《工作联系函》 both answered and awaiting the company."""

import io
import math

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from core.models import Community, Reminder, User
from residents.models import House
from visits import selectors, summaries
from visits.choices import LetterStatus, ProblemDecision, SummaryAction, SummaryStatus
from visits.duties import standing_duties
from visits.models import (
    FollowUp,
    MonthlySummary,
    Opinion,
    PlanItem,
    RainyDay,
    ReturnVisit,
    SummaryEvent,
    SummaryProblem,
    Visit,
    VisitPlan,
    VisitPolicy,
    WorkLetter,
)
from visits.progress import Period
from visits.windows import window_warning

pytestmark = pytest.mark.django_db

MODELS = (
    Visit,
    Visit.history.model,
    Opinion,
    FollowUp,
    ReturnVisit,
    VisitPlan,
    PlanItem,
    RainyDay,
    VisitPolicy,
    Reminder,
    MonthlySummary,
    MonthlySummary.history.model,
    SummaryProblem,
    SummaryEvent,
    WorkLetter,
    WorkLetter.history.model,
)


def _seed():
    call_command("seed_demo", scale=0.05, stdout=io.StringIO())


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seeded():
    _seed()
    return Community.objects.order_by("pk")[0]


def test_second_run_adds_nothing(seeded):
    first = _counts()
    assert first["Visit"] > 0 and first["Opinion"] > 0 and first["FollowUp"] > 0 and first["ReturnVisit"] > 0
    assert first["MonthlySummary"] > 0 and first["WorkLetter"] > 0
    _seed()
    assert _counts() == first


def _auto_now_add_fields():
    return {
        (model.__name__, field.name)
        for model in apps.get_app_config("visits").get_models()
        for field in model._meta.fields
        if getattr(field, "auto_now_add", False)
    }


def test_seeding_leaves_auto_now_add_fields_as_they_were():
    """The seeder backdates bulk rows by switching `auto_now_add` off for a moment."""
    before = _auto_now_add_fields()
    _seed()
    assert _auto_now_add_fields() == before


def test_butler1_today_has_items(seeded):
    day = selectors.today(User.objects.get(username="butler1"), seeded)
    assert day["return_visits"]  # due today and overdue
    assert day["follow_ups"]


def test_supervisor_review_queue_is_not_empty(seeded):
    assert selectors.review_queue(seeded).exists()


def test_every_demo_visit_is_in_its_window_or_has_a_reason(seeded):
    visits = Visit.objects.select_related("community")
    policies = {policy.community_id: policy for policy in VisitPolicy.objects.all()}
    assert visits.exists()
    outside = [v for v in visits if window_warning(policies[v.community_id], v.channel, v.started_at)]
    assert all(v.window_reason for v in outside), [(v.pk, v.channel, v.started_at) for v in outside]


def test_duty_targets_count_each_household_once(seeded):
    """With residents on file (the demo has them), the 98 % targets are of households, not residents."""
    occupied = House.objects.filter(community=seeded).occupied().count()
    targets = {t.label: t for t in standing_duties(seeded)}
    assert targets["季度意见征询覆盖 ≥98%"].required == math.ceil(occupied * 98 / 100)


# --- monthly summaries ------------------------------------------------------------------


def _last_month():
    return Period.of(timezone.localdate()).previous


@pytest.mark.parametrize("code", ["YGHY", "CHY"])
def test_past_months_have_summaries_with_figures(seeded, code):
    """Six months before this one have demo visits; each has its summary, figures from its records."""
    found = MonthlySummary.objects.filter(community__code=code)
    assert found.count() >= 6
    assert not found.filter(year=timezone.localdate().year, month=timezone.localdate().month).exists()
    for summary in found:
        period = Period(summary.year, summary.month)
        assert summary.figures["period"] == str(period)
        assert summary.figures["visits"]["total"] > 0
        assert (
            summary.figures["visits"]["total"]
            == Visit.objects.filter(
                community=summary.community, started_at__gte=period.bounds[0], started_at__lt=period.bounds[1]
            ).count()
        )


def test_last_month_is_a_draft_the_supervisor_can_write(seeded):
    last = _last_month()
    summary = MonthlySummary.objects.get(community=seeded, year=last.year, month=last.month)
    assert summary.status == SummaryStatus.DRAFT
    assert summary.analysis == "" and not summary.problems.exists()
    supervisor = User.objects.get(username="supervisor")
    assert Reminder.objects.filter(
        recipient=supervisor, kind="visits.summary_drafted", object_id=str(summary.pk), read_at__isnull=True
    ).exists()


@pytest.mark.parametrize("code", ["YGHY", "CHY"])
def test_older_months_are_approved_on_time(seeded, code):
    approved = MonthlySummary.objects.filter(community__code=code, status=SummaryStatus.APPROVED)
    assert approved.exists()
    for summary in approved:
        assert summary.analysis and summary.measures and summary.next_month_plan
        assert summary.problems.exists()
        assert not summary.problems.filter(decision="").exists()
        deadline = summaries.submit_deadline(Period(summary.year, summary.month))
        assert summary.first_submitted_at <= deadline
        assert summary.submitted_at <= summary.decided_at <= summary.approval_due_at
        times = list(summary.events.values_list("at", flat=True))
        assert times == sorted(times) and times[-1] < timezone.now()


def test_sunshine_summaries_are_written_by_the_supervisor_and_approved_by_the_manager(seeded):
    supervisor, manager = User.objects.get(username="supervisor"), User.objects.get(username="manager")
    approved = MonthlySummary.objects.filter(community=seeded, status=SummaryStatus.APPROVED)
    for summary in approved:
        assert summary.submitted_by == supervisor and summary.decided_by == manager
        assert summary.history.latest().history_user == manager
        actions = dict(summary.events.values_list("action", "actor__username"))
        assert actions[SummaryAction.SUBMITTED] == "supervisor"
        assert actions[SummaryAction.APPROVED] == "manager"
    # one month went back to the supervisor once before it was approved
    assert approved.filter(round=2, events__action=SummaryAction.RETURNED).exists()
    # the reminders of steps long done have been read
    assert not Reminder.objects.filter(
        recipient=manager, kind="visits.summary_submitted", read_at__isnull=True
    ).exists()


def test_letters_wait_for_the_company_and_one_is_answered(seeded):
    letters = WorkLetter.objects.filter(community=seeded).select_related("problem")
    assert {letter.status for letter in letters} >= {LetterStatus.SENT, LetterStatus.REPLIED}
    for letter in letters:
        assert letter.problem.decision == ProblemDecision.ESCALATE
        assert letter.sent_by.username == "manager"
        assert letter.sent_at == letter.problem.decided_at
    replied = letters.get(status=LetterStatus.REPLIED)
    assert replied.replied_by.username == "admin" and replied.reply
    assert replied.sent_at < replied.replied_at <= replied.reply_due_at
    assert replied.history.latest().history_user.username == "admin"
