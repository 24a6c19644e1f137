"""Pets, vehicles, documents and long absences of a household."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import ListView

from residents import roles, selectors, services
from residents.forms import AbsenceForm, DocumentForm, PetForm, VehicleForm
from residents.models import Absence, Document, Pet, Vehicle
from residents.views.base import ArchiveMixin, scoped_house


class _HouseFormView(ArchiveMixin, View):
    """GET shows the form for a house; POST validates and calls `save`."""

    allowed_roles = roles.EDITORS
    form_class = None
    title = ""

    def form(self, house, data=None, files=None):
        return self.form_class(data, files) if data is not None else self.form_class()

    def render_form(self, request, house, form, status=200):
        context = {
            "form": form,
            "title": f"{house.number} · {self.title}",
            "back": reverse("residents:house_detail", args=[house.pk]),
        }
        return render(request, "residents/form.html", context, status=status)

    def get(self, request, pk):
        house = scoped_house(request, pk)
        return self.render_form(request, house, self.form(house))

    def post(self, request, pk):
        house = scoped_house(request, pk)
        form = self.form(house, request.POST, request.FILES)
        if form.is_valid():
            try:
                message = self.save(request, house, form.cleaned_data)
            except ValidationError as error:
                form.add_error("file" if "file" in form.fields else None, error)
            else:
                messages.success(request, message)
                return redirect("residents:house_detail", pk=house.pk)
        return self.render_form(request, house, form, status=400)


class PetAddView(_HouseFormView):
    form_class = PetForm
    title = "登记宠物"

    def save(self, request, house, data):
        pet = services.add_pet(house=house, actor=request.user, **data)
        return f"已登记宠物：{pet}。"


class VehicleAddView(_HouseFormView):
    form_class = VehicleForm
    title = "登记车辆"

    def save(self, request, house, data):
        vehicle = services.add_vehicle(house=house, actor=request.user, **data)
        return f"已登记车辆 {vehicle.plate}。"


class DocumentUploadView(_HouseFormView):
    form_class = DocumentForm
    title = "上传档案资料"

    def form(self, house, data=None, files=None):
        return DocumentForm(data, files, house=house) if data is not None else DocumentForm(house=house)

    def get(self, request, pk):
        house = scoped_house(request, pk)
        form = self.form(house)
        supersedes = request.GET.get("supersedes")
        if supersedes and supersedes.isdigit():
            old = Document.objects.filter(house=house, pk=supersedes).first()
            if old is not None:
                form.initial.update(doc_type=old.doc_type, person=old.person_id)
        return self.render_form(request, house, form)

    def save(self, request, house, data):
        supersedes = None
        raw = request.POST.get("supersedes") or request.GET.get("supersedes")
        if raw and raw.isdigit():
            supersedes = get_object_or_404(Document.objects.filter(house=house), pk=raw)
        document = services.upload_document(
            house=house,
            upload=data["file"],
            doc_type=data["doc_type"],
            doc_date=data["doc_date"],
            note=data["note"],
            person=data["person"],
            supersedes=supersedes,
            actor=request.user,
        )
        return f"已上传：{document}。"


class DocumentDownloadView(ArchiveMixin, View):
    """Documents are served only here, after the scope check — never from /media/."""

    def get(self, request, pk):
        document = get_object_or_404(Document.objects.for_user(request.user), pk=pk)
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404("文件不存在") from None
        extension = document.file.name.rsplit(".", 1)[-1]
        response = FileResponse(handle, content_type=document.content_type)
        response["Content-Disposition"] = f'inline; filename="document-{document.pk}.{extension}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class EndItemView(ArchiveMixin, View):
    """A pet or vehicle leaves the household (kept in the archive, marked ended)."""

    allowed_roles = roles.EDITORS
    model = None

    def post(self, request, pk):
        item = get_object_or_404(self.model.objects.for_user(request.user), pk=pk)
        services.end_household_item(item, actor=request.user)
        messages.success(request, f"已注销：{item}。")
        return redirect("residents:house_detail", pk=item.house_id)


class PetEndView(EndItemView):
    model = Pet


class VehicleEndView(EndItemView):
    model = Vehicle


class AbsenceAddView(_HouseFormView):
    allowed_roles = roles.ABSENCE_RECORDERS
    form_class = AbsenceForm
    title = "外出报备"

    def save(self, request, house, data):
        absence = services.record_absence(house=house, actor=request.user, **data)
        return f"已登记外出报备，{absence.to_date:%Y-%m-%d} 前纳入巡逻重点关注。"


class AbsenceEndView(ArchiveMixin, View):
    allowed_roles = roles.ABSENCE_RECORDERS

    def post(self, request, pk):
        absence = get_object_or_404(Absence.objects.for_user(request.user), pk=pk)
        services.end_absence(absence, actor=request.user)
        messages.success(request, f"{absence.house} 的外出报备已结束。")
        return redirect("residents:house_detail", pk=absence.house_id)


class AbsenceListView(ArchiveMixin, ListView):
    """The guards' printable patrol-attention list of absent households."""

    allowed_roles = roles.ABSENCE_RECORDERS
    template_name = "residents/absence_list.html"
    context_object_name = "absences"

    def get_queryset(self):
        from django.utils import timezone

        today = timezone.localdate()
        return (
            Absence.objects.filter(
                community=self.request.community, cleared_at__isnull=True, from_date__lte=today, to_date__gte=today
            )
            .select_related("house__building", "reported_by")
            .order_by("house__building__number", "house__number")
        )


class SearchView(ArchiveMixin, View):
    def get(self, request):
        result = selectors.search(request.community, request.GET.get("q", ""))
        return render(request, "residents/search.html", result)
