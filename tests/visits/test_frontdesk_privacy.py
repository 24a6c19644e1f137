"""Front desk privacy and retention (issue 7, item 7 and the Acceptance list).

- The retention job leaves none of a visitor's original strings in any text column
  of any table (register, history, reminders, sessions, login attempts …): the
  visitors are registered through the real views, so middleware, axes and the
  session store all run.
- Exit removes the clear ID number from the entry's history at once; an owner's
  refusal, or a supervisor's refusal from the inbox, never keeps it.
- Two exits at once: one wins. Two retention runs at once: each entry once (PostgreSQL).
- The board, the register page and a registration run a constant number of queries.
- Permissions beyond the matrix: butler's zone, another community, the watchlist.
"""

import base64
import contextlib
import datetime as dt
import json
import pickle
import re
import threading
import time
import types
from dataclasses import dataclass
from importlib import import_module
from urllib.parse import quote, quote_plus

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.choices import Role
from core.models import Reminder
from tests.concurrency import run_in_threads
from tests.factories import TEST_PASSWORD, make_staff
from tests.visits.conftest import make_houses
from visits import visitors
from visits.choices import Consent, EntryStatus, OverrideMethod
from visits.models import FrontDeskSettings, VisitorEntry, VisitorRestriction
from visits.models.visitors import ANONYMISED

pytestmark = pytest.mark.django_db

BOARD = "/visits/frontdesk/"
REGISTER = "/visits/frontdesk/register/"
WATCHLIST = "/visits/frontdesk/watchlist/"
WRONG_PASSWORD = "wrong-Pass-测试-731"


@dataclass(frozen=True)
class Visitor:
    name: str
    id_number: str
    mobile: str
    plate: str

    def needles(self):
        """Every original string of this visitor, labelled (ID numbers in both cases)."""
        found = {
            f"name {self.name}": self.name,
            f"id {self.id_number}": self.id_number,
            f"id {self.id_number.lower()}": self.id_number.lower(),
            f"mobile {self.mobile}": self.mobile,
            f"plate {self.plate}": self.plate,
        }
        return {label: value for label, value in found.items() if value}


# Distinctive values (valid GB 11643 check characters, two ending in X).
OUYANG = Visitor("欧阳测试甲", "31011519870421025X", "13987650101", "沪D98765")
SIMA = Visitor("司马测试乙", "440305198511302972", "13987650202", "京N54321")
ZHUGE = Visitor("诸葛测试丙", "44030519851121047X", "13987650303", "苏E24680")  # watchlisted by ID: password override
SHANGGUAN = Visitor("上官测试丁", "120101198606068399", "13987650404", "浙B13579")  # watchlisted by mobile: inbox
LINGHU = Visitor("令狐测试戊", "330106197912056536", "13987650505", "粤B86420")  # the owner refuses
MURONG = Visitor("慕容测试己", "510107198808081525", "13987650606", "川A97531")  # the owner consents
ALL_VISITORS = (OUYANG, SIMA, ZHUGE, SHANGGUAN, LINGHU, MURONG)
OWNER_NAMES = {"consent_by 业主测试庚": "业主测试庚", "consent_by 家属测试辛": "家属测试辛"}

# The watchlist keeps the name a supervisor typed for as long as the restriction
# stands (by design: it is not a register entry and has no retention period).
WATCHLIST_NAME_COLUMNS = {
    ("visits_visitorrestriction", "name"),
    ("visits_historicalvisitorrestriction", "name"),
}


# --- scanning the whole database ---------------------------------------------------

TEXT_FIELD_TYPES = {"CharField", "TextField", "JSONField", "SlugField", "EmailField", "GenericIPAddressField"}
# PostgreSQL type OIDs Django's introspection may not name: text, varchar, bpchar, json, jsonb, name.
PG_TEXT_OIDS = {25, 1043, 1042, 114, 3802, 19}


def _text_columns():
    """{table: [column, …]} for every char/varchar/text/json column of every table."""
    introspection = connection.introspection
    columns = {}
    with connection.cursor() as cursor:
        for table in introspection.table_names(cursor):
            found = []
            for column in introspection.get_table_description(cursor, table):
                try:
                    kind = introspection.get_field_type(column.type_code, column)
                except KeyError:
                    kind = ""
                if kind in TEXT_FIELD_TYPES or (connection.vendor == "postgresql" and column.type_code in PG_TEXT_OIDS):
                    found.append(column.name)
            if found:
                columns[table] = found
    return columns


