"""What households answer and staff write down in the fees demo."""

from fees.choices import Cycle, Reason

# The reason a household gives for not paying: (answer, next step) [003 L530].
REASONS = {
    Reason.MALICIOUS: (
        "业主拒绝沟通，称“物业费凭什么涨价，一分不交”，多次上门不开门",
        "报经理，申请发律师函",
    ),
    Reason.HARDSHIP: ("业主说生意亏损、手头紧张，希望分期慢慢补交", "同意分期，每月跟进一次"),
    Reason.AWAY: ("业主长期在外地工作，电话联系上，说回上海后一并缴清", "对账单改为邮寄，下月再联系"),
    Reason.HOUSE_QUALITY: ("业主称卫生间渗水开发商一直没修好，修好了再交", "已转开发商维保单位，跟进维修进度"),
    Reason.DISPUTE: ("业主对垃圾清运费有异议，认为房子空置期间不应收取", "向业主解释收费依据，报经理"),
    Reason.OTHER: ("业主家中老人住院，最近顾不上，说过段时间来交", "下月再联系"),
}
AFTER_LETTER = ("业主收到律师函后仍拒绝缴费，态度强硬", "交律师事务所跟进，准备起诉材料")
SERVICE_PROBLEM = (
    "业主反映楼道声控灯坏了一个多月没人修，垃圾桶经常满溢，问题不解决不交物业费",
    "已登记投诉转客服主管，问题解决后回复业主并提醒缴费",
)
PROMISE = "已收到对账单，这几天忙忘了，答应{day:%m月%d日}前缴纳"
PROMISE_NOT_RECEIVED = "说没看到对账单，已当面补送一份，业主答应{day:%m月%d日}前缴纳"
PROMISE_SETTLE = "业主答应{day:%m月%d日}把欠费一次缴清"
PROMISE_PART = "业主答应{day:%m月%d日}先补交一个月"
PROMISE_VAGUE = "业主说这两周内安排缴纳，答应{day:%m月%d日}前"
NO_ANSWER_NEXT = "按承诺日期跟进"
REASON_ROUND = "季中了解欠费原因："
QUARTER_ROUND = "季末再确认："
FINAL_ROUND = "季末最后确认："

CREDIT = "7月该户外墙渗水维修搭设脚手架，阳台两周无法使用，经经理同意减免当月物业服务费 50.00 元"
CREDIT_NOTE = "情况属实，同意减免"
WAIVER = "业主称房屋空置未入住，申请减免今年的垃圾清运费"
WAIVER_NOTE = "垃圾清运费按户按月收取，空置期间不予减免，请向业主解释收费依据"
VOID = "房号录错（应为 {number}），作废后重新登记"
STOP = "业主已把车卖了，不再需要洗车服务"
LETTER_NOTE = "多次催缴无果，同意发律师函"

# 《便民服务项目及价格表》 [001 L546–588]: name, free, price, cycle, deposit,
# prepayment, monthly cost, note (保本微利: the price covers the cost at break-even).
SERVICES = (
    ("代收快递", True, "0", Cycle.PER_USE, "0", "0", "0", "前台代收，凭取件码领取"),
    ("代缴水电燃气费", True, "0", Cycle.PER_USE, "0", "0", "0", "业主交现金，客服代缴并交回执"),
    ("雨伞、推车借用", True, "0", Cycle.PER_USE, "50", "0", "0", "押金 50 元，归还时退还"),
    ("家政保洁", False, "45", Cycle.PER_USE, "0", "0", "0", "每次 2 小时，自带清洁用品"),
    ("上门理发（老人）", False, "20", Cycle.PER_USE, "0", "0", "0", "每月第二个周六上门"),
    ("车辆清洗", False, "80", Cycle.MONTHLY, "0", "80", "1600", "每周清洗一次，地库车位上进行"),
    ("独居老人每日探视", False, "60", Cycle.MONTHLY, "0", "0", "600", "管家每日上门或电话问候一次"),
    ("阳台绿植养护", False, "50", Cycle.MONTHLY, "0", "0", "1200", "每周浇水、修剪一次"),
)
