"""Demo data of the complaints app (issue 8 §10): three months of complaints,
questions and suggestions in each demo community, in every state — closed with
a return visit, awaiting the return visit, answered, in progress, overdue,
paused, reopened after 不满意, major, municipal, a household incident, a voided
duplicate, a suggestion the manager adopted — plus the answer book and a past
reception day.

Everything goes through the services, each step at its own moment of the past
(`django.utils.timezone.now` is held at that moment while the service runs), so
numbers, clocks, the timeline, return visits and the escalation ladder are what
they would have been. A community that already has complaints is left alone, so
`seed_demo` twice adds nothing.
"""

import datetime as dt
import random
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone

from complaints import escalation, services
from complaints.models import Complaint
from core.choices import DepartmentKind, Role
from core.models import Department
from core.selectors import staff_with_role
from residents.models import House

H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
SEEDS = (20261101, 20261102)

BOOK = [
    (
        "fees",
        "物业费怎么缴纳？",
        "可在服务中心前台现金或刷卡缴纳，也可通过微信公众号或银行代扣缴纳；按季度或按年预缴均可。",
        "物业费 缴费 交费",
    ),
    (
        "renovation",
        "装修需要办理什么手续？",
        "开工前持装修方案、施工单位资质到服务中心办理装修申请，签订装修管理协议，领取施工出入证后方可施工。",
        "装修 施工 申请",
    ),
    (
        "parking",
        "怎么办理停车证？",
        "携带行驶证、房产证或租赁合同到服务中心登记，按车位类型缴费后发放停车证。",
        "停车 车位 停车证",
    ),
    (
        "other",
        "快递可以代收吗？",
        "前台可代收小件快递，请凭取件码或身份证领取；贵重物品及生鲜建议本人签收。",
        "快递 代收 包裹",
    ),
    (
        "pets",
        "小区养狗有什么规定？",
        "请办理犬证并接种疫苗，出门拴绳、及时清理粪便，大型犬、烈性犬不得在小区饲养。",
        "宠物 养狗 犬",
    ),
    (
        "noise",
        "装修和噪音有时间限制吗？",
        "装修施工时间为工作日 8:00–12:00、14:00–18:00，节假日不得进行产生噪音的施工；夜间 22:00 后请保持安静。",
        "噪音 吵 装修时间",
    ),
    (
        "other",
        "门禁卡丢了怎么补办？",
        "持身份证到服务中心登记，原卡挂失后补办新卡，工本费按公示标准收取。",
        "门禁卡 补办 丢失",
    ),
    (
        "cleaning",
        "垃圾分类怎么投放？",
        "每栋楼下设有四分类垃圾桶，厨余垃圾请破袋投放，大件垃圾请预约服务中心清运。",
        "垃圾 分类 清运",
    ),
]

# (days ago, kind, channel, category, urgency, in a house?, description, outcome)
HISTORY = [
    (80, "complaint", "phone", "cleaning", "normal", False, "地下车库B区积水有异味，一直没人清理。", "closed"),
    (74, "complaint", "walk_in", "noise", "urgent", True, "楼上夜里十一点还在敲墙，孩子第二天要考试。", "closed"),
    (66, "consultation", "phone", "fees", "normal", True, "车位管理费能不能和物业费一起交？", "spot"),
    (58, "complaint", "letter", "greening", "normal", False, "中心花园的草坪被踩秃了，希望补种。", "closed"),
    (51, "suggestion", "online", "facilities", "normal", False, "建议在儿童游乐区加装遮阳棚。", "suggestion"),
    (44, "complaint", "phone", "parking", "normal", False, "消防通道经常被外来车辆占用。", "closed_late"),
    (37, "complaint", "walk_in", "attitude", "normal", False, "北门保安对快递员态度很差，业主看不下去。", "closed"),
    (29, "help", "phone", "maintenance", "urgent", True, "卫生间水管爆裂，家里进水了。", "incident"),
    (22, "complaint", "visit", "pets", "normal", False, "3栋有人遛狗不牵绳，老人被吓到。", "visited"),
    (15, "complaint", "phone", "municipal", "urgent", False, "整个小区停水，什么时候恢复？", "municipal"),
]

