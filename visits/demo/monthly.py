"""Monthly visit summaries and 《工作联系函》 in the demo (SPEC §2.4 [002]).

Every past month with demo visits, up to a year back, is drafted with the figures
of its records. Last month's stays a draft for the supervisor to write and submit;
the months before it went through the whole procedure with the services: the
narrative (written from the month's figures) and its problems, submission, the
manager's decision on each problem, approval — one month sent back once first. In
阳光花园 two problems went to the company as 《工作联系函》: the company admin has
answered the older one, the latest still waits. 翠湖苑 has no supervisor or manager
of its own, so the company admin takes both parts there, as the inbox falls back
to, and raises no letter to itself.

The services stamp the time they run; each step is then dated when it would have
happened — drafted on the 2nd, submitted before the 5th, decided the next working
day — as `community.plans` does for plans (the history rows keep the seed time).
Reminders of steps long done are marked read; the reminder jobs run once at the
end. A summary that already exists is left as it is, so `seed_demo` twice adds
nothing.
"""

import datetime as dt
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.choices import Role
from core.models import Reminder
from core.selectors import staff_with_role
from core.services import mark_reminder_read
from core.workdays import WorkingCalendar
from visits import progress, summaries
from visits.choices import CoverageMode, OpinionCategory, ProblemDecision
from visits.demo import texts
from visits.demo.records import at
from visits.models import MonthlySummary, SummaryEvent, SummaryProblem, WorkLetter
from visits.progress import Period

MONTHS_BACK = 12
ESCALATE, HANDLE, NOTED = ProblemDecision.ESCALATE, ProblemDecision.HANDLE, ProblemDecision.NOTED