def _decode_session(value):
    engine = import_module(settings.SESSION_ENGINE)
    return json.dumps(engine.SessionStore().decode(value), ensure_ascii=False, default=str)


def _decode_cache(value):
    return repr(pickle.loads(base64.b64decode(value)))


def _decoders():
    """Columns whose stored text is an encoding of other text: searched decoded too."""
    decoders = {("django_session", "session_data"): _decode_session}
    cache = settings.CACHES["default"]
    if cache["BACKEND"].endswith("DatabaseCache"):
        decoders[(cache["LOCATION"], "value")] = _decode_cache
    return decoders


def _forms(text):
    """The forms a string may take when stored: itself, JSON-escaped (SQLite keeps
    JSON with \\u escapes), URL-encoded."""
    return {text, json.dumps(text)[1:-1], quote(text), quote_plus(text)}


def scan(needles, columns=None):
    """{(table, column): {label, …}} for every text column holding one of `needles` ({label: string})."""
    columns = columns or _text_columns()
    decoders = _decoders()
    qn = connection.ops.quote_name
    leaks = {}
    with connection.cursor() as cursor:
        for table, names in columns.items():
            for column in names:
                cursor.execute(f"SELECT {qn(column)} FROM {qn(table)}")  # names from introspection
                decode = decoders.get((table, column))
                for (value,) in cursor.fetchall():
                    if value is None:
                        continue
                    texts = [value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)]
                    if decode is not None:
                        with contextlib.suppress(Exception):
                            texts.append(decode(value))
                    for label, needle in needles.items():
                        if any(form in text for text in texts for form in _forms(needle)):
                            leaks.setdefault((table, column), set()).add(label)
    return leaks


def _all_needles():
    needles = dict(OWNER_NAMES)
    for visitor in ALL_VISITORS:
        needles.update(visitor.needles())
    return needles


# --- builders ------------------------------------------------------------------------


@pytest.fixture
def houses(community, manager, butler1):
    """1-1-101 … 1-1-104 in butler1's zone."""
    return make_houses(community, "1", actor=manager, butler=butler1, rooms=4)


def _form(visitor, house, **extra):
    return {
        "id_number": visitor.id_number,
        "name": visitor.name,
        "mobile": visitor.mobile,
        "house_number": house.number if house else "",
        "purpose": "friend" if house else "business",
        "head_count": 1,
        "plate": visitor.plate,
        "items": "",
        "id_type": "resident_id",
        "entered_at": "",
        **extra,
    }


def _post(client, url, data, status=302):
    response = client.post(url, data)
    errors = re.findall(r'class="(?:invalid-feedback|alert alert-danger)[^"]*"[^>]*>([^<]*)', response.content.decode())
    assert response.status_code == status, errors
    return response


def _entry_of(visitor):
    return VisitorEntry.objects.get(mobile_hash=visitors.mobile_hash(visitor.mobile))


