from core.beat import Schedule

SCHEDULES = [
    Schedule(
        name="投诉：答复/办结期限预警与升级",
        task="complaints.tasks.escalate_deadlines",
        minute="*/5",
        description="每5分钟：新投诉当日报主管；用时达预警点提醒首问责任人和处理人；超时报主管；"
        "受理48小时（不含挂起）未解决报经理。每一步每轮只提醒一次。",
    ),
]
