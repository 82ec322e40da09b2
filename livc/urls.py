from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django_otp.admin import OTPAdminSite

from livc.accounts.views import healthz

# The admin, for platform administrators only, requires a verified second factor too.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="cells:pick"), name="root"),
    path("accounts/", include("livc.accounts.urls")),
    path("c/", include("livc.cells.urls")),
    path("c/<slug:cell_slug>/", include("participants.urls")),
    path("c/<slug:cell_slug>/", include("cases.urls")),
    path("c/<slug:cell_slug>/", include("meetings.urls")),
    path("c/<slug:cell_slug>/", include("retention.urls")),
    path("c/<slug:cell_slug>/", include("dpo.urls")),
    path("invitation/", include("participants.invitee_urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
