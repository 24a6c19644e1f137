from django.urls import path

from repairs.views import reports, work

app_name = "repairs"

urlpatterns = [
    path("", work.OrderListView.as_view(), name="list"),
    path("new/", work.IntakeView.as_view(), name="intake"),
    path("houses/", work.HouseSuggestView.as_view(), name="houses"),
    path("mine/", work.MineView.as_view(), name="mine"),
    path("review/", work.ReviewView.as_view(), name="review"),
    path("<int:pk>/", work.OrderDetailView.as_view(), name="detail"),
    path("<int:pk>/print/", work.PrintView.as_view(), name="print"),
    path("<int:pk>/contact/", work.ContactView.as_view(), name="contact"),
    path("<int:pk>/signature/", work.SignatureView.as_view(), name="signature"),
    path("photos/<int:pk>/", work.PhotoView.as_view(), name="photo"),
    *[path(f"<int:pk>/{name}/", work.OrderActionView.as_view(action=name), name=name) for name in work.ACTIONS],
    path("statistics/", reports.StatisticsView.as_view(), name="statistics"),
    path("statistics/export/", reports.ExportView.as_view(), name="export"),
    path("records/", reports.RecordsView.as_view(), name="records"),
    path("charges/", reports.ChargesView.as_view(), name="charges"),
    path("settings/", reports.SettingsView.as_view(), name="settings"),
    path("prices/", reports.PriceListsView.as_view(), name="prices"),
    path("prices/<int:pk>/", reports.PriceListView.as_view(), name="price_list"),
]
