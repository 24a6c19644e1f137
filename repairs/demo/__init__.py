"""Demo data of the repairs app (issue 9): in each demo community its public areas,
the 特约服务收费标准 the manager approved, and about two months of work orders.

阳光花园 has the 工程部 (钱工 heads it; 赵师傅 and 孙师傅 work in it): a showcase of
one order in every status — 已受理 (one in the 抢单 pool, one nobody dispatched:
overdue) to 已关闭, 已退单, 已作废, 业主不同意报价 — and the cases an office meets:
紧急 (saved with the place and one line; one still waiting for its 补办手续), 急修,
一般 with an appointment, 抢单 and 轮派 categories, an arrival and a completion
overdue now, waits for materials with the head's 购物单 and for the owner, charged
work (quote → agreed → signed on screen → a Charge on finance's summary), a
rework after a dissatisfied return visit, a return (开发商保修); around it the
ordinary orders drawn at random, the public areas' over the last 60 days and the
households' since five days before this month began (their number follows
`ctx["demo_scale"]`: at 1.0 three house orders a day and one public one every
day or two, up to about 150 in all). 翠湖苑 has no technician: its orders are
only taken (one overdue for dispatch) or voided.

Every order goes through `repairs.services`, each step at its own moment of the
past with `django.utils.timezone.now` held there, and the escalation job runs
between the steps as the beat runs it (every minute), so numbers (gapless, in
receipt order), clocks, reminders and ladder steps are what they would have
been. Finished house orders raise their return visits through the visits engine;
the zone's butler logs them (`visits.services.log_visit`) and the supervisor
approves the records the next morning. Visit records count in the visits app's
monthly summaries, already drafted for the months gone by, so (as in the
complaints demo) every return visit falls in this month — one due before it is
made on the 1st, late — and house orders start five days before the month (on
the 1st before 09:05 no visit has been made yet: no order is 已回访). A community
that already has work orders is left alone, so `seed_demo` twice adds nothing.
The reminders went out when they came; those more than two days old have been read.
"""

import dataclasses
import datetime as dt
import math
import random
import struct
import zlib
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone

from core.choices import DepartmentKind, Role
from core.demo_timeline import Beat, held_at, local, office_hours
from core.demo_timeline import play as play_with
from core.models import Department, Membership, Reminder
from core.selectors import staff_with_role
from core.services import mark_reminder_read
from repairs import escalation, selectors, services
from repairs.choices import (
    Condition,
    DispatchMode,
    PauseReason,
    PriceListStatus,
    Rating,
    Signature,
    Source,
    Status,
    Urgency,
)
from repairs.models import PriceItem, PriceList, PublicArea, WorkOrder
from residents.models import House, Residency
from visits import services as visit_services
from visits.choices import Channel as VisitChannel
from visits.choices import ReturnVisitStatus, VisitStatus, VisitType
from visits.choices import Signature as VisitSignature
from visits.models import ReturnVisit, Visit

SEEDS = (20261201, 20261202)  # 阳光花园, 翠湖苑
DAYS = 60
HOUSE_PER_DAY = 3.0  # ordinary house orders a day at scale 1 (1,200 households)
PUBLIC_PER_DAY = 0.7  # ordinary public-area orders a day at scale 1
HOUSE_LEAD = dt.timedelta(days=5)  # house orders start this long before the month
TICK = 60  # seconds between two runs of the beat job
READ_AFTER = dt.timedelta(days=2)
SEC = dt.timedelta(seconds=1)
MIN = dt.timedelta(minutes=1)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)

# --- what the office has set up ------------------------------------------------------

PUBLIC_AREAS = (
    "大堂",
    "楼道",
    "地下车库",
    "水泵房",
    "电梯机房",
    "配电房",
    "中心花园",
    "儿童游乐场",
    "健身广场",
    "小区大门",
    "垃圾房",
    "屋面",
)
# The manager's settings: appliances go to the pool, public facilities in turn.
DISPATCH_MODES = {"家电": DispatchMode.GRAB, "公共设施": DispatchMode.ROUND_ROBIN}
# 特约服务收费标准: group, item, unit, price (元), note.
PRICE_ITEMS = (
    ("给排水", "更换水龙头", "个", "30.00", "人工费，龙头业主自备或按实另计"),
    ("给排水", "更换角阀", "个", "25.00", "人工费"),
    ("给排水", "更换PPR水管", "m", "45.00", "含管材、管件及热熔"),
    ("给排水", "疏通下水道", "次", "80.00", "厨房、阳台下水管"),
    ("给排水", "疏通马桶", "次", "60.00", ""),
    ("给排水", "疏通地漏", "个", "40.00", "含更换防臭芯"),
    ("电气", "更换灯具", "盏", "30.00", "人工费，灯具业主自备"),
    ("电气", "更换开关插座", "个", "25.00", "含普通面板"),
    ("电气", "更换空气开关", "个", "45.00", "含普通空气开关"),
    ("门窗", "更换门锁锁芯", "个", "120.00", "含C级锁芯"),
    ("门窗", "更换推拉门滑轮", "个", "25.00", "人工费"),
    ("门窗", "更换窗户合页", "个", "20.00", "含普通合页"),
    ("其他", "打胶（厨卫台面、洁具）", "m", "12.50", "含防霉硅胶"),
    ("家电", "热水器检修", "次", "50.00", "不含配件"),
    ("家电", "油烟机检修", "次", "50.00", "不含配件"),
    ("其他", "更换晾衣架钢丝绳", "套", "60.00", "含钢丝绳"),
)


# --- what goes wrong ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Situation:
    category: str
    description: str
    result: str
    conditions: tuple = ()
    quote: tuple = ()  # (price item, quantity): what the technician quotes in a house
    area: str = ""  # a public area; "" for a house
    spot: str = ""  # where in it: {b} building, {u} unit, {f} floor
    quick: bool = False  # 紧急, saved with the place and one line
    materials: int | None = None  # MATERIALS entry when it may wait for parts


