from core.beat import Schedule

SCHEDULES = [
    Schedule(
        name="走访：回访任务生成与提醒",
        task="visits.tasks.raise_return_visits",
        minute="5",
        hour="*",
        description="每小时：按入住日期等生成到期回访，并提醒负责人今日到期及逾期的回访。",
    ),
    Schedule(
        name="走访：跟进事项到期提醒与升级",
        task="visits.tasks.remind_follow_ups",
        minute="*/10",
        description="每10分钟：到期前4小时提醒负责人，逾期升级给客服主管。",
    ),
    Schedule(
        name="走访：逾期提交的访问记录",
        task="visits.tasks.flag_late_visits",
        minute="20",
        hour="6",
        description="每天 06:20 标记逾期记录，向主管通报前一天的逾期记录，提醒未提交的草稿。",
    ),
    Schedule(
        name="走访：月度客户访问工作总结草稿",
        task="visits.tasks.draft_monthly_summaries",
        minute="30",
        hour="1",
        description="每天 01:30：每月2日起为各小区生成上月《月度客户访问工作总结》草稿（已有则跳过）。",
    ),
    Schedule(
        name="走访：月度总结提交、审批及工作联系函期限提醒",
        task="visits.tasks.remind_monthly_summaries",
        minute="15",
        hour="8-20",
        description="工作时间每小时：提交（每月5日，遇节假日顺延）与审批（提交后2个工作日）期限前一工作日和当天提醒，逾期分别升级给经理、公司管理员；联系函到期未回复提醒公司。",
    ),
    Schedule(
        name="走访：月度走访进度提醒",
        task="visits.tasks.remind_visit_coverage",
        minute="40",
        hour="8",
        description="工作日 08:40：按本月已过工作日折算的进度目标，提醒落后的管家，并向主管通报差额。",
    ),
    Schedule(
        name="前台：来访人员信息匿名化",
        task="visits.tasks.anonymise_visitor_entries",
        minute="10",
        hour="2",
        description="每天 02:10：超过保留期（默认30天）的来访登记清除姓名、证件、手机、车牌（含修改历史），"
        "保留人数与事由用于统计。",
    ),
    Schedule(
        name="前台：临时出入证到期",
        task="visits.tasks.mark_expired_passes",
        minute="5",
        hour="0",
        description="每天 00:05：过了截止日期的临时出入证在列表中标为已过期（门岗核验时另行实时计算）。",
    ),
]
