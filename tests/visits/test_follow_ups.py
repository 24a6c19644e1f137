"""A promised answer is a follow-up with an owner and a due time: the owner is
told at once and reminded before the due time, the supervisor hears after it —
each once; closing needs a resolution; converting hands it to a complaint or work
order once (SPEC §2.2 [000])."""

import pytest
from django.core.exceptions import ValidationError

from tests.visits.conftest import at, inbox
from visits import services
from visits.choices import Channel, FollowUpStatus, VisitType
from visits.models import FollowUp

DUE = at(2026, 11, 20, 17, 0)
PROMISE = "答复业主：地库照明何时修好"


@pytest.fixture
def follow_up(house, butler1):
    return services.create_follow_up(actor=butler1, house=house, description=PROMISE, due_at=DUE, category="repair")


def test_creating_a_follow_up_tells_its_owner(follow_up, butler1):
    assert (follow_up.owner, follow_up.status, follow_up.due_at) == (butler1, FollowUpStatus.OPEN, DUE)
    assert inbox(butler1, "visits.follow_up") == [f"新的跟进事项（1-1-101）：{PROMISE}，期限 11-20 17:00"]


def test_a_follow_up_can_be_given_to_someone_else(house, butler1, butler2):
    handed = services.create_follow_up(
        actor=butler1, owner=butler2, house=house, description="问物业费减免", due_at=DUE
    )
    assert (handed.owner, handed.created_by) == (butler2, butler1)
    assert inbox(butler2, "visits.follow_up") == ["新的跟进事项（1-1-101）：问物业费减免，期限 11-20 17:00"]
    assert inbox(butler1, "visits.follow_up") == []


def test_a_follow_up_needs_a_description(house, butler1):
    with pytest.raises(ValidationError) as raised:
        services.create_follow_up(actor=butler1, house=house, description="  ", due_at=DUE)
    assert raised.value.message_dict == {"description": ["请填写跟进事项。"]}
    assert not FollowUp.objects.exists()


def test_a_follow_up_raised_in_a_visit_links_back_to_it(house, butler1):
    visit = services.log_visit(
        house=house,
        actor=butler1,
        started_at=at(2026, 11, 17, 10, 0),
        channel=Channel.DOOR,
        visit_type=VisitType.ROUTINE,
        opinions=[("cleaning", "楼道有垃圾")],
        follow_ups=[{"description": "安排保洁并回复", "due_at": DUE, "category": "cleaning"}],
    )
    follow_up = FollowUp.objects.get()
    assert (follow_up.visit, follow_up.house, follow_up.owner, follow_up.category) == (
        visit,
        house,
        butler1,
        "cleaning",
    )
    assert list(visit.follow_ups.all()) == [follow_up]


def test_owner_is_reminded_within_four_hours_of_the_due_time_once(follow_up, butler1, supervisor):
    assert services.remind_follow_ups(now=at(2026, 11, 20, 12, 59)) == 0
    assert services.remind_follow_ups(now=at(2026, 11, 20, 13, 0)) == 1
    assert services.remind_follow_ups(now=at(2026, 11, 20, 16, 0)) == 0
    assert inbox(butler1, "visits.follow_up_due") == [f"跟进事项即将到期（1-1-101）：{PROMISE}"]
    assert inbox(supervisor, "visits.follow_up_overdue") == []


def test_after_the_due_time_the_supervisor_hears_once(follow_up, butler1, supervisor, manager):
    services.remind_follow_ups(now=at(2026, 11, 20, 13, 0))
    assert services.remind_follow_ups(now=at(2026, 11, 20, 17, 0)) == 1
    assert services.remind_follow_ups(now=at(2026, 11, 21, 9, 0)) == 0
    assert inbox(supervisor, "visits.follow_up_overdue") == [f"跟进事项已逾期（1-1-101，负责人 {butler1}）：{PROMISE}"]
    assert inbox(manager, "visits.follow_up_overdue") == []
    assert len(inbox(butler1, "visits.follow_up_due")) == 1


def test_closed_follow_ups_are_neither_reminded_nor_escalated(follow_up, butler1, supervisor):
    services.close_follow_up(follow_up, actor=butler1, resolution="已电话答复：周五修好")
    assert services.remind_follow_ups(now=at(2026, 11, 20, 13, 0)) == 0
    assert services.remind_follow_ups(now=at(2026, 11, 21, 9, 0)) == 0
    assert inbox(supervisor, "visits.follow_up_overdue") == []


def test_closing_needs_a_resolution(follow_up, butler1):
    with pytest.raises(ValidationError) as raised:
        services.close_follow_up(follow_up, actor=butler1, resolution=" ")
    assert raised.value.message_dict == {"resolution": ["请填写处理结果。"]}
    closed = services.close_follow_up(follow_up, actor=butler1, resolution=" 已电话答复：周五修好 ")
    assert (closed.status, closed.resolution) == (FollowUpStatus.DONE, "已电话答复：周五修好")
    assert closed.closed_at is not None
    with pytest.raises(ValidationError, match="该跟进事项已关闭"):
        services.close_follow_up(follow_up, actor=butler1, resolution="再次关闭")


def test_converting_links_to_the_new_record_and_closes(follow_up, butler1, stand_in):
    work_order = stand_in("派工单 WO-1")
    converted = services.convert_follow_up(follow_up, actor=butler1, target=work_order)
    converted = FollowUp.objects.get(pk=converted.pk)
    assert converted.status == FollowUpStatus.CONVERTED
    assert converted.converted_to == work_order
    assert converted.closed_at is not None


def test_a_converted_or_closed_follow_up_cannot_be_converted_again(follow_up, house, butler1, stand_in):
    services.convert_follow_up(follow_up, actor=butler1, target=stand_in("投诉 C-1"))
    with pytest.raises(ValidationError, match="该跟进事项已关闭，不能再转办"):
        services.convert_follow_up(follow_up, actor=butler1, target=stand_in("投诉 C-2"))
    assert FollowUp.objects.get(pk=follow_up.pk).converted_to.name == "投诉 C-1"

    other = services.create_follow_up(actor=butler1, house=house, description="另一件事", due_at=DUE)
    services.close_follow_up(other, actor=butler1, resolution="已答复")
    with pytest.raises(ValidationError, match="该跟进事项已关闭，不能再转办"):
        services.convert_follow_up(other, actor=butler1, target=stand_in("派工单 WO-2"))
