from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import ListView

from residents import exports, roles, selectors, services
from residents.choices import HouseType, Occupancy
from residents.forms import BuildingCreateForm, HouseForm
from residents.history import history_rows
from residents.models import Building
from residents.panels import panels_for
from residents.views.base import ArchiveMixin, scoped_house, zone_scope


class HouseListView(ArchiveMixin, ListView):
    template_name = "residents/house_list.html"
    context_object_name = "houses"
    paginate_by = 25

    def get_queryset(self):
        self.scope, butler = zone_scope(self.request)
        params = self.request.GET
        return selectors.house_list(
            self.request.community,
            butler=butler,
            building=params.get("building", "") if params.get("building", "").isdigit() else "",
            occupancy=params.get("occupancy", ""),
            house_type=params.get("house_type", ""),
            q=params.get("q", ""),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            scope=self.scope,
            buildings=Building.objects.filter(community=self.request.community),
            occupancies=Occupancy.choices,
            house_types=HouseType.choices,
            filters=self.request.GET,
            querystring=params.urlencode(),
        )
        return context


class HouseExportView(HouseListView):
    """The filtered list as .xlsx (formulas neutralised; no personal numbers)."""

    def render_to_response(self, context, **kwargs):
        return exports.houses_workbook(self.get_queryset())

    def get(self, request, *args, **kwargs):
        return self.render_to_response({})


class HouseDetailView(ArchiveMixin, View):
    """The household 360° page: everything a butler needs before a visit."""

    def get(self, request, pk):
        house = scoped_house(request, pk)
        context = {
            "house": house,
            "household": selectors.household(house),
            "absence": house.current_absence(),
            "panels": panels_for(house, request),
            "can_edit": request.user.has_role(house.community, *roles.EDITORS),
        }
        return render(request, "residents/house_detail.html", context)


def _house_form_context(house, form):
    return {
        "form": form,
        "title": f"编辑房屋 {house.number}",
        "back": reverse("residents:house_detail", args=[house.pk]),
    }


def _building_form_context(form):
    return {"form": form, "title": "新建楼栋（自动生成房屋）", "back": reverse("residents:building_list")}


class HouseEditView(ArchiveMixin, View):
    allowed_roles = roles.EDITORS

    def get(self, request, pk):
        house = scoped_house(request, pk)
        return render(request, "residents/form.html", _house_form_context(house, HouseForm(instance=house)))

    def post(self, request, pk):
        house = scoped_house(request, pk)
        form = HouseForm(request.POST, instance=house)
        if not form.is_valid():
            return render(request, "residents/form.html", _house_form_context(house, form), status=400)
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        services.update_house(house, actor=request.user, **fields)
        messages.success(request, f"房屋 {house.number} 已保存。")
        return redirect("residents:house_detail", pk=house.pk)


class HouseHistoryView(ArchiveMixin, View):
    def get(self, request, pk):
        house = scoped_house(request, pk)
        return render(
            request,
            "residents/history.html",
            {"subject": house, "rows": history_rows(house), "back": reverse("residents:house_detail", args=[pk])},
        )


class BuildingListView(ArchiveMixin, ListView):
    template_name = "residents/building_list.html"
    context_object_name = "buildings"

    def get_queryset(self):
        from django.db.models import Count, Q

        return (
            Building.objects.filter(community=self.request.community)
            .annotate(
                house_count=Count("houses"),
                occupied_count=Count("houses", filter=Q(houses__occupancy__in=["occupied", "rented"])),
            )
            .order_by("number")
        )


class BuildingCreateView(ArchiveMixin, View):
    allowed_roles = roles.ADMINS

    def get(self, request):
        return render(
            request, "residents/form.html", _building_form_context(BuildingCreateForm(community=request.community))
        )

    def post(self, request):
        form = BuildingCreateForm(request.POST, community=request.community)
        if not form.is_valid():
            return render(request, "residents/form.html", _building_form_context(form), status=400)
        data = form.cleaned_data
        try:
            building = services.create_building(community=request.community, actor=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
            return render(request, "residents/form.html", _building_form_context(form), status=400)
        messages.success(request, f"已创建 {building}，共 {building.houses.count()} 户。")
        return redirect(f"{reverse('residents:house_list')}?building={building.pk}&scope=all")
