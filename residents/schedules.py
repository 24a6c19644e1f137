from core.beat import Schedule

SCHEDULES = [
    Schedule(
        name="档案：结束已过返回日期的外出报备",
        task="residents.tasks.clear_expired_absences",
        minute="10",
        hour="0",
        description="每天 00:10 将返回日期已过的外出报备移出巡逻重点关注名单。",
    ),
]
