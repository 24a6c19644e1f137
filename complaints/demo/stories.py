"""One community's complaints in the demo, as stories for `timeline.play`: the answer
book, the supervisor's daily review, a reception day (and the next one planned),
a set of matters that shows every state and case (`SHOWCASE`), and months of
ordinary matters drawn at random (their number follows the demo scale)."""

import dataclasses
import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from complaints import selectors, services
from complaints.choices import RETURN_VISIT_KINDS, Kind
from complaints.demo import texts
from complaints.demo.timeline import local, office_hours
from complaints.models import Complaint
from core.choices import DepartmentKind, Role
from core.models import Department, Membership
from core.selectors import staff_with_role
from residents.models import Residency
from visits import services as visit_services
from visits.choices import Channel as VisitChannel
from visits.choices import ReturnVisitStatus, Signature, VisitType
from visits.models import ReturnVisit

MIN = dt.timedelta(minutes=1)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
MONTHS = 3
ROUTES = {
    "order": DepartmentKind.SECURITY,
    "parking": DepartmentKind.SECURITY,
    "cleaning": DepartmentKind.ENVIRONMENT,
    "greening": DepartmentKind.ENVIRONMENT,
    "pets": DepartmentKind.ENVIRONMENT,
    "maintenance": DepartmentKind.ENGINEERING,
    "facilities": DepartmentKind.ENGINEERING,
    "municipal": DepartmentKind.ENGINEERING,
    "fees": DepartmentKind.FINANCE,
}  # the rest: 客服部
# Departments whose own staff take the work; elsewhere the zone's butler coordinates it.
STAFFED = (DepartmentKind.SECURITY, DepartmentKind.ENGINEERING, DepartmentKind.FINANCE)

# Every state and case once per community: (hours ago, category, kind, at home, the
# state it ends in, what else is special).
SHOWCASE = (
    (2, "noise", "complaint", True, "accepted", {}),
    (1.5, "noise", "complaint", True, "void", {}),
    (3, None, "consultation", True, "closed", {"entry": True}),
    (5, "renovation", "consultation", True, "accepted", {"counter_callback": True}),
    (7, "facilities", "complaint", False, "dispatched", {}),
    (20, "maintenance", "complaint", False, "in_progress", {}),
    (26, "facilities", "suggestion", False, "accepted", {}),
    (30, "cleaning", "complaint", False, "answered", {}),
    (40, "parking", "complaint", True, "paused", {}),
    (60, "order", "complaint", False, "dispatched", {}),  # no answer after 48 h: overdue
    (72, "fees", "complaint", True, "resolved", {}),  # the household's return visit is due
    (100, "pets", "complaint", False, "visited", {}),
    (96, "maintenance", "complaint", True, "answered", {"major": True, "promise_days": 4}),
    (130, "greening", "complaint", False, "reopened", {"satisfaction": "dissatisfied"}),
    (124, "cleaning", "complaint", False, "answered", {"promise_days": 1}),  # past the promised date
    (144, "maintenance", "help", True, "resolved", {"incident": True}),
    (216, "municipal", "complaint", False, "closed", {}),
    (288, "attitude", "praise", True, "closed", {}),
    (480, "facilities", "suggestion", False, "closed", {}),
)
COUNTER_CALLBACK = "想在屋顶平台加装太阳能热水器，物业是否允许？需要什么手续？"
MAJOR = "顶楼卧室漏水，墙面大片发霉，已经报修三次都没修好，业主要求赔偿并找媒体。"
# The reception day's registrations: minutes after 09:00, kind, category, where, what, the handler's department.
REGISTRATIONS = (
    (10, "suggestion", "facilities", "健身广场", "小区健身器材老化，有两台已经不能用了，希望整体更换。", "engineering"),
    (40, "consultation", "fees", "全小区", "公共收益（广告位、场地租金）的使用情况能否公示？", "service"),
    (80, "complaint", "facilities", "地下车库", "地下车库照明太暗，好几处灯管不亮，晚上停车看不清。", "engineering"),
)


