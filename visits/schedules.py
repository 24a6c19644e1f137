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
]
