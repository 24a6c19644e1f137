from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core.forms import LoginForm

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("residents/", include("residents.urls")),
    path("visits/", include("visits.urls")),
    path("complaints/", include("complaints.urls")),
    path("repairs/", include("repairs.urls")),
    path("fees/", include("fees.urls")),
    path("", include("core.urls")),
]
