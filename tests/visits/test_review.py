"""The supervisor's daily review of visit records (SPEC §2.2 [001]): approve or
send back with a comment, by a supervisor or manager only, once; a record that
contains a complaint is flagged to the supervisors for the complaint procedure."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.visits.conftest import at, inbox
from visits import services
from visits.choices import Channel, VisitStatus, VisitType
from visits.models import Visit


def _log(house, actor, **fields):
    return services.log_visit(
        house=house,
        actor=actor,
        started_at=at(2026, 11, 17, 10, 0),
        channel=Channel.DOOR,
        visit_type=VisitType.ROUTINE,
        **fields,
    )


@pytest.fixture
def visit(house, butler1):
    return _log(house, butler1, opinions=[("greening", "草坪枯黄")])


def test_supervisor_approves(visit, supervisor, butler1):
    reviewed = services.review_visit(visit, actor=supervisor, decision="approve")
    assert (reviewed.status, reviewed.reviewed_by, reviewed.review_comment) == (VisitStatus.APPROVED, supervisor, "")
    assert reviewed.reviewed_at is not None
    assert inbox(butler1, "visits.returned") == []


def test_manager_may_review_too(visit, manager):
    assert services.review_visit(visit, actor=manager, decision="approve").status == VisitStatus.APPROVED


def test_sending_back_needs_a_comment_and_reminds_the_author(visit, supervisor, butler1):
    with pytest.raises(ValidationError, match="退回时请写明原因"):
        services.review_visit(visit, actor=supervisor, decision="return", comment=" ")
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.SUBMITTED

    returned = services.review_visit(visit, actor=supervisor, decision="return", comment="请补充业主答复")
    assert (returned.status, returned.review_comment) == (VisitStatus.RETURNED, "请补充业主答复")
    assert inbox(butler1, "visits.returned") == ["访问记录被退回：1-1-101，请补充业主答复"]


@pytest.mark.parametrize("reviewer", ["butler1", "butler2", "frontdesk", "tech1", "butler3"])
def test_only_supervisor_or_manager_may_review(visit, people, reviewer):
    with pytest.raises(PermissionDenied, match="只有客服主管或经理可以审核访问记录"):
        services.review_visit(visit, actor=people[reviewer], decision="approve")
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.SUBMITTED


def test_a_record_is_reviewed_once(visit, supervisor, manager):
    services.review_visit(visit, actor=supervisor, decision="approve")
    for decision in ("approve", "return"):
        with pytest.raises(ValidationError, match="该记录已审核"):
            services.review_visit(visit, actor=manager, decision=decision, comment="再看看")
    assert Visit.objects.get(pk=visit.pk).reviewed_by == supervisor


def test_a_returned_record_is_corrected_by_its_author_and_reviewed_again(visit, supervisor, butler1, butler2):
    services.review_visit(visit, actor=supervisor, decision="return", comment="请补充业主答复")
    with pytest.raises(ValidationError, match="该记录已审核"):
        services.review_visit(visit, actor=supervisor, decision="approve")
    with pytest.raises(PermissionDenied, match="只能修改被退回的本人记录"):
        services.resubmit_visit(visit, actor=butler2, reply="已答复")

    again = services.resubmit_visit(visit, actor=butler1, reply="已答复：下周补种")
    assert (again.status, again.reply) == (VisitStatus.SUBMITTED, "已答复：下周补种")
    assert services.review_visit(again, actor=supervisor, decision="approve").status == VisitStatus.APPROVED
    with pytest.raises(PermissionDenied, match="只能修改被退回的本人记录"):
        services.resubmit_visit(visit, actor=butler1, reply="再改")


def test_a_record_containing_a_complaint_goes_to_the_supervisors(house, butler1, supervisor, manager):
    _log(house, butler1, contains_complaint=True, opinions=[("order", "夜间装修噪音，要求投诉")])
    assert inbox(supervisor, "visits.review") == ["含投诉的访问记录，请转入投诉处理程序：1-1-101 11-17 10:00"]
    assert inbox(butler1, "visits.review") == []


def test_an_ordinary_record_flags_nothing(visit, supervisor):
    assert inbox(supervisor, "visits.review") == []
