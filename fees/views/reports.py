"""Fee report pages (issue 10 §10) for finance, supervisors and the manager of the
active community: 收缴率 with 清欠, ageing, arrears by latest reason, payments by
method and day. Every figure opens the households or payments behind it, and
those two lists download as streamed Excel. A bad query parameter falls back to
its default."""

import datetime as dt

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View

from core.choices import Role
from core.pagination import paginate
from core.permissions import RoleRequiredMixin
from fees import reports
from fees.choices import Method
from residents.exports import streamed_workbook_response

REPORT_READERS = (Role.FINANCE, Role.SUPERVISOR, Role.MANAGER)
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
LONGEST_PERIOD = dt.timedelta(days=366)
PAGE_SIZE = 50
EXPORT_CHUNK = 2000
METHOD_LABELS = dict(Method.choices)


def _date(raw, default):
    try:
        day = dt.datetime.strptime(raw or "", "%Y-%m-%d").date()
    except ValueError:
        return default
    return day if EARLIEST <= day <= LATEST else default


def _month(raw, default):
    try:
        month = dt.datetime.strptime(raw or "", "%Y-%m").date()
    except ValueError:
        return default
    return month if EARLIEST <= month <= LATEST else default


def _period(request):
    """`?from=…&to=…` (local dates): this month so far by default, at most a year."""
    today = timezone.localdate()
    last = _date(request.GET.get("to"), today)
    first = _date(request.GET.get("from"), last.replace(day=1))
    if first > last:
        first, last = last, first
    return max(first, last - LONGEST_PERIOD), last


def _as_of(request):
    return _date(request.GET.get("as_of"), timezone.localdate())


class ReportView(RoleRequiredMixin, View):
    """A report page: `figures(request)` gives the template its context."""

    allowed_roles = REPORT_READERS
    template_name = ""
    tab = ""

    def get(self, request):
        return render(request, self.template_name, {"tab": self.tab, **self.figures(request)})


class CollectionReportView(ReportView):
    """收缴率 of a billing month as of a date, overall, by building and by butler, with 清欠."""

    template_name = "fees/report_collection.html"
    tab = "collection"

    def figures(self, request):
        community, as_of = request.community, _as_of(request)
        month = _month(request.GET.get("month"), as_of.replace(day=1))
        (overall,) = reports.collection_rate(community, month, as_of)
        buildings = reports.collection_rate(community, month, as_of, by="building")
        return {
            "month": month,
            "as_of": as_of,
            "previous": (month - dt.timedelta(days=1)).replace(day=1),
            "following": (month + dt.timedelta(days=32)).replace(day=1),
            "overall": {**overall, "open": overall["billed"] - overall["collected"]},
            "buildings": sorted(buildings, key=lambda row: reports.building_order(row["key"])),
            "butlers": reports.collection_by_butler(community, month, as_of),
            "recovered": reports.recovered(community, month, as_of),
        }


class AgeingReportView(ReportView):
    """账龄: open amounts by days past due, overall and by building."""

    template_name = "fees/report_ageing.html"
    tab = "ageing"

    def figures(self, request):
        as_of = _as_of(request)
        overall = reports.ageing(request.community, as_of)
        chart = {"labels": [row["band"] for row in overall], "totals": [str(row["total"]) for row in overall]}
        return {
            "as_of": as_of,
            "bands": list(enumerate(overall)),
            "total": sum((row["total"] for row in overall), reports.ZERO),
            "buildings": reports.ageing_by_building(request.community, as_of),
            "chart": chart,
        }


class ReasonReportView(ReportView):
    """Households in arrears by their latest recorded reason [001 L318]."""

    template_name = "fees/report_reasons.html"
    tab = "reasons"

    def figures(self, request):
        as_of = _as_of(request)
        rows = reports.arrears_by_reason(request.community, as_of)
        return {
            "as_of": as_of,
            "rows": rows,
            "households": sum(row["households"] for row in rows),
            "amount": sum((row["amount"] for row in rows), reports.ZERO),
        }


class PaymentReportView(ReportView):
    """Valid payments by method and by day [001 L316]."""

    template_name = "fees/report_payments.html"
    tab = "payments"

    def figures(self, request):
        first, last = _period(request)
        return {"first": first, "last": last, **reports.payments_by_method_day(request.community, first, last)}