@pytest.fixture
def busy_day(client, community, houses, frontdesk, supervisor, manager):
    """A front-desk day through the real views: two watchlist entries; six walk-in
    visitors (one override by the supervisor's password after a wrong one, one
    inbox approval, one owner refusal, one consent); three exits."""
    from axes.models import AccessAttempt

    client.force_login(supervisor)
    for data in (
        {"name": ZHUGE.name, "id_type": "resident_id", "id_number": ZHUGE.id_number, "reason": "多次损坏门禁"},
        {"name": SHANGGUAN.name, "id_type": "resident_id", "mobile": SHANGGUAN.mobile, "reason": "辱骂保安"},
    ):
        _post(client, WATCHLIST, {"mobile": "", "id_number": "", "until": "", **data})

    client.force_login(frontdesk)
    assert client.get(REGISTER).status_code == 200
    _post(client, REGISTER, _form(OUYANG, houses[0], id_number=OUYANG.id_number.lower()))
    _post(client, REGISTER, _form(SIMA, houses[1]))
    warned = _post(client, REGISTER, _form(ZHUGE, houses[2]), status=400)
    assert "限制来访" in warned.content.decode()
    wrong = {"override_username": "supervisor", "override_password": WRONG_PASSWORD, "override_reason": "业主担保"}
    _post(client, REGISTER, _form(ZHUGE, houses[2], **wrong), status=400)
    assert AccessAttempt.objects.filter(username="supervisor").exists()  # axes counted the failure
    right = {"override_username": "supervisor", "override_password": TEST_PASSWORD, "override_reason": "业主担保"}
    _post(client, REGISTER, _form(ZHUGE, houses[2], **right))
    inbox = {"ask_inbox_approval": "on", "override_reason": "送药，业主在家"}
    _post(client, REGISTER, _form(SHANGGUAN, houses[3], **inbox))
    # A repeat visitor is found by mobile (a GET: nothing is stored).
    assert client.get(reverse("visits:frontdesk_lookup"), {"mobile": OUYANG.mobile}).json()["found"]

    waiting = _entry_of(SHANGGUAN)
    assert waiting.status == EntryStatus.AWAITING_OVERRIDE
    assert Reminder.objects.filter(kind="visits.visitor_override").count() == 2  # supervisor and manager
    client.force_login(supervisor)
    _post(client, reverse("visits:frontdesk_entry", args=[waiting.pk]), {"action": "approve", "comment": "同意"})

    client.force_login(frontdesk)
    for visitor in (OUYANG, ZHUGE, SHANGGUAN):
        _post(client, reverse("visits:frontdesk_exit", args=[_entry_of(visitor).pk]), {})

    client.force_login(manager)
    settings_form = {"consent_required": "on", "overstay_hours": 4, "night_cutoff": "23:00", "retention_days": 30}
    _post(client, reverse("visits:frontdesk_settings"), settings_form)
    client.force_login(frontdesk)
    _post(client, REGISTER, _form(LINGHU, houses[0], consent=Consent.REFUSED, consent_by="业主测试庚"))
    _post(client, REGISTER, _form(MURONG, houses[1], consent=Consent.CONSENTED, consent_by="家属测试辛"))

    statuses = {visitor.name: _entry_of(visitor).status for visitor in ALL_VISITORS}
    assert statuses == {
        OUYANG.name: EntryStatus.LEFT,
        SIMA.name: EntryStatus.INSIDE,
        ZHUGE.name: EntryStatus.LEFT,
        SHANGGUAN.name: EntryStatus.LEFT,
        LINGHU.name: EntryStatus.REFUSED,
        MURONG.name: EntryStatus.INSIDE,
    }
    assert _entry_of(ZHUGE).override_method == OverrideMethod.PASSWORD
    assert _entry_of(SHANGGUAN).override_method == OverrideMethod.INBOX
    return community


def _retention_leaks():
    """Scan before and after the retention job; returns the leaks after it."""
    columns = _text_columns()
    required = {
        ("visits_visitorentry", "name"),
        ("visits_historicalvisitorentry", "id_number"),
        ("visits_historicalvisitorentry", "plate"),
        ("core_reminder", "text"),
        ("django_session", "session_data"),
        ("axes_accessattempt", "post_data"),
        ("axes_accessattempt", "get_data"),
        ("axes_accesslog", "username"),
    }
    assert required <= {(table, column) for table, names in columns.items() for column in names}
    # The scanner finds what is there: before the job the register and its history hold the data.
    before = scan(_all_needles(), columns)
    assert f"name {SIMA.name}" in before[("visits_visitorentry", "name")]
    assert f"plate {OUYANG.plate}" in before[("visits_historicalvisitorentry", "plate")]

    assert visitors.anonymise_expired_entries(now=timezone.now() + dt.timedelta(days=31)) == len(ALL_VISITORS)
    assert set(VisitorEntry.objects.values_list("name", flat=True)) == {ANONYMISED}
    leaks = scan(_all_needles(), columns)
    for key in WATCHLIST_NAME_COLUMNS:
        labels = leaks.get(key, set()) - {f"name {ZHUGE.name}", f"name {SHANGGUAN.name}"}
        if labels:
            leaks[key] = labels
        else:
            leaks.pop(key, None)
    return leaks


def test_no_original_string_left_anywhere_after_retention(busy_day):
    """Register, history, reminders, sessions, login attempts (the wrong supervisor
    password was counted by axes), settings history, cache …: nothing left."""
    assert _retention_leaks() == {}


def test_mistyped_supervisor_password_is_not_stored(busy_day):
    """The failed override is counted by axes without logging the form (or the password)."""
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.get(username="supervisor").failures_since_start == 1
    assert scan({"password": WRONG_PASSWORD}) == {}


