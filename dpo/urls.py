"""The DPO console, under /c/<cell-slug>/audit/, and the DPO's retention pages under
/c/<cell-slug>/retention/; and any member's report of a suspected breach, /c/<cell-slug>/breach-report/."""

from django.urls import path

from dpo.views import console as views
from dpo.views import report, retention

app_name = "audit"

urlpatterns = [
    path("audit/", views.home, name="home"),
    path("audit/chain/extend/", views.chain_extend, name="chain_extend"),
    path("audit/chain/full/", views.chain_verify_full, name="chain_verify_full"),
    path("audit/log/", views.log, name="log"),
    path("audit/log.csv", views.log_csv, name="log_csv"),
    path("audit/log.pdf", views.log_pdf, name="log_pdf"),
    path("audit/users/<int:user_id>/", views.user_accesses, name="user_accesses"),
    path("audit/objects/", views.object_accesses, name="object_accesses"),
    path("audit/documents/", views.minutes_copy, name="minutes_copy"),
    path("audit/people/", views.people, name="people"),
    path("audit/people.pdf", views.people_pdf, name="people_pdf"),
    path("audit/unusual/", views.unusual, name="unusual"),
    path("audit/unusual/thresholds/", views.thresholds, name="thresholds"),
    path("audit/breaches/", views.breaches, name="breaches"),
    path("audit/breaches/new/", views.breach_new, name="breach_new"),
    path("audit/breaches/<uuid:pk>/", views.breach_detail, name="breach"),
    path("audit/breaches/<uuid:pk>/edit/", views.breach_edit, name="breach_edit"),
    # For every member of the cell, whatever the role (the register above is the DPO's alone).
    path("breach-report/", report.breach_report, name="breach_report"),
    path("breach-report/<uuid:pk>/", report.breach_report_done, name="breach_report_done"),
    path("retention/purges/", retention.records, name="retention_records"),
    path("retention/report/", retention.report, name="retention_report"),
]
