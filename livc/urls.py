from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django_otp.admin import OTPAdminSite

from livc import health
from livc.accounts.decorators import second_factor_not_required

# The admin, for platform administrators only, requires a verified second factor too.
admin.site.__class__ = OTPAdminSite
# Its own login form (password and code in one, with its own throttling) is not offered:
# everyone logs in through accounts:login, with its lockouts and per-session code throttle.
admin_login = login_not_required(
    second_factor_not_required(RedirectView.as_view(pattern_name="accounts:login", query_string=True))
)

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="cells:pick"), name="root"),
    path("accounts/", include("livc.accounts.urls")),
    path("c/", include("livc.cells.urls")),
    path("c/<slug:cell_slug>/", include("participants.urls")),
    path("c/<slug:cell_slug>/", include("cases.urls")),
    path("c/<slug:cell_slug>/", include("meetings.urls")),
    path("c/<slug:cell_slug>/", include("retention.urls")),
    path("c/<slug:cell_slug>/", include("dpo.urls")),
    path("c/<slug:cell_slug>/", include("livc.notifications.urls")),
    path("c/<slug:cell_slug>/", include("livc.statistics.urls")),
    path("invitation/", include("participants.invitee_urls")),
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("health/live/", health.live, name="health_live"),
    path("health/ready/", health.ready, name="health_ready"),
]
