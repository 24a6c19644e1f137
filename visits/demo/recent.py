"""What is open right now in the demo, made through the services so that their side
effects happen: follow-ups still open (their owners' reminders), records logged just
now (the review queue; one flagged as a complaint), records sent back (the author's
inbox) and a phone return visit awaiting its second signature."""

import datetime as dt
from collections import defaultdict

from simple_history.utils import bulk_create_with_history

from visits import services
from visits.choices import Channel, CoverageMode, FollowUpStatus, OpinionCategory, Satisfaction, Signature, VisitType
from visits.demo import texts
from visits.demo.records import BATCH, at, given_time
from visits.models import FollowUp

OVERDUE_PER_OWNER = 2


def keep_promises(demo):
    """Answers promised during visits: older ones kept (in bulk); those of the last
    days, and up to two overdue per owner, still open."""
    rng, done, overdue = demo.rng, [], defaultdict(int)
    for visit, category, (description, resolution) in demo.promises:
        age = (demo.now - visit.started_at).days
        due = visit.started_at + dt.timedelta(days=rng.randint(1, 3))
        owner = visit.created_by
        is_open = age <= 4 or (age <= 20 and rng.random() < 0.3)
        if is_open and due <= demo.now:
            if overdue[owner.pk] < OVERDUE_PER_OWNER:
                overdue[owner.pk] += 1
            elif age <= 4:
                due = demo.now + dt.timedelta(hours=rng.randint(5, 72))
            else:
                is_open = False
        if is_open:
            services.create_follow_up(visit=visit, actor=owner, description=description, due_at=due, category=category)
            continue
        closed = max(min(due - dt.timedelta(hours=rng.randint(0, 20)), demo.now), visit.started_at)
        follow_up = FollowUp(
            community=demo.community,
            house=visit.house,
            visit=visit,
            category=category,
            description=description,
            owner=owner,
            due_at=due,
            status=FollowUpStatus.DONE,
            resolution=resolution,
            closed_at=closed + dt.timedelta(hours=2),
            created_by=owner,
            created_at=visit.submitted_at,
        )
        follow_up._history_user = owner
        follow_up._history_date = follow_up.closed_at
        done.append(follow_up)
    with given_time(FollowUp, "created_at"):
        bulk_create_with_history(done, FollowUp, batch_size=BATCH)


def log_recent(demo):
    """Door visits of the last hours logged through `log_visit`: a promise to keep (due
    tomorrow 17:00), a complaint for the complaint procedure; in 阳光花园 two records the
    supervisor sends back. Then the phone return visit that waits for a second signature."""
    butlers = demo.team["butlers"]
    first, last = butlers[0], butlers[-1]
    logged = [
        (first, OpinionCategory.CLEANING, {}, ""),
        (last, OpinionCategory.ORDER if len(butlers) > 1 else OpinionCategory.SPECIAL_NEEDS, {}, ""),
    ]
    if demo.team["mode"] == CoverageMode.SAMPLING:
        logged[1][2]["contains_complaint"] = True
        logged += [
            (first, None, {"people_met": "", "reply": ""}, texts.RETURNED_COMMENTS[0]),
            (last, None, {"opinions": [(OpinionCategory.CLEANING, "楼道脏。")]}, texts.RETURNED_COMMENTS[1]),
        ]
    for (author, category, fields, comment), started in zip(logged, demo.recent_moments(Channel.DOOR), strict=False):
        houses = demo.zone(author, occupied=True)
        if not houses:
            continue
        house = demo.rng.choice(houses)
        if category is not None:
            _tone, content, reply, (promise, _resolution) = texts.OPINIONS[category][0]
            due = at(demo.today + dt.timedelta(days=1), 17)
            fields = {
                "opinions": [(category, content)],
                "follow_ups": [{"description": promise, "due_at": due, "category": category}],
                "reply": reply,
                "satisfaction": Satisfaction.FAIRLY,
                **fields,
            }
        fields.setdefault("people_met", demo.met(house, Channel.DOOR))
        visit = services.log_visit(
            house=house,
            actor=author,
            started_at=started,
            channel=Channel.DOOR,
            visit_type=VisitType.ROUTINE,
            signature=Signature.SIGNED,
            **fields,
        )
        if comment:
            services.review_visit(visit, actor=demo.reviewers[0], decision="return", comment=comment)
    phone = demo.recent_moments(Channel.PHONE)
    rv = demo.unconfirmed
    if rv is not None and phone:
        services.log_visit(
            house=rv.house,
            actor=rv.assignee,
            started_at=phone[0],
            channel=Channel.PHONE,
            visit_type=VisitType.REPAIR_RETURN,
            people_met=demo.met(rv.house, Channel.PHONE),
            reply=texts.RETURN_REPLIES["repair_return"],
            satisfaction=Satisfaction.SATISFIED,
            return_visit=rv,
        )
