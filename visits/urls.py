from django.urls import path

from visits.views import records, summaries, work

app_name = "visits"

urlpatterns = [
    path("today/", records.TodayView.as_view(), name="today"),
    path("log/", records.LogVisitView.as_view(), name="log"),
    path("drafts/", records.DraftSaveView.as_view(), name="draft_save"),
    path("records/", records.VisitListView.as_view(), name="visit_list"),
    path("records/export/", records.VisitExportView.as_view(), name="visit_export"),
    path("records/<int:pk>/", records.VisitDetailView.as_view(), name="visit_detail"),
    path("photos/<int:pk>/", records.PhotoView.as_view(), name="photo"),
    path("review/", work.ReviewQueueView.as_view(), name="review"),
    path("review/<int:pk>/", work.ReviewDecideView.as_view(), name="review_decide"),
    path("confirm/", work.ConfirmListView.as_view(), name="confirm_list"),
    path("confirm/<int:pk>/", work.ConfirmView.as_view(), name="confirm"),
    path("follow-ups/", work.FollowUpListView.as_view(), name="follow_up_list"),
    path("follow-ups/<int:pk>/close/", work.FollowUpCloseView.as_view(), name="follow_up_close"),
    path("return-visits/", work.ReturnVisitListView.as_view(), name="return_visit_list"),
    path("rainy-day/", work.RainyDayView.as_view(), name="rainy_day"),
    path("plans/", work.PlanListView.as_view(), name="plan_list"),
    path("plans/propose/", work.PlanProposeView.as_view(), name="plan_propose"),
    path("plans/<int:pk>/", work.PlanDetailView.as_view(), name="plan_detail"),
    path("policy/", work.PolicyView.as_view(), name="policy"),
    path("coverage/", summaries.CoverageDashboardView.as_view(), name="coverage"),
    path("summaries/", summaries.SummaryListView.as_view(), name="summary_list"),
    path("summaries/generate/", summaries.SummaryGenerateView.as_view(), name="summary_generate"),
    path("summaries/company/", summaries.CompanyOverviewView.as_view(), name="summary_company"),
    path("summaries/<int:pk>/", summaries.SummaryDetailView.as_view(), name="summary_detail"),
    path("summaries/<int:pk>/edit/", summaries.SummaryEditView.as_view(), name="summary_edit"),
    path("summaries/<int:pk>/recompute/", summaries.SummaryRecomputeView.as_view(), name="summary_recompute"),
    path("summaries/<int:pk>/decide/", summaries.SummaryDecideView.as_view(), name="summary_decide"),
    path(
        "summaries/<int:pk>/problems/<int:problem_pk>/",
        summaries.ProblemDecideView.as_view(),
        name="summary_problem_decide",
    ),
    path("summaries/<int:pk>/records/", summaries.SummaryRecordsView.as_view(), name="summary_records"),
    path("summaries/<int:pk>/print/", summaries.SummaryPrintView.as_view(), name="summary_print"),
    path("summaries/<int:pk>/export/", summaries.SummaryExportView.as_view(), name="summary_export"),
    path("letters/", summaries.LetterListView.as_view(), name="letter_list"),
    path("letters/new/", summaries.LetterCreateView.as_view(), name="letter_create"),
    path("letters/<int:pk>/", summaries.LetterDetailView.as_view(), name="letter_detail"),
]
