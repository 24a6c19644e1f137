from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import ListView

from residents import exports, roles, selectors, services
from residents.choices import Relation
from residents.forms import EndResidencyForm, LinkHouseForm, PersonForm, ResidentForm
from residents.history import history_rows
from residents.models import Residency
from residents.privacy import PURPOSES, reveal_basis
from residents.views.base import ArchiveMixin, scoped_house, scoped_person, zone_scope


class PersonListView(ArchiveMixin, ListView):
    template_name = "residents/person_list.html"
    context_object_name = "people"
    paginate_by = 25

    def get_queryset(self):
        self.scope, butler = zone_scope(self.request)
        return selectors.person_list(
            self.request.community,
            butler=butler,
            q=self.request.GET.get("q", ""),
            key_only=self.request.GET.get("key") == "1",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(scope=self.scope, filters=self.request.GET, querystring=params.urlencode())
        return context


class PersonExportView(PersonListView):
    def get(self, request, *args, **kwargs):
        return exports.people_workbook(self.get_queryset())


def _person_context(request, person, **extra):
    residencies = list(Residency.objects.filter(person=person).select_related("house").order_by("end_date", "pk"))
    context = {
        "purposes": PURPOSES,
        "person": person,
        "residencies": residencies,
        "may_reveal": reveal_basis(request.user, person) is not None,
        "can_edit": request.user.has_role(person.community, *roles.EDITORS),
        "link_form": LinkHouseForm(community=person.community),
    }
    context.update(extra)
    return context


def _person_form_context(person, form):
    return {
        "form": form,
        "title": f"编辑住户 {person.name}",
        "back": reverse("residents:person_detail", args=[person.pk]),
    }


def _resident_form_context(house, form):
    return {
        "form": form,
        "title": f"为 {house.number} 添加住户",
        "back": reverse("residents:house_detail", args=[house.pk]),
    }


def _end_form_context(residency, form):
    title = f"{residency.person.name} 从 {residency.house.number} 迁出（{residency.get_relation_display()}）"
    return {"form": form, "title": title, "back": reverse("residents:house_detail", args=[residency.house_id])}


class PersonDetailView(ArchiveMixin, View):
    def get(self, request, pk):
        person = scoped_person(request, pk)
        return render(request, "residents/person_detail.html", _person_context(request, person))


class PersonEditView(ArchiveMixin, View):
    allowed_roles = roles.EDITORS

    def get(self, request, pk):
        person = scoped_person(request, pk)
        form = PersonForm(instance=person, community=person.community)
        return render(request, "residents/form.html", _person_form_context(person, form))

    def post(self, request, pk):
        person = scoped_person(request, pk)
        form = PersonForm(request.POST, instance=person, community=person.community)
        if not form.is_valid():
            return render(request, "residents/form.html", _person_form_context(person, form), status=400)
        services.update_person(person, actor=request.user, **form.person_fields())
        messages.success(request, f"{person.name} 的档案已保存。")
        return redirect("residents:person_detail", pk=person.pk)


class ResidentAddView(ArchiveMixin, View):
    """Add a person (owner, tenant, family member, helper) to a house."""

    allowed_roles = roles.EDITORS

    def get(self, request, pk):
        house = scoped_house(request, pk)
        form = ResidentForm(community=house.community)
        return render(request, "residents/form.html", _resident_form_context(house, form))

    def post(self, request, pk):
        house = scoped_house(request, pk)
        form = ResidentForm(request.POST, community=house.community)
        if form.is_valid():
            try:
                person = services.add_resident(
                    house=house,
                    relation=form.cleaned_data["relation"],
                    start_date=form.cleaned_data["start_date"],
                    actor=request.user,
                    **form.person_fields(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"已添加{person.name}（{Relation(form.cleaned_data['relation']).label}）。")
                return redirect("residents:house_detail", pk=house.pk)
        return render(request, "residents/form.html", _resident_form_context(house, form), status=400)


class LinkHouseView(ArchiveMixin, View):
    """The same person in another house (an owner of two flats): one person, two links."""

    allowed_roles = roles.EDITORS

    def post(self, request, pk):
        person = scoped_person(request, pk)
        form = LinkHouseForm(request.POST, community=person.community)
        if form.is_valid():
            try:
                services.add_residency(
                    house=form.cleaned_data["house"],
                    person=person,
                    relation=form.cleaned_data["relation"],
                    start_date=form.cleaned_data["start_date"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"已将 {person.name} 关联到 {form.cleaned_data['house']}。")
                return redirect("residents:person_detail", pk=person.pk)
        context = _person_context(request, person, link_form=form)
        return render(request, "residents/person_detail.html", context, status=400)


class EndResidencyView(ArchiveMixin, View):
    """Moving out ends the link; nothing is deleted."""

    allowed_roles = roles.EDITORS

    def get(self, request, pk):
        residency = get_object_or_404(Residency.objects.for_user(request.user).select_related("house", "person"), pk=pk)
        return render(request, "residents/form.html", _end_form_context(residency, EndResidencyForm()))

    def post(self, request, pk):
        residency = get_object_or_404(Residency.objects.for_user(request.user).select_related("house", "person"), pk=pk)
        form = EndResidencyForm(request.POST)
        if not form.is_valid():
            return render(request, "residents/form.html", _end_form_context(residency, form), status=400)
        services.end_residency(residency, actor=request.user, end_date=form.cleaned_data["end_date"])
        messages.success(request, f"{residency.person.name} 已从 {residency.house} 迁出，档案保留。")
        return redirect("residents:house_detail", pk=residency.house_id)


class PersonHistoryView(ArchiveMixin, View):
    def get(self, request, pk):
        person = scoped_person(request, pk)
        return render(
            request,
            "residents/history.html",
            {"subject": person, "rows": history_rows(person), "back": reverse("residents:person_detail", args=[pk])},
        )