PUMP, FLOOD, WIRING, FALLING, STAIRS = (
    Condition.PUMP_PIPE,
    Condition.FLOODING,
    Condition.WIRING,
    Condition.FALLING,
    Condition.STAIRS_RAILINGS,
)
HOUSE_SITUATIONS = {
    "tap_drip": Situation("水", "厨房水龙头关不紧，一直滴水", "更换水龙头阀芯，试水无滴漏", quote=(("更换水龙头", 1),)),
    "basin_tap": Situation("水", "卫生间面盆龙头底座松动漏水", "重新紧固龙头并更换密封圈，试水正常"),
    "angle_valve": Situation("水", "卫生间角阀关不住，拧到底还在出水", "更换角阀，试水正常", quote=(("更换角阀", 1),)),
    "angle_valve_burst": Situation(
        "水",
        "卫生间角阀爆裂漏水，业主已自行关闭进户总阀",
        "更换角阀及软管，恢复供水，试水正常",
        conditions=(PUMP,),
        quote=(("更换角阀", 1),),
    ),
    "pipe_burst": Situation(
        "水",
        "厨房进水管接头爆裂，水喷了一地",
        "关闭总阀，更换破裂PPR管段及接头，试压无渗漏",
        conditions=(PUMP,),
        quote=(("更换PPR水管", "1.5"),),
    ),
    "flooding": Situation(
        "水",
        "家中跑水，热水器进水软管脱落，水已漫到客厅",
        "关闭进户总阀，重新安装进水软管并加固，协助业主清理积水",
        conditions=(FLOOD,),
    ),
    "kitchen_drain": Situation(
        "管道疏通", "厨房下水道堵塞，水池积水下不去", "疏通厨房下水管，排水通畅", quote=(("疏通下水道", 1),)
    ),
    "drain_backflow": Situation(
        "管道疏通", "厨房下水道返水，水池水下不去", "疏通厨房下水主管，排水通畅", quote=(("疏通下水道", 1),)
    ),
    "toilet": Situation("管道疏通", "马桶堵塞，冲水冲不下去", "疏通马桶，冲水正常", quote=(("疏通马桶", 1),)),
    "floor_drain": Situation(
        "管道疏通", "卫生间地漏返臭味、下水慢", "清理地漏存水弯并更换防臭芯", quote=(("疏通地漏", 1),)
    ),
    "ceiling_light": Situation(
        "电", "客厅吊灯不亮，换了灯泡也不亮", "灯具镇流器损坏，更换灯具", quote=(("更换灯具", 1),)
    ),
    "sockets": Situation("电", "主卧两个插座没电", "插座背面接线松脱烧蚀，更换插座两个", quote=(("更换开关插座", 2),)),
    "bath_switch": Situation("电", "卫生间浴霸开关按下去不回弹", "更换浴霸开关", quote=(("更换开关插座", 1),)),
    "trip": Situation(
        "电",
        "一开空调就跳闸，全屋停电",
        "空调回路线路老化短路，更换空气开关并重新压接线路，送电正常",
        conditions=(WIRING,),
        quote=(("更换空气开关", 1),),
    ),
    "leakage_breaker": Situation(
        "电",
        "配电箱漏电保护器频繁跳闸，厨房和卫生间没电",
        "更换漏电保护器并整理厨卫回路接线，送电正常",
        conditions=(WIRING,),
        materials=0,
    ),
    "door_closer": Situation("门窗", "入户门闭门器漏油，门关不严", "更换闭门器并调整关门速度"),
    "lock": Situation(
        "门窗", "入户门锁芯卡死，钥匙拔不出来", "更换入户门锁芯，交付新钥匙三把", quote=(("更换门锁锁芯", 1),)
    ),
    "sliding_door": Situation(
        "门窗",
        "阳台推拉门滑轮坏了，推拉很费劲",
        "更换推拉门滑轮两只，推拉顺畅",
        quote=(("更换推拉门滑轮", 2),),
        materials=2,
    ),
    "hinges": Situation("门窗", "卧室窗户合页松动，关不严", "更换窗户合页两只并调整", quote=(("更换窗户合页", 2),)),
    "cracked_glass": Situation(
        "门窗", "厨房窗户玻璃开裂，有掉落危险", "拆除破裂玻璃，临时封闭后更换玻璃", conditions=(FALLING,)
    ),
    "floor_leak": Situation(
        "渗漏水",
        "卫生间地面往楼下渗水，楼下天花板有水渍",
        "查为地漏周边防水层破损，局部重做防水，闭水试验24小时无渗漏",
    ),
    "window_leak": Situation("渗漏水", "雨后卧室外墙窗边渗水", "外墙窗框周边打胶封堵，淋水试验无渗漏"),
    "worktop_joint": Situation(
        "渗漏水", "厨房台面与墙面接缝渗水发霉", "清理旧胶，重新打防霉胶", quote=(("打胶（厨卫台面、洁具）", "2.4"),)
    ),
    "new_house_leak": Situation("渗漏水", "新交付房屋卫生间墙面渗水，墙皮起鼓", "转开发商维保单位处理"),
    "balcony_rail": Situation(
        "结构", "阳台栏杆底座松动，晃得厉害", "重新加固栏杆底座并补焊，试推牢固", conditions=(STAIRS,)
    ),
    "heater": Situation("家电", "燃气热水器打不着火", "清理点火针、更换电池，点火正常", quote=(("热水器检修", 1),)),
    "hood": Situation("家电", "油烟机不转，开关没反应", "更换启动电容，运转正常", quote=(("油烟机检修", 1),)),
    "airer": Situation("其他", "阳台晾衣架升降卡住，降不下来", "更换晾衣架钢丝绳", quote=(("更换晾衣架钢丝绳", 1),)),
}
PUBLIC_SITUATIONS = {
    "lobby_reader": Situation(
        "公共设施",
        "大堂门禁读卡器刷卡没反应",
        "更换门禁读卡模块，刷卡正常",
        area="大堂",
        spot="{b}号楼{u}单元",
        materials=3,
    ),
    "lobby_light": Situation("电", "大堂吊灯有两盏不亮", "更换灯管两支", area="大堂", spot="{b}号楼{u}单元"),
    "stair_light": Situation("电", "楼道声控灯不亮", "更换声控灯", area="楼道", spot="{b}号楼{u}单元{f}层"),
    "unit_door": Situation("门窗", "单元门闭门器漏油，门关不上", "更换闭门器", area="楼道", spot="{b}号楼{u}单元一楼"),
    "garage_lights": Situation("电", "地库B区照明灯管不亮6支", "更换LED灯管6支", area="地下车库", spot="B区"),
    "garage_barrier": Situation(
        "公共设施", "地库入口道闸抬杆不起", "道闸控制板接线松动，重新紧固，抬杆正常", area="地下车库", spot="入口"
    ),
    "fire_main_burst": Situation(
        "水",
        "地库C区消防管道爆裂，地面大量积水",
        "关闭分区阀，更换破损管段，恢复供水并排净积水",
        area="地下车库",
        spot="C区",
        quick=True,
    ),
    "pump_seal": Situation(
        "水",
        "2号生活水泵机械密封漏水，出水压力不稳",
        "更换水泵机械密封，运行正常",
        conditions=(PUMP,),
        area="水泵房",
        materials=1,
    ),
    "lift_noise": Situation(
        "电梯", "电梯运行时有异响", "配合维保单位调整导靴、加注润滑，运行平稳", area="电梯机房", spot="{b}号楼"
    ),
    "lift_trapped": Situation(
        "电梯",
        "电梯困人，一名老人被困轿厢",
        "到场盘车放人，老人无恙；维保单位复查后恢复运行",
        area="电梯机房",
        spot="{b}号楼{u}单元",
        quick=True,
    ),
    "fan": Situation("电", "配电房排风扇不转", "更换排风扇电机", area="配电房"),
    "sprinkler": Situation("公共设施", "中心花园喷灌管破裂冒水", "更换破裂喷灌管", area="中心花园", spot="喷泉旁"),
    "garden_lamps": Situation("电", "庭院灯有三盏不亮", "更换庭院灯光源三只", area="中心花园"),
    "slide_rail": Situation(
        "结构",
        "滑梯扶手松动，孩子玩耍有危险",
        "拉警戒后紧固扶手螺栓，试推牢固",
        conditions=(STAIRS,),
        area="儿童游乐场",
    ),
    "fitness": Situation("公共设施", "扭腰器轴承卡死转不动", "更换轴承并加油", area="健身广场"),
    "gate": Situation("公共设施", "东门人行闸机不开", "更换闸机控制模块，通行正常", area="小区大门", spot="东门"),
    "bin_tap": Situation("水", "垃圾房冲洗龙头损坏", "更换冲洗龙头", area="垃圾房"),
    "roof_leak": Situation(
        "渗漏水", "雨后屋面渗水到顶楼楼道", "屋面排水口清淤并局部修补防水", area="屋面", spot="{b}号楼"
    ),
}
SITUATIONS = {**HOUSE_SITUATIONS, **PUBLIC_SITUATIONS}
HOUSE_KEYS = [k for k in HOUSE_SITUATIONS if k not in ("new_house_leak", "drain_backflow")]
PUBLIC_KEYS = list(PUBLIC_SITUATIONS)

