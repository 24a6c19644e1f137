"""`seed_demo` fills the visits app with a few months of realistic records (issue 5
§13), once: a second run adds nothing, butler1's today page and the supervisor's
review queue have something to show, and every demo visit started inside its time
window or carries the reason (SPEC §2.2)."""

import io
import math

import pytest
from django.apps import apps
from django.core.management import call_command

from core.models import Community, Reminder, User
from residents.models import House
from visits import selectors
from visits.duties import standing_duties
from visits.models import FollowUp, Opinion, PlanItem, RainyDay, ReturnVisit, Visit, VisitPlan, VisitPolicy
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
