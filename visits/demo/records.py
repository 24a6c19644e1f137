"""Draws the demo's visit records and saves them in bulk.

`Recorder` knows one community: its houses, who lives in them, its policy. It
draws when a visit started (inside the policy's windows; a few outside, with the
reason written down), who was met, what was said and answered, satisfaction and
signature, when the record was submitted (a few late) and reviewed, and queues
it; `flush` inserts the queue with history rows, opinions and companions.
"""

import contextlib
import datetime as dt
import uuid
from collections import defaultdict

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from residents.choices import CommitteeRole, Occupancy
from residents.models import House, Residency
from visits import engine, services
from visits.choices import RETURN_VISIT_TYPES, Channel, OpinionCategory, Satisfaction, Signature, VisitStatus, VisitType
from visits.demo import texts
from visits.models import Opinion, Visit
from visits.windows import window_warning

BATCH = 1000
LATE_SHARE = 0.03
OUTSIDE_SHARE = 0.02
WEEKDAY_WEIGHTS = (1.0, 1.0, 1.0, 1.0, 1.0, 0.6, 0.4)  # staff work shifts: fewer visits at weekends
# Local [start, end) times a visit by each channel is drawn from, with weights.
SLOTS = {
    Channel.PHONE: (((9, 5), (11, 50), 4), ((14, 0), (17, 25), 4), ((19, 0), (20, 50), 2)),
    Channel.DOOR: (((9, 0), (11, 45), 4), ((14, 0), (17, 45), 4), ((18, 45), (21, 15), 2)),
    Channel.OFFICE: (((8, 30), (11, 50), 1), ((13, 30), (17, 30), 1)),
    Channel.OUTDOOR: (((8, 0), (10, 0), 1), ((16, 30), (19, 30), 1)),
    Channel.WRITTEN: (((9, 0), (17, 0), 1),),
    Channel.SURVEY: (((9, 0), (17, 0), 1),),
}
# Outside the windows, with the reason staff wrote down (SPEC §2.2: a warning that needs a reason).
OUTSIDE = {
    Channel.PHONE: (
        ((21, 5), (21, 45), "业主白天上班，应业主要求 21 点后电话沟通"),
        ((12, 10), (13, 40), "业主午休时来电，约定当即回电说明处理进度"),
    ),
    Channel.DOOR: (
        ((22, 0), (22, 40), "楼上渗水影响楼下，业主夜间返家后紧急上门查看"),
        ((7, 20), (7, 55), "业主早上出门上班前约定上门"),
    ),
}
OPINION_CHANCE = {Channel.DOOR: 0.4, Channel.PHONE: 0.3, Channel.OFFICE: 0.6, Channel.OUTDOOR: 0.5}
RELATIONS = {"owner": "业主", "tenant": "租户", "family": "家属", "helper": "家政"}


@contextlib.contextmanager
def given_time(model, name):
    """Keep the creation time we set on an `auto_now_add` field: demo records were made in the past."""
    field = model._meta.get_field(name)
    saved, field.auto_now_add = field.auto_now_add, False
    try:
        yield
    finally:
        field.auto_now_add = saved