# The technician's pause note and the head's 购物单: (material, quantity, unit, estimate).
MATERIALS = (
    (
        "漏电保护器损坏，需更换同型号，仓库无货",
        (("漏电保护器 DZ47LE-32 C20", "1", "个", "85"), ("BV2.5 铜芯线", "10", "m", "38")),
    ),
    ("水泵机械密封磨损，需订购原厂配件", (("水泵机械密封 MG1-25", "1", "套", "260"),)),
    ("推拉门滑轮为原厂特殊型号，需订货", (("推拉门滑轮（原厂型号）", "4", "只", "96"),)),
    ("门禁读卡模块损坏，仓库无备件", (("门禁读卡模块", "1", "个", "180"),)),
)
OWNER_WAITS = (
    "业主临时有事外出，约定明天下午继续维修",
    "业主要等家人回来商量是否整组更换",
    "业主要求改到周末上门继续",
)
RETURN_REASONS = {
    "new_house_leak": "该房屋交付未满两年，卫生间渗水属开发商保修范围，已转开发商维保单位处理",
    "heater": "燃气热水器进气软管属燃气公司维修范围，已告知业主拨打燃气公司报修热线",
    "hood": "油烟机尚在厂家保修期内，已请业主联系厂家售后上门",
}
RETURN_NOTICE = "已电话告知业主退单原因及报修渠道，业主表示理解"
VOID_REASONS = ("同一户同一事项重复报修，已并入前一张工单", "业主来电取消报修，问题已自行解决")
DECLINE_REASONS = ("业主认为价格偏高，自行联系厂家售后", "业主决定自行购买配件后再约")
VISIT_REPLIES = {
    "satisfied": "维修及时，师傅很专业，现在使用正常。",
    "fairly": "已经修好了，就是上门比约定时间晚了一点。",
    "dissatisfied": "修完没两天又出现同样的问题，希望尽快再来看看。",
}
REPORTERS = ("王先生", "李阿姨", "陈女士", "刘先生", "张阿姨", "赵先生", "周女士", "黄先生")


def _signature_png(width=160, height=48):
    """A small grayscale PNG of a scribbled signature, as the owner signs on screen."""
    rows = [bytearray(b"\xff" * width) for _ in range(height)]
    for x in range(12, width - 12):
        y = height / 2 + 11 * math.sin(x / 9) * math.cos(x / 31) + 4 * math.sin(x / 3.1)
        for dy in (0, 1):
            rows[min(height - 1, max(0, int(y) + dy))][x] = 0x20
    raw = b"".join(b"\x00" + bytes(row) for row in rows)

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


SIGNATURE_PNG = _signature_png()


# --- seeding --------------------------------------------------------------------------


