"""Retention pages, under /c/<cell-slug>/retention/."""

from django.urls import path

from retention import views

app_name = "retention"

urlpatterns = [
    path("retention/", views.upcoming, name="upcoming"),
    path("retention/settings/", views.retention_settings, name="settings"),
]
