"""Every service that writes a visit record, a follow-up or a plan leaves a history
row naming the person who acted (STYLE 8)."""

import pytest

from tests.visits.conftest import at
from visits import engine, services
from visits.choices import Channel, Trigger, VisitType


def _who(obj):
    """(history type, acting user's username) of each history row, oldest first."""
    return [
        (row.history_type, row.history_user.username if row.history_user else None)
        for row in obj.history.order_by("history_id")
    ]


def _log(house, actor, **fields):
    return services.log_visit(
        house=house,
        actor=actor,
        started_at=at(2026, 11, 17, 10, 0),
        channel=fields.pop("channel", Channel.DOOR),
        visit_type=VisitType.ROUTINE,
        **fields,
    )


def test_logging_reviewing_and_resubmitting_a_visit_name_their_actors(house, butler1, supervisor):
    visit = _log(house, butler1, follow_ups=[{"description": "回复业主", "due_at": at(2026, 11, 20, 17)}])
    services.review_visit(visit, actor=supervisor, decision="return", comment="补充答复")
    services.resubmit_visit(visit, actor=butler1, reply="已补充")
    assert _who(visit) == [("+", "butler1"), ("~", "supervisor"), ("~", "butler1")]
    assert _who(visit.follow_ups.get()) == [("+", "butler1")]


def test_the_second_signature_names_the_confirmer(house, butler1, manager, stand_in):
    rv = engine.raise_return_visit(
        Trigger.COMMISSION_DONE, house=house, source=stand_in("委托"), occurred_at=at(2026, 11, 16, 9)
    )
    visit = services.log_visit(
        house=house,
        actor=butler1,
        started_at=at(2026, 11, 17, 10, 0),
        channel=Channel.PHONE,
        visit_type=VisitType.COMMISSION_RETURN,
        return_visit=rv,
    )
    services.confirm_phone_return_visit(visit, actor=manager)
    assert _who(visit) == [("+", "butler1"), ("~", "manager")]


@pytest.mark.parametrize("ending", ["close", "convert"])
def test_follow_up_services_name_their_actors(house, butler1, butler2, supervisor, stand_in, ending):
    follow_up = services.create_follow_up(
        actor=butler1, owner=butler2, house=house, description="答复车位问题", due_at=at(2026, 11, 20, 17)
    )
    if ending == "close":
        services.close_follow_up(follow_up, actor=butler2, resolution="已答复")
        assert _who(follow_up) == [("+", "butler1"), ("~", "butler2")]
    else:
        services.convert_follow_up(follow_up, actor=supervisor, target=stand_in("投诉"))
        assert _who(follow_up) == [("+", "butler1"), ("~", "supervisor")]


def test_plan_services_name_their_actors(community, butler1, supervisor, zone1):
    plan = services.create_monthly_plan(
        community=community, owner=butler1, year=2026, month=12, houses=zone1, actor=butler1
    )
    services.submit_plan(plan, actor=butler1)
    services.decide_plan(plan, actor=supervisor, approve=False, comment="少了重点户")
    services.submit_plan(plan, actor=butler1)
    services.decide_plan(plan, actor=supervisor, approve=True)
    assert _who(plan) == [
        ("+", "butler1"),
        ("~", "butler1"),
        ("~", "supervisor"),
        ("~", "butler1"),
        ("~", "supervisor"),
    ]


def test_a_plan_generated_by_the_supervisor_for_a_butler_names_the_supervisor(community, butler1, supervisor, zone1):
    plan = services.create_monthly_plan(
        community=community, owner=butler1, year=2026, month=12, houses=zone1, actor=supervisor
    )
    assert _who(plan) == [("+", "supervisor")]