@dataclasses.dataclass
class Plan:
    """How one matter goes: its situation, when and where it came in, its tempo and its end."""

    situation: texts.Situation
    received: dt.datetime
    house: object = None
    channel: str = "phone"
    stop: str = "closed"
    quick: bool = False  # the showcase's steady tempo (staff on duty round the clock)
    answer_after: dt.timedelta = 3 * H
    promise_days: int = 2
    resolve_late: bool = False
    pause: dt.timedelta | None = None
    satisfaction: str = "satisfied"
    major: bool = False
    incident: bool = False
    counter_callback: bool = False
    entry: int | None = None  # a counter question answered from this book entry
    description: str = ""


class CommunityStories:
    def __init__(self, community, *, index, houses, rng, now):
        self.community, self.index, self.houses, self.rng, self.now = community, index, houses, rng, now
        self.month_start = local(timezone.localdate(now).replace(day=1), 0)
        self.supervisor = staff_with_role(community, Role.SUPERVISOR)[0]
        self.manager = staff_with_role(community, Role.MANAGER)[0]
        self.members = set(
            Membership.objects.filter(community=community, is_active=True).values_list("user_id", flat=True)
        )
        # 翠湖苑 has no front desk and no supervisor of its own: its butler takes what comes in.
        self.desk = next((u for u in staff_with_role(community, Role.FRONT_DESK) if u.pk in self.members), None)
        self.butlers = staff_with_role(community, Role.BUTLER)
        self.departments = {d.kind: d for d in Department.objects.filter(community=community).order_by("pk")}
        self.workers = {}
        memberships = Membership.objects.filter(
            community=community,
            is_active=True,
            department__kind__in=STAFFED,
            role__in=(Role.TECHNICIAN, Role.FRONT_DESK, Role.FINANCE),
        ).select_related("user", "department")
        for membership in memberships.order_by("pk"):
            self.workers.setdefault(membership.department.kind, membership.user)
        self.residents = {}
        residencies = Residency.objects.filter(house__in=houses, end_date__isnull=True).select_related("person")
        for residency in residencies.order_by("house_id", "pk"):
            self.residents.setdefault(residency.house_id, []).append(residency.person)
        self.entries = []
        self.session = None
        self.complaint_type = ContentType.objects.get_for_model(Complaint)

    # --- the stories ---------------------------------------------------------------

    def stories(self, *, bulk):
        plans = self.showcase() + [self.drawn() for _ in range(bulk)]
        days = {timezone.localdate(plan.received) for plan in plans} | {self.reception_day()}
        return [
            self.book(self.now - (MONTHS * 30 + 10) * D),
            self.daily_review(sorted(days)),
            self.reception(),
            *(self.registration(*spec) for spec in REGISTRATIONS),
            *(self.matter(plan) for plan in sorted(plans, key=lambda p: p.received)),
        ]

    def book(self, start):
        """答客问题汇编: drafted by the supervisor, approved by the manager; one revision pending."""
        yield start
        drafts = [
            services.draft_entry(
                community=self.community,
                actor=self.supervisor,
                category=category,
                question=question,
                answer=answer,
                keywords=keywords,
            )
            for category, question, answer, keywords in texts.BOOK
        ]
        yield start + D + 5 * H
        self.entries[:] = [services.approve_entry(entry, actor=self.manager) for entry in drafts]
        yield local(timezone.localdate(self.now) - 3 * D, 16, 20)
        category, question, answer, keywords = texts.BOOK[0]
        services.draft_entry(
            community=self.community,
            actor=self.supervisor,
            category=category,
            question=question,
            answer=answer + texts.BOOK_REVISION,
            keywords=keywords + " 支付宝",
            revises=self.entries[0],
        )

    def daily_review(self, days):
        """The supervisor reviews the new complaints and questions every evening [001]
        (the evenings of days something came in)."""
        for day in days:
            moment = local(day, 17, 30 + self.rng.randint(0, 40))
            yield moment
            waiting = list(selectors.review_queue(self.community).filter(received_at__lte=moment))
            if waiting:
                services.mark_reviewed(waiting, actor=self.supervisor, community=self.community, now=moment)

    def reception(self):
        """项目经理接待日: the last one (a Saturday two to three weeks ago) and the next one."""
        day = self.reception_day()
        yield local(day, 8, 40)
        self.session = services.open_reception(
            community=self.community,
            actor=self.supervisor,
            date=day,
            manager=self.manager,
            place="服务中心二楼会议室",
            attendees="项目经理、客服主管、工程主管、秩序主管",
        )
        yield local(day, 11, 50)
        services.summarise_reception(
            self.session,
            actor=self.supervisor,
            summary="接待业主 3 人次：健身器材更换建议、公共收益公示咨询、地下车库照明投诉，均已当场指定责任人。",
        )
        yield local(timezone.localdate(self.now) - D, 16, 30)
        upcoming = timezone.localdate(self.now) + 5 * D
        upcoming += (5 - upcoming.weekday()) % 7 * D
        services.open_reception(
            community=self.community,
            actor=self.supervisor,
            date=upcoming,
            manager=self.manager,
            place="服务中心二楼会议室",
            attendees="项目经理、客服主管、工程主管",
        )

    def registration(self, minutes, kind, category, location, description, department_kind):
        """A registration at the reception day: the manager names the handler at once; the
        result is signed off by the manager before it may close [004 附件4]."""
        day = self.reception_day()
        t = local(day, 9, minutes)
        yield t
        handler = self.workers.get(department_kind)
        if handler is None:
            service = department_kind == DepartmentKind.SERVICE and self.supervisor.pk in self.members
            handler = self.supervisor if service else self.butlers[0]
        name, contact = self.reporter(None)
        c = services.receive_complaint(
            community=self.community,
            actor=self.manager,
            kind=kind,
            channel="reception_day",
            category=category,
            location=location,
            reporter_name=name,
            contact=contact,
            description=description,
            reception=self.session,
            handler=handler,
            received_at=t,
        )
        if kind == Kind.CONSULTATION:  # answered there and then, signed, closed
            t += 50 * MIN
            yield t
            c = services.resolve(
                c,
                actor=handler,
                result="已当场说明公示安排",
                reply="公共收益收支每季度在公告栏和业主群公示，下一次公示在本月底。",
                now=t,
            )
            yield local(day, 11, 45)
            c = services.sign_off(c, actor=self.manager, note="同意答复口径")
            yield local(day, 11, 55)
            services.close(c, actor=c.owner, now=local(day, 11, 55))
        elif kind == Kind.SUGGESTION:  # decided, done in part, awaiting the manager's signature
            yield local(day + D, 10)
            c = services.decide_suggestion(
                c,
                actor=self.manager,
                decision="partly",
                measures="先维修两台损坏的器材，整体更换列入明年预算；措施在公告栏公示。",
                publish=True,
            )
            t = local(day + D, 14)
            yield t
            c = services.answer(
                c,
                actor=handler,
                reply="经理决定：先维修损坏的器材，整体更换列入明年预算。",
                promised_at=local(day + 8 * D, 18),
                now=t,
            )
            t = local(day + 6 * D, 15)
            yield t
            services.resolve(
                c, actor=handler, result="两台损坏的健身器材已维修恢复使用，整体更换已报公司列入明年预算。", now=t
            )
        else:  # worked, the reporter's feedback taken; awaiting the manager's signature
            t += 2 * H
            yield t
            c = services.start_work(c, actor=handler)
            t += H
            yield t
            reply = "工程部本周内更换地库灯管并增加照明。"
            c = services.answer(c, actor=handler, reply=reply, promised_at=local(day + 5 * D, 18), now=t)
            t = local(day + 3 * D, 15)
            yield t
            result = "已更换地库灯管 32 支、增设感应灯 6 盏，照度复测达标。"
            c = services.resolve(c, actor=handler, result=result, now=t)
            t = local(day + 4 * D, 10, 30)
            yield t
            services.record_return_visit(c, actor=c.owner, satisfaction="satisfied", now=t)

    def reception_day(self):
        """The last reception day: the Saturday on or before 16 days ago."""
        day = timezone.localdate(self.now) - 16 * D
        return day - (day.weekday() - 5) % 7 * D

    def matter(self, plan):
        """One matter from intake to its end (`plan.stop`), each step at its own moment."""
        s, rng, t = plan.situation, self.rng, plan.received
        yield t
        entry = self.entries[plan.entry] if plan.entry is not None else None
        c = self.receive(plan, t, entry)
        owner = c.owner
        if entry is not None:  # answered at the counter from the book
            c = services.resolve(c, actor=owner, result="当场答复完毕", reply=entry.answer, now=t)
            services.close(c, actor=owner, note="当场答复", now=t)
            return
        if plan.stop == "void":
            t += 30 * MIN
            yield t
            services.void(c, actor=self.supervisor, reason="同一业主就同一事项重复来电，已并入前一件登记")
            return
        if plan.stop == "accepted":
            return
        if s.kind == Kind.PRAISE:
            t = self.later(plan, t, 2 * 60, 20 * 60)
            yield t
            c = services.resolve(c, actor=owner, result=s.result, reply=s.reply, now=t)
            services.close(c, actor=owner, now=t)
            return
        reply = s.reply
        if s.kind == Kind.SUGGESTION:
            t = self.later(plan, t, 18 * 60, 40 * 60)
            yield t
            decision, opening, measures = rng.choice(texts.DECISIONS)
            c = services.decide_suggestion(c, actor=self.manager, decision=decision, measures=measures, publish=True)
            reply = opening + measures
        department, handler = self.handler(plan)
        t = self.later(plan, t, 20, 120)
        yield t
        c = services.dispatch(c, actor=self.supervisor, department=department, handler=handler)
        if plan.stop == "dispatched":
            return
        t = self.later(plan, t, 20, 150)
        yield t
        c = services.start_work(c, actor=handler)
        if plan.major:
            t += H
            yield t
            c = services.mark_major(c, actor=self.supervisor, note="多次维修未果，业主情绪激动，认定为重大投诉")
        waited = dt.timedelta()
        if plan.pause is not None:
            t += H
            yield t
            c = services.pause(c, actor=handler, reason=rng.choice(texts.PAUSE_REASONS), now=t)
            if plan.stop == "paused":
                return
            t += plan.pause
            yield t
            c = services.resume(c, actor=handler, now=t)
            waited = plan.pause
        if plan.stop == "in_progress":
            return
        t = self.office(plan, max(t + 20 * MIN, plan.received + plan.answer_after + waited))
        yield t
        if s.kind in (Kind.CONSULTATION, Kind.OTHER):
            c = services.resolve(c, actor=handler, result=s.result, reply=s.reply, now=t)
            t += rng.randint(5, 60) * MIN
            yield t
            services.close(c, actor=owner, now=t)
            return
        promised = local(timezone.localdate(t) + plan.promise_days * D, 18)
        c = services.answer(c, actor=handler, reply=reply, promised_at=promised, now=t)
        if plan.stop == "answered":
            return
        if plan.resolve_late:
            t = promised + rng.randint(6, 40) * H
        elif plan.quick:
            t += rng.randint(2, 6) * H
        else:
            t += (promised - H - t) * rng.uniform(0.1, 1)
        t = self.office(plan, t)
        yield t
        c = services.resolve(c, actor=handler, result=s.result, signature="signed" if plan.house else "", now=t)
        self.decide_validity(c, s)
        if plan.stop == "resolved":
            return
        if not services.owes_return_visit(c):
            t = self.later(plan, t, 60, 300)
            yield t
            services.close(c, actor=owner, now=t)
            return
        if plan.house is not None:
            yield from self.visit_at_home(c, plan, t)
        else:
            yield from self.visit_by_phone(c, plan, t, department, handler)

    # --- steps ---------------------------------------------------------------------

    def receive(self, plan, at, entry):
        s = plan.situation
        name, contact = self.reporter(plan.house)
        return services.receive_complaint(
            community=self.community,
            actor=self.receiver(plan),
            kind=s.kind,
            channel=plan.channel,
            category=s.category,
            urgency=s.urgency,
            house=plan.house,
            location="" if plan.house else s.place,
            reporter_name=name,
            contact=contact,
            description=plan.description or s.description,
            is_municipal=s.category == "municipal",
            is_household_incident=plan.incident,
            counter_callback=plan.counter_callback,
            answer_entry=entry,
            received_at=at,
        )

    def visit_at_home(self, c, plan, t):
        """The household's return visit is the butler's (the manager's for an incident),
        logged in the visits app, whose report makes the complaint 已回访. Visit records
        count in the monthly visit summaries already drafted for the months gone by, so
        a visit falls in this month (a late one on its first days, when need be)."""
        rv = ReturnVisit.objects.filter(
            source_type=self.complaint_type, source_id=str(c.pk), status=ReturnVisitStatus.DUE
        ).first()
        if rv is None or rv.assignee is None:
            return
        moment = local(timezone.localdate(t) + self.rng.randint(1, 2) * D, self.rng.choice((10, 11, 15, 16, 19)))
        moment = max(moment, self.month_start + self.rng.randint(10 * 60, 17 * 60) * MIN)
        yield moment
        person = self.residents.get(plan.house.pk, [None])[0]
        visit = visit_services.log_visit(
            house=plan.house,
            actor=rv.assignee,
            started_at=moment - 30 * MIN,
            channel=VisitChannel.DOOR,
            visit_type=VisitType.COMPLAINT_RETURN,
            people_met=f"业主 {person.name}" if person else "业主",
            reply=texts.RETURN_REPLIES[plan.satisfaction],
            satisfaction=plan.satisfaction,
            signature=Signature.SIGNED,
            return_visit=rv,
            now=moment,
        )
        # The engine reports the visit after the commit; the whole demo is one
        # transaction, so the complaint hears of it now (a second report changes nothing).
        services.on_return_visit_done(sender=ReturnVisit, return_visit=rv, visit=visit)
        if plan.stop == "visited":
            return
        t = self.later(plan, moment, 60, 360)
        yield t
        services.close(c, actor=c.owner, now=t)

    def visit_by_phone(self, c, plan, t, department, handler):
        """A public-area matter's return visit: the first-responsible calls the reporter.
        不满意 reopens it; it is worked again and called again."""
        rng = self.rng
        day = timezone.localdate(t) + rng.randint(1, 2) * D
        t = self.office(plan, local(day, rng.randint(10, 16), rng.randint(0, 59)))
        yield t
        reason = rng.choice(texts.DISSATISFIED) if plan.satisfaction == "dissatisfied" else ""
        c = services.record_return_visit(c, actor=c.owner, satisfaction=plan.satisfaction, reason=reason, now=t)
        if reason:
            t += rng.randint(1, 3) * H
            yield t
            c = services.dispatch(
                c, actor=self.supervisor, department=department, handler=handler, note="业主不满意，重新处理"
            )
            t += H
            yield t
            c = services.start_work(c, actor=handler, note="二次处理")
            if plan.stop == "reopened":
                return
            t = self.office(plan, t + D)
            yield t
            c = services.resolve(c, actor=handler, result="二次处理：" + plan.situation.result, now=t)
            t = self.office(plan, t + D)
            yield t
            c = services.record_return_visit(c, actor=c.owner, satisfaction="fairly", now=t)
        if plan.stop == "visited":
            return
        t = self.later(plan, t, 60, 240)
        yield t
        services.close(c, actor=c.owner, now=t)

    def decide_validity(self, c, s):
        """The supervisor decides valid (the company's failing) or invalid on many complaints."""
        if c.kind != Kind.COMPLAINT or s.fault is None:
            return
        if s.fault and self.rng.random() < 0.45:  # about the 1 % a year of [004] in 阳光花园
            services.set_validity(
                c, actor=self.supervisor, validity="valid", reason=self.rng.choice(texts.VALID_REASONS)
            )
        elif not s.fault and self.rng.random() < 0.8:
            reason = texts.INVALID_REASONS.get(s.category, texts.INVALID_DEFAULT)
            services.set_validity(c, actor=self.supervisor, validity="invalid", reason=reason)

    # --- who, where, when ----------------------------------------------------------

    def receiver(self, plan):
        if plan.channel == "visit" and plan.house is not None and plan.house.butler_id:
            return plan.house.butler
        if plan.channel == "walk_in" or (plan.channel == "phone" and self.rng.random() < 0.7):
            return self.desk or self.rng.choice(self.butlers)
        return self.supervisor

    def reporter(self, house):
        people = self.residents.get(house.pk) if house is not None else None
        if people:
            person = people[0] if self.rng.random() < 0.8 else self.rng.choice(people)
            if person.mobile:
                return person.name, person.mobile
            return person.name, self.mobile()
        return self.rng.choice(texts.REPORTERS), self.mobile()

    def mobile(self):
        return f"1{self.rng.choice('3589')}{self.rng.randint(0, 999_999_999):09d}"

    def handler(self, plan):
        kind = ROUTES.get(plan.situation.category, DepartmentKind.SERVICE)
        worker = self.workers.get(kind)
        if worker is None:
            house = plan.house
            worker = house.butler if house is not None and house.butler_id else self.rng.choice(self.butlers)
        return self.departments.get(kind), worker

    def later(self, plan, t, low, high):
        """`t` plus low–high minutes, within office hours unless the matter is urgent."""
        return self.office(plan, t + self.rng.randint(low, high) * MIN)

    def office(self, plan, t):
        if plan.quick or plan.situation.urgency == "urgent":
            return t
        return office_hours(t, self.rng)

    # --- the plans -----------------------------------------------------------------

    def situation(self, category, kind, at_home):
        found = [
            s
            for s in texts.SITUATIONS
            if s.category == category and s.kind == kind and (s.place == texts.HOUSE) == at_home
        ]
        return found[self.index % len(found)]

    def showcase(self):
        plans = []
        for hours, category, kind, at_home, stop, extra in SHOWCASE:
            received = self.now - dt.timedelta(hours=hours)
            if extra.get("entry"):
                plan = self.counter_question((self.index * 3 + 2) % len(texts.COUNTER_QUESTIONS), received)
                plans.append(dataclasses.replace(plan, quick=True))
                continue
            situation = self.situation(category, kind, at_home)
            plan = Plan(
                situation,
                received,
                house=plans[0].house if stop == "void" else (self.rng.choice(self.houses) if at_home else None),
                channel=self.rng.choice(("phone", "phone", "walk_in", "online", "visit" if at_home else "letter")),
                stop=stop,
                quick=True,
                promise_days=extra.get("promise_days", 2),
                pause=dt.timedelta(days=1) if stop == "paused" else None,
                satisfaction=extra.get("satisfaction", "satisfied"),
                major=extra.get("major", False),
                incident=extra.get("incident", False),
                counter_callback=extra.get("counter_callback", False),
                description=(
                    COUNTER_CALLBACK
                    if extra.get("counter_callback")
                    else MAJOR
                    if extra.get("major")
                    else situation.description + "（重复来电）"
                    if stop == "void"
                    else ""
                ),
            )
            if plan.counter_callback:
                plan.channel = "walk_in"
            plans.append(plan)
        return plans

    def counter_question(self, index, received):
        entry, question, at_home = texts.COUNTER_QUESTIONS[index]
        category, _question, answer, _keywords = texts.BOOK[entry]
        situation = texts.Situation(
            category, "consultation", texts.HOUSE if at_home else "服务中心", "normal", question, answer, "", None
        )
        house = self.rng.choice(self.houses) if at_home else None
        return Plan(situation, received, house=house, channel=self.rng.choice(("walk_in", "phone")), entry=entry)

    def drawn(self):
        """An ordinary matter of the last three months."""
        rng = self.rng
        day = timezone.localdate(self.now) - dt.timedelta(days=rng.randint(1, MONTHS * 30))
        hour = rng.choices((7, 9, 11, 14, 16, 19, 21, 23), (1, 6, 5, 5, 6, 5, 2, 1))[0]
        received = local(day, hour, rng.randint(0, 59))
        received = min(received, self.now - 2 * H)
        if rng.random() < 0.15:
            return self.counter_question(rng.randrange(len(texts.COUNTER_QUESTIONS)), received)
        old = received < self.month_start - 5 * D
        choices = [s for s in texts.SITUATIONS if not (old and s.place == texts.HOUSE and s.kind in RETURN_VISIT_KINDS)]
        s = rng.choice(choices)
        at_home = s.place == texts.HOUSE
        allowance = 24 if s.urgency == "urgent" else 48
        if rng.random() < 0.08:
            answer_after = dt.timedelta(hours=allowance + rng.randint(2, 12))
        elif s.urgency == "urgent":
            answer_after = dt.timedelta(minutes=rng.randint(40, 6 * 60))
        else:
            answer_after = dt.timedelta(minutes=rng.randint(2 * 60, 30 * 60))
        weights = (74, 23, 3) if not at_home else (80, 20, 0)
        return Plan(
            s,
            received,
            house=rng.choice(self.houses) if at_home else None,
            channel=rng.choices(("phone", "walk_in", "visit" if at_home else "letter", "online"), (5, 3, 2, 1))[0],
            answer_after=answer_after,
            promise_days=rng.randint(10, 20) if s.kind == Kind.SUGGESTION else rng.randint(1, 3),
            resolve_late=rng.random() < 0.08,
            pause=dt.timedelta(hours=rng.randint(20, 50)) if at_home and rng.random() < 0.1 else None,
            satisfaction=rng.choices(("satisfied", "fairly", "dissatisfied"), weights)[0],
        )
