"""对账单 (issue 10 §3, [003 L524]): from the 28th a job drafts next month's
statement for every billable house — unpaid lines brought forward, the month's
charges, lines added since the last statement (repair charges, adjustments), the
prepaid balance and the amount due. One statement per house and month (a unique
key): the job run twice, or on two workers, drafts each once."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Sum, Value, When
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.choices import Role
from core.models import Community
from core.services import raise_reminder
from fees import billing
from fees.choices import MONTHLY_BASES, Cycle, Delivery, ItemKind, LineSource, PriceListStatus, StatementStatus
from fees.models import BillLine, CollectionCall, FeeSettings, Payment, Rate, Statement
from fees.services import items_for
from residents.models import House

ZERO = Decimal("0.00")


def next_month(day):
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def statement_month(settings_row, today):
    """The month whose statements are current: next month from the draft day on."""
    return next_month(today) if today.day >= settings_row.draft_day else today.replace(day=1)


def due_date_of(month, settings_row):
    return month.replace(day=min(settings_row.due_day, billing.days_in_month(month)))


class Prices:
    """What one month bills, read once per community (a job run): the rates in
    force, the active monthly 便民服务 subscriptions by house, whether any late-fee
    policy bills on statements, and the houses holding a prepaid balance."""

    def __init__(self, community, month, *, balances=None):
        from fees.convenience import current_price_list
        from fees.models import LateFeePolicy, Subscription
        from fees.payments import houses_with_balance

        items = [i for i in items_for(community) if i.is_active]
        self.items = [i for i in items if i.basis in MONTHLY_BASES]
        self.service_item = next((i for i in items if i.kind == ItemKind.CONVENIENCE), None)
        last = month.replace(day=billing.days_in_month(month))
        rates = Rate.objects.filter(item__in=self.items, valid_from__lte=month).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=last)
        )
        self.rates = {(r.item_id, r.house_type): r.unit_price for r in rates}
        self.subscriptions = {}
        active = Subscription.objects.filter(
            community=community,
            started_on__lte=last,
            service__cycle=Cycle.MONTHLY,
            service__is_free=False,
            service__price__gt=0,
            service__price_list__status=PriceListStatus.APPROVED,
        ).filter(Q(stopped_on__isnull=True) | Q(stopped_on__gte=month))
        for subscription in active.select_related("service"):
            self.subscriptions.setdefault(subscription.house_id, []).append(subscription)
        # A subscription pays the price of the table in force for the month (a new
        # year's approved table reprices it by the service's name).
        in_force = current_price_list(community, last)
        self.service_prices = {s.name: s.price for s in in_force.services.all()} if in_force else {}
        self.late_fees_billed = LateFeePolicy.objects.filter(
            Q(community=community) | Q(item__community=community) | Q(community__isnull=True, item__isnull=True),
            company_id=community.company_id,
            on_statements=True,
        ).exists()
        self.balances = houses_with_balance(community) if balances is None else balances

    def price(self, item, house_type):
        return self.rates.get((item.pk, house_type), self.rates.get((item.pk, "")))


def billable_houses(community, month):
    """Houses handed over by the end of `month`."""
    last = month.replace(day=billing.days_in_month(month))
    return House.objects.filter(community=community, handover_date__lte=last).order_by("pk")


def _month_lines(house, month, statement, prices, due):
    """The month's charges of `house`: its monthly items and its monthly 便民服务."""
    lines = []
    common = {"community_id": house.community_id, "house": house, "statement": statement, "month": month}
    for item in prices.items:
        price = prices.price(item, house.house_type)
        charge = billing.month_charge(item, price, house, month) if price is not None else None
        if charge is None:
            continue
        days = f"（{charge.days}/{charge.month_days}天）" if charge.days else ""
        lines.append(
            BillLine(
                **common,
                item=item,
                source=LineSource.CHARGE,
                description=f"{month:%Y年%m月}{item.name}{days}",
                quantity=charge.quantity,
                unit_price=charge.unit_price,
                days=charge.days,
                amount=charge.amount,
                open_amount=charge.amount,
                due_date=due,
            )
        )
    subscriptions = prices.subscriptions.get(house.pk, ()) if prices.service_item is not None else ()
    for subscription in subscriptions:
        price = prices.service_prices.get(subscription.service.name, subscription.service.price)
        if not price:
            continue  # free in the table in force
        lines.append(
            BillLine(
                **common,
                item=prices.service_item,
                source=LineSource.SERVICE,
                subscription=subscription,
                description=f"{month:%Y年%m月}便民服务：{subscription.service.name}",
                quantity=Decimal("1"),
                unit_price=price,
                amount=price,
                open_amount=price,
                due_date=due,
            )
        )
    return lines


