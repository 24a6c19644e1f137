from django.urls import path

from visits.views import records, work

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
]
