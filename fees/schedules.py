from core.beat import Schedule

SCHEDULES = [
    Schedule(
        name="物业费：生成下月对账单",
        task="fees.tasks.draft_statements",
        minute="30",
        hour="1",
        description="每天 01:30：每月 28 日起为每户已交房的房屋生成下月对账单草稿（每户每月一张，重复运行不重复生成），"
        "由管家核对、财务发出。",
    ),
]
