"""A monthly plan goes draft → submitted → approved or returned (with a comment)
→ resubmitted; only its owner submits, only a supervisor or manager who is not
the owner decides; households are swapped only while it is a draft or returned
(SPEC §2.1)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.visits.conftest import inbox, make_houses
from visits import services
from visits.choices import PlanStatus


@pytest.fixture
def plan(community, butler1, zone1):
    return services.create_monthly_plan(
        community=community, owner=butler1, year=2026, month=12, houses=zone1[:3], actor=butler1, purpose="日常拜访"
    )


def _numbers(plan):
    return sorted(plan.items.values_list("house__number", flat=True))


def test_a_new_plan_is_a_draft_with_its_households(plan):
    assert plan.status == PlanStatus.DRAFT
    assert _numbers(plan) == ["1-1-101", "1-1-102", "1-1-103"]
    assert list(plan.items.values_list("purpose", "channel").distinct()) == [("日常拜访", "door")]


def test_only_the_owner_submits(plan, butler2, supervisor):
    for other in (butler2, supervisor):
        with pytest.raises(PermissionDenied, match="只能提交本人的计划"):
            services.submit_plan(plan, actor=other)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_submitting_reminds_the_supervisor(plan, butler1, supervisor, manager):
    plan = services.submit_plan(plan, actor=butler1)
    assert plan.status == PlanStatus.SUBMITTED
    assert plan.submitted_at is not None
    assert inbox(supervisor, "visits.plan_submitted") == [f"{butler1} 2026年12月月度计划 已提交，待审批。"]
    with pytest.raises(ValidationError, match="该计划已提交"):
        services.submit_plan(plan, actor=butler1)


def test_supervisor_approves_and_the_owner_is_told(plan, butler1, supervisor):
    services.submit_plan(plan, actor=butler1)
    plan = services.decide_plan(plan, actor=supervisor, approve=True)
    assert (plan.status, plan.decided_by, plan.decision_comment) == (PlanStatus.APPROVED, supervisor, "")
    assert inbox(butler1, "visits.plan_decided") == [f"{butler1} 2026年12月月度计划 已批准"]


def test_returning_needs_a_comment_and_tells_the_owner(plan, butler1, supervisor):
    services.submit_plan(plan, actor=butler1)
    with pytest.raises(ValidationError, match="退回时请写明意见"):
        services.decide_plan(plan, actor=supervisor, approve=False, comment="  ")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED

    plan = services.decide_plan(plan, actor=supervisor, approve=False, comment="请加入2栋的重点户")
    assert (plan.status, plan.decision_comment) == (PlanStatus.RETURNED, "请加入2栋的重点户")
    assert inbox(butler1, "visits.plan_decided") == [f"{butler1} 2026年12月月度计划 被退回：请加入2栋的重点户"]


def test_a_butler_cannot_decide(plan, butler1, butler2, supervisor):
    services.submit_plan(plan, actor=butler1)
    for butler in (butler1, butler2):
        with pytest.raises(PermissionDenied, match="只有客服主管或经理可以审批计划"):
            services.decide_plan(plan, actor=butler, approve=True)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_an_outsider_cannot_decide(plan, butler1, butler3):
    services.submit_plan(plan, actor=butler1)
    with pytest.raises(PermissionDenied):
        services.decide_plan(plan, actor=butler3, approve=True)


def test_nobody_approves_their_own_plan(community, supervisor, manager, zone1):
    own = services.create_monthly_plan(
        community=community, owner=supervisor, year=2026, month=12, houses=zone1[:5], actor=supervisor
    )
    services.submit_plan(own, actor=supervisor)
    with pytest.raises(PermissionDenied, match="不能审批本人的计划"):
        services.decide_plan(own, actor=supervisor, approve=True)
    own = services.decide_plan(own, actor=manager, approve=True)
    assert own.status == PlanStatus.APPROVED


def test_only_submitted_plans_are_decided(plan, butler1, supervisor):
    with pytest.raises(ValidationError, match="只有待审批的计划可以审批"):
        services.decide_plan(plan, actor=supervisor, approve=True)
    services.submit_plan(plan, actor=butler1)
    services.decide_plan(plan, actor=supervisor, approve=True)
    with pytest.raises(ValidationError, match="只有待审批的计划可以审批"):
        services.decide_plan(plan, actor=supervisor, approve=False, comment="再看看")


def test_a_returned_plan_is_changed_and_resubmitted(plan, butler1, supervisor, zone1):
    services.submit_plan(plan, actor=butler1)
    plan = services.decide_plan(plan, actor=supervisor, approve=False, comment="换掉101")

    services.swap_plan_house(plan, remove=zone1[0], add=zone1[3], actor=butler1)
    plan = services.submit_plan(plan, actor=butler1)
    assert plan.status == PlanStatus.SUBMITTED
    assert _numbers(plan) == ["1-1-102", "1-1-103", "1-1-104"]
    assert len(inbox(supervisor, "visits.plan_submitted")) == 2  # each submission is news

    plan = services.decide_plan(plan, actor=supervisor, approve=True)
    assert plan.status == PlanStatus.APPROVED
    assert inbox(butler1, "visits.plan_decided") == [
        f"{butler1} 2026年12月月度计划 被退回：换掉101",
        f"{butler1} 2026年12月月度计划 已批准",
    ]


def test_households_are_swapped_only_in_a_draft_or_returned_plan(plan, butler1, supervisor, zone1):
    services.swap_plan_house(plan, remove=zone1[2], add=zone1[3], actor=butler1)
    assert _numbers(plan) == ["1-1-101", "1-1-102", "1-1-104"]

    submitted = services.submit_plan(plan, actor=butler1)
    with pytest.raises(ValidationError, match="已提交的计划不能调整"):
        services.swap_plan_house(submitted, remove=zone1[0], add=zone1[2], actor=butler1)
    approved = services.decide_plan(submitted, actor=supervisor, approve=True)
    with pytest.raises(ValidationError, match="已提交的计划不能调整"):
        services.swap_plan_house(approved, remove=zone1[0], add=zone1[2], actor=butler1)
    assert _numbers(plan) == ["1-1-101", "1-1-102", "1-1-104"]


def test_swap_refuses_a_house_of_another_community_or_already_planned(plan, butler1, zone1, community2, butler3):
    elsewhere = make_houses(community2, "1", actor=butler3, rooms=1)[0]
    with pytest.raises(ValidationError, match="只能换成本小区的房屋"):
        services.swap_plan_house(plan, remove=zone1[0], add=elsewhere, actor=butler1)
    with pytest.raises(ValidationError, match="该房屋已在计划中"):
        services.swap_plan_house(plan, remove=zone1[0], add=zone1[1], actor=butler1)
    with pytest.raises(ValidationError, match="计划中没有该房屋"):
        services.swap_plan_house(plan, remove=zone1[3], add=zone1[0], actor=butler1)


def test_an_approved_plan_cannot_be_generated_again(plan, community, butler1, supervisor, zone1):
    services.submit_plan(plan, actor=butler1)
    services.decide_plan(plan, actor=supervisor, approve=True)
    with pytest.raises(ValidationError, match="不能重新生成"):
        services.create_monthly_plan(
            community=community, owner=butler1, year=2026, month=12, houses=zone1, actor=butler1
        )
    assert _numbers(plan) == ["1-1-101", "1-1-102", "1-1-103"]
