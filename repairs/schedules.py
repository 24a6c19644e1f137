from core.beat import Schedule

SCHEDULES = [
    Schedule(
        name="报修：派工/到场/完工时限预警与升级",
        task="repairs.tasks.escalate_deadlines",
        minute="*",
        description="每分钟：抢单3分钟无人接报派工人；受理5分钟未派工报主管和工程部负责人；到场、完工用时达75%提醒维修人，"
        "超时报工程部负责人，再过24小时报经理；受理满3天未完工且未填购物单提醒工程部负责人。每一步每单只提醒一次。",
    ),
]