def test_reminders_about_an_override_carry_no_personal_data(busy_day):
    reminders = Reminder.objects.filter(kind="visits.visitor_override")
    texts = " ".join(text + url for text, url in reminders.values_list("text", "url"))
    assert texts
    for needle in SHANGGUAN.needles().values():
        assert needle not in texts


# --- exit and refusals forget the clear ID at once --------------------------------------


def _id_needles(visitor):
    return {label: value for label, value in visitor.needles().items() if label.startswith("id ")}


def test_exit_removes_the_clear_id_from_history_at_once(client_for, community, houses, frontdesk):
    client = client_for(frontdesk)
    _post(client, REGISTER, _form(OUYANG, houses[0], id_number=OUYANG.id_number.lower()))
    entry = _entry_of(OUYANG)
    assert entry.id_number == OUYANG.id_number
    assert set(scan(_id_needles(OUYANG))) == {
        ("visits_visitorentry", "id_number"),
        ("visits_historicalvisitorentry", "id_number"),
    }

    _post(client, reverse("visits:frontdesk_exit", args=[entry.pk]), {})

    entry.refresh_from_db()
    assert entry.status == EntryStatus.LEFT and entry.anonymised_at is None
    assert list(VisitorEntry.history.filter(id=entry.pk).values_list("id_number", flat=True)) == ["", ""]
    assert scan(_id_needles(OUYANG)) == {}  # nowhere in the database, long before the retention period
    # Only the masked form and the keyed hash remain; the rest waits for the retention job.
    assert entry.id_masked == "310***********025X"
    assert entry.id_hash == visitors.id_hash("resident_id", OUYANG.id_number)
    assert entry.name == OUYANG.name and entry.mobile == OUYANG.mobile


def test_owner_refusal_never_stores_the_clear_id(client_for, community, houses, frontdesk):
    FrontDeskSettings.objects.update_or_create(community=community, defaults={"consent_required": True})
    client = client_for(frontdesk)
    _post(client, REGISTER, _form(LINGHU, houses[0], consent=Consent.REFUSED, consent_by="业主测试庚"))

    refused = _entry_of(LINGHU)
    assert (refused.status, refused.consent, refused.consent_by) == (EntryStatus.REFUSED, Consent.REFUSED, "业主测试庚")
    assert refused.id_number == "" and refused.id_hash and refused.id_masked
    assert list(VisitorEntry.history.filter(id=refused.pk).values_list("id_number", flat=True)) == [""]
    assert scan(_id_needles(LINGHU)) == {}


def test_inbox_refusal_forgets_the_clear_id(client_for, community, houses, frontdesk, supervisor):
    visitors.restrict_visitor(community=community, actor=supervisor, name="某人", reason="x", mobile=SHANGGUAN.mobile)
    client = client_for(frontdesk)
    _post(client, REGISTER, _form(SHANGGUAN, houses[0], ask_inbox_approval="on", override_reason="送药"))
    waiting = _entry_of(SHANGGUAN)
    assert waiting.status == EntryStatus.AWAITING_OVERRIDE and waiting.id_number == SHANGGUAN.id_number

    client = client_for(supervisor)
    _post(client, reverse("visits:frontdesk_entry", args=[waiting.pk]), {"action": "refuse", "comment": "不予放行"})

    waiting.refresh_from_db()
    assert waiting.status == EntryStatus.REFUSED and waiting.id_number == ""
    assert not VisitorEntry.history.filter(id=waiting.pk).exclude(id_number="").exists()
    assert scan(_id_needles(SHANGGUAN)) == {}