# Each community's approved months, the latest first (repeated when there are more
# months): problems found as (description, decision, note, letter), a letter being
# the 《工作联系函》 (subject, content, requested action, the company's reply or "");
# and, when the month was sent back once, the manager's comment and what the
# supervisor added to the analysis.
SUNSHINE = (
    {
        "problems": (
            (
                "地库B1外来车辆占用业主固定车位的意见已连续三个月出现，门岗登记和张贴告知单效果有限。",
                ESCALATE,
                "加装车牌识别道闸费用超出管理处审批权限，报公司审批。",
                (
                    "关于地库B1入口加装车牌识别道闸的请示",
                    "近三个月拜访中业主反映外来车辆占用固定车位的意见共十余条，门岗人工登记无法杜绝外来车辆"
                    "进入。经工程部初步询价，B1入口加装车牌识别道闸及配套软件约需4.6万元。",
                    "请公司审批加装费用并明确资金来源（公共收益或专项维修资金），由工程管理部统一组织采购。",
                    "",
                ),
            ),
            (
                "上班族业主白天电话多次未接通，晚间拜访时段安排不足，部分住户只能改为书面告知。",
                HANDLE,
                "调整管家排班，每周二、四 19:00–21:00 集中安排晚间上门拜访。",
                None,
            ),
        ),
        "returned": None,
    },
    {
        "problems": (
            (
                "3号楼垃圾房夏季异味重、晚间满溢的意见集中，收运不及时。",
                HANDLE,
                "与环境部协调每日 20:00 增加一次收运，垃圾房加装除味设备，客服主管每周检查。",
                None,
            ),
            ("业主希望引入快递柜的建议较多。", NOTED, "", None),
        ),
        "returned": (
            "意见分析过于笼统，请写明保洁类意见涉及的楼栋和整改时限后重新提交。",
            "保洁类意见主要涉及3号楼、7号楼的楼道和垃圾房，已与环境部约定两周内整改完毕。",
        ),
    },
    {
        "problems": (
            (
                "5号楼两部电梯本月三次报异响、一次困人，维保单位到场超过30分钟，业主意见较大。",
                ESCALATE,
                "电梯维保合同由公司签订，报公司约谈维保单位。",
                (
                    "关于5号楼电梯维保单位响应不及时的情况报告",
                    "本月5号楼两部电梯三次报异响、一次困人，困人救援到场用时35分钟，超过合同约定的30分钟；"
                    "拜访中该楼业主对电梯的意见共7条，老人已不敢乘坐。",
                    "请公司约谈维保单位，督促更换磨损部件，并在合同到期前评估是否更换维保单位。",
                    "经公司约谈，维保单位已更换5号楼两部电梯的导靴和门机皮带，并承诺困人救援30分钟内到场；"
                    "公司将在合同到期前组织维保单位考评，结果另行通知。",
                ),
            ),
        ),
        "returned": None,
    },
    {
        "problems": (
            (
                "逾期提交的访问记录主要出在周末上门拜访，管家次日补录时已超过时限。",
                HANDLE,
                "周末值班管家当天用手机提交记录，客服主管周一上午抽查。",
                None,
            ),
        ),
        "returned": None,
    },
    {
        "problems": (
            ("中心花园健身器材扶手掉漆生锈，老年业主反映较多。", HANDLE, "列入下月维修计划，除锈刷漆并换扶手。", None),
            ("部分租户不愿登记联系方式，住户档案不全。", NOTED, "", None),
        ),
        "returned": None,
    },
)
LAKESIDE = (
    {
        "problems": (
            ("湖畔别墅绿化修剪不及时，树枝遮挡道路照明。", HANDLE, "绿化单位改为每两周修剪一次，管家每周巡查。", None),
        ),
        "returned": None,
    },
    {
        "problems": (
            (
                "电话拜访占比偏高，独居老人更希望当面交流。",
                HANDLE,
                "下月起独居老人和重点住户一律上门拜访，电话拜访只用于上班族业主。",
                None,
            ),
            (
                "1号楼、2号楼低层住户地漏返味报修集中，疑为排水立管存水弯问题。",
                HANDLE,
                "工程部统一检查两栋楼低层排水，加装防臭地漏芯。",
                None,
            ),
        ),
        "returned": None,
    },
    {
        "problems": (("业主建议增设电动自行车集中充电桩。", NOTED, "", None),),
        "returned": None,
    },
)
MEASURES = (
    "1. 逾期提交记录的管家由客服主管当面提醒，纳入月度考核；2. 意见集中的楼栋由相关部门每周抽查两次；"
    "3. 未完成的跟进事项逐项明确责任人和完成时限，在晨会上通报。",
    "1. 上门拜访前在业主群预约时间，减少扑空；2. 对不满意的住户由客服主管电话回访；"
    "3. 承诺答复的事项一律录入跟进，到期未办结的当天提醒。",
    "1. 保洁、绿化类意见每周汇总转环境部，周五前反馈整改结果；2. 重点住户建立一户一档，管家每月至少上门一次。",
)
PLANS = (
    "按本轮抽样优先安排尚未访问的住户，月中检查各管家进度；配合工程部做好屋面和地库排水检查。",
    "完成下月拜访计划并于月初报批；继续跟进本月未办结的意见，月底前逐户回复业主。",
    "开展季度意见征询，重点住户上门慰问；组织管家业务培训一次（沟通技巧与记录规范）。",
)


def seed(communities, users, *, now):
    """Draft, write and approve the summaries of each community's past months."""
    last = Period.of(timezone.localdate(now)).previous
    calendar = WorkingCalendar()
    for community, table in zip(communities, (SUNSHINE, LAKESIDE), strict=True):
        approved = 0
        for period in months_with_visits(community, last):
            summary, created = summaries.draft_summary(community, period)
            if not created:
                continue  # someone may be working on it
            drafted = at(period.following.first_day + dt.timedelta(days=summaries.DRAFT_ON_DAY - 1), 8, 5)
            walk = Walk(summary, table[approved % len(table)], users=users, calendar=calendar, now=now)
            walk.date(drafted, computed_at=min(drafted, now), created_at=min(drafted, now))
            if period != last:  # last month's is the supervisor's to write
                walk.run()
                approved += 1
    summaries.remind_summaries(now=now)
    summaries.remind_letters(now=now)


