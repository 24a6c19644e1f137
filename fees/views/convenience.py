"""便民服务 pages [001 L546–588]: the year's 《便民服务项目及价格表》 (the manager
drafts and submits, a company admin approves or returns it, everyone reads it and
prints it for posting), the 《委托服务单》 and its subscriptions list, stopping with
a reason, per-use records, and the printable 《接受长期服务业主名单》. Phones are
shown masked everywhere."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View

from core.choices import Role
from core.feedback import add_errors, flash_error
from core.pagination import paginate
from core.permissions import RoleRequiredMixin
from fees import convenience
from fees.choices import Cycle, PriceListStatus
from fees.forms import ReturnForm, ServiceForm, StopForm, SubscriptionForm, UseForm, YearForm
from fees.models import ConvenienceService, ServicePriceList, Subscription
from residents.masking import mask_mobile
from residents.models import House

READERS = tuple(Role)  # the table is posted for every owner to read [001 L554]
LIST_READERS = (Role.BUTLER, Role.SUPERVISOR, Role.MANAGER, Role.FRONT_DESK, Role.FINANCE)
REGISTRARS = (Role.BUTLER, *convenience.REGISTRARS)
PAGE_SIZE = 50
STATUSES = {"active": "服务中", "stopped": "已停止", "all": "全部"}


def _lists(request):
    return ServicePriceList.objects.for_user(request.user).in_community(request.community)


def _year(request):
    wanted = request.GET.get("year", "")
    return int(wanted) if wanted.isdigit() and 2000 <= int(wanted) <= 2100 else timezone.localdate().year


def _table(request, year, *, service_form=None, year_form=None, return_form=None, status=200):
    """The price table page of `year`, with whatever form came back with errors."""
    price_list = _lists(request).filter(year=year).select_related("approved_by", "drafted_by").first()
    is_manager = request.user.has_role(request.community, Role.MANAGER)
    editable = price_list is not None and price_list.status == PriceListStatus.DRAFT and is_manager
    years = sorted({year, timezone.localdate().year, *_lists(request).values_list("year", flat=True)}, reverse=True)
    context = {
        "year": year,
        "years": years,
        "price_list": price_list,
        "services": convenience.service_rows(price_list) if price_list else [],
        "editable": editable,
        "may_draft": is_manager and price_list is None,
        "may_decide": price_list is not None
        and price_list.status == PriceListStatus.SUBMITTED
        and convenience.is_company_admin(request.user, request.community),
        "returned_because": convenience.return_reason(price_list) if price_list else "",
        "service_form": service_form or (ServiceForm() if editable else None),
        "year_form": year_form or YearForm(initial={"year": year}),
        "return_form": return_form or ReturnForm(),
    }
    return render(request, "fees/convenience_table.html", context, status=status)


class PriceTableView(RoleRequiredMixin, View):
    """The year's table (`?year=`); the manager starts a year's draft by POST."""

    allowed_roles = READERS

    def get(self, request):
        return _table(request, _year(request))

    def post(self, request):
        if not request.user.has_role(request.community, Role.MANAGER):
            raise PermissionDenied("只有项目经理可以拟定便民服务项目及价格表。")
        form = YearForm(request.POST)
        if form.is_valid():
            year = form.cleaned_data["year"]
            try:
                convenience.draft_price_list(request.community, year, actor=request.user)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, f"已开始拟定{year}年便民服务项目及价格表。")
                return redirect(f"{reverse('fees:convenience')}?year={year}")
        return _table(request, _year(request), year_form=form, status=400)


class ServiceAddView(RoleRequiredMixin, View):
    """A new row of a draft table."""

    allowed_roles = (Role.MANAGER,)

    def post(self, request, pk):
        price_list = get_object_or_404(_lists(request), pk=pk)
        form = ServiceForm(request.POST)
        if form.is_valid():
            try:
                service = convenience.add_service(price_list, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, f"已添加服务项目「{service.name}」。")
                return redirect(f"{reverse('fees:convenience')}?year={price_list.year}")
        return _table(request, price_list.year, service_form=form, status=400)


class ServiceEditView(RoleRequiredMixin, View):
    """Edit or remove a row while the table is a draft."""

    allowed_roles = (Role.MANAGER,)

    def _service(self, request, pk):
        services = ConvenienceService.objects.filter(price_list__in=_lists(request)).select_related("price_list")
        return get_object_or_404(services, pk=pk)

    def _render(self, request, service, form, status=200):
        return render(request, "fees/convenience_service.html", {"service": service, "form": form}, status=status)

    def get(self, request, pk):
        service = self._service(request, pk)
        return self._render(request, service, ServiceForm.for_service(service))

    def post(self, request, pk):
        service = self._service(request, pk)
        back = f"{reverse('fees:convenience')}?year={service.price_list.year}"
        if request.POST.get("which") == "remove":
            try:
                convenience.remove_service(service, actor=request.user)
            except ValidationError as error:
                flash_error(request, error)
            else:
                messages.success(request, f"已删除服务项目「{service.name}」。")
            return redirect(back)
        form = ServiceForm(request.POST)
        if form.is_valid():
            try:
                convenience.edit_service(service, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, f"已保存服务项目「{service.name}」。")
                return redirect(back)
        return self._render(request, service, form, status=400)


class SubmitView(RoleRequiredMixin, View):
    """报公司审批."""

    allowed_roles = (Role.MANAGER,)

    def post(self, request, pk):
        price_list = get_object_or_404(_lists(request), pk=pk)
        try:
            convenience.submit_price_list(price_list, actor=request.user)
        except ValidationError as error:
            flash_error(request, error)
        else:
            messages.success(request, f"{price_list.year}年便民服务项目及价格表已报公司审批。")
        return redirect(f"{reverse('fees:convenience')}?year={price_list.year}")


class DecideView(RoleRequiredMixin, View):
    """A company admin approves the submitted table or returns it with a reason."""

    allowed_roles = ()  # company admins only (has_role lets them through every role check)

    def post(self, request, pk):
        price_list = get_object_or_404(_lists(request), pk=pk)
        back = f"{reverse('fees:convenience')}?year={price_list.year}"
        if request.POST.get("which") == "approve":
            try:
                convenience.approve_price_list(price_list, actor=request.user)
            except ValidationError as error:
                flash_error(request, error)
            else:
                messages.success(request, f"已批准{price_list.year}年便民服务项目及价格表。")
            return redirect(back)
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                convenience.return_price_list(price_list, actor=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "已退回项目经理修改。")
                return redirect(back)
        return _table(request, price_list.year, return_form=form, status=400)


class PriceTablePrintView(RoleRequiredMixin, View):
    """A4 for posting at the office or on the garden bulletin board [001 L556]."""

    allowed_roles = READERS

    def get(self, request, pk):
        price_list = get_object_or_404(_lists(request).select_related("community", "approved_by"), pk=pk)
        context = {"price_list": price_list, "services": list(price_list.services.all())}
        return render(request, "fees/convenience_table_print.html", context)


# --- subscriptions --------------------------------------------------------------


def _subscriptions(request):
    return Subscription.objects.for_user(request.user).in_community(request.community)


def _masked(rows):
    for row in rows:
        row.masked_phone = mask_mobile(row.phone)
    return rows


class SubscriptionListView(RoleRequiredMixin, View):
    """委托服务 list: `?status=active|stopped|all&service=`, with each service's
    subscribers against its break-even."""

    allowed_roles = LIST_READERS

    def get(self, request):
        today = timezone.localdate()
        status = request.GET.get("status") if request.GET.get("status") in STATUSES else "active"
        rows = _subscriptions(request)
        if status == "active":
            rows = rows.filter(convenience.active_q(today))
        elif status == "stopped":
            rows = rows.filter(stopped_on__lt=today)
        service = request.GET.get("service", "")
        if service.isdigit():
            rows = rows.filter(service_id=service)
        rows = rows.select_related("house__building", "service__price_list").order_by("service_id", "house__number")
        querystring = urlencode({"status": status, **({"service": service} if service.isdigit() else {})})
        page = paginate(request, rows, PAGE_SIZE, querystring=querystring)
        price_list = convenience.current_price_list(request.community, today)
        context = {
            **page,
            "subscriptions": _masked(page["page_obj"].object_list),
            "status": status,
            "statuses": STATUSES,
            "service": int(service) if service.isdigit() else None,
            "price_list": price_list,
            "summary": convenience.service_rows(price_list, today) if price_list else [],
            "may_register": request.user.has_role(request.community, *REGISTRARS),
            "today": today,
        }
        return render(request, "fees/convenience_subscriptions.html", context)


class SubscribeView(RoleRequiredMixin, View):
    """《委托服务单》: the house by its number, the service of the approved table in force."""

    allowed_roles = REGISTRARS

    def _form(self, request, data=None):
        price_list = convenience.current_price_list(request.community)
        services = price_list.services.all() if price_list else ConvenienceService.objects.none()
        return SubscriptionForm(data, services=services, initial={"started_on": timezone.localdate()}), price_list

    def _render(self, request, form, price_list, status=200):
        context = {"form": form, "price_list": price_list}
        return render(request, "fees/convenience_subscribe.html", context, status=status)

    def get(self, request):
        return self._render(request, *self._form(request))

    def post(self, request):
        form, price_list = self._form(request, request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            number = data.pop("house_number").strip()
            houses = House.objects.for_user(request.user).filter(community=request.community)
            house = houses.select_related("community").filter(number=number).first()
            if house is None:
                form.add_error("house_number", f"本小区没有房号 {number}。")
            else:
                try:
                    subscription = convenience.subscribe(house, data.pop("service"), actor=request.user, **data)
                except ValidationError as error:
                    add_errors(form, error)
                except PermissionDenied as error:
                    form.add_error("house_number", str(error))
                    status = 403
                else:
                    due = convenience.dues_notice(subscription.service)
                    messages.success(request, f"已登记委托服务单：{house.number}「{subscription.service.name}」。{due}")
                    return redirect("fees:convenience_subscriptions")
        return self._render(request, form, price_list, status=status)


class _SubscriptionFormView(RoleRequiredMixin, View):
    """One subscription's form (stop, record a use): the zone's butler, supervisors,
    managers and the front desk; another zone's butler 403."""

    allowed_roles = REGISTRARS
    form_class = template_name = date_field = None

    def _subscription(self, request, pk):
        rows = _subscriptions(request).select_related("house__community", "house__building", "service__price_list")
        subscription = get_object_or_404(rows, pk=pk)
        if not convenience.may_register(request.user, subscription.house):
            raise PermissionDenied("只能为本片区房屋办理便民服务。")
        subscription.masked_phone = mask_mobile(subscription.phone)
        return subscription

    def _render(self, request, subscription, form, status=200):
        context = {"subscription": subscription, "form": form, **self.extra(subscription)}
        return render(request, self.template_name, context, status=status)

    def extra(self, subscription):
        return {}

    def get(self, request, pk):
        subscription = self._subscription(request, pk)
        return self._render(request, subscription, self.form_class(initial={self.date_field: timezone.localdate()}))

    def post(self, request, pk):
        subscription = self._subscription(request, pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                message = self.save(request, subscription, form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, message)
                return redirect("fees:convenience_subscriptions")
        return self._render(request, subscription, form, status=400)


class StopView(_SubscriptionFormView):
    """停止服务 with the owner's reason [001 L580]."""

    form_class, template_name, date_field = StopForm, "fees/convenience_stop.html", "stopped_on"

    def save(self, request, subscription, data):
        billed = convenience.stop(subscription, actor=request.user, **data)
        message = f"已停止 {subscription.house.number}「{subscription.service.name}」。"
        if billed:
            months = "、".join(f"{line.month:%Y年%m月}" for line in billed)
            message += f"{months}的费用已出账，如需退还请申请调整。"
        return message


class UseView(_SubscriptionFormView):
    """A per-use service provided: a line for the next statement."""

    form_class, template_name, date_field = UseForm, "fees/convenience_use.html", "on"

    def extra(self, subscription):
        return {
            "lines": convenience.use_lines(subscription)[:20],
            "per_use": subscription.service.cycle == Cycle.PER_USE,
        }

    def save(self, request, subscription, data):
        line = convenience.record_use(subscription, actor=request.user, **data)
        return f"已登记 {subscription.house.number}「{subscription.service.name}」¥{line.amount}，计入下期对账单。"


class SubscribersPrintView(RoleRequiredMixin, View):
    """《接受长期服务业主名单》 [001 L570]: today's subscribers per service."""

    allowed_roles = LIST_READERS

    def get(self, request):
        today = timezone.localdate()
        rows = _subscriptions(request).filter(convenience.active_q(today))
        service = request.GET.get("service", "")
        if service.isdigit():
            rows = rows.filter(service_id=service)
        rows = rows.select_related("house__building", "service").order_by(
            "service__name", "service_id", "house__number"
        )
        groups = {}
        for row in _masked(list(rows)):
            groups.setdefault(row.service_id, {"service": row.service, "rows": []})["rows"].append(row)
        context = {"community": request.community, "groups": list(groups.values()), "today": today}
        return render(request, "fees/convenience_subscribers_print.html", context)