class ArrearsFilter:
    """The arrears list's filters read from the query string; a bad value is dropped."""

    def __init__(self, request):
        get = request.GET
        self.as_of = _as_of(request)
        self.month = _month(get.get("month"), None)
        self.building = get.get("building", "").strip()[:20]
        butler = get.get("butler", "")
        if butler == reports.NO_BUTLER:
            self.butler = butler
        else:  # an id; a number too long for the column is no one
            self.butler = int(butler) if butler.isdigit() and len(butler) < 10 else None
        band = get.get("band", "")
        self.band = int(band) if band.isdigit() and int(band) < len(reports.BANDS) else None
        reason = get.get("reason", "")
        self.reason = reason if reason in reports.REASON_LABELS else None

    def lines(self, community):
        return reports.arrears_lines(
            community,
            self.as_of,
            month=self.month,
            building=self.building,
            butler=self.butler,
            band=None if self.month else self.band,
            reason=self.reason,
        )

    def params(self):
        """The filters as query parameters, for the pager and the export link."""
        values = {
            "as_of": f"{self.as_of:%Y-%m-%d}",
            "month": f"{self.month:%Y-%m}" if self.month else "",
            "building": self.building,
            "butler": self.butler if self.butler is not None else "",
            "band": self.band if self.band is not None and not self.month else "",
            "reason": self.reason or "",
        }
        return urlencode({key: value for key, value in values.items() if value != ""})

    def described(self):
        """What the list is of, in words, for its heading."""
        parts = [f"{self.month:%Y年%m月}账单未缴" if self.month else f"截至 {self.as_of:%Y-%m-%d} 已过缴费期限"]
        if self.building:
            parts.append(f"{self.building}栋")
        if self.butler == reports.NO_BUTLER:
            parts.append("未分配管家")
        if self.band is not None and not self.month:
            parts.append(f"账龄 {reports.band_of(reports.BANDS[self.band][0])}")
        if self.reason:
            parts.append(f"原因：{reports.REASON_LABELS[self.reason]}")
        return "，".join(parts)


class ArrearsListView(RoleRequiredMixin, View):
    """The households behind a figure: house, butler, what it owes, oldest unpaid month."""

    allowed_roles = REPORT_READERS

    def get(self, request):
        which = ArrearsFilter(request)
        lines = which.lines(request.community)
        context = paginate(request, reports.arrears_households(lines), PAGE_SIZE, querystring=which.params())
        page = context["page_obj"]
        page.object_list = [
            {**row, "reason": reports.REASON_LABELS.get(row["reason_key"], "")} for row in page.object_list
        ]
        context.update(
            filter=which,
            totals=reports.arrears_totals(lines),
            export_url=f"{reverse('fees:report_arrears_export')}?{which.params()}",
        )
        return render(request, "fees/report_arrears.html", context)


class ArrearsExportView(RoleRequiredMixin, View):
    """The arrears list as Excel, streamed; no phone numbers in it."""

    allowed_roles = REPORT_READERS

    def get(self, request):
        which = ArrearsFilter(request)
        households = reports.arrears_households(which.lines(request.community))
        headers = ["房号", "楼栋", "责任管家", "欠费金额", "最早欠费月份", "最近欠费原因"]
        rows = (
            [
                row["house__number"],
                row["house__building__number"],
                row["butler_name"] or "",
                row["owed"],
                f"{row['oldest']:%Y-%m}",
                reports.REASON_LABELS.get(row["reason_key"], ""),
            ]
            for row in households.iterator(chunk_size=EXPORT_CHUNK)
        )
        return streamed_workbook_response("欠费户", headers, rows, f"欠费户-{which.as_of:%Y%m%d}")


def _payment_filter(request):
    first, last = _period(request)
    method = request.GET.get("method", "")
    return first, last, method if method in METHOD_LABELS else ""


def _payment_params(first, last, method):
    values = {"from": f"{first:%Y-%m-%d}", "to": f"{last:%Y-%m-%d}", "method": method}
    return urlencode({key: value for key, value in values.items() if value})


class PaymentListView(RoleRequiredMixin, View):
    """The payments behind a figure of the payments report."""

    allowed_roles = REPORT_READERS

    def get(self, request):
        first, last, method = _payment_filter(request)
        payments = reports.valid_payments(request.community, first, last, method)
        params = _payment_params(first, last, method)
        context = paginate(request, reports.payment_rows(payments), PAGE_SIZE, querystring=params)
        page = context["page_obj"]
        page.object_list = [
            {**row, "method_label": METHOD_LABELS.get(row["method"], row["method"])} for row in page.object_list
        ]
        context.update(
            first=first,
            last=last,
            method=method,
            method_label=METHOD_LABELS.get(method, ""),
            totals=reports.payment_totals(payments),
            export_url=f"{reverse('fees:report_payment_export')}?{params}",
        )
        return render(request, "fees/report_payment_list.html", context)


class PaymentExportView(RoleRequiredMixin, View):
    """The payments list as Excel, streamed."""

    allowed_roles = REPORT_READERS

    def get(self, request):
        first, last, method = _payment_filter(request)
        payments = reports.payment_rows(reports.valid_payments(request.community, first, last, method))
        headers = ["收据编号", "收款时间", "房号", "金额", "方式", "缴款人", "交易单号", "收款人"]
        rows = (
            [
                row["receipt__number"] or "",
                timezone.localtime(row["received_at"]).strftime("%Y-%m-%d %H:%M"),
                row["house__number"],
                row["amount"],
                METHOD_LABELS.get(row["method"], row["method"]),
                row["payer"],
                row["reference"],
                row["collector"] or "",
            ]
            for row in payments.iterator(chunk_size=EXPORT_CHUNK)
        )
        return streamed_workbook_response("收款明细", headers, rows, f"收款明细-{first:%Y%m%d}-{last:%Y%m%d}")
