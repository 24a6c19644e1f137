"""Visits outside their time window need a stated reason (SPEC §2.2 [000][002]):
phone Tuesday–Sunday in [09:00, 12:00), [14:00, 17:30), [19:00, 21:00); in
person [08:00, 22:00); written and survey records have no window. Judged on the
visit's start time in Asia/Shanghai, not on when it is typed in."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.visits.conftest import at
from visits import services
from visits.choices import Channel, VisitType
from visits.models import Visit, VisitPolicy
from visits.windows import window_warning

PHONE_HOURS = "电话拜访时间应在 09:00–12:00、14:00–17:30、19:00–21:00 之内（当前 {}）。"
DOOR_HOURS = "上门/面访时间应在 08:00–22:00 之内（当前 {}）。"
MONDAY, TUESDAY, SUNDAY = 16, 17, 22  # November 2026


@pytest.mark.parametrize(
    ("channel", "started_at", "warning"),
    [
        (Channel.PHONE, at(2026, 11, MONDAY, 10, 0), "电话拜访不安排在周一。"),
        (Channel.PHONE, at(2026, 11, TUESDAY, 8, 59), PHONE_HOURS.format("08:59")),
        (Channel.PHONE, at(2026, 11, TUESDAY, 9, 0), None),
        (Channel.PHONE, at(2026, 11, TUESDAY, 11, 59), None),
        (Channel.PHONE, at(2026, 11, TUESDAY, 12, 0), PHONE_HOURS.format("12:00")),
        (Channel.PHONE, at(2026, 11, TUESDAY, 13, 59), PHONE_HOURS.format("13:59")),
        (Channel.PHONE, at(2026, 11, TUESDAY, 14, 0), None),
        (Channel.PHONE, at(2026, 11, TUESDAY, 17, 29), None),
        (Channel.PHONE, at(2026, 11, TUESDAY, 17, 30), PHONE_HOURS.format("17:30")),
        (Channel.PHONE, at(2026, 11, TUESDAY, 19, 0), None),
        (Channel.PHONE, at(2026, 11, TUESDAY, 20, 59), None),
        (Channel.PHONE, at(2026, 11, TUESDAY, 21, 0), PHONE_HOURS.format("21:00")),
        (Channel.PHONE, at(2026, 11, SUNDAY, 10, 0), None),
        (Channel.DOOR, at(2026, 11, TUESDAY, 7, 59), DOOR_HOURS.format("07:59")),
        (Channel.DOOR, at(2026, 11, TUESDAY, 8, 0), None),
        (Channel.DOOR, at(2026, 11, TUESDAY, 21, 59), None),
        (Channel.DOOR, at(2026, 11, TUESDAY, 22, 0), DOOR_HOURS.format("22:00")),
        (Channel.DOOR, at(2026, 11, MONDAY, 10, 0), None),  # door visits on Mondays are fine
        (Channel.OFFICE, at(2026, 11, TUESDAY, 22, 30), DOOR_HOURS.format("22:30")),
        (Channel.OUTDOOR, at(2026, 11, TUESDAY, 7, 0), DOOR_HOURS.format("07:00")),
        (Channel.WRITTEN, at(2026, 11, MONDAY, 23, 30), None),
        (Channel.SURVEY, at(2026, 11, TUESDAY, 3, 0), None),
    ],
)
def test_window_warning_at_literal_shanghai_times(channel, started_at, warning):
    assert window_warning(VisitPolicy(), channel, started_at) == warning


def test_window_is_judged_in_shanghai_not_utc():
    # 01:00 UTC on Tuesday is 09:00 in Shanghai: inside the phone window.
    assert window_warning(VisitPolicy(), Channel.PHONE, dt.datetime(2026, 11, 17, 1, 0, tzinfo=dt.UTC)) is None
    # 14:00 UTC is 22:00 in Shanghai: too late for a door visit.
    assert window_warning(VisitPolicy(), Channel.DOOR, dt.datetime(2026, 11, 17, 14, 0, tzinfo=dt.UTC)) == (
        DOOR_HOURS.format("22:00")
    )


def _log(house, actor, started_at, channel=Channel.PHONE, **fields):
    return services.log_visit(
        house=house, actor=actor, started_at=started_at, channel=channel, visit_type=VisitType.ROUTINE, **fields
    )


def test_outside_the_window_a_reason_is_required(house, butler1):
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as raised:
            _log(house, butler1, at(2026, 11, MONDAY, 10, 0), window_reason=reason)
        assert raised.value.message_dict == {"window_reason": ["电话拜访不安排在周一。请填写原因。"]}
    with pytest.raises(ValidationError) as raised:
        _log(house, butler1, at(2026, 11, TUESDAY, 22, 0), channel=Channel.DOOR)
    assert raised.value.message_dict == {
        "window_reason": ["上门/面访时间应在 08:00–22:00 之内（当前 22:00）。请填写原因。"]
    }
    assert not Visit.objects.exists()


def test_the_reason_given_is_stored(house, butler1):
    visit = _log(house, butler1, at(2026, 11, MONDAY, 10, 0), window_reason="  业主只有周一上午有空  ")
    visit.refresh_from_db()
    assert visit.window_reason == "业主只有周一上午有空"


def test_inside_the_window_no_reason_is_kept(house, butler1):
    visit = _log(house, butler1, at(2026, 11, TUESDAY, 9, 0), window_reason="多余的说明")
    assert visit.window_reason == ""


def test_typing_a_record_late_at_night_is_judged_on_the_visit_time(house, butler1):
    # Phoned on Tuesday at 10:00, typed in at 23:00: no warning, no reason needed.
    visit = _log(house, butler1, at(2026, 11, TUESDAY, 10, 0), now=at(2026, 11, TUESDAY, 23, 0))
    assert visit.window_reason == ""
    # Phoned on Monday, typed in on Tuesday morning inside the window: still a Monday call.
    with pytest.raises(ValidationError, match="电话拜访不安排在周一"):
        _log(house, butler1, at(2026, 11, MONDAY, 10, 0), now=at(2026, 11, TUESDAY, 10, 0))


def test_windows_are_configurable(house, butler1, manager, community):
    policy = VisitPolicy.for_community(community)
    services.update_policy(
        policy,
        actor=manager,
        phone_weekdays=[1, 2, 3, 4, 5],
        phone_windows=[["08:30", "20:00"]],
        door_end=dt.time(21, 0),
    )
    visit = _log(house, butler1, at(2026, 11, MONDAY, 8, 30))
    assert visit.window_reason == ""
    with pytest.raises(ValidationError) as raised:
        _log(house, butler1, at(2026, 11, SUNDAY, 10, 0))
    assert raised.value.message_dict == {"window_reason": ["电话拜访不安排在周日。请填写原因。"]}
    with pytest.raises(ValidationError, match="08:00–21:00"):
        _log(house, butler1, at(2026, 11, TUESDAY, 21, 0), channel=Channel.DOOR)