def at(day, hour, minute=0):
    """Local `day` at hour:minute (minutes may run past 59), aware."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time()) + dt.timedelta(hours=hour, minutes=minute))


def pick(rng, weights):
    return rng.choices(list(weights), list(weights.values()))[0]


def month_start(day, months_back=0):
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


class Recorder:
    def __init__(self, community, *, policy, reviewers, rng, now):
        """`reviewers`: who reviews records, first choice first (nobody reviews their own)."""
        self.community, self.policy, self.reviewers, self.rng, self.now = community, policy, reviewers, rng, now
        self.today = timezone.localdate(now)
        self.pending, self.opinions, self.companions, self.promises, self.done_returns = [], [], [], [], []
        self.cycle = set()  # houses visited in the sampling cycle (return visits excluded)
        self.houses = list(House.objects.filter(community=community).select_related("butler").order_by("pk"))
        self.by_pk = {house.pk: house for house in self.houses}
        self.residents, self.key_houses, self.chair = defaultdict(list), set(), None
        rows = (
            Residency.objects.filter(house__community=community, end_date__isnull=True)
            .order_by("house_id", "pk")
            .values_list("house_id", "relation", "person__name", "person__is_key_resident", "person__committee_role")
        )
        for house_id, relation, name, key, committee in rows:
            self.residents[house_id].append((relation, name))
            if key:
                self.key_houses.add(house_id)
            if committee == CommitteeRole.CHAIR:
                self.chair = (self.by_pk[house_id], name)

    def zone(self, butler, *, occupied=False):
        return [h for h in self.houses if h.butler_id == butler.pk and (h.is_occupied or not occupied)]

    # --- when --------------------------------------------------------------------------

    def moment(self, day, channel):
        """(start time on `day` inside the channel's window — now and then outside, with
        a reason — or None when the channel is not used that day, e.g. phone on Monday)."""
        rng = self.rng
        reason = ""
        if channel in OUTSIDE and rng.random() < OUTSIDE_SHARE:
            (h1, m1), (h2, m2), reason = rng.choice(OUTSIDE[channel])
        else:
            slots = SLOTS[channel]
            (h1, m1), (h2, m2), _ = rng.choices(slots, [w for *_, w in slots])[0]
        started = at(day, 0, rng.randrange(h1 * 60 + m1, h2 * 60 + m2))
        warning = window_warning(self.policy, channel, started)
        if warning and not reason:
            return None, ""
        return started, reason if warning else ""

    def recent_moments(self, channel):
        """In-window start times of the last days before now, latest first."""
        latest = self.now - dt.timedelta(minutes=40)
        found = []
        for back in range(4):
            day = self.today - dt.timedelta(days=back)
            for (h1, m1), (h2, m2), _ in reversed(SLOTS[channel]):
                start, end = at(day, h1, m1), at(day, h2, m2)
                if start < latest:
                    moment = max(start, min(end, latest) - dt.timedelta(minutes=self.rng.randint(5, 30)))
                    if window_warning(self.policy, channel, moment) is None:
                        found.append(moment)
        return found

    # --- one record --------------------------------------------------------------------

    def visit(self, house, author, day, channel, visit_type, *, chance=None, opinions=None, **fields):
        """Queue one record of a visit on `day`; None when it cannot have happened (yet)."""
        rng = self.rng
        started, reason = self.moment(day, channel)
        if started is None and channel == Channel.PHONE:
            channel = Channel.DOOR  # no calls that day: the butler knocks instead
            started, reason = self.moment(day, channel)
        if started is None or started > self.now - dt.timedelta(minutes=30):
            return None
        if opinions is None:
            opinions = self.draw_opinions(house, OPINION_CHANCE.get(channel, 0.2) if chance is None else chance)
        due = services.record_due_at(started, self.policy)
        submitted = self.submitted(started, due)
        fields.setdefault("people_met", self.met(house, channel))
        fields.setdefault("reply", self.reply(channel, visit_type, opinions))
        fields.setdefault("satisfaction", self.satisfaction(opinions, channel))
        fields.setdefault("signature", self.signature(channel))
        visit = Visit(
            community=self.community,
            house=house,
            created_by=author,
            started_at=started,
            channel=channel,
            visit_type=visit_type,
            window_reason=reason,
            # a complaint the owner wants handled formally goes to the complaint procedure
            contains_complaint=any(o[1] == texts.COMPLAINT and o[4] for o in opinions) and rng.random() < 0.15,
            submitted_at=submitted,
            due_at=due,
            is_late=submitted > due,
            client_key=uuid.UUID(int=rng.getrandbits(128), version=4),
            **fields,
        )
        self.review(visit)
        visit._history_user = author
        visit._history_date = submitted
        self.pending.append(visit)
        for category, _tone, content, _reply, promise in opinions:
            self.opinions.append((visit, category, content))
            if promise:
                self.promises.append((visit, category, promise))
        if visit_type not in RETURN_VISIT_TYPES:
            self.cycle.add(house.pk)
        return visit

    def submitted(self, started, due):
        """Logged on the phone right after the visit, or the next morning; a few late."""
        rng = self.rng
        roll = rng.random()
        if roll < LATE_SHARE:
            moment = due + dt.timedelta(minutes=rng.randint(120, 2400))
        elif roll < 0.25:
            moment = at(timezone.localdate(started) + dt.timedelta(days=1), 8, rng.randint(30, 150))
        else:
            moment = started + dt.timedelta(minutes=rng.randint(3, 90))
        return min(moment, self.now - dt.timedelta(minutes=rng.randint(1, 20)))

    def review(self, visit):
        """The reviewer clears the queue each morning at nine (SPEC §2.2 [001]); a few wait."""
        rng = self.rng
        local = timezone.localtime(visit.submitted_at)
        reviewed = at(local.date() + dt.timedelta(days=local.hour >= 9), 9, rng.randint(0, 90))
        if reviewed > self.now or rng.random() < 0.01:
            return
        visit.status = VisitStatus.APPROVED
        visit.reviewed_by = next(r for r in self.reviewers if r != visit.created_by)
        visit.reviewed_at = reviewed
        if visit.is_late:
            visit.review_comment = "记录逾期提交，请在访问次日内提交。"

    def draw_opinions(self, house, chance):
        rng = self.rng
        if rng.random() >= chance:
            return []
        weights = dict(texts.WEIGHTS)
        if house.pk in self.key_houses:
            weights[OpinionCategory.SPECIAL_NEEDS] = 60
        categories = {pick(rng, weights) for _ in range(2 if rng.random() < 0.15 else 1)}
        return [(category, *rng.choice(texts.OPINIONS[category])) for category in sorted(categories)]

    def met(self, house, channel):
        rng = self.rng
        people = self.residents.get(house.pk)
        if not people or (channel in (Channel.WRITTEN, Channel.SURVEY) and rng.random() < 0.5):
            return ""
        if house.occupancy == Occupancy.RENTED and channel != Channel.PHONE:
            people = [p for p in people if p[0] == "tenant"] or people  # the tenant opens the door
        relation, name = people[0] if rng.random() < 0.8 else rng.choice(people)
        met = f"{RELATIONS.get(relation, '')} {name}".strip()
        if channel == Channel.DOOR and len(people) > 1 and rng.random() < 0.25:
            met += " 及家人"
        return met

    def reply(self, channel, visit_type, opinions):
        if opinions:
            return "".join(o[3] for o in opinions)
        if visit_type == VisitType.FEE:
            return self.rng.choice(texts.FEE_REPLIES)
        if visit_type in texts.RETURN_REPLIES:
            return texts.RETURN_REPLIES[visit_type]
        return self.rng.choice(texts.PHONE_REPLIES if channel == Channel.PHONE else texts.ROUTINE_REPLIES)

    def satisfaction(self, opinions, channel):
        if channel == Channel.WRITTEN:
            return ""
        tones = {o[1] for o in opinions}
        if texts.COMPLAINT in tones:
            weights = {Satisfaction.DISSATISFIED: 30, Satisfaction.FAIRLY: 60, Satisfaction.SATISFIED: 10}
        elif texts.PRAISE in tones:
            weights = {Satisfaction.SATISFIED: 1}
        else:
            weights = {Satisfaction.SATISFIED: 78, Satisfaction.FAIRLY: 19, Satisfaction.DISSATISFIED: 3}
        return pick(self.rng, weights)

    def signature(self, channel):
        """Signed on paper when met in person; asked, never forced [002]."""
        if channel in (Channel.DOOR, Channel.OFFICE):
            return pick(self.rng, {Signature.SIGNED: 75, Signature.REFUSED: 8, Signature.NOT_ASKED: 17})
        if channel == Channel.SURVEY:
            return pick(self.rng, {Signature.SIGNED: 88, Signature.REFUSED: 7, Signature.NOT_ASKED: 5})
        return Signature.NOT_ASKED

    # --- saving ------------------------------------------------------------------------

    def flush(self):
        """Insert the queued records with their history rows, opinions and companions,
        then tell the engine which return visits they completed."""
        if not self.pending:
            return
        bulk_create_with_history(self.pending, Visit, batch_size=BATCH)
        Opinion.objects.bulk_create(
            [Opinion(visit=v, category=c, content=text) for v, c, text in self.opinions], batch_size=BATCH
        )
        through = Visit.companions.through
        through.objects.bulk_create(
            [through(visit_id=v.pk, user_id=user.pk) for v, user in self.companions if user != v.created_by]
        )
        for return_visit, visit in self.done_returns:
            if visit.counts:
                engine.complete_return_visit(return_visit, visit)
        self.pending, self.opinions, self.companions, self.done_returns = [], [], [], []