# (hours ago, kind, channel, category, urgency, in a house?, description, state)
RECENT = [
    (2, "complaint", "phone", "noise", "urgent", True, "隔壁装修电钻声太大，家里老人心脏不好。", "new"),
    (9, "consultation", "walk_in", "renovation", "normal", True, "想封阳台，需要物业审批吗？", "counter"),
    (20, "complaint", "walk_in", "facilities", "normal", False, "5栋电梯按钮失灵，按了没反应。", "in_progress"),
    (30, "complaint", "phone", "cleaning", "normal", False, "2栋大堂地面一周没拖了，很脏。", "answered"),
    (40, "complaint", "online", "parking", "urgent", False, "有车堵在地库出口，开不出去。", "paused"),
    (60, "complaint", "phone", "order", "normal", False, "晚上有陌生人在楼道里发小广告。", "overdue"),
    (70, "complaint", "walk_in", "fees", "normal", True, "物业费账单多算了一个月。", "resolved"),
    (100, "complaint", "phone", "greening", "normal", False, "修剪下来的树枝堆在路边三天了。", "reopened"),
    (30, "complaint", "walk_in", "maintenance", "normal", True, "楼顶漏水三次修不好，业主要求赔偿。", "major"),
    (5, "complaint", "phone", "noise", "urgent", True, "隔壁装修电钻声太大（重复来电）", "void"),
]