def _late_fee_lines(house, month, statement, as_of, due):
    """滞纳金 on the house's overdue lines whose policy bills it on statements:
    the late fee as of `as_of` less what earlier statements already billed."""
    from fees.latefees import late_fee, terms_for
    from fees.payments import paid_on_dates

    overdue = BillLine.objects.filter(house=house, open_amount__gt=0, due_date__lt=as_of).exclude(
        source=LineSource.LATE_FEE
    )
    lines, terms = [], {}
    for line in overdue.select_related("item__community"):
        if line.item_id not in terms:
            terms[line.item_id] = terms_for(line.item)
        if not terms[line.item_id].on_statements:
            continue
        fee, days = late_fee(line.amount, line.due_date, as_of, terms=terms[line.item_id], payments=paid_on_dates(line))
        billed = line.corrections.filter(source=LineSource.LATE_FEE).aggregate(t=Sum("amount"))["t"] or ZERO
        if fee - billed <= 0:
            continue
        lines.append(
            BillLine(
                community_id=house.community_id,
                house=house,
                statement=statement,
                item=line.item,
                source=LineSource.LATE_FEE,
                month=month,
                corrects=line,
                description=f"滞纳金：{line.description}（截至{as_of:%m月%d日}，{days}天）",
                quantity=Decimal("1"),
                unit_price=fee - billed,
                amount=fee - billed,
                open_amount=fee - billed,
                due_date=due,
            )
        )
    return lines


BATCH = 500


def draft_statement(house, month, *, prices, settings_row, now):
    """Draft `house`'s statement for `month`; None when it already has one."""
    drafted = draft_batch([house], month, prices=prices, settings_row=settings_row, now=now)
    return drafted[0] if drafted else None


def draft_batch(houses, month, *, prices, settings_row, now):
    """Draft the statements of `houses` for `month` in one transaction and a fixed
    number of queries (a house with a prepaid balance, or late fees billed on
    statements, adds a few of its own). Houses that have one already are skipped:
    the community's row is locked first, so a second worker waits and then finds
    them drafted. Returns the statements drafted."""
    from core.models import Community
    from fees.payments import apply_balance, unallocated

    due = due_date_of(month, settings_row)
    today = timezone.localdate(now)
    with transaction.atomic():
        Community.objects.select_for_update().filter(pk=houses[0].community_id).first()
        done = set(Statement.objects.filter(house__in=houses, month=month).values_list("house_id", flat=True))
        houses = [house for house in houses if house.pk not in done]
        if not houses:
            return []
        ids = [house.pk for house in houses]
        # Lines added since the last statement (repair charges, adjustments, services) go
        # on this one; those added after this read, or of a later month, wait for the next.
        adopted = list(
            BillLine.objects.filter(house_id__in=ids, statement__isnull=True, month__lte=month).values_list(
                "pk", "house_id", "source", "amount", "open_amount"
            )
        )
        open_total = dict(
            BillLine.objects.filter(house_id__in=ids, open_amount__gt=0, month__lte=month)
            .values_list("house_id")
            .annotate(total=Sum("open_amount"))
            .order_by()
        )
        statements, new_lines = [], {}
        for house in houses:
            statement = Statement(
                community_id=house.community_id, house=house, month=month, due_date=due, drafted_at=now
            )
            lines = _month_lines(house, month, None, prices, due)
            if prices.late_fees_billed:
                lines += _late_fee_lines(house, month, None, today, due)
            mine = [row for row in adopted if row[1] == house.pk]
            statement.adjustments = sum((r[3] for r in mine if r[2] == LineSource.ADJUSTMENT), ZERO)
            statement.charges = sum((line.amount for line in lines), ZERO) + sum(
                (r[3] for r in mine if r[2] != LineSource.ADJUSTMENT), ZERO
            )
            statement.brought_forward = open_total.get(house.pk, ZERO) - sum((r[4] for r in mine if r[4] > 0), ZERO)
            if house.pk in prices.balances:
                # An unused credit adopted now shows as an adjustment, not again as prepaid.
                fresh_credit = sum((r[4] for r in mine if r[4] < 0), ZERO)
                statement.prepaid = unallocated(house) + fresh_credit
            owed = statement.brought_forward + statement.charges + statement.adjustments - statement.prepaid
            statement.amount_due = max(owed, ZERO)
            statements.append(statement)
            new_lines[house.pk] = lines
        statements = bulk_create_with_history(statements, Statement, default_date=now)
        by_house = {statement.house_id: statement for statement in statements}
        for house_id, lines in new_lines.items():
            for line in lines:
                line.statement = by_house[house_id]
        BillLine.objects.bulk_create([line for lines in new_lines.values() for line in lines], batch_size=2000)
        if adopted:
            houses_adopting = {row[1] for row in adopted}
            BillLine.objects.filter(pk__in=[row[0] for row in adopted]).update(
                statement_id=Case(
                    *[When(house_id=h, then=Value(by_house[h].pk)) for h in houses_adopting],
                    output_field=IntegerField(),
                )
            )
        # The prepaid balance (预存) and unused credits pay the statement's lines now.
        for house in houses:
            if house.pk in prices.balances:
                apply_balance(house, on=today)
    return statements