# --- two at once (PostgreSQL) ------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_exits_at_once_one_wins(community, houses, frontdesk, monkeypatch):
    entry = visitors.register_entry(
        community=community,
        actor=frontdesk,
        name=OUYANG.name,
        id_type="resident_id",
        id_number=OUYANG.id_number,
        house=houses[0],
        purpose="friend",
    )
    barrier = threading.Barrier(2, timeout=10)
    original = visitors._scrub_history

    def slow_scrub(*args, **kwargs):
        time.sleep(0.3)  # the winner holds the row lock a while: the other is surely waiting on it
        return original(*args, **kwargs)

    monkeypatch.setattr(visitors, "_scrub_history", slow_scrub)

    def exit_once():
        barrier.wait()
        try:
            visitors.mark_exit(entry, actor=frontdesk)
        except ValidationError as error:
            return f"refused: {error.messages[0]}"
        return "left"

    assert sorted(run_in_threads(exit_once)) == ["left", "refused: 该访客不在小区内。"]
    entry.refresh_from_db()
    assert entry.status == EntryStatus.LEFT and entry.id_number == ""
    assert VisitorEntry.history.filter(id=entry.pk, status=EntryStatus.LEFT).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_retention_runs_at_once_anonymise_each_entry_once(community, frontdesk, monkeypatch):
    now = timezone.now()
    old = now - dt.timedelta(days=40)
    expired = 1200  # more than two of the job's 500-row batches
    rows = [
        VisitorEntry(
            community=community,
            name=f"批量访客{n}",
            id_type="resident_id",
            id_masked="110***********0000",
            id_hash=f"hash{n}",
            mobile=f"139{n:08d}",
            mobile_hash=f"m{n}",
            plate="沪A12345",
            purpose="friend",
            entered_at=old + dt.timedelta(seconds=n),
            registered_by=frontdesk,
        )
        for n in range(expired + 3)
    ]
    for recent in rows[expired:]:
        recent.entered_at = now - dt.timedelta(days=2)
    bulk_create_with_history(rows, VisitorEntry, default_user=frontdesk)

    real_atomic = transaction.atomic

    @contextlib.contextmanager
    def slow_atomic(*args, **kwargs):
        with real_atomic(*args, **kwargs):
            yield
            time.sleep(0.2)  # each batch stays locked a while: the other run must skip it

    monkeypatch.setattr(visitors, "transaction", types.SimpleNamespace(atomic=slow_atomic))
    barrier = threading.Barrier(2, timeout=10)

    def run():
        barrier.wait()
        return visitors.anonymise_expired_entries(now=now)

    results = run_in_threads(run)

    assert sum(results) == expired and min(results) > 0, results  # both worked, no entry counted twice
    assert VisitorEntry.objects.filter(anonymised_at__isnull=False).count() == expired
    assert VisitorEntry.objects.filter(anonymised_at__isnull=False).values("anonymised_at").distinct().count() == 1
    assert not VisitorEntry.history.filter(entered_at__lt=now - dt.timedelta(days=30)).exclude(name=ANONYMISED).exists()
    assert VisitorEntry.objects.filter(anonymised_at__isnull=True).count() == 3
    assert visitors.anonymise_expired_entries(now=now) == 0


# --- constant query counts ------------------------------------------------------------------


def _fill(community, houses, actor, count, start=0):
    """`count` visitors registered now; every other one has left already."""
    for n in range(start, start + count):
        entry = visitors.register_entry(
            community=community,
            actor=actor,
            name=f"访客{n}",
            id_type="passport",
            id_number=f"E{n:08d}",
            mobile=f"139{n:08d}",
            house=houses[n % len(houses)],
            purpose="friend",
        )
        if n % 2:
            visitors.mark_exit(entry, actor=actor)


def _count(client, method, url, data=None, status=200):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == status
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.parametrize("user", ["frontdesk", "butler1"])
def test_board_queries_do_not_grow(client, community, houses, people, user):
    FrontDeskSettings.for_community(community)
    client.force_login(people[user])
    _fill(community, houses, people["frontdesk"], 2)  # one inside, one left today
    client.get(BOARD)
    one, html_one = _count(client, "get", BOARD)
    _fill(community, houses, people["frontdesk"], 48, start=2)
    many, html_many = _count(client, "get", BOARD)
    assert html_one.count("访客") < html_many.count("访客") and "访客49" in html_many
    assert many == one


def test_register_page_and_save_queries_do_not_grow(client_for, community, houses, frontdesk):
    FrontDeskSettings.for_community(community)
    client = client_for(frontdesk)
    _fill(community, houses, frontdesk, 1)
    client.get(REGISTER)
    page_one, _ = _count(client, "get", REGISTER)
    save_one, _ = _count(client, "post", REGISTER, _form(OUYANG, houses[0]), status=302)
    _fill(community, houses, frontdesk, 24, start=1)
    page_many, _ = _count(client, "get", REGISTER)
    save_many, _ = _count(client, "post", REGISTER, _form(SIMA, houses[1]), status=302)
    assert VisitorEntry.objects.count() == 27
    assert (page_many, save_many) == (page_one, save_one)


