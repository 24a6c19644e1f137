"""Supervisor/manager pages: butler zones and the Excel import."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from core.choices import Role
from core.models import User
from residents import importing, roles, services
from residents.choices import ImportStatus
from residents.exports import XLSX
from residents.forms import ImportForm
from residents.models import Building, House, ImportJob, ZoneAssignment
from residents.views.base import ArchiveMixin


def _int_or_404(value):
    if not str(value).isdigit():
        raise Http404("参数无效")
    return int(value)


def _butlers(community):
    return User.objects.filter(
        memberships__community=community, memberships__role=Role.BUTLER, memberships__is_active=True
    ).order_by("name", "username")


class ZoneView(ArchiveMixin, View):
    """Which butler looks after which building (or single house); reassigning keeps history."""

    allowed_roles = roles.ADMINS

    def get(self, request):
        community = request.community
        open_rows = ZoneAssignment.objects.filter(community=community, ended_at__isnull=True).select_related(
            "butler", "house"
        )
        by_building = {row.building_id: row.butler for row in open_rows if row.building_id}
        singles = [row for row in open_rows if row.house_id]
        buildings = list(Building.objects.filter(community=community).order_by("number"))
        for building in buildings:
            building.zone_butler = by_building.get(building.pk)
        history = ZoneAssignment.objects.filter(community=community).select_related(
            "butler", "building", "house", "assigned_by"
        )[:30]
        context = {"buildings": buildings, "butlers": _butlers(community), "singles": singles, "history": history}
        return render(request, "residents/zones.html", context)

    def post(self, request):
        community = request.community
        butler_id = request.POST.get("butler", "")
        butler = get_object_or_404(_butlers(community), pk=_int_or_404(butler_id)) if butler_id else None
        if request.POST.get("building"):
            building = get_object_or_404(
                Building.objects.filter(community=community), pk=_int_or_404(request.POST["building"])
            )
            if butler is None:
                services.clear_zone(building=building, actor=request.user)
                messages.success(request, f"{building} 已取消分配。")
            else:
                count = services.assign_zone(
                    community=community, butler=butler, buildings=[building], actor=request.user
                )
                messages.success(request, f"{building} 已分配给 {butler}（{count} 户变更）。")
        elif request.POST.get("house_number") and butler is not None:
            house = House.objects.filter(community=community, number=request.POST["house_number"].strip()).first()
            if house is None:
                messages.error(request, f"本小区没有房号 {request.POST['house_number']}。")
            else:
                services.assign_zone(community=community, butler=butler, houses=[house], actor=request.user)
                messages.success(request, f"{house} 已单独分配给 {butler}。")
        else:
            messages.error(request, "请选择楼栋或填写房号，并选择管家。")
        return redirect("residents:zones")


class ImportTemplateView(ArchiveMixin, View):
    allowed_roles = roles.ADMINS

    def get(self, request):
        response = HttpResponse(importing.template_workbook(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="import-template.xlsx"'
        return response


class ImportStartView(ArchiveMixin, View):
    allowed_roles = roles.ADMINS

    def get(self, request):
        jobs = ImportJob.objects.filter(community=request.community).select_related("created_by")[:10]
        return render(request, "residents/import.html", {"form": ImportForm(), "jobs": jobs})

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            jobs = ImportJob.objects.filter(community=request.community)[:10]
            return render(request, "residents/import.html", {"form": form, "jobs": jobs}, status=400)
        upload = form.cleaned_data["file"]
        with transaction.atomic():
            job = ImportJob(community=request.community, created_by=request.user, original_name=upload.name[:200])
            job.file.save("import.xlsx", upload, save=False)
            job.save()
            from residents.tasks import run_import

            transaction.on_commit(lambda: run_import.delay(job.pk))
        return redirect("residents:import_status", pk=job.pk)


class ImportStatusView(ArchiveMixin, View):
    allowed_roles = roles.ADMINS

    def get(self, request, pk):
        job = get_object_or_404(ImportJob.objects.for_user(request.user), pk=pk)
        template = (
            "residents/_import_progress.html" if request.headers.get("HX-Request") else "residents/import_status.html"
        )
        finished = job.status in (ImportStatus.DONE, ImportStatus.FAILED)
        return render(request, template, {"job": job, "finished": finished})
