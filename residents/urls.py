from django.urls import path

from residents.views import admin_pages, household, houses, people, privacy

app_name = "residents"

urlpatterns = [
    path("houses/", houses.HouseListView.as_view(), name="house_list"),
    path("houses/export/", houses.HouseExportView.as_view(), name="house_export"),
    path("houses/<int:pk>/", houses.HouseDetailView.as_view(), name="house_detail"),
    path("houses/<int:pk>/edit/", houses.HouseEditView.as_view(), name="house_edit"),
    path("houses/<int:pk>/history/", houses.HouseHistoryView.as_view(), name="house_history"),
    path("houses/<int:pk>/residents/add/", people.ResidentAddView.as_view(), name="resident_add"),
    path("houses/<int:pk>/pets/add/", household.PetAddView.as_view(), name="pet_add"),
    path("houses/<int:pk>/vehicles/add/", household.VehicleAddView.as_view(), name="vehicle_add"),
    path("houses/<int:pk>/documents/add/", household.DocumentUploadView.as_view(), name="document_upload"),
    path("houses/<int:pk>/absences/add/", household.AbsenceAddView.as_view(), name="absence_add"),
    path("buildings/", houses.BuildingListView.as_view(), name="building_list"),
    path("buildings/add/", houses.BuildingCreateView.as_view(), name="building_create"),
    path("people/", people.PersonListView.as_view(), name="person_list"),
    path("people/export/", people.PersonExportView.as_view(), name="person_export"),
    path("people/<int:pk>/", people.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", people.PersonEditView.as_view(), name="person_edit"),
    path("people/<int:pk>/history/", people.PersonHistoryView.as_view(), name="person_history"),
    path("people/<int:pk>/link-house/", people.LinkHouseView.as_view(), name="person_link_house"),
    path("people/<int:pk>/reveal/", privacy.RevealView.as_view(), name="person_reveal"),
    path("people/<int:pk>/access-request/", privacy.AccessRequestCreateView.as_view(), name="access_request_create"),
    path("residencies/<int:pk>/end/", people.EndResidencyView.as_view(), name="residency_end"),
    path("pets/<int:pk>/end/", household.PetEndView.as_view(), name="pet_end"),
    path("vehicles/<int:pk>/end/", household.VehicleEndView.as_view(), name="vehicle_end"),
    path("documents/<int:pk>/", household.DocumentDownloadView.as_view(), name="document_download"),
    path("absences/", household.AbsenceListView.as_view(), name="absence_list"),
    path("absences/<int:pk>/end/", household.AbsenceEndView.as_view(), name="absence_end"),
    path("access-requests/", privacy.AccessRequestListView.as_view(), name="access_request_list"),
    path("access-requests/<int:pk>/decide/", privacy.AccessRequestDecideView.as_view(), name="access_request_decide"),
    path("reveal-log/", privacy.RevealLogView.as_view(), name="reveal_log"),
    path("zones/", admin_pages.ZoneView.as_view(), name="zones"),
    path("import/", admin_pages.ImportStartView.as_view(), name="import_start"),
    path("import/template/", admin_pages.ImportTemplateView.as_view(), name="import_template"),
    path("import/<int:pk>/", admin_pages.ImportStatusView.as_view(), name="import_status"),
    path("search/", household.SearchView.as_view(), name="search"),
]