def months_with_visits(community, last):
    """The months up to `last`, a year back at most, with visits that count (a stray
    return visit of an older month does not make one), the latest first."""
    found, period = [], last
    for _ in range(MONTHS_BACK):
        if progress.counted_visits(community, period).exists():
            found.append(period)
        period = period.previous
    return found


class Walk:
    """One month's summary through the procedure: the supervisor writes and submits
    on the working day before the deadline, the manager decides each problem and
    approves the next working day (after sending it back once, when `plan` says so);
    the company admin answers a letter about four days after it was sent."""

    def __init__(self, summary, plan, *, users, calendar, now):
        self.summary, self.plan, self.calendar, self.now = summary, plan, calendar, now
        self.period = Period(summary.year, summary.month)
        self.writer = staff_with_role(summary.community, Role.SUPERVISOR)[0]
        self.approver = staff_with_role(summary.community, Role.MANAGER)[0]
        self.admin = users["admin"]
        self.dated = 0  # the events up to this pk have their time

    def run(self):
        plan = self.plan
        day = self.working_day_before(timezone.localdate(summaries.submit_deadline(self.period)))
        self.write(day, 15, 20)
        self.submit(day, 16, 40, first=True)
        if plan["returned"]:
            comment, addition = plan["returned"]
            day = self.next_working_day(day)
            moment = at(day, 10, 15)
            due = self.calendar.add_working_days(moment, summaries.RESUBMIT_WORKING_DAYS)
            self.step(
                moment, partial(self.decide, approve=False, comment=comment), decided_at=moment, submit_due_at=due
            )
            self.write(day, 15, 30, addition=addition)
            self.submit(day, 16, 10, first=False)
        day = self.next_working_day(day)
        letters = []
        for problem in self.summary.problems.order_by("position"):
            _description, decision, note, letter = plan["problems"][problem.position]
            moment = at(day, 9, 40 + 5 * problem.position)
            fields = dict(zip(("subject", "content", "requested_action"), letter[:3], strict=True)) if letter else None
            decide = partial(summaries.decide_problem, problem, actor=self.approver, decision=decision, note=note)
            self.step(moment, partial(decide, letter=fields))
            SummaryProblem.objects.filter(pk=problem.pk).update(decided_at=moment)
            if letter:
                reply_due = self.calendar.add_working_days(moment, summaries.LETTER_REPLY_WORKING_DAYS)
                WorkLetter.objects.filter(problem=problem).update(sent_at=moment, reply_due_at=reply_due)
                letters.append((WorkLetter.objects.get(problem=problem), letter[3]))
        moment = at(day, 10, 20)
        self.step(moment, partial(self.decide, approve=True, comment="同意，按所列措施落实。"), decided_at=moment)
        for letter, reply in letters:
            if reply:
                summaries.reply_letter(letter, actor=self.admin, reply=reply)
                answered = at(self.calendar.working_day_on_or_after(day + dt.timedelta(days=4)), 14, 30)
                WorkLetter.objects.filter(pk=letter.pk).update(replied_at=min(answered, self.now))
            self.read(letter)  # a letter still unanswered is flagged by the reminder job
        self.read(self.summary)

    def write(self, day, hour, minute, *, addition=""):
        narrative = partial(
            summaries.save_narrative,
            self.summary,
            actor=self.writer,
            analysis=self.analysis() + addition,
            measures=MEASURES[self.period.month % len(MEASURES)],
            next_month_plan=self.next_month_plan(),
            problems=[problem[0] for problem in self.plan["problems"]],
        )
        self.step(at(day, hour, minute), narrative)

    def submit(self, day, hour, minute, *, first):
        moment = at(day, hour, minute)
        due = self.calendar.add_working_days(moment, summaries.APPROVAL_WORKING_DAYS)
        dates = {"submitted_at": moment, "approval_due_at": due} | ({"first_submitted_at": moment} if first else {})
        self.step(moment, partial(summaries.submit_summary, self.summary, actor=self.writer), **dates)

    def decide(self, **kwargs):
        return summaries.decide_summary(self.summary, actor=self.approver, **kwargs)

    def step(self, moment, service, **dates):
        """Take one step through its service, then date it: the events it logged and `dates`."""
        service()
        self.date(moment, **dates)

    def date(self, moment, **fields):
        """Give the events logged since the last call the time `moment`; set `fields` on the summary."""
        moment = min(moment, self.now)
        events = SummaryEvent.objects.filter(summary=self.summary, pk__gt=self.dated)
        self.dated = max(events.values_list("pk", flat=True), default=self.dated)
        events.update(at=moment)
        if fields:
            MonthlySummary.objects.filter(pk=self.summary.pk).update(**fields)

    def read(self, about):
        """The reminders of steps long done have been read."""
        kind = ContentType.objects.get_for_model(about)
        for reminder in Reminder.objects.filter(content_type=kind, object_id=str(about.pk), read_at__isnull=True):
            mark_reminder_read(reminder, actor=reminder.recipient)

    # --- dates and texts ---------------------------------------------------------------

    def working_day_before(self, deadline):
        """The last working day before the `deadline` day from the 3rd on (the draft comes
        on the 2nd), or the deadline day itself (a working day) when there is none."""
        day = deadline - dt.timedelta(days=1)
        while day.day > summaries.DRAFT_ON_DAY:
            if self.calendar.is_working_day(day):
                return day
            day -= dt.timedelta(days=1)
        return deadline

    def next_working_day(self, day):
        return self.calendar.working_day_on_or_after(day + dt.timedelta(days=1))

    def analysis(self):
        """What the supervisor writes around the month's figures."""
        data = self.summary.figures
        visits, cover, opinions = data["visits"], data["coverage"], data["opinions"]
        channels, types, satisfaction = visits["by_channel"], visits["by_type"], visits["by_satisfaction"]
        fu, rv = data["follow_ups"], data["return_visits"]
        mode = "全覆盖要求应访" if data["mode"] == CoverageMode.FULL else "抽样要求应访"
        top = sorted(opinions["by_category"].items(), key=lambda pair: -pair[1])[:2]
        topics = "、".join(f"{OpinionCategory(code).label}（{n}条）" for code, n in top)
        door, phone = channels.get("door", 0), channels.get("phone", 0)
        reached = "已完成要求。" if cover["reached"] >= cover["required"] else f"完成率{cover['percent']}%。"
        parts = [
            f"本月共形成访问记录{visits['total']}条，走访{visits['households']}户，其中上门{door}次、电话{phone}次。",
            f"按{mode}{cover['required']}户，实际访问{cover['reached']}户（不含回访），{reached}",
            f"收集业主意见{opinions['total']}条，主要集中在{topics}；" if top else "本月未收到业主意见；",
            f"满意{satisfaction.get('satisfied', 0)}户次、基本满意{satisfaction.get('fairly', 0)}户次、"
            f"不满意{satisfaction.get('dissatisfied', 0)}户次。",
            f"逾期提交记录{visits['late']}条，逾期率{visits['late_rate']}%。新增跟进事项{fu['opened']}项，"
            f"当月完成{fu['closed']}项，月末未完成{fu['open_at_end']}项。",
        ]
        if rv["due"]:
            parts.append(f"应回访{rv['due']}户，已回访{rv['done']}户，回访率{rv['rate']}%。")
        holiday = texts.HOLIDAYS.get(self.period.month)
        if holiday and types.get("holiday"):
            parts.append(f"{holiday}期间上门慰问重点住户{types['holiday']}户，业主反响良好。")
        if types.get("satisfaction"):
            parts.append(f"完成半年度满意度问卷{types['satisfaction']}份。")
        return "".join(parts)

    def next_month_plan(self):
        plan = PLANS[self.period.month % len(PLANS)]
        event = texts.EVENTS.get(self.period.following.month)
        return plan + (f"组织{event}，管家逐户电话邀请。" if event else "")
