"""One community's year of fees in the demo: the office's steps (rates, checking,
issuing, delivering, collecting, calling, confirming cash) and its stories, each
scheduled on the `Office` timeline and taken through the fees services."""

import datetime as dt
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from core.demo_timeline import held_at, local
from fees import adjustments, collection, convenience, letters, payments, services, statements
from fees.choices import CallChannel, ItemKind, LineSource, Method, Reason, RoundKind, SendVia, StatementStatus
from fees.demo import texts
from fees.demo.households import DOOR, LATE, MONTHS
from fees.models import BillLine, Receipt, Statement
from residents.choices import HouseType, Occupancy

D = dt.timedelta(days=1)
H = dt.timedelta(hours=1)
MIN = dt.timedelta(minutes=1)
ROUND_PREFIX = {RoundKind.REASON: texts.REASON_ROUND, RoundKind.QUARTER: texts.QUARTER_ROUND,
                RoundKind.FINAL: texts.FINAL_ROUND}  # fmt: skip
# 阳光花园's rates, then 翠湖苑's (house type "" = every type): item kind, type, price.
RATES = (
    ((ItemKind.PROPERTY_SERVICE, "", "2.35"), (ItemKind.GARBAGE, "", "10.00")),
    ((ItemKind.PROPERTY_SERVICE, "", "2.80"), (ItemKind.PROPERTY_SERVICE, HouseType.VILLA, "3.60"),
     (ItemKind.GARBAGE, "", "8.00")),
)  # fmt: skip
RISE = "2.50"  # 阳光花园's 物业服务费 from the seventh month


