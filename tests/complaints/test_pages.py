"""What people see and type on the complaint pages (issue 8): bad input keeps
what was typed, masked numbers, the list's filters and its query count, the
follow-up hand-off, the answer book at the counter."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints import services
from complaints.models import Complaint
from core.choices import DepartmentKind
from core.models import Department
from tests.builders import at
from visits import services as visit_services

pytestmark = pytest.mark.django_db


def test_bad_intake_keeps_what_was_typed_and_saves_nothing(clock, client_for, frontdesk, house):
    client = client_for(frontdesk)
    data = {
        "kind": "complaint",
        "channel": "phone",
        "urgency": "normal",
        "category": "noise",
        "house_number": "99-9-999",
        "reporter_name": "孙阿姨",
        "description": "隔壁狗叫一整晚",
    }
    response = client.post("/complaints/new/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "本小区没有房号 99-9-999" in page and "隔壁狗叫一整晚" in page and "孙阿姨" in page
    response = client.post("/complaints/new/", {**data, "house_number": "", "category": ""})
    page = response.content.decode()
    assert "请选择房屋，或填写公共区域地点" in page or "这个字段是必填项" in page
    response = client.post("/complaints/new/", {**data, "house_number": house.number, "is_household_incident": "on"})
    assert "只有“求助”可以标记为家中事故" in response.content.decode()
    assert Complaint.objects.count() == 0
    response = client.post("/complaints/new/", {**data, "house_number": house.number, "contact": "13812345678"})
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response.url == f"/complaints/{complaint.pk}/"
    page = client.get(response.url).content.decode()
    assert "TS-2026-000001" in page and 'id="owner">' in page and "答复剩" in page


def test_numbers_are_masked_until_someone_working_it_looks(client_for, receive, frontdesk, butler1, supervisor):
    complaint = receive()
    for user in (frontdesk, butler1):
        page = client_for(user).get(f"/complaints/{complaint.pk}/").content.decode()
        assert "138****5678" in page and "13812345678" not in page
    assert "13812345678" not in client_for(frontdesk).get(f"/complaints/{complaint.pk}/print/").content.decode()
    assert client_for(butler1).post(f"/complaints/{complaint.pk}/contact/").status_code == 403
    page = client_for(supervisor).post(f"/complaints/{complaint.pk}/contact/").content.decode()
    assert 'href="tel:13812345678"' in page
    assert complaint.events.filter(action="contact_viewed", actor=supervisor).count() == 1


def test_a_technician_sees_only_what_they_own_or_handle(client_for, receive, tech1, supervisor, community):
    complaint = receive()
    assert client_for(tech1).get(f"/complaints/{complaint.pk}/").status_code == 404
    engineering = Department.objects.get(community=community, kind=DepartmentKind.ENGINEERING)
    services.dispatch(complaint, actor=supervisor, department=engineering, handler=tech1)
    page = client_for(tech1).get(f"/complaints/{complaint.pk}/").content.decode()
    assert "TS-2026-000001" in page and "答复业主" in page


def test_an_empty_answer_is_refused_on_the_page(client_for, receive, frontdesk):
    complaint = receive()
    client = client_for(frontdesk)
    response = client.post(f"/complaints/{complaint.pk}/answer/", {"answer-reply": "", "answer-promised_at": ""})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    response = client.post(f"/complaints/{complaint.pk}/answer/", {"answer-reply": "明天上午处理"})
    assert response.status_code == 302
    assert "明天上午处理" in client.get(f"/complaints/{complaint.pk}/").content.decode()


def test_list_filters_and_a_query_count_that_does_not_grow(clock, client_for, receive, supervisor, frontdesk):
    first = receive(category="noise")
    services.pause(first, actor=frontdesk, reason="等业主")
    client = client_for(supervisor)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/complaints/?show=all").status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for n in range(20):
        complaint = receive(description=f"第{n}件")
        if n % 3 == 0:
            services.pause(complaint, actor=frontdesk, reason="等业主")
    assert queries() == few
    paused = client.get("/complaints/?show=paused").content.decode()
    assert paused.count('data-clock="paused"') == 8
    noise = client.get("/complaints/?show=all&category=noise").content.decode()
    assert len(re.findall(r'id="complaint-\d+"', noise)) == 1
    found = client.get("/complaints/?show=all&q=TS-2026-000001").content.decode()
    assert len(re.findall(r'id="complaint-\d+"', found)) == 1


def test_turn_a_follow_up_into_a_complaint_from_the_follow_up_list(clock, client_for, house, butler1):
    visit = visit_services.log_visit(
        house=house,
        actor=butler1,
        started_at=at(2026, 11, 2, 8, 30),
        channel="door",
        visit_type="routine",
        follow_ups=[{"description": "楼上漏水到卫生间", "due_at": at(2026, 11, 3, 17), "category": "repair"}],
        window_reason="上门",
    )
    follow_up = visit.follow_ups.get()
    client = client_for(butler1)
    assert f"/complaints/new/?follow_up={follow_up.pk}" in client.get("/visits/follow-ups/?show=open").content.decode()
    form = client.get(f"/complaints/new/?follow_up={follow_up.pk}").content.decode()
    assert "楼上漏水到卫生间" in form and 'value="maintenance" selected' in form
    response = client.post(
        f"/complaints/new/?follow_up={follow_up.pk}",
        {
            "kind": "complaint",
            "channel": "visit",
            "urgency": "normal",
            "category": "maintenance",
            "house_number": house.number,
            "reporter_name": "业主",
            "description": "楼上漏水到卫生间",
        },
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "converted" and follow_up.converted_to == Complaint.objects.get()
    assert "已转办" in client.get("/visits/follow-ups/?show=all").content.decode()


def test_the_counter_finds_the_approved_answer(client_for, community, supervisor, manager, frontdesk):
    entry = services.draft_entry(
        community=community,
        actor=supervisor,
        question="物业费怎么交",
        answer="前台现金、微信或银行代扣",
        category="fees",
        keywords="物业费 缴费",
    )
    client = client_for(frontdesk)
    assert client.get("/complaints/book/search/?q=请问物业费能按年交吗").json()["entries"] == []
    services.approve_entry(entry, actor=manager)
    found = client.get("/complaints/book/search/?q=请问物业费能按年交吗").json()["entries"]
    assert [e["answer"] for e in found] == ["前台现金、微信或银行代扣"]


def test_settings_refuse_nonsense_and_apply_the_clock_mode(clock, client_for, receive, manager, supervisor):
    complaint = receive()
    client = client_for(manager)
    base = {
        "clock_mode": "calendar",
        "urgent_answer_hours": 24,
        "normal_answer_hours": 48,
        "resolution_hours": 72,
        "manager_hours": 48,
        "valid_rate_target": "1",
    }
    response = client.post("/complaints/settings/", {**base, "warn_percent": 150})
    assert response.status_code == 400 and "预警点须在 1% 到 99% 之间" in response.content.decode()
    clock.set(2026, 11, 6, 15)  # a Friday: in working-day mode the weekend no longer counts
    assert (
        client.post("/complaints/settings/", {**base, "warn_percent": 75, "clock_mode": "working"}).status_code == 302
    )
    complaint.refresh_from_db()
    assert complaint.answer_due_at == at(2026, 11, 4, 9)  # Mon 09:00 + 48 h of working days
    assert client_for(supervisor).get("/complaints/settings/").status_code == 403