def seed(ctx):
    now = timezone.now()
    scale = float(ctx.get("demo_scale", 1.0))
    stories, seeded = [], []
    for index, community in enumerate(ctx["communities"]):
        if WorkOrder.objects.filter(community=community).exists():
            continue
        houses = list(
            House.objects.filter(community=community, butler__isnull=False)
            .occupied()
            .select_related("butler", "building")
            .order_by("pk")
        )
        if not houses:
            continue
        demo = CommunityOrders(community, users=ctx["users"], houses=houses, rng=random.Random(SEEDS[index]), now=now)
        demo.setup()
        stories += demo.stories(scale=scale)
        seeded.append(community)
    if stories:
        play(stories, now)
        settle_reminders(seeded, now)
    return ctx


# --- the timeline ---------------------------------------------------------------------


def play(stories, now):
    """Run every story in time order up to `now` with the work orders' one-minute
    beat beside them (`core.demo_timeline`)."""
    play_with(stories, now, Beat(WorkOrder, escalation.escalate_due, TICK))


def settle_reminders(communities, now):
    """The work-order reminders of the past went out when they came, and those of
    more than two days ago were read a few hours after (as the complaints demo)."""
    reminders = Reminder.objects.filter(
        content_type=ContentType.objects.get_for_model(WorkOrder), community__in=communities
    )
    reminders.filter(delivered_at__isnull=True).update(delivered_at=F("created_at"))
    old = reminders.filter(read_at__isnull=True, created_at__lt=now - READ_AFTER).select_related("recipient")
    for reminder in old:
        with held_at(reminder.created_at + 3 * H):
            mark_reminder_read(reminder, actor=reminder.recipient)


# --- one community's orders -----------------------------------------------------------


@dataclasses.dataclass
class Plan:
    """How one order goes: what, where, when, who, its tempo and where it stops."""

    situation: Situation
    received: dt.datetime
    source: str
    receiver: object
    house: object = None
    area: object = None
    location: str = ""
    reporter: object = None
    reporter_name: str = ""
    contact: str = ""
    description: str = ""
    technician: object = None
    appointment: dt.datetime | None = None
    stop: str = "closed"  # the status it is left in (a final outcome below ends it earlier)
    steady: bool = False  # the showcase's fixed tempo, round the clock
    void: str = ""
    returned: str = ""
    decline: str = ""
    quote: bool = False
    pause: str = ""  # "materials" or "owner"
    pause_for: dt.timedelta = D
    late_dispatch: bool = False
    late_arrival: bool = False
    late_completion: bool = False
    signature: str = Signature.SIGNED
    rating: str = Rating.SATISFIED
    paperwork: bool = True  # a 紧急 order's 补办手续 follows the work
    satisfaction: str = "satisfied"
    visit_at: dt.datetime | None = None
    rework_stop: str = "closed"
    rework_arrival: dt.datetime | None = None
    arrival_at: dt.datetime | None = None