class CommunityYear:
    def __init__(self, community, calendar, cast, staff, *, rng, now, full):
        self.community, self.calendar, self.cast, self.staff = community, calendar, cast, staff
        self.rng, self.now, self.full = rng, now, full
        self.households = cast.households
        self.confirming = set()  # days finance confirms the cash handed over
        self.service_called = False

    # --- the plan ------------------------------------------------------------------------

    def plan(self, office):
        self.office = office
        cal, months = self.calendar, self.calendar.months
        office.at(local(cal.draft_day(months[0]) - 10 * D, 10), self.set_rates)
        if self.full:
            office.at(local(cal.draft_day(months[6]) - 18 * D, 10, 30), self.raise_rate, months[6])
            self.plan_services(office)
        self.cast.plan(cal, office)
        self.plan_stories(office)
        for household in self.households.values():
            for moment, mode, index in household.plan:
                office.at(moment, self.pay, household, mode, index)

    def plan_stories(self, office):
        cal, months = self.calendar, self.calendar.months
        anchor = self.anchor()
        for seller in self.cast.with_role("seller"):
            month = next(m for m in reversed(months) if cal.issue_at(m) + D + 5 * H <= anchor)
            index = months.index(month)
            paying = local(timezone.localdate(cal.issue_at(month)) + D, 10, 5)
            seller.plan = [row for row in seller.plan if row[2] != index] + [(paying, "all", index)]
            office.at(paying + 5 * H, self.settle, seller)
        for household in self.cast.with_role("misposted"):
            household.plan = [(m, "misposted" if i == 4 else mode, i) for m, mode, i in household.plan]
        for household in self.cast.with_role("reprint"):
            moment = next(m for m, _mode, i in household.plan if i == 2)
            household.plan = [(m, "counter" if i == 2 else mode, i) for m, mode, i in household.plan]
            office.at(moment + 20 * D, self.reprint, household, moment)
        for household in self.cast.with_role("credit"):
            office.at(local(months[7] + 2 * D, 10, 20), self.request_credit, household, months[6])
        door = self.cast.door_now
        if door is not None:  # the last cash collected at the door is still to be handed over
            month = next(m for m in reversed(months) if cal.issue_at(m) + 3 * H <= anchor - 2 * H)
            index = months.index(month)
            door.plan = [row for row in door.plan if row[2] != index] + [(anchor - 2 * H, "all", index)]
            door.plan.sort(key=lambda row: row[0])
        for household in self.cast.with_role("service"):
            # Told today, after every complaint the complaints demo received (their numbers stay in order).
            from fees.demo import latest_complaint

            latest = latest_complaint(self.community)
            moment = max(anchor - 30 * MIN, latest + 2 * MIN) if latest else anchor - 30 * MIN
            office.at(min(moment, self.now), self.service_call, household)

    def anchor(self):
        """Now in office hours (10:00–21:00), else 20:50 of the last office day."""
        moment = timezone.localtime(self.now).replace(second=0, microsecond=0)
        if 10 <= moment.hour < 21:
            return moment
        return local(moment.date() - (D if moment.hour < 10 else dt.timedelta()), 20, 50)

    # --- rates and statements -------------------------------------------------------------

    def items(self):
        return {item.kind: item for item in services.items_for(self.community)}

    def set_rates(self, moment):
        items, first = self.items(), self.calendar.months[0]
        for kind, house_type, price in RATES[0 if self.full else 1]:
            services.set_rate(
                items[kind],
                actor=self.staff.manager,
                unit_price=Decimal(price),
                valid_from=first,
                house_type=house_type,
            )

    def raise_rate(self, moment, month):
        item = self.items()[ItemKind.PROPERTY_SERVICE]
        services.set_rate(item, actor=self.staff.manager, unit_price=Decimal(RISE), valid_from=month)

    def drafted(self, office, month):
        day = self.calendar.draft_day(month)
        for butler in sorted({h.butler for h in self.households.values()}, key=lambda user: user.pk):
            office.at(local(day, 9, self.rng.randint(0, 40)), self.check, month, butler)
        office.at(self.calendar.issue_at(month), self.issue, month)

    def check(self, moment, month, butler):
        """The butler checks the zone's drafts in one go (核对我的草稿)."""
        if moment <= self.now:
            with held_at(moment):
                statements.check_statements(self.community, month, actor=butler, now=moment)

    def issue(self, moment, month):
        statements.issue_statements(self.community, month, actor=self.staff.finance, now=moment)
        rows = Statement.objects.filter(community=self.community, month=month, status=StatementStatus.ISSUED)
        first = timezone.localdate(moment) + D
        rounds = {}  # (butler, day, how) -> the statements delivered on that round
        for pk, house_id in rows.values_list("pk", "house_id"):
            household = self.households.get(house_id)
            if household is None:
                continue
            if self.rng.random() < 0.02:  # nobody collected it: the butler delivers after the reminder
                day = first + 14 * D
                self.office.remind_on(day)
            else:
                day = first + self.rng.randint(0, 3) * D
            key = (household.butler.pk, day, household.delivery)
            rounds.setdefault(key, (household.butler, []))[1].append(pk)
        for (_, day, how), (butler, pks) in sorted(rounds.items(), key=lambda item: (item[0][1], item[0][0])):
            # The butler records the day's round on the statements list (勾选, 登记发放) that evening.
            self.office.at(local(day, 18, self.rng.randint(0, 59)), self.deliver, pks, butler, how)

    def deliver(self, moment, pks, butler, how):
        statements.record_deliveries(self.community, pks, actor=butler, delivery=how, now=moment)

    # --- payments --------------------------------------------------------------------------

    def pay(self, moment, household, mode, index):
        month = self.calendar.months[index]
        lines = BillLine.objects.filter(
            house=household.house, open_amount__gt=0, due_date__lte=self.calendar.due(month)
        ).exclude(source=LineSource.LATE_FEE)
        if mode == "part":
            oldest = lines.order_by("month").values_list("month", flat=True).first()
            lines = lines.filter(month=oldest)
        amount = lines.aggregate(t=Sum("open_amount"))["t"] or Decimal("0")
        if mode == "prepay":
            charges = Statement.objects.filter(house=household.house, month=month).values_list("charges", flat=True)
            amount += (MONTHS // 2 - 1) * (charges.first() or Decimal("0"))
        if amount <= 0:
            return None
        if mode == "misposted":
            return self.misposted(moment, household, amount)
        return self.record(moment, household, amount, counter=mode == "counter")

    def record(self, moment, household, amount, *, house=None, method=None, counter=False, reference=None):
        method = method or household.method
        # 翠湖苑's butler takes every payment; elsewhere finance, but for the cash collected at the door.
        actor = household.butler if not self.full or household.profile == DOOR else self.staff.finance
        payment = payments.record_payment(
            house=house or household.house,
            actor=actor,
            amount=amount,
            method=method,
            payer=household.payer,
            reference=self.reference(method, moment) if reference is None else reference,
            received_at=moment,
        )
        if payment.handover_due:
            self.confirm_later(moment)
        elif counter or (method in (Method.CASH, Method.POS) and self.rng.random() < 0.5):
            payments.print_receipt(payment.receipt, actor=actor)
        return payment

    def reference(self, method, moment):
        rng, day = self.rng, timezone.localdate(moment)
        if method == Method.WECHAT:
            return f"4200002{day:%Y%m%d}{rng.randrange(10**13):013d}"
        if method == Method.ALIPAY:
            return f"{day:%Y%m%d}22001{rng.randrange(10**15):015d}"
        if method == Method.BANK:
            return f"BK{day:%Y%m%d}{rng.randrange(10**6):06d}"
        if method == Method.POS:
            return f"{rng.randrange(10**12):012d}"
        return ""

    def confirm_later(self, moment):
        day = timezone.localdate(moment) + D
        day += D * (day.weekday() == 6)  # finance is off on Sundays
        if day not in self.confirming:
            self.confirming.add(day)
            self.office.at(local(day, 16, 30), self.confirm)

    def confirm(self, moment):
        start = local(timezone.localdate(moment), 0)
        waiting = payments.to_hand_over(self.community).filter(received_at__lt=start)
        payments.confirm_handover(list(waiting), actor=self.staff.finance, now=moment)

    def misposted(self, moment, household, amount):
        """Finance posts a WeChat payment to the neighbouring house, voids the receipt
        with the reason and posts it again to the right one."""
        victim = self.cast.with_role("victim")[0]
        reference = self.reference(Method.WECHAT, moment)
        wrong = self.record(moment, household, amount, house=victim.house, reference=reference)
        self.office.at(moment + 25 * MIN, self.void, wrong, household, amount)

    def void(self, moment, wrong, household, amount):
        reason = texts.VOID.format(number=household.house.number)
        payments.void_receipt(wrong.receipt, actor=self.staff.finance, reason=reason, now=moment)
        self.office.at(moment + 5 * MIN, self.repost, household, amount, wrong.reference)

    def repost(self, moment, household, amount, reference):
        self.record(moment, household, amount, reference=reference)

    def reprint(self, moment, household, paid_at):
        receipt = Receipt.objects.filter(payment__house=household.house, payment__received_at=paid_at).first()
        if receipt is not None:  # the owner lost it: 补打
            payments.print_receipt(receipt, actor=self.staff.finance)

    def settle(self, moment, household):
        payments.issue_settlement(household.house, actor=self.staff.finance, now=moment)

    # --- adjustments ----------------------------------------------------------------------

    def line_of(self, household, month, kind):
        return BillLine.objects.filter(
            house=household.house, month=month, source=LineSource.CHARGE, item__kind=kind
        ).first()

    def request_credit(self, moment, household, month):
        line = self.line_of(household, month, ItemKind.PROPERTY_SERVICE)
        adjustment = adjustments.request_adjustment(
            line, actor=household.butler, amount=Decimal("-50.00"), reason=texts.CREDIT, now=moment
        )
        self.office.at(moment + D + H, self.approve, adjustment)

    def approve(self, moment, adjustment):
        adjustments.approve_adjustment(adjustment, actor=self.staff.manager, note=texts.CREDIT_NOTE, now=moment)

    def request_waiver(self, moment, household):
        line = BillLine.objects.filter(
            house=household.house, source=LineSource.CHARGE, item__kind=ItemKind.GARBAGE, open_amount__gt=0
        ).first()
        if line is None:
            return
        adjustment = adjustments.request_adjustment(
            line, actor=household.butler, amount=-line.amount, reason=texts.WAIVER, now=moment
        )
        self.office.at(moment + 2 * D, self.reject, adjustment)

    def reject(self, moment, adjustment):
        adjustments.reject_adjustment(adjustment, actor=self.staff.manager, note=texts.WAIVER_NOTE, now=moment)

    # --- collection rounds ----------------------------------------------------------------

    def round_opened(self, office, round_):
        share = 0.9 if self.full else 0.6
        span = min(4, (round_.ends_on - round_.opened_on).days)
        for task in round_.tasks.all():
            household = self.households.get(task.house_id)
            if household is None or (not household.role and self.rng.random() > share):
                continue
            day = round_.opened_on + self.rng.randint(0, span) * D
            office.at(office.moment(day, 9, 19), self.call, task, household, round_.kind)

    def call(self, moment, task, household, kind):
        today = timezone.localdate(moment)
        overdue = BillLine.objects.filter(house=household.house, open_amount__gt=0, due_date__lt=today)
        months = overdue.values("month").distinct().count()
        if not months:
            return  # paid since the list was drawn
        reason, answer, next_step, promise = self.answer(household, moment, kind, months)
        channel = CallChannel.PHONE
        roll = self.rng.random()
        if household.reason == Reason.AWAY and roll < 0.4:
            channel = CallChannel.LETTER
        elif roll < 0.15:
            channel = CallChannel.DOOR
        elif roll < 0.3:
            channel = CallChannel.WECHAT
        person = household.payer
        if household.house.occupancy == Occupancy.RENTED and self.rng.random() < 0.3:
            person = f"租户（转告业主{household.payer}）"
        call = collection.record_call(
            house=household.house,
            actor=household.butler,
            channel=channel,
            person_reached=person,
            answer=ROUND_PREFIX.get(kind, "") + answer,
            statement_received=self.rng.random() < 0.95,
            promised_date=promise,
            reason=reason,
            next_step=next_step,
            task=task,
            now=moment,
        )
        if promise is not None:
            self.office.remind_on(promise + D)
        final = kind == RoundKind.FINAL and reason == Reason.MALICIOUS and months >= 5
        if household.role == "letter" and final and not household.letter_sent:
            household.letter_sent = True
            self.office.at(moment + D, self.request_letter, household, call)
        if household.role == "waiver" and reason == Reason.DISPUTE:
            household.role = ""
            self.office.at(moment + D, self.request_waiver, household)

    def answer(self, household, moment, kind, months):
        """(reason, answer, next step, promised date) as the household says it."""
        rng, today = self.rng, timezone.localdate(moment)
        following = household.next_payment(moment)
        soon = following is not None and (timezone.localdate(following[0]) - today).days <= 20
        reason = household.reason
        if household.profile == LATE or not reason or (soon and kind == RoundKind.MONTHLY and rng.random() < 0.5):
            reason = ""
        if household.role == "letter" and household.letter_sent:
            return Reason.MALICIOUS, *texts.AFTER_LETTER, None
        if soon:
            paying = timezone.localdate(following[0])
            promise = paying
            if (paying - today).days >= 3 and rng.random() < 0.25:
                promise -= rng.randint(1, 2) * D  # kept a day or two late: the reminder comes
            if following[1] == "part":
                text = texts.PROMISE_PART
            elif months > 1:
                text = texts.PROMISE_SETTLE
            else:
                text = texts.PROMISE_NOT_RECEIVED if rng.random() < 0.05 else texts.PROMISE
            said = f"{texts.REASONS[reason][0]}；" if reason else ""
            return reason, said + text.format(day=promise), texts.NO_ANSWER_NEXT, promise
        if not reason:
            promise = today + rng.randint(5, 10) * D  # a promise not kept
            return "", texts.PROMISE_VAGUE.format(day=promise), texts.NO_ANSWER_NEXT, promise
        answer, next_step = texts.REASONS[reason]
        return reason, answer, next_step, None

    def service_call(self, moment, household):
        """物业服务问题 told today: the call opens a complaint, the butler first-responsible."""
        task = household.house.collection_tasks.order_by("-round__opened_on").first()
        collection.record_call(
            house=household.house,
            actor=household.butler,
            channel=CallChannel.DOOR,
            person_reached=household.payer,
            answer=texts.SERVICE_PROBLEM[0],
            statement_received=True,
            reason=Reason.SERVICE,
            next_step=texts.SERVICE_PROBLEM[1],
            task=task if task is not None and task.done_at is None else None,
            now=moment,
        )
        self.service_called = True

    # --- the lawyer's letter ----------------------------------------------------------------

    def request_letter(self, moment, household, call):
        letter = letters.request_letter(household.house, actor=self.staff.supervisor, call=call, now=moment)
        self.office.at(moment + 5 * H, self.approve_letter, letter)

    def approve_letter(self, moment, letter):
        letters.approve_letter(letter, actor=self.staff.manager, note=texts.LETTER_NOTE, now=moment)
        self.office.at(local(timezone.localdate(moment) + D, 9, 40), self.print_letter, letter)

    def print_letter(self, moment, letter):
        letters.print_letter(letter, actor=self.staff.finance, now=moment)
        self.office.at(moment + 3 * H, self.send_letter, letter)

    def send_letter(self, moment, letter):
        tracking = f"1{self.rng.randrange(10**12):012d}"
        letters.record_sending(letter, actor=self.staff.finance, via=SendVia.EMS, tracking=tracking, now=moment)

    # --- 便民服务 ------------------------------------------------------------------------------

    def plan_services(self, office):
        january = self.calendar.months[-1].replace(month=1)
        office.at(local(january + 5 * D, 10), self.draft_price_list, january.year)

    def draft_price_list(self, moment, year):
        manager = self.staff.manager
        price_list = convenience.draft_price_list(self.community, year, actor=manager, now=moment)
        for name, free, price, cycle, deposit, prepayment, cost, note in texts.SERVICES:
            convenience.add_service(
                price_list, actor=manager, name=name, is_free=free, price=price, cycle=cycle, deposit=deposit,
                prepayment=prepayment, monthly_cost=cost, note=note,
            )  # fmt: skip
        later = moment + 6 * H
        with held_at(later):
            convenience.submit_price_list(price_list, actor=manager)
        self.office.at(moment + 3 * D, self.approve_price_list, price_list)

    def approve_price_list(self, moment, price_list):
        convenience.approve_price_list(price_list, actor=self.staff.admin, now=moment)
        day = timezone.localdate(moment) + D
        while local(day, 8, 40) <= self.now:
            self.office.at(local(day, 8, 40), self.office.flag)
            day = (day + 32 * D).replace(day=1)
        paid = [s for s in price_list.services.order_by("pk") if not s.is_free]
        for number, household in enumerate(self.cast.subscribers):
            service = paid[number % len(paid)]
            day = timezone.localdate(moment) + self.rng.randint(2, 60) * D
            self.office.at(self.office.moment(day, 9, 18), self.subscribe, household, service)

    def subscribe(self, moment, household, service):
        subscription = convenience.subscribe(
            household.house,
            service,
            actor=household.butler,
            owner_name=household.payer,
            phone=household.phone or "021-58881234",
            started_on=timezone.localdate(moment),
            owner_signed=True,
        )
        if service.cycle == "per_use":
            day = timezone.localdate(moment) + self.rng.randint(3, 20) * D
            while local(day, 12) <= self.now:
                self.office.at(self.office.moment(day, 9, 17), self.use, subscription, household)
                day += self.rng.randint(25, 45) * D
        elif service.name == "车辆清洗" and not getattr(self, "stopping", False):
            self.stopping = True
            months = self.calendar.months
            self.office.at(local(months[8] + 11 * D, 15, 10), self.stop, subscription, months[8])

    def use(self, moment, subscription, household):
        convenience.record_use(subscription, actor=household.butler, quantity=1, on=timezone.localdate(moment))

    def stop(self, moment, subscription, month):
        last = (month + 32 * D).replace(day=1) - D
        convenience.stop(subscription, actor=self.staff.supervisor, stopped_on=last, reason=texts.STOP)

    # --- the end -------------------------------------------------------------------------------

    def finish(self, office):
        """The complaint opened today climbs its ladder on the complaints beat, as the
        complaints demo's matters did."""
        if not self.service_called:
            return
        from complaints.demo.timeline import BEAT

        BEAT.run(until=self.now)
        with held_at(self.now):
            BEAT.job(now=self.now)