@contextmanager
def held_at(moment):
    """Services run as if it were `moment`."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def seed(ctx):
    users = ctx["users"]
    now = timezone.now()
    for community, seed_value in zip(ctx["communities"], SEEDS, strict=True):
        houses = list(House.objects.filter(community=community, butler__isnull=False).order_by("pk")[:40])
        if not houses or Complaint.objects.filter(community=community).exists():
            continue
        CommunityComplaints(community, users, houses, random.Random(seed_value), now).seed()
    escalation.escalate_due()
    return ctx


class CommunityComplaints:
    def __init__(self, community, users, houses, rng, now):
        self.community, self.houses, self.rng, self.now = community, houses, rng, now
        self.supervisor = staff_with_role(community, Role.SUPERVISOR)[0]
        self.manager = staff_with_role(community, Role.MANAGER)[0]
        desk = staff_with_role(community, Role.FRONT_DESK)
        butlers = staff_with_role(community, Role.BUTLER)
        self.receivers = [*desk, *butlers][:3] or [self.supervisor]
        self.handlers = butlers or [self.supervisor]
        self.service = Department.objects.filter(community=community, kind=DepartmentKind.SERVICE).first()
        self.engineering = Department.objects.filter(community=community, kind=DepartmentKind.ENGINEERING).first()

    def seed(self):
        self.book()
        for spec in HISTORY:
            self.history(*spec)
        for spec in RECENT:
            self.recent(*spec)
        self.reception()

    def book(self):
        start = self.now - 120 * D
        with held_at(start):
            entries = [
                services.draft_entry(
                    community=self.community,
                    actor=self.supervisor,
                    category=category,
                    question=question,
                    answer=answer,
                    keywords=keywords,
                )
                for category, question, answer, keywords in BOOK
            ]
        with held_at(start + D):
            for entry in entries:
                services.approve_entry(entry, actor=self.manager)
        with held_at(self.now - 3 * D):
            services.draft_entry(
                community=self.community,
                actor=self.supervisor,
                category="fees",
                question=BOOK[0][1],
                answer=BOOK[0][2] + "另支持支付宝缴纳。",
                keywords=BOOK[0][3],
                revises=entries[0],
            )
        self.entries = entries

    def receive(self, at, kind, channel, category, urgency, in_house, description, **extra):
        house = self.rng.choice(self.houses) if in_house else None
        with held_at(at):
            return services.receive_complaint(
                community=self.community,
                actor=self.rng.choice(self.receivers),
                kind=kind,
                channel=channel,
                category=category,
                urgency=urgency,
                house=house,
                location="" if house else self.place(),
                reporter_name=self.rng.choice(["张先生", "李女士", "王阿姨", "刘先生", "陈女士", "赵大爷"]),
                contact=f"13{self.rng.randint(100000000, 999999999)}",
                description=description,
                **extra,
            )

    def place(self):
        return self.rng.choice(["1栋大堂", "北门", "地下车库", "中心花园", "3栋电梯厅", "东侧道路"])

    def dispatch(self, complaint, at):
        department = self.engineering if complaint.category in ("maintenance", "facilities") else self.service
        with held_at(at):
            return services.dispatch(
                complaint, actor=self.supervisor, department=department, handler=self.rng.choice(self.handlers)
            )

    def history(self, days, kind, channel, category, urgency, in_house, description, outcome):
        at = self.now - days * D
        c = self.receive(
            at,
            kind,
            channel,
            category,
            urgency,
            in_house,
            description,
            is_municipal=category == "municipal",
            is_household_incident=outcome == "incident",
        )
        with held_at(at + 2 * H):
            services.mark_reviewed([c], actor=self.supervisor, community=self.community)
        if outcome == "spot":
            with held_at(at + dt.timedelta(minutes=5)):
                c = services.resolve(c, actor=c.owner, result="当场答复", reply=BOOK[0][2])
                services.close(c, actor=c.owner)
            return
        if outcome == "suggestion":
            with held_at(at + D):
                services.decide_suggestion(
                    c,
                    actor=self.manager,
                    decision="adopted",
                    measures="已列入下季度改造计划，预计下月完工。",
                    publish=True,
                )
        c = self.dispatch(c, at + 3 * H)
        late = outcome == "closed_late"
        with held_at(at + (60 if late else 6) * H):
            c = services.answer(c, actor=c.handler, reply="已安排人员处理，今天内给您答复结果。")
        with held_at(at + (100 if late else 20) * H):
            c = services.resolve(c, actor=c.handler, result="已处理完毕，并现场确认。", signature="signed")
        if outcome in ("incident", "municipal") or c.house_id:
            return  # awaiting the return visit in the visits app
        if kind != "suggestion":
            with held_at(at + 2 * D):
                services.record_return_visit(c, actor=c.owner, satisfaction=self.rng.choice(["satisfied", "fairly"]))
                services.set_validity(c, actor=self.supervisor, validity="valid", reason="经核实属实")
        if outcome == "visited":
            return  # visited, the owner has not closed it yet
        with held_at(at + 3 * D):
            services.close(c, actor=c.owner)

    def recent(self, hours, kind, channel, category, urgency, in_house, description, state):
        at = self.now - hours * H
        extra = {}
        if state == "counter":
            extra["counter_callback"] = True
        c = self.receive(at, kind, channel, category, urgency, in_house, description, **extra)
        if state in ("new", "counter", "void"):
            if state == "void":
                with held_at(at + H):
                    services.void(c, actor=self.supervisor, reason="同一业主重复来电，已并入前一件")
            return
        c = self.dispatch(c, at + H)
        if state == "overdue":
            return
        with held_at(at + 2 * H):
            c = services.start_work(c, actor=c.handler)
        if state == "in_progress":
            return
        if state == "paused":
            with held_at(at + 3 * H):
                services.pause(c, actor=c.handler, reason="业主出差，周末回来后再上门查看")
            return
        if state == "major":
            with held_at(at + 3 * H):
                services.mark_major(c, actor=self.supervisor, note="多次维修未果，业主情绪激动")
        with held_at(at + 4 * H):
            c = services.answer(c, actor=c.handler, reply="已联系施工单位，三天内处理完毕。", promised_at=at + 72 * H)
        if state in ("answered", "major"):
            return
        with held_at(at + 24 * H):
            c = services.resolve(c, actor=c.handler, result="已处理完毕。", signature="signed")
        if state == "reopened":
            with held_at(at + 48 * H):
                services.record_return_visit(c, actor=c.owner, satisfaction="dissatisfied", reason="树枝只清了一半")

    def reception(self):
        day = self.now - 10 * D
        with held_at(day):
            session = services.open_reception(
                community=self.community,
                actor=self.manager,
                date=timezone.localdate(day),
                manager=self.manager,
                place="服务中心会议室",
                attendees="项目经理、客服主管、工程主管",
            )
        for i, (category, text) in enumerate(
            (("facilities", "小区健身器材老化，希望更换。"), ("fees", "公共收益的使用情况能否公示？"))
        ):
            c = self.receive(
                day + (i + 1) * H,
                "suggestion" if i == 0 else "consultation",
                "reception_day",
                category,
                "normal",
                False,
                text,
                reception=session,
                handler=self.handlers[0],
            )
            if i == 1:
                with held_at(day + 3 * H):
                    c = services.resolve(
                        c,
                        actor=self.supervisor,
                        result="已说明公示时间和位置",
                        reply="每季度在公告栏公示公共收益收支。",
                    )
                    services.sign_off(c, actor=self.manager)
            else:
                with held_at(day + D):
                    services.decide_suggestion(
                        c, actor=self.manager, decision="partly", measures="先维修，明年预算中安排更换。", publish=True
                    )
