"""The DPO console, under /c/<cell-slug>/audit/."""

from django.urls import path

from livc.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.home, name="home"),
    path("log/", views.log, name="log"),
    path("log.csv", views.log_csv, name="log_csv"),
    path("log.pdf", views.log_pdf, name="log_pdf"),
    path("users/<int:user_id>/", views.user_accesses, name="user_accesses"),
    path("objects/", views.object_accesses, name="object_accesses"),
    path("people/", views.people, name="people"),
    path("people.pdf", views.people_pdf, name="people_pdf"),
    path("unusual/", views.unusual, name="unusual"),
    path("unusual/thresholds/", views.thresholds, name="thresholds"),
    path("breaches/", views.breaches, name="breaches"),
    path("breaches/new/", views.breach_new, name="breach_new"),
    path("breaches/<uuid:pk>/", views.breach_detail, name="breach"),
    path("breaches/<uuid:pk>/edit/", views.breach_edit, name="breach_edit"),
]