def prepaid_balance(house):
    """Money received and not yet allocated to a line (预存), with unused credits."""
    from fees.payments import unallocated

    return unallocated(house)


def draft_due_statements(*, now=None):
    """The beat job (daily): from each community's draft day, next month's
    statements, in batches of 500 houses. Returns how many were drafted."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    drafted = 0
    for settings_row, community in _communities():
        if today.day < settings_row.draft_day:
            continue
        month = statement_month(settings_row, today)
        done = set(Statement.objects.filter(community=community, month=month).values_list("house_id", flat=True))
        houses = [house for house in billable_houses(community, month).iterator() if house.pk not in done]
        if not houses:
            continue
        prices = Prices(community, month)
        for start in range(0, len(houses), BATCH):
            batch = houses[start : start + BATCH]
            drafted += len(draft_batch(batch, month, prices=prices, settings_row=settings_row, now=now))
    return drafted


def _communities():
    for community in Community.objects.all():
        yield FeeSettings.current(community), community


@transaction.atomic
def check_statement(statement, *, actor, now=None):
    """核对: the zone's butler (or a supervisor) checks a drafted statement [003 L524]."""
    statement = Statement.objects.select_for_update().select_related("house").get(pk=statement.pk)
    if statement.house.butler_id != actor.pk and not actor.has_role(statement.community, Role.SUPERVISOR):
        raise PermissionDenied("只有片区管家或客服主管可以核对对账单。")
    if statement.status != StatementStatus.DRAFT:
        raise ValidationError("只有草稿状态的对账单可以核对。")
    statement.status, statement.checked_by, statement.checked_at = StatementStatus.CHECKED, actor, now or timezone.now()
    statement._history_user = actor
    statement.save(update_fields=["status", "checked_by", "checked_at"])
    return statement


@transaction.atomic
def check_statements(community, month, *, actor, now=None):
    """核对 every draft of `month` the actor may check — the zone's, or all of them
    for a supervisor — in one update. Returns how many were checked."""
    rows = Statement.objects.select_for_update(of=("self",)).filter(
        community=community, month=month, status=StatementStatus.DRAFT
    )
    if not actor.has_role(community, Role.SUPERVISOR):
        rows = rows.filter(house__butler=actor)
    return _move(list(rows), actor, now or timezone.now(), StatementStatus.CHECKED, "checked")


@transaction.atomic
def issue_statements(community, month, *, actor, now=None):
    """Finance issues the month's checked statements (drafts the butlers have not
    checked stay drafts) in one update. Returns how many were issued."""
    if not actor.has_role(community, Role.FINANCE):
        raise PermissionDenied("只有财务可以发出对账单。")
    rows = Statement.objects.select_for_update().filter(
        community=community, month=month, status=StatementStatus.CHECKED
    )
    return _move(list(rows), actor, now or timezone.now(), StatementStatus.ISSUED, "issued")


