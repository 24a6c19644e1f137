"""Staff without an immediate right ask to see a person's numbers; a supervisor or
manager approves for a limited time, or rejects (SPEC §1 confidentiality)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from core.models import Reminder
from residents import privacy
from residents.choices import AccessRequestStatus
from residents.models import AccessRequest, RevealLog
from tests.residents.conftest import OWNER_ID, OWNER_MOBILE

pytestmark = pytest.mark.django_db

PURPOSE = "其他（见申请理由）"


def reveal(client, person):
    return client.post(reverse("residents:person_reveal", args=[person.pk]), {"purpose": PURPOSE})


def file_request(client, person, reason="协助业主办理车位登记"):
    return client.post(reverse("residents:access_request_create", args=[person.pk]), {"reason": reason}, follow=True)


def decide(client, access, decision, **extra):
    url = reverse("residents:access_request_decide", args=[access.pk])
    return client.post(url, {"decision": decision, **extra}, follow=True)


def test_approved_request_lets_the_requester_reveal_until_it_expires(
    client_for, butler2, supervisor, manager, household
):
    owner = household.owner
    assert reveal(client_for(butler2), owner).status_code == 403

    response = file_request(client_for(butler2), owner)
    assert "查看申请已提交" in response.content.decode()
    access = AccessRequest.objects.get()
    assert (access.requester, access.person, access.status) == (butler2, owner, AccessRequestStatus.PENDING)

    for approver in (supervisor, manager):
        reminder = Reminder.objects.get(recipient=approver, kind="residents.access_request")
        assert "协助业主办理车位登记" in reminder.text
        assert "协助业主办理车位登记" in client_for(approver).get(reverse("core:inbox")).content.decode()
    assert not Reminder.objects.filter(recipient=butler2, kind="residents.access_request").exists()

    listing = client_for(supervisor).get(reverse("residents:access_request_list")).content.decode()
    assert owner.name in listing and "协助业主办理车位登记" in listing

    response = decide(client_for(supervisor), access, "approve", hours=2, note="同意")
    assert "已批准" in response.content.decode()
    access.refresh_from_db()
    assert access.status == AccessRequestStatus.APPROVED
    assert access.decided_by == supervisor
    assert timezone.now() + dt.timedelta(hours=1) < access.expires_at <= timezone.now() + dt.timedelta(hours=2)
    assert Reminder.objects.filter(recipient=butler2, kind="residents.access_decided").exists()

    client = client_for(butler2)
    detail = client.get(reverse("residents:person_detail", args=[owner.pk])).content.decode()
    assert "显示号码" in detail
    response = reveal(client, owner)
    assert response.status_code == 200
    assert OWNER_MOBILE in response.content.decode() and OWNER_ID in response.content.decode()
    log = RevealLog.objects.get()
    assert (log.actor, log.person, log.purpose, log.basis) == (butler2, owner, PURPOSE, "已批准的查看申请")

    AccessRequest.objects.filter(pk=access.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = reveal(client, owner)
    assert response.status_code == 403
    assert OWNER_MOBILE not in response.content.decode()
    assert RevealLog.objects.count() == 1


def test_rejected_request_gives_no_access(client_for, butler2, manager, household):
    file_request(client_for(butler2), household.owner)
    access = AccessRequest.objects.get()
    response = decide(client_for(manager), access, "reject", note="理由不充分")
    assert "已驳回" in response.content.decode()
    access.refresh_from_db()
    assert (access.status, access.decided_by, access.expires_at) == (AccessRequestStatus.REJECTED, manager, None)
    assert reveal(client_for(butler2), household.owner).status_code == 403
    assert "已驳回" in Reminder.objects.get(recipient=butler2, kind="residents.access_decided").text


def test_a_decided_request_cannot_be_decided_again(client_for, butler2, supervisor, manager, household):
    access = privacy.request_access(household.owner, actor=butler2, reason="电话回访")
    decide(client_for(supervisor), access, "reject")
    response = decide(client_for(manager), access, "approve")
    assert "该申请已处理" in response.content.decode()
    access.refresh_from_db()
    assert access.status == AccessRequestStatus.REJECTED


def test_filing_twice_keeps_one_pending_request(client_for, butler2, household):
    file_request(client_for(butler2), household.owner)
    file_request(client_for(butler2), household.owner, reason="再次申请")
    assert AccessRequest.objects.count() == 1


def test_requester_cannot_approve_their_own_request(client_for, manager, household):
    access = privacy.request_access(household.owner, actor=manager, reason="核对产权人")
    response = decide(client_for(manager), access, "approve")
    assert "不能审批自己的申请" in response.content.decode()
    access.refresh_from_db()
    assert access.status == AccessRequestStatus.PENDING


def test_only_supervisor_or_manager_may_decide(client_for, butler1, butler2, company_admin, household):
    access = privacy.request_access(household.owner, actor=butler2, reason="电话回访")
    with pytest.raises(PermissionDenied):
        privacy.decide_access_request(access, actor=butler1, approve=True)
    # The company admin passes the page's role check but is not an approver of the community.
    response = decide(client_for(company_admin), access, "approve")
    assert "只有客服主管或项目经理可以审批查看申请" in response.content.decode()
    access.refresh_from_db()
    assert access.status == AccessRequestStatus.PENDING
    assert reveal(client_for(butler2), household.owner).status_code == 403


def test_approval_reminder_gives_the_expiry_in_local_time(client_for, butler2, supervisor, household):
    access = privacy.request_access(household.owner, actor=butler2, reason="电话回访")
    decide(client_for(supervisor), access, "approve", hours=3)
    access.refresh_from_db()
    local = timezone.localtime(access.expires_at)
    text = Reminder.objects.get(recipient=butler2, kind="residents.access_decided").text
    assert f"已批准，{local:%m-%d %H:%M} 前有效" in text


def test_reveal_log_names_the_local_time(client_for, butler1, household):
    reveal(client_for(butler1), household.owner)
    log = RevealLog.objects.get()
    assert str(log).endswith(f"({timezone.localtime(log.created_at):%Y-%m-%d %H:%M})")
