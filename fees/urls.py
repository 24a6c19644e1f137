from django.urls import path

from fees import views

app_name = "fees"

urlpatterns = [
    path("statements/", views.StatementListView.as_view(), name="statements"),
    path("statements/<int:pk>/", views.StatementDetailView.as_view(), name="statement"),
    path("houses/<int:pk>/pay/", views.PaymentView.as_view(), name="pay"),
    path("receipts/<int:pk>/", views.ReceiptView.as_view(), name="receipt"),
    path("houses/<int:pk>/settlement/", views.SettlementView.as_view(), name="settlement"),
]
