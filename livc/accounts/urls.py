from django.urls import path

from livc.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("verify/", views.verify, name="verify"),
    path("setup/", views.setup, name="setup"),
    path("session/", views.session_status, name="session_status"),
    path("session/renew/", views.session_renew, name="session_renew"),
    path("security/", views.security, name="security"),
    path("security/confirm/", views.confirm_password, name="confirm_password"),
    path("language/", views.language, name="language"),
    path("password/<uidb64>/<token>/", views.password_set, name="password_set"),
]
