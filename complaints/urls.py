from django.urls import path

from complaints.views import book, reception, reports, work

app_name = "complaints"

urlpatterns = [
    path("", work.ComplaintListView.as_view(), name="list"),
    path("new/", work.IntakeView.as_view(), name="intake"),
    path("houses/", work.HouseSuggestView.as_view(), name="houses"),
    path("review/", work.ReviewView.as_view(), name="review"),
    path("<int:pk>/", work.ComplaintDetailView.as_view(), name="detail"),
    path("<int:pk>/print/", work.PrintView.as_view(), name="print"),
    path("<int:pk>/contact/", work.ContactView.as_view(), name="contact"),
    path("photos/<int:pk>/", work.PhotoView.as_view(), name="photo"),
    *[path(f"<int:pk>/{name}/", work.ComplaintActionView.as_view(action=name), name=name) for name in work.ACTIONS],
    path("statistics/", reports.StatisticsView.as_view(), name="statistics"),
    path("statistics/export/", reports.ExportView.as_view(), name="export"),
    path("recurring/", reports.RecurringView.as_view(), name="recurring"),
    path("measures/", reports.MeasuresView.as_view(), name="measures"),
    path("settings/", reports.SettingsView.as_view(), name="settings"),
    path("book/", book.BookView.as_view(), name="book"),
    path("book/search/", book.BookSearchView.as_view(), name="book_search"),
    path("book/new/", book.EntryFormView.as_view(), name="book_new"),
    path("book/<int:pk>/revise/", book.EntryFormView.as_view(), name="book_revise"),
    path("book/<int:pk>/decide/", book.EntryDecideView.as_view(), name="book_decide"),
    path("book/<int:pk>/history/", book.EntryHistoryView.as_view(), name="book_history"),
    path("reception/", reception.ReceptionListView.as_view(), name="reception_list"),
    path("reception/new/", reception.ReceptionCreateView.as_view(), name="reception_create"),
    path("reception/<int:pk>/", reception.ReceptionDetailView.as_view(), name="reception_detail"),
    path("reception/<int:pk>/print/", reception.ReceptionPrintView.as_view(), name="reception_print"),
]
