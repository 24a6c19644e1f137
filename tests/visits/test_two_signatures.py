"""A phone return visit counts only after a second staff member — neither its
author nor a companion — confirms it; a door return visit counts at once
(SPEC §2.2 [001]). Either way the engine's caller hears once that it is done."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.visits.conftest import at
from visits import engine, services
from visits.choices import Channel, ReturnVisitStatus, Trigger, VisitType
from visits.models import ReturnVisit

TUESDAY_10 = at(2026, 11, 17, 10, 0)


@pytest.fixture
def return_visit(house, stand_in):
    return engine.raise_return_visit(
        Trigger.COMMISSION_DONE, house=house, source=stand_in("委托事项-1"), occurred_at=at(2026, 11, 16, 15, 0)
    )


def _log(return_visit, actor, channel, **fields):
    return services.log_visit(
        house=return_visit.house,
        actor=actor,
        started_at=TUESDAY_10,
        channel=channel,
        visit_type=VisitType.COMMISSION_RETURN,
        return_visit=return_visit,
        **fields,
    )


def test_a_phone_return_visit_waits_for_a_second_signature(
    return_visit, butler1, butler2, supervisor, done_signals, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        visit = _log(return_visit, butler1, Channel.PHONE, companions=[butler2])

    return_visit.refresh_from_db()
    assert (visit.needs_second_signature, visit.counts) == (True, False)
    assert (return_visit.status, return_visit.done_at) == (ReturnVisitStatus.DUE, None)
    assert done_signals == []

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.confirm_phone_return_visit(visit, actor=supervisor)

    return_visit.refresh_from_db()
    assert (confirmed.confirmed_by, confirmed.counts) == (supervisor, True)
    assert (return_visit.status, return_visit.done_at) == (ReturnVisitStatus.DONE, TUESDAY_10)
    assert done_signals == [(return_visit.pk, visit.pk)]


def test_author_and_companions_cannot_sign_twice(return_visit, butler1, butler2, done_signals):
    visit = _log(return_visit, butler1, Channel.PHONE, companions=[butler2])
    for person in (butler1, butler2):
        with pytest.raises(PermissionDenied, match="复核须由未参与此次回访的另一位员工完成"):
            services.confirm_phone_return_visit(visit, actor=person)
    visit.refresh_from_db()
    assert (visit.confirmed_by, visit.confirmed_at) == (None, None)
    assert ReturnVisit.objects.get(pk=return_visit.pk).status == ReturnVisitStatus.DUE


def test_a_second_confirmation_changes_nothing(
    return_visit, butler1, supervisor, manager, done_signals, django_capture_on_commit_callbacks
):
    visit = _log(return_visit, butler1, Channel.PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_phone_return_visit(visit, actor=supervisor)
        again = services.confirm_phone_return_visit(visit, actor=manager)
    assert again.confirmed_by == supervisor
    assert done_signals == [(return_visit.pk, visit.pk)]


def test_a_door_return_visit_counts_at_once(return_visit, butler1, done_signals, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        visit = _log(return_visit, butler1, Channel.DOOR)

    return_visit.refresh_from_db()
    assert (visit.needs_second_signature, visit.counts) == (False, True)
    assert (return_visit.status, return_visit.done_at) == (ReturnVisitStatus.DONE, TUESDAY_10)
    assert done_signals == [(return_visit.pk, visit.pk)]


def test_only_phone_return_visits_are_confirmed(return_visit, butler1, supervisor, house):
    door = _log(return_visit, butler1, Channel.DOOR)
    plain_phone = services.log_visit(
        house=house, actor=butler1, started_at=TUESDAY_10, channel=Channel.PHONE, visit_type=VisitType.ROUTINE
    )
    for visit in (door, plain_phone):
        with pytest.raises(ValidationError, match="只有电话回访需要第二人复核"):
            services.confirm_phone_return_visit(visit, actor=supervisor)


def test_a_done_return_visit_cannot_be_logged_again(return_visit, butler1, house):
    _log(return_visit, butler1, Channel.DOOR)
    return_visit.refresh_from_db()
    with pytest.raises(ValidationError, match="该回访任务不属于此房屋或已完成"):
        _log(return_visit, butler1, Channel.DOOR)


def test_a_return_visit_is_logged_at_its_own_house(return_visit, butler1, zone1):
    with pytest.raises(ValidationError, match="该回访任务不属于此房屋或已完成"):
        services.log_visit(
            house=zone1[1],
            actor=butler1,
            started_at=TUESDAY_10,
            channel=Channel.DOOR,
            visit_type=VisitType.COMMISSION_RETURN,
            return_visit=return_visit,
        )


def test_staff_of_another_community_cannot_sign(return_visit, butler1, butler3):
    visit = _log(return_visit, butler1, Channel.PHONE)
    with pytest.raises(PermissionDenied, match="复核须由本小区的员工完成"):
        services.confirm_phone_return_visit(visit, actor=butler3)
    assert ReturnVisit.objects.get(pk=return_visit.pk).status == ReturnVisitStatus.DUE
