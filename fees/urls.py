from django.urls import path

from fees.views import billing

app_name = "fees"

urlpatterns = [
    path("statements/", billing.StatementListView.as_view(), name="statements"),
    path("statements/<int:pk>/", billing.StatementDetailView.as_view(), name="statement"),
    path("houses/<int:pk>/pay/", billing.PaymentView.as_view(), name="pay"),
    path("receipts/<int:pk>/", billing.ReceiptView.as_view(), name="receipt"),
    path("houses/<int:pk>/settlement/", billing.SettlementView.as_view(), name="settlement"),
]
