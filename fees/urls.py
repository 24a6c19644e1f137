from django.urls import path

from fees.views import billing, collection, convenience, letters, reports

app_name = "fees"

urlpatterns = [
    path("statements/", billing.StatementListView.as_view(), name="statements"),
    path("statements/<int:pk>/", billing.StatementDetailView.as_view(), name="statement"),
    path("houses/<int:pk>/pay/", billing.PaymentView.as_view(), name="pay"),
    path("receipts/<int:pk>/", billing.ReceiptView.as_view(), name="receipt"),
    path("houses/<int:pk>/settlement/", billing.SettlementView.as_view(), name="settlement"),
    path("rates/", billing.RateView.as_view(), name="rates"),
    path("lines/<int:pk>/adjust/", billing.AdjustmentRequestView.as_view(), name="adjust"),
    path("adjustments/", billing.AdjustmentListView.as_view(), name="adjustments"),
    path("adjustments/<int:pk>/decide/", billing.AdjustmentDecisionView.as_view(), name="adjustment_decide"),
    path("letters/", letters.LetterListView.as_view(), name="letters"),
    path("letters/<int:pk>/", letters.LetterView.as_view(), name="letter"),
    path("houses/<int:pk>/arrears/", letters.LetterRequestView.as_view(), name="letter_request"),
    path("houses/<int:pk>/notice/", letters.NoticeView.as_view(), name="notice"),
    path("reports/collection/", reports.CollectionReportView.as_view(), name="report_collection"),
    path("reports/ageing/", reports.AgeingReportView.as_view(), name="report_ageing"),
    path("reports/reasons/", reports.ReasonReportView.as_view(), name="report_reasons"),
    path("reports/payments/", reports.PaymentReportView.as_view(), name="report_payments"),
    path("reports/arrears/", reports.ArrearsListView.as_view(), name="report_arrears"),
    path("reports/arrears/export/", reports.ArrearsExportView.as_view(), name="report_arrears_export"),
    path("reports/payments/list/", reports.PaymentListView.as_view(), name="report_payment_list"),
    path("reports/payments/export/", reports.PaymentExportView.as_view(), name="report_payment_export"),
    path("collection/", collection.TaskListView.as_view(), name="tasks"),
    path("collection/rounds/", collection.RoundListView.as_view(), name="rounds"),
    path("collection/rounds/<int:pk>/", collection.RoundProgressView.as_view(), name="round"),
    path("houses/<int:pk>/calls/", collection.CallView.as_view(), name="call"),
    path("handover/", collection.HandoverView.as_view(), name="handover"),
    path("convenience/", convenience.PriceTableView.as_view(), name="convenience"),
    path("convenience/<int:pk>/services/", convenience.ServiceAddView.as_view(), name="convenience_add"),
    path("convenience/services/<int:pk>/", convenience.ServiceEditView.as_view(), name="convenience_service"),
    path("convenience/<int:pk>/submit/", convenience.SubmitView.as_view(), name="convenience_submit"),
    path("convenience/<int:pk>/decide/", convenience.DecideView.as_view(), name="convenience_decide"),
    path("convenience/<int:pk>/print/", convenience.PriceTablePrintView.as_view(), name="convenience_print"),
    path("convenience/subscriptions/", convenience.SubscriptionListView.as_view(), name="convenience_subscriptions"),
    path("convenience/subscriptions/new/", convenience.SubscribeView.as_view(), name="convenience_subscribe"),
    path("convenience/subscriptions/<int:pk>/stop/", convenience.StopView.as_view(), name="convenience_stop"),
    path("convenience/subscriptions/<int:pk>/use/", convenience.UseView.as_view(), name="convenience_use"),
    path(
        "convenience/subscribers/print/",
        convenience.SubscribersPrintView.as_view(),
        name="convenience_subscribers_print",
    ),
]
