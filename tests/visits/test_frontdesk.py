"""Front desk (issue 7): registration with ID/mobile checks, owner consent in a
closed community, the watchlist and supervisor overrides, exit removing the clear
ID number (entry and history), the retention job, the board."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Reminder
from tests.visits.conftest import at, make_houses
from visits import visitors
from visits.choices import Consent, EntryStatus, OverrideMethod
from visits.models import FrontDeskSettings, VisitorEntry
from visits.models.visitors import ANONYMISED

pytestmark = pytest.mark.django_db

GOOD_ID = "11010519491231002X"
OTHER_ID = "110105194912310021"


@pytest.fixture
def house(community, manager, butler1):
    return make_houses(community, "1", actor=manager, butler=butler1, rooms=2)[0]


def _register(community, actor, house, **fields):
    data = {
        "name": "王访客",
        "id_type": "resident_id",
        "id_number": GOOD_ID,
        "mobile": "13912345678",
        "house": house,
        "purpose": "friend",
        **fields,
    }
    return visitors.register_entry(community=community, actor=actor, **data)


def test_register_checks_id_and_mobile_with_chinese_messages(community, frontdesk, house):
    with pytest.raises(ValidationError) as error:
        _register(community, frontdesk, house, id_number=OTHER_ID, mobile="12345")
    assert error.value.message_dict["id_number"] == ["身份证号校验位不正确"]
    assert "手机号应为11位" in error.value.message_dict["mobile"][0]
    assert VisitorEntry.objects.count() == 0


def test_entry_keeps_masked_and_hashed_id(community, frontdesk, house):
    entry = _register(community, frontdesk, house, id_number="11010519491231002x")
    assert entry.id_number == GOOD_ID and entry.id_masked == "110***********002X"
    assert entry.id_hash == visitors.id_hash("resident_id", GOOD_ID) and GOOD_ID not in entry.id_hash
    assert entry.status == EntryStatus.INSIDE


def test_only_clerks_register(community, butler1, house):
    with pytest.raises(PermissionDenied):
        _register(community, butler1, house)


def test_closed_community_needs_consent_and_keeps_a_refusal(community, frontdesk, house):
    FrontDeskSettings.objects.update_or_create(community=community, defaults={"consent_required": True})
    with pytest.raises(ValidationError) as error:
        _register(community, frontdesk, house)
    assert "封闭式管理" in error.value.message_dict["consent"][0]
    with pytest.raises(ValidationError) as error:
        _register(community, frontdesk, house, consent=Consent.CONSENTED)
    assert "consent_by" in error.value.message_dict
    refused = _register(community, frontdesk, house, consent=Consent.REFUSED, consent_by="业主李先生")
    assert (refused.status, refused.consent_by, refused.id_number) == (EntryStatus.REFUSED, "业主李先生", "")
    admitted = _register(community, frontdesk, house, consent=Consent.CONSENTED, consent_by="业主李先生")
    assert admitted.status == EntryStatus.INSIDE and admitted.consent_at is not None
    assert list(VisitorEntry.objects.inside()) == [admitted]


def test_watchlisted_visitor_needs_a_supervisor(community, frontdesk, supervisor, butler1, house):
    visitors.restrict_visitor(
        community=community,
        actor=supervisor,
        name="王访客",
        reason="多次辱骂保安",
        id_type="resident_id",
        id_number=GOOD_ID,
    )
    with pytest.raises(ValidationError) as error:
        _register(community, frontdesk, house)
    assert "限制来访名单" in error.value.messages[0]
    # A wrong password, or a butler's password, is not an override.
    for username in ("supervisor-wrong", butler1.username):
        with pytest.raises(ValidationError):
            _register(
                community,
                frontdesk,
                house,
                override_username=username,
                override_password="correct-horse-battery-9",
                override_reason="业主亲自来接",
            )
    entry = _register(
        community,
        frontdesk,
        house,
        override_username=supervisor.username,
        override_password="correct-horse-battery-9",
        override_reason="业主亲自来接",
    )
    assert (entry.override_by, entry.override_method) == (supervisor, OverrideMethod.PASSWORD)
    assert entry.restriction is not None


def test_watchlist_matches_by_mobile_and_inbox_approval(community, frontdesk, supervisor, house):
    visitors.restrict_visitor(
        community=community, actor=supervisor, name="王访客", reason="损坏门禁", mobile="13912345678"
    )
    entry = _register(community, frontdesk, house, ask_inbox_approval=True, override_reason="送药")
    assert entry.status == EntryStatus.AWAITING_OVERRIDE
    reminder = supervisor.reminders.get(kind="visits.visitor_override")
    assert "王访客" not in reminder.text and "13912345678" not in reminder.text
    with pytest.raises(PermissionDenied):
        visitors.approve_override(entry, actor=frontdesk, approve=True)
    entry = visitors.approve_override(entry, actor=supervisor, approve=True, comment="同意")
    assert (entry.status, entry.override_method) == (EntryStatus.INSIDE, OverrideMethod.INBOX)
    # Decided: nobody else's inbox still asks for it.
    assert not Reminder.objects.filter(kind="visits.visitor_override", read_at__isnull=True).exists()


def test_lifted_or_expired_restriction_no_longer_matches(community, frontdesk, supervisor, house):
    restriction = visitors.restrict_visitor(
        community=community, actor=supervisor, name="王访客", reason="x", id_type="resident_id", id_number=GOOD_ID
    )
    visitors.lift_restriction(restriction, actor=supervisor)
    assert _register(community, frontdesk, house).status == EntryStatus.INSIDE


def test_exit_removes_the_clear_id_from_entry_and_history(community, frontdesk, house):
    entry = _register(community, frontdesk, house)
    visitors.mark_exit(entry, actor=frontdesk)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.LEFT and entry.id_number == "" and entry.id_masked
    assert not VisitorEntry.history.filter(id=entry.pk).exclude(id_number="").exists()
    with pytest.raises(ValidationError):
        visitors.mark_exit(entry, actor=frontdesk)
    # Still recognised: the repeat visitor and the watchlist match on the keyed hash.
    assert visitors.find_repeat_visitor(community, id_type="resident_id", id_number=GOOD_ID) == entry


def test_retention_job_anonymises_entry_and_history_once(community, frontdesk, house):
    old = _register(
        community, frontdesk, house, entered_at=at(2026, 9, 1, 10), plate="沪A12345", items="王访客的行李箱"
    )
    visitors.mark_exit(old, actor=frontdesk, at=at(2026, 9, 1, 12))
    recent = _register(community, frontdesk, house, entered_at=at(2026, 10, 20, 10))
    now = at(2026, 10, 30, 9)
    assert visitors.anonymise_expired_entries(now=now) == 1
    assert visitors.anonymise_expired_entries(now=now) == 0
    old.refresh_from_db()
    assert (old.name, old.mobile, old.plate, old.id_hash, old.purpose) == (ANONYMISED, "", "", "", "friend")
    assert old.items == "" and not VisitorEntry.history.filter(id=old.pk).exclude(items="").exists()
    history = VisitorEntry.history.filter(id=old.pk)
    assert set(history.values_list("name", flat=True)) == {ANONYMISED}
    assert not history.exclude(mobile="").exists() and not history.exclude(plate="").exists()
    recent.refresh_from_db()
    assert recent.name == "王访客"


def test_overstay_and_night_cutoff_flags(community, frontdesk, house):
    policy = FrontDeskSettings.for_community(community)
    long = _register(community, frontdesk, house, entered_at=at(2026, 10, 20, 9))
    late = _register(community, frontdesk, house, entered_at=at(2026, 10, 20, 22, 30))
    fine = _register(community, frontdesk, house, entered_at=at(2026, 10, 20, 12, 30))
    flags = visitors.overstay_flags([long, late, fine], policy, now=at(2026, 10, 20, 13, 30))
    assert set(flags) == {long.pk}
    flags = visitors.overstay_flags([late], policy, now=at(2026, 10, 20, 23, 5))
    assert "23:00" in flags[late.pk]


def test_board_and_register_pages(client_for, community, frontdesk, butler1, butler2, house):
    response = client_for(frontdesk).post(
        "/visits/frontdesk/register/",
        {
            "id_number": GOOD_ID,
            "name": "张三",
            "mobile": "",
            "house_number": house.number,
            "purpose": "friend",
            "head_count": 2,
            "id_type": "resident_id",
        },
    )
    assert response.status_code == 302
    board = client_for(frontdesk).get("/visits/frontdesk/").content.decode()
    assert "张三" in board and "在内 1 批 2 人" in board
    assert "张三" in client_for(butler1).get("/visits/frontdesk/").content.decode()  # butler1's zone
    assert "张三" not in client_for(butler2).get("/visits/frontdesk/").content.decode()
    bad = client_for(frontdesk).post(
        "/visits/frontdesk/register/",
        {
            "id_number": OTHER_ID,
            "name": "李四",
            "house_number": "9-9-999",
            "purpose": "friend",
            "head_count": 1,
            "id_type": "resident_id",
        },
    )
    assert bad.status_code == 400
    assert "本小区没有房号" in bad.content.decode()


def test_exit_time_is_not_before_entry_day(community, frontdesk, house):
    entry = _register(community, frontdesk, house, entered_at=at(2026, 10, 20, 9))
    visitors.mark_exit(entry, actor=frontdesk, at=at(2026, 10, 20, 9) + dt.timedelta(hours=1))
    entry.refresh_from_db()
    assert entry.exited_at > entry.entered_at


def test_a_wrong_supervisor_password_is_counted_without_the_visitors_data(
    client_for, community, frontdesk, supervisor, house
):
    from axes.models import AccessAttempt, AccessFailureLog

    visitors.restrict_visitor(
        community=community, actor=supervisor, name="王访客", reason="x", id_type="resident_id", id_number=GOOD_ID
    )
    response = client_for(frontdesk).post(
        "/visits/frontdesk/register/",
        {
            "id_number": GOOD_ID,
            "name": "欧阳访客",
            "mobile": "13912345678",
            "house_number": house.number,
            "purpose": "friend",
            "head_count": 1,
            "id_type": "resident_id",
            "override_username": supervisor.username,
            "override_password": "wrong-password",
            "override_reason": "业主来接",
        },
    )
    assert response.status_code == 400 and "主管账号或密码不正确" in response.content.decode()
    attempt = AccessAttempt.objects.get()
    assert attempt.username == supervisor.username and attempt.failures_since_start == 1
    stored = " ".join(f"{a.get_data} {a.post_data}" for a in AccessAttempt.objects.all())
    stored += " ".join(f"{log.username}" for log in AccessFailureLog.objects.all())
    for secret in (GOOD_ID, "欧阳访客", "13912345678", "wrong-password"):
        assert secret not in stored
