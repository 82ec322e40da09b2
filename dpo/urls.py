"""The DPO console, under /c/<cell-slug>/audit/, and the DPO's retention pages under
/c/<cell-slug>/retention/; and any member's report of a suspected breach, /c/<cell-slug>/breach-report/."""

from django.urls import path

from dpo.views import access_requests, report, retention, uses
from dpo.views import console as views

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
    path("audit/uses/", uses.item_uses, name="item_uses"),
    path("audit/people/", views.people, name="people"),
    path("audit/people.pdf", views.people_pdf, name="people_pdf"),
    path("audit/unusual/", views.unusual, name="unusual"),
    path("audit/unusual/thresholds/", views.thresholds, name="thresholds"),
    path("audit/breaches/", views.breaches, name="breaches"),
    path("audit/breaches/new/", views.breach_new, name="breach_new"),
    path("audit/breaches/<uuid:pk>/", views.breach_detail, name="breach"),
    path("audit/breaches/<uuid:pk>/edit/", views.breach_edit, name="breach_edit"),
    # Subject-access requests: the DPO's register and files.
    path("audit/access-requests/", access_requests.register, name="access_requests"),
    path("audit/access-requests/new/", access_requests.request_new, name="access_request_new"),
    path("audit/access-requests/<uuid:pk>/", access_requests.request_detail, name="access_request"),
    path(
        "audit/access-requests/<uuid:pk>/extend/",
        access_requests.request_extend,
        name="access_request_extend",
    ),
    path(
        "audit/access-requests/<uuid:pk>/answer/",
        access_requests.request_answer,
        name="access_request_answer",
    ),
    path("audit/access-requests/<uuid:pk>/letter.pdf", access_requests.letter, name="access_letter"),
    # For every member of the cell, whatever the role (the register above is the DPO's alone).
    path("breach-report/", report.breach_report, name="breach_report"),
    path("breach-report/<uuid:pk>/", report.breach_report_done, name="breach_report_done"),
    # The questions about a request for access, for the members asked (item owners, the officer).
    path("access-questions/", access_requests.questions, name="access_questions"),
    path("access-questions/<uuid:pk>/", access_requests.question_answer, name="access_question_answer"),
    path("retention/purges/", retention.records, name="retention_records"),
    path("retention/report/", retention.report, name="retention_report"),
]