# --- permissions beyond the matrix ---------------------------------------------------------


@pytest.fixture
def two_zones(community, manager, butler1, butler2, frontdesk):
    """One visitor to butler1's zone, one to butler2's, one to the service centre."""
    mine = make_houses(community, "1", actor=manager, butler=butler1, rooms=1)[0]
    theirs = make_houses(community, "2", actor=manager, butler=butler2, rooms=1)[0]
    made = {}
    for key, visitor, house in (("mine", OUYANG, mine), ("theirs", SIMA, theirs), ("office", ZHUGE, None)):
        made[key] = visitors.register_entry(
            community=community,
            actor=frontdesk,
            name=visitor.name,
            id_type="resident_id",
            id_number=visitor.id_number,
            house=house,
            purpose="friend" if house else "business",
        )
    return made


def test_butler_sees_only_own_zone(client_for, two_zones, butler1):
    client = client_for(butler1)
    board = client.get(BOARD).content.decode()
    assert OUYANG.name in board and SIMA.name not in board and ZHUGE.name not in board
    assert client.get(reverse("visits:frontdesk_entry", args=[two_zones["mine"].pk])).status_code == 200
    assert client.get(reverse("visits:frontdesk_entry", args=[two_zones["theirs"].pk])).status_code == 403
    assert client.get(reverse("visits:frontdesk_entry", args=[two_zones["office"].pk])).status_code == 403
    # Reading is all: no exit, no registration, not even in the own zone.
    assert client.post(reverse("visits:frontdesk_exit", args=[two_zones["mine"].pk])).status_code == 403
    assert client.get(REGISTER).status_code == 403
    two_zones["mine"].refresh_from_db()
    assert two_zones["mine"].status == EntryStatus.INSIDE


def test_other_communitys_entry_is_404(client_for, community2, frontdesk, manager):
    clerk2 = make_staff("frontdesk2", community2, Role.FRONT_DESK)
    house = make_houses(community2, "9", actor=make_staff("manager2", community2, Role.MANAGER), rooms=1)[0]
    theirs = visitors.register_entry(
        community=community2,
        actor=clerk2,
        name=MURONG.name,
        id_type="resident_id",
        id_number=MURONG.id_number,
        house=house,
        purpose="friend",
    )
    for user in (frontdesk, manager):
        client = client_for(user)
        assert client.get(reverse("visits:frontdesk_entry", args=[theirs.pk])).status_code == 404
        assert client.post(reverse("visits:frontdesk_exit", args=[theirs.pk])).status_code == 404
        assert MURONG.name not in client.get(BOARD).content.decode()
    theirs.refresh_from_db()
    assert theirs.status == EntryStatus.INSIDE


def test_only_a_supervisor_adds_to_or_lifts_the_watchlist(client_for, community, frontdesk, supervisor):
    data = {"name": SIMA.name, "id_type": "resident_id", "id_number": SIMA.id_number, "mobile": "", "reason": "滋事"}
    clerk = client_for(frontdesk)
    assert clerk.get(WATCHLIST).status_code == 200  # the clerk reads the list
    assert clerk.post(WATCHLIST, data).status_code == 403
    assert not VisitorRestriction.objects.exists()

    assert client_for(supervisor).post(WATCHLIST, data).status_code == 302
    restriction = VisitorRestriction.objects.get()
    assert restriction.restricted_by == supervisor and restriction.id_masked == "440***********2972"

    lift = reverse("visits:frontdesk_lift", args=[restriction.pk])
    assert client_for(frontdesk).post(lift).status_code == 403
    restriction.refresh_from_db()
    assert restriction.lifted_at is None


def test_a_clerk_cannot_approve_an_override(client_for, community, houses, frontdesk, supervisor):
    visitors.restrict_visitor(community=community, actor=supervisor, name="某人", reason="x", mobile=SHANGGUAN.mobile)
    client = client_for(frontdesk)
    _post(client, REGISTER, _form(SHANGGUAN, houses[0], ask_inbox_approval="on", override_reason="送药"))
    waiting = _entry_of(SHANGGUAN)
    url = reverse("visits:frontdesk_entry", args=[waiting.pk])
    assert client.post(url, {"action": "approve"}).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == EntryStatus.AWAITING_OVERRIDE and waiting.override_by is None