def _move(statements, actor, now, status, step):
    """Set `status` and who/when of `step` on `statements`, with one history row each."""
    for statement in statements:
        statement.status = status
        setattr(statement, f"{step}_by", actor)
        setattr(statement, f"{step}_at", now)
    fields = ["status", f"{step}_by", f"{step}_at"]
    bulk_update_with_history(statements, Statement, fields, batch_size=1000, default_user=actor, default_date=now)
    return len(statements)


@transaction.atomic
def record_delivery(statement, *, actor, delivery, now=None):
    """The butler records how the issued statement reached the household (post,
    door, in person for key residents [003 L453–461])."""
    statement = Statement.objects.select_for_update().select_related("house").get(pk=statement.pk)
    if statement.house.butler_id != actor.pk and not actor.has_role(statement.community, Role.SUPERVISOR):
        raise PermissionDenied("只有片区管家或客服主管可以登记发放。")
    if statement.status != StatementStatus.ISSUED:
        raise ValidationError("对账单发出后才能登记发放。")
    if delivery not in Delivery.values:
        raise ValidationError({"delivery": "请选择发放方式。"})
    statement.delivery, statement.delivered_at = delivery, now or timezone.now()
    statement._history_user = actor
    statement.save(update_fields=["delivery", "delivered_at"])
    return statement


@transaction.atomic
def record_deliveries(community, statement_ids, *, actor, delivery, now=None):
    """The butler records the delivery of several issued statements at once (a
    day's round of the zone); a supervisor any zone's. Statements already
    recorded, not issued or not the actor's are left alone. Returns how many."""
    if delivery not in Delivery.values:
        raise ValidationError({"delivery": "请选择发放方式。"})
    rows = Statement.objects.select_for_update(of=("self",)).filter(
        community=community, pk__in=statement_ids, status=StatementStatus.ISSUED, delivered_at__isnull=True
    )
    if not actor.has_role(community, Role.SUPERVISOR):
        rows = rows.filter(house__butler=actor)
    rows, now = list(rows), now or timezone.now()
    for statement in rows:
        statement.delivery, statement.delivered_at = delivery, now
    fields = ["delivery", "delivered_at"]
    bulk_update_with_history(rows, Statement, fields, batch_size=1000, default_user=actor, default_date=now)
    return len(rows)


def remind_due(*, now=None):
    """Daily: an issued statement nobody has collected after 14 days (configurable)
    reminds the zone's butler to phone [003 L459]; a promised payment date that
    passed without a payment reminds the butler who recorded it. Each once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    count = 0
    for settings_row, community in _communities():
        cutoff = now - dt.timedelta(days=settings_row.unclaimed_days)
        waiting = Statement.objects.filter(
            community=community, status=StatementStatus.ISSUED, delivered_at__isnull=True, issued_at__lte=cutoff
        ).select_related("house__butler")
        for statement in waiting:
            if statement.house.butler is None:
                continue
            raised = raise_reminder(
                recipient=statement.house.butler,
                kind="fees.unclaimed",
                key=f"statement:{statement.pk}:unclaimed",
                text=f"{statement.house.number} 的 {statement.month:%Y年%m月} 对账单发出已超过 "
                f"{settings_row.unclaimed_days} 天仍无人领取，请电话告知业主。",
                about=statement,
                community=community,
                url=f"/fees/statements/{statement.pk}/",
            )
            count += raised is not None
    calls = CollectionCall.objects.filter(promised_date__lt=today, promised_date__gte=today - dt.timedelta(days=30))
    for call in calls.select_related("butler", "house", "community"):
        paid_since = Payment.objects.filter(
            house=call.house, voided_at__isnull=True, received_at__gte=call.called_at
        ).exists()
        if paid_since:
            continue
        raised = raise_reminder(
            recipient=call.butler,
            kind="fees.promise",
            key=f"collection-call:{call.pk}:promise",
            text=f"{call.house.number} 承诺 {call.promised_date:%m-%d} 缴费，至今未缴，请再次联系并登记催收记录。",
            about=call,
            community=call.community,
            url=f"/fees/houses/{call.house_id}/pay/",
        )
        count += raised is not None
    return count