class CommunityOrders:
    def __init__(self, community, *, users, houses, rng, now):
        self.community, self.houses, self.rng, self.now = community, houses, rng, now
        self.today = timezone.localdate(now)
        self.month_start = local(self.today.replace(day=1), 0)
        self.house_from = self.month_start - HOUSE_LEAD
        self.visit_floor = self.month_start + 9 * H + 5 * MIN  # the month's first door visit
        self.start = now - DAYS * D
        members = set(Membership.objects.filter(community=community, is_active=True).values_list("user_id", flat=True))
        self.manager = staff_with_role(community, Role.MANAGER)[0]
        self.reviewer = staff_with_role(community, Role.SUPERVISOR)[0]
        self.desk = next((u for u in staff_with_role(community, Role.FRONT_DESK) if u.pk in members), None)
        self.butlers = [u for u in staff_with_role(community, Role.BUTLER) if u.pk in members]
        engineering = Department.objects.filter(community=community, kind=DepartmentKind.ENGINEERING).first()
        head = engineering.head if engineering is not None else None
        self.head = head if head is not None and head.pk in members else None
        technicians = [users.get(name) for name in ("tech1", "tech2")]
        self.technicians = [u for u in technicians if u is not None and u.has_role(community, Role.TECHNICIAN)]
        heads = [self.head] if self.head is not None and self.head.has_role(community, Role.TECHNICIAN) else []
        self.crew = self.technicians + heads
        self.buildings = sorted({h.building.number for h in houses}, key=lambda n: (len(n), n))
        self.residents = {}
        residencies = Residency.objects.filter(house__community=community, end_date__isnull=True).select_related(
            "person"
        )
        for residency in residencies.order_by("house_id", "pk"):
            self.residents.setdefault(residency.house_id, []).append(residency.person)
        self.order_type = ContentType.objects.get_for_model(WorkOrder)
        self.categories, self.areas, self.items = {}, {}, {}

    # --- setup -------------------------------------------------------------------------

    def setup(self):
        """Public areas and dispatch modes (the manager's settings page) and the price
        list: drafted by the supervisor, approved by the manager a week before it runs."""
        valid_from = timezone.localdate(self.start).replace(day=1)
        created = None
        with held_at(local(valid_from - 9 * D, 10, 20)):
            self.categories = {c.name: c for c in services.categories_for(self.community)}
            for name in PUBLIC_AREAS:
                area = PublicArea.objects.filter(community=self.community, name=name).first()
                if area is None:
                    area = PublicArea(community=self.community, name=name)
                    area._history_user = self.manager
                    area.save()
                self.areas[name] = area
            if self.crew:
                for name, mode in DISPATCH_MODES.items():
                    category = self.categories.get(name)
                    if category is not None and not category.dispatch_mode:
                        category.dispatch_mode = mode
                        category._history_user = self.manager
                        category.save(update_fields=["dispatch_mode"])
            price_list = PriceList.objects.filter(community=self.community, status=PriceListStatus.APPROVED).first()
            if price_list is None:
                price_list = created = PriceList(
                    community=self.community,
                    title=f"特约服务收费标准（{valid_from.year}年{valid_from.month}月起执行）",
                    valid_from=valid_from,
                    drafted_by=self.reviewer,
                )
                price_list._history_user = self.reviewer
                price_list.save()
                for sort, (group, name, unit, price, note) in enumerate(PRICE_ITEMS):
                    item = PriceItem(
                        price_list=price_list,
                        group=group,
                        name=name,
                        unit=unit,
                        unit_price=Decimal(price),
                        note=note,
                        sort=sort,
                    )
                    item._history_user = self.reviewer
                    item.save()
        if created is not None:
            with held_at(local(valid_from - 7 * D, 15, 30)):
                services.approve_price_list(created, actor=self.manager)
        self.items = {item.name: item for item in services.approved_price_items(self.community, self.today)}

    # --- the stories -------------------------------------------------------------------

    def stories(self, *, scale):
        if self.crew:
            plans = self.showcase()
            house_days = (self.today - timezone.localdate(self.house_from)).days + 1
            plans += [self.drawn(house=True) for _ in range(round(HOUSE_PER_DAY * house_days * scale))]
            plans += [self.drawn(house=False) for _ in range(round(PUBLIC_PER_DAY * DAYS * scale))]
        else:
            plans = self.unstaffed()
        plans.sort(key=lambda p: p.received)
        first = timezone.localdate(plans[0].received)
        days = [first + n * D for n in range((self.today - first).days + 1)]
        stories = [self.daily_review(days)]
        if self.crew:
            stories.append(self.visit_review())
        return stories + [self.matter(plan) for plan in plans]

    def daily_review(self, days):
        """The supervisor reviews the day's new orders every evening [001 L108]."""
        for day in days:
            moment = local(day, 17, 30 + self.rng.randint(0, 40))
            yield moment
            waiting = list(selectors.review_queue(self.community).filter(received_at__lte=moment))
            if waiting:
                services.mark_reviewed(waiting, actor=self.reviewer, community=self.community, now=moment)

    def visit_review(self):
        """The supervisor approves the repair return-visit records each morning."""
        day = timezone.localdate(self.house_from)
        while day <= self.today:
            moment = local(day, 9, self.rng.randint(0, 60))
            yield moment
            records = Visit.objects.filter(
                community=self.community,
                status=VisitStatus.SUBMITTED,
                return_visit__source_type=self.order_type,
                submitted_at__lte=moment,
            ).exclude(created_by=self.reviewer)
            for record in records:
                visit_services.review_visit(record, actor=self.reviewer, decision="approve")
            day += D

    def matter(self, plan):
        t = plan.received
        yield t
        order = self.receive(plan, t)
        yield from self.work(order, plan, t)

    def work(self, o, plan, t):
        """From intake to `plan.stop`, each step at its own moment."""
        rng = self.rng
        if plan.stop == "received":
            return
        if plan.void:
            t += (4 if plan.steady else rng.randint(3, 30)) * MIN
            yield t
            services.void(o, actor=self.reviewer, reason=plan.void)
            return
        if o.status == Status.RECEIVED:
            if o.dispatch_mode == DispatchMode.GRAB and not plan.late_dispatch:
                t += rng.randint(40, 160) * SEC
                yield t
                o = services.claim(o, actor=plan.technician)
            else:
                t += (2 if plan.steady else rng.randint(6, 25) if plan.late_dispatch else rng.randint(1, 4)) * MIN
                yield t
                o = services.dispatch(o, actor=self.dispatcher(o), technician=plan.technician)
        if plan.stop == "dispatched":
            return
        tech = o.technician
        if o.status == Status.DISPATCHED:
            t += (3 if plan.steady else rng.randint(1, 6)) * MIN
            yield t
            o = services.accept(o, actor=tech)
        if plan.stop == "accepted":
            return
        t = max(t + 2 * MIN, self.arrival(plan, o))
        yield t
        o = services.arrive(o, actor=tech, entry_agreed=o.house_id is not None)
        if plan.stop == "on_site":
            return
        if plan.returned:  # what the technician found is not ours: only the 工程部 head returns it
            t = self.office(plan, t + self.span(plan, 30, 120))
            yield t
            o = services.return_order(o, actor=self.head, reason=plan.returned)
            t += self.span(plan, 10, 40)
            yield t
            services.notify_owner(o, actor=o.owner, note=RETURN_NOTICE)
            return
        if plan.quote and o.house_id:
            t += self.span(plan, 8, 20)
            yield t
            o = services.quote(o, actor=tech, lines=self.quote_lines(plan.situation))
            if plan.stop == "quoting":
                return
            t += self.span(plan, 5, 20)
            yield t
            if plan.decline:
                services.decline_quote(o, actor=tech, reason=plan.decline)
                return
            o = services.agree_quote(o, actor=tech)
        else:
            t += self.span(plan, 3, 10)
            yield t
            o = services.start(o, actor=tech)
        if plan.stop == "in_progress":
            return
        waited = dt.timedelta()
        if plan.pause:
            t += self.span(plan, 20, 60)
            yield t
            paused_at = t
            if plan.pause == "materials":
                note, items = MATERIALS[plan.situation.materials or 0]
                o = services.pause(o, actor=tech, reason=PauseReason.MATERIALS, note=note)
                t = self.office(plan, t + (2 if plan.steady else rng.randint(2, 20)) * H)
                yield t
                services.file_purchase(o, actor=self.head, items=items, note=note)
                if o.house_id:
                    t += self.span(plan, 10, 40)
                    yield t
                    days = max(1, round(plan.pause_for / D))
                    o = services.notify_owner(
                        o, actor=o.owner, note=f"电话告知业主：{note}，已报购物单，预计 {days} 天内到货后上门继续维修"
                    )
            else:
                o = services.pause(o, actor=tech, reason=PauseReason.OWNER, note=rng.choice(OWNER_WAITS))
            if plan.stop == "paused":
                return
            t = self.office(plan, max(t + 30 * MIN, paused_at + plan.pause_for))
            yield t
            o = services.resume(o, actor=tech)
            waited = t - paused_at
        t = max(t + 10 * MIN, self.finish(plan, o, t, waited))
        yield t
        signature = plan.signature if o.house_id else ""
        signed = signature == Signature.SIGNED
        o = services.complete(
            o,
            actor=tech,
            result=plan.situation.result,
            signature=signature,
            signature_png=SIGNATURE_PNG if signed else None,
            rating=plan.rating if signed else "",
        )
        if plan.situation.quick and plan.paperwork:
            t += self.span(plan, 30, 90)
            yield t
            o = services.complete_paperwork(
                o,
                actor=o.owner,
                category=self.categories[plan.situation.category],
                description=plan.situation.description,
                reporter_name=o.reporter_name,
            )
        if plan.stop == "done":
            return
        if o.status == Status.DONE and o.house_id:  # the owner was out: signs the next day
            t = self.office(plan, t + (3 if plan.steady else rng.randint(3, 20)) * H)
            yield t
            o = services.confirm(o, actor=o.owner, signature=Signature.SIGNED, signature_png=SIGNATURE_PNG)
        if plan.stop == "confirmed":
            return
        if o.house_id is None:  # a public area's order closes once done
            t = self.office(plan, t + self.span(plan, 30, 240))
            yield t
            services.close(o, actor=o.owner)
            return
        yield from self.return_visits(o, plan, t)

    def return_visits(self, o, plan, t):
        """The return visits the order raised, by the zone's butler at the door. The
        first makes the order 已回访 (a dissatisfied one opens a rework, done in turn);
        the first-responsible closes it after."""
        raised = ReturnVisit.objects.filter(
            source_type=self.order_type, source_id=str(o.pk), status=ReturnVisitStatus.DUE
        ).select_related("assignee")
        for n, rv in enumerate(raised.order_by("due_at", "pk")):
            if rv.assignee is None:
                continue
            if n == 0 and plan.visit_at is not None:
                moment = max(plan.visit_at, self.visit_floor)
            else:
                moment = self.visit_moment(rv, t)
            yield moment
            self.log_visit(o, rv, moment, plan.satisfaction if n == 0 else "satisfied")
            t = moment
            if n:
                continue
            rework = WorkOrder.objects.filter(rework_of=o).first()
            if rework is not None:
                t += MIN
                yield t
                services.close(o, actor=o.owner, note=f"回访不满意，已开返工单 {rework.number}")
                yield from self.work(rework, self.rework_plan(plan, rework), t)
                return
            if plan.stop == "visited":
                return
            t = self.office(plan, t + self.span(plan, 60, 300))
            yield t
            services.close(o, actor=o.owner)

    def log_visit(self, o, rv, moment, satisfaction):
        person = (self.residents.get(o.house_id) or [None])[0]
        visit = visit_services.log_visit(
            house=o.house,
            actor=rv.assignee,
            started_at=moment - self.rng.randint(15, 40) * MIN,
            channel=VisitChannel.DOOR,
            visit_type=VisitType.REPAIR_RETURN,
            people_met=f"业主 {person.name}" if person else "业主",
            reply=VISIT_REPLIES[satisfaction],
            satisfaction=satisfaction,
            repair_ratings={aspect: satisfaction for aspect in ("attitude", "quality", "manners")},
            signature=VisitSignature.SIGNED,
            return_visit=rv,
            now=moment,
        )
        # The engine reports the visit when the transaction commits; the whole demo is one
        # transaction, so it is reported now, at its moment (the report at commit finds it taken).
        services.on_return_visit_done(sender=None, return_visit=rv, visit=visit)
        return visit

    def rework_plan(self, plan, rework):
        return dataclasses.replace(
            plan,
            situation=dataclasses.replace(plan.situation, result="返工：" + plan.situation.result),
            stop=plan.rework_stop,
            appointment=None,
            arrival_at=plan.rework_arrival,
            quote=False,
            pause="",
            late_dispatch=False,
            late_arrival=False,
            late_completion=False,
            satisfaction="satisfied",
            visit_at=None,
            rework_stop="closed",
            rework_arrival=None,
        )

    # --- steps' moments and people -----------------------------------------------------

    def receive(self, plan, at):
        s = plan.situation
        fields = {
            "community": self.community,
            "actor": plan.receiver,
            "source": plan.source,
            "description": plan.description or s.description,
            "house": plan.house,
            "public_area": plan.area,
            "location": plan.location,
            "appointment_at": plan.appointment,
            "received_at": at,
        }
        if s.quick:
            fields["quick"] = True
        else:
            fields["category"] = self.categories[s.category]
            fields["conditions"] = list(s.conditions)
        if plan.reporter is not None:
            fields["reporter"] = plan.reporter
        else:
            fields["reporter_name"], fields["contact"] = plan.reporter_name, plan.contact
        return services.receive_order(**fields)

    def dispatcher(self, order):
        if self.head is not None and order.received_by_id == self.head.pk:
            return self.head
        if self.desk is not None and self.rng.random() < 0.7:
            return self.desk
        return self.rng.choice([p for p in (self.reviewer, self.head) if p is not None])

    def quote_lines(self, situation):
        return [(self.items[name], Decimal(str(quantity))) for name, quantity in situation.quote]

    def span(self, plan, low, high):
        return (low + high) // 2 * MIN if plan.steady else self.rng.randint(low, high) * MIN

    def office(self, plan, t):
        """Ordinary work happens 08:00–21:00; the showcase, 紧急 and 急修 round the clock."""
        if plan.steady or plan.situation.quick or plan.situation.conditions:
            return t
        return office_hours(t, self.rng)

    def arrival(self, plan, o):
        rng, received, late = self.rng, o.received_at, plan.late_arrival
        if plan.arrival_at is not None:
            return plan.arrival_at
        if o.urgency == Urgency.EMERGENCY:
            return received + (10 if plan.steady else rng.randint(17, 35) if late else rng.randint(6, 13)) * MIN
        if o.urgency == Urgency.URGENT:
            return received + (20 if plan.steady else rng.randint(33, 70) if late else rng.randint(12, 27)) * MIN
        if plan.appointment is not None:  # a few minutes early, or late
            if plan.steady:
                return plan.appointment - 5 * MIN
            return plan.appointment + (rng.randint(15, 90) if late else rng.randint(-15, -2)) * MIN
        if plan.steady:
            return received + H
        if late:
            return self.office(plan, received + o.arrival_allowance + rng.randint(1, 6) * H)
        return self.office(plan, received + rng.randint(40, 300) * MIN)

    def finish(self, plan, o, t, waited):
        if plan.steady:
            return t + H
        if plan.late_completion:
            late = o.received_at + o.completion_allowance + waited + self.rng.randint(2, 20) * H
            return self.office(plan, late)
        return self.office(plan, t + self.rng.randint(20, 150) * MIN)

    def visit_moment(self, rv, after):
        """Within the return visit's time, at the door between 09:00 and 20:00, and in
        this month (one falling before it is made on its first day, late)."""
        rng = self.rng
        moment = rv.occurred_at + (rv.due_at - rv.occurred_at) * rng.uniform(0.3, 0.8)
        moment = max(moment, after + 30 * MIN)
        if moment < self.visit_floor:
            return self.visit_floor + rng.randint(0, 8 * 60) * MIN
        hour = timezone.localtime(moment).hour
        if 9 <= hour < 20:
            return moment
        day = timezone.localdate(moment) + (D if hour >= 20 else dt.timedelta())
        return local(day, rng.randint(9, 11), rng.randint(0, 59))

    # --- the plans ---------------------------------------------------------------------

    def make_plan(self, key, received, *, house=None, source=None, **fields):
        rng = self.rng
        s = SITUATIONS[key]
        area = self.areas[s.area] if s.area else None
        location = ""
        if area is not None:
            house = None
            building = rng.choice(self.buildings)
            location = s.spot.format(b=building, u=rng.randint(1, 2), f=rng.randint(2, 18))
        else:
            house = house or rng.choice(self.houses)
        if source is None:
            if s.quick:
                source = Source.PHONE
            elif house is not None:
                source = rng.choices((Source.PHONE, Source.COUNTER, Source.VISIT, Source.APP), (55, 20, 10, 15))[0]
            else:
                source = rng.choices((Source.PATROL, Source.PHONE, Source.VISIT), (50, 35, 15))[0]
        plan = Plan(s, received, source, self.receiver(source, house), house=house, area=area, location=location)
        if house is not None:
            people = self.residents.get(house.pk)
            if people:
                plan.reporter = people[0] if rng.random() < 0.8 else rng.choice(people)
            else:
                plan.reporter_name, plan.contact = rng.choice(REPORTERS), self.mobile()
        elif source == Source.PATROL:
            plan.reporter_name = f"工程部巡检（{plan.receiver.display_name}）"
        elif s.quick:
            plan.reporter_name = "秩序部巡逻岗"
        else:
            plan.reporter_name, plan.contact = rng.choice(REPORTERS), self.mobile()
        if self.crew:
            plan.technician = self.technician(s)
        plan.quote = bool(s.quote) and house is not None
        for name, value in fields.items():
            setattr(plan, name, value)
        return plan

    def receiver(self, source, house):
        rng = self.rng
        if source == Source.VISIT:
            return house.butler if house is not None else rng.choice(self.butlers)
        if source == Source.PATROL:
            return self.head or rng.choice(self.crew)
        if self.desk is not None and (source != Source.PHONE or rng.random() < 0.75):
            return self.desk
        if house is not None and house.butler_id:
            return house.butler
        return rng.choice(self.butlers)

    def technician(self, situation):
        rng = self.rng
        share = 0.3 if situation.category in ("电", "电梯") else 0.1
        if self.head is not None and rng.random() < share:
            return self.head
        return rng.choice(self.technicians or self.crew)

    def mobile(self):
        return f"1{self.rng.choice('3589')}{self.rng.randint(0, 999_999_999):09d}"

    def warranty_house(self):
        """A house in the newest building (handed over last autumn, still under warranty)."""
        newest = self.buildings[-1]
        return next((h for h in self.houses if h.building.number == newest), self.houses[0])

    def anchor(self):
        """The showcase's "now": now in office hours (10:00–21:00), else 20:50 of the
        last office day — a seed run at night or early in the morning shows the
        office as it was at the end of the day, not appointments at midnight."""
        moment = timezone.localtime(self.now).replace(second=0, microsecond=0)
        if 10 <= moment.hour < 21:
            return moment
        return local(moment.date() - (D if moment.hour < 10 else dt.timedelta()), 20, 50)

    def showcase(self):
        """One order in every status and the cases the office meets, at a steady tempo:
        what is still moving happened in the last hours, the rest on the days before."""
        anchor = self.anchor()
        ago, slot, day = self.clock(anchor)
        p = self.make_plan
        duplicated = p("kitchen_drain", ago(1.5), stop="on_site", appointment=slot(0.4), source=Source.COUNTER)
        plans = [
            # 已受理: in the 抢单 pool a few minutes; and one nobody has dispatched (overdue)
            p("heater", ago(0.05), stop="received", appointment=day(1, 10), source=Source.PHONE),
            p("door_closer", ago(0.85), stop="received", source=Source.VISIT),
            p("angle_valve_burst", ago(0.2), stop="dispatched", source=Source.PHONE),  # 急修
            p("ceiling_light", ago(1.2), stop="accepted", appointment=day(1, 10)),
            p("sliding_door", day(-2, 15, 10), stop="accepted", appointment=day(-1, 14)),  # never went: overdue
            duplicated,
            p(
                "kitchen_drain",
                ago(1.35),
                house=duplicated.house,
                source=Source.PHONE,
                description=SITUATIONS["kitchen_drain"].description + "（家人再次来电）",
                void=VOID_REASONS[0],
            ),
            p("lock", ago(2.2), stop="quoting", appointment=slot(0.9)),
            p("hood", day(-2, 9, 30), appointment=day(-2, 16), decline=DECLINE_REASONS[0]),
            p("floor_leak", day(-4, 9, 5), stop="in_progress", source=Source.PHONE),  # completion overdue
            p("leakage_breaker", day(-1, 16, 20), stop="paused", pause="materials"),
            p("pump_seal", day(-1, 8, 50), stop="paused", pause="materials", source=Source.PATROL),
            p("sockets", ago(2.5), stop="paused", pause="owner", appointment=slot(1.8)),
            p("bath_switch", ago(3.5), stop="done", appointment=slot(2.6), signature=Signature.ABSENT),
            p("toilet", ago(3.1), stop="confirmed", appointment=slot(2.3), rating=Rating.VERY_SATISFIED),
            p("tap_drip", day(-3, 9, 40), stop="visited", appointment=day(-3, 14), visit_at=day(-1, 10, 30)),
            p("lock", day(-6, 10, 5), appointment=day(-6, 15), source=Source.COUNTER),
            p("garage_lights", day(-4, 9, 10), source=Source.PATROL),
            p("new_house_leak", day(-1, 10, 5), house=self.warranty_house(), returned=RETURN_REASONS["new_house_leak"]),
            p(
                "drain_backflow",
                day(-5, 9, 20),
                appointment=day(-5, 14),
                visit_at=day(-2, 10, 30),
                satisfaction="dissatisfied",
                rework_stop="in_progress",
                rework_arrival=day(-2, 15),
            ),
            p("fire_main_burst", ago(3), stop="done", paperwork=False),  # 紧急, 手续待补办
            p("lift_trapped", day(-3, 15, 20)),
            p("flooding", day(-4, 6, 40), source=Source.PHONE),  # 紧急 by its condition
            p("sprinkler", day(-2, 11, 15), source=Source.VISIT),  # 轮派
        ]
        for plan in plans:
            plan.steady = True
        return plans

    def unstaffed(self):
        """A community without technicians: orders taken, waiting for dispatch, or voided."""
        ago, _slot, day = self.clock(self.anchor())
        p = self.make_plan
        waiting = p("kitchen_drain", ago(0.67), stop="received", source=Source.PHONE)
        plans = [
            waiting,
            p(
                "kitchen_drain",
                ago(0.57),
                house=waiting.house,
                source=Source.PHONE,
                description=SITUATIONS["kitchen_drain"].description + "（家人再次来电）",
                void=VOID_REASONS[0],
            ),
            p("stair_light", ago(0.05), stop="received", source=Source.PHONE),
            p("tap_drip", day(-1, 10, 15), source=Source.PHONE, void=VOID_REASONS[1]),
        ]
        for plan in plans:
            plan.steady = True
        return plans

    @staticmethod
    def clock(anchor):
        """ago(hours) and slot(hours) (that moment down to the half hour: an
        appointment) before `anchor`, and day(days, hour, minute) from its date."""

        def ago(hours):
            return anchor - round(hours * 60) * MIN

        def slot(hours):
            moment = ago(hours)
            return moment - timezone.localtime(moment).minute % 30 * MIN

        def day(days, hour, minute=0):
            return local(timezone.localdate(anchor) + days * D, hour, minute)

        return ago, slot, day

    def drawn(self, *, house):
        """An ordinary order: a house's since `house_from`, a public area's of the last 60 days."""
        rng = self.rng
        first = timezone.localdate(self.house_from) if house else self.today - (DAYS - 1) * D
        day = first + rng.randint(0, (self.today - first).days) * D
        key = rng.choice(HOUSE_KEYS if house else PUBLIC_KEYS)
        s = SITUATIONS[key]
        if s.quick or s.conditions:
            hour = rng.choices((1, 6, 8, 10, 13, 16, 19, 22), (1, 1, 3, 3, 3, 3, 3, 2))[0]
        else:
            hour = rng.choices((8, 9, 10, 11, 13, 14, 15, 16, 17, 19), (2, 5, 5, 4, 3, 4, 4, 4, 3, 3))[0]
        received = local(day, hour, rng.randint(0, 59))
        received = min(received, self.now - rng.randint(10, 90) * MIN)
        plan = self.make_plan(key, received)
        normal = not (s.quick or s.conditions)
        if plan.house is not None and normal and rng.random() < 0.7:
            plan.appointment = self.appointment(received)
        roll = rng.random()
        if roll < 0.03:
            plan.void = rng.choice(VOID_REASONS)
        elif key in RETURN_REASONS and roll < 0.25:
            plan.returned = RETURN_REASONS[key]
        if plan.quote and rng.random() < 0.1:
            plan.decline = rng.choice(DECLINE_REASONS)
        plan.late_dispatch = rng.random() < 0.06
        plan.late_arrival = rng.random() < 0.08
        plan.late_completion = rng.random() < 0.06
        roll = rng.random()
        if s.materials is not None and roll < 0.35:
            plan.pause = "materials"
        elif plan.house is not None and roll > 0.95:
            plan.pause = "owner"
        plan.pause_for = rng.randint(14, 60) * H
        if plan.house is not None:
            signature = rng.choices((Signature.SIGNED, Signature.ABSENT, Signature.REFUSED), (85, 10, 5))[0]
            plan.signature = Signature.SIGNED if plan.quote and signature == Signature.REFUSED else signature
        plan.rating = rng.choices((Rating.VERY_SATISFIED, Rating.SATISFIED, Rating.NEUTRAL), (40, 50, 10))[0]
        plan.satisfaction = rng.choices(("satisfied", "fairly", "dissatisfied"), (76, 22, 2))[0]
        return plan

    def appointment(self, received):
        """The time the owner asks for: this afternoon or evening, or tomorrow."""
        rng = self.rng
        today = timezone.localdate(received)
        later = [local(today, h) for h in (14, 15, 16, 19) if local(today, h) >= received + H]
        if later and rng.random() < 0.5:
            return rng.choice(later)
        return local(today + D, rng.choice((9, 10, 14, 15, 16, 19)))
