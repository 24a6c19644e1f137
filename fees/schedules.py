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
    Schedule(
        name="物业费：催缴轮次",
        task="fees.tasks.open_collection_rounds",
        minute="10",
        hour="7",
        description="每天 07:10：每月15–21日月度催缴；2、5、8、11月25日了解欠费原因；3、6、9、12月15–21日季末再确认"
        "（代替当月月度催缴）、22–27日最后确认。每轮每户一次，名单按片区分给管家。"
        "因物业服务问题欠费的，投诉办结后提醒管家回复、回访并提醒缴费。",
    ),
    Schedule(
        name="物业费：对账单无人领取与承诺缴费到期提醒",
        task="fees.tasks.remind_statements_and_promises",
        minute="20",
        hour="9",
        description="每天 09:20：对账单发出超过 14 天仍未登记发放的，提醒片区管家电话告知业主；"
        "业主承诺的缴费日期已过仍未缴费的，提醒管家再次联系。每张对账单、每条承诺只提醒一次。",
    ),
    Schedule(
        name="便民服务：低于保本户数提醒",
        task="fees.tasks.flag_unprofitable_services",
        minute="40",
        hour="8",
        description="每天 08:40：现行《便民服务项目及价格表》中，接受服务的户数少于保本户数"
        "（每月成本 ÷ 价格，向上取整）的收费项目，提醒项目经理报办公室处理。每个项目每月只提醒一次。",
    ),
]
