"""Case and referral pages, mounted under /c/<cell_slug>/ by livc/urls.py."""

from django.urls import path, re_path

from cases.views import cases, informing, items, referrals, search, subject, table, uses
from cases.views import round as known_round

app_name = "cases"

urlpatterns = [
    path("cases/", cases.case_list, name="list"),
    path("cases/search/", search.case_search, name="search"),
    path("cases/<uuid:pk>/", cases.case_detail, name="detail"),
    path("cases/<uuid:pk>/status/", cases.case_status, name="status"),
    path("cases/<uuid:pk>/close/", cases.case_close, name="close"),
    path("cases/<uuid:pk>/review/", cases.case_review, name="review"),
    path("cases/<uuid:pk>/table/", table.table, name="table"),
    path("cases/<uuid:pk>/table/<int:seat_pk>/remove/", table.unseat, name="unseat"),
    path("cases/<uuid:pk>/invite/", table.invite, name="invite"),
    path("cases/<uuid:pk>/items/new/", items.item_new, name="item_new"),
    path("cases/<uuid:pk>/items/<uuid:item_pk>/withdraw/", items.item_withdraw, name="item_withdraw"),
    path("cases/<uuid:pk>/uses/<uuid:use_pk>/answer/", uses.item_use_answer, name="item_use_answer"),
    path("cases/<uuid:pk>/uses/<uuid:use_pk>/shared/", uses.item_use_shared, name="item_use_shared"),
    path("item-uses/", uses.my_item_uses, name="my_item_uses"),
    path("cases/<uuid:pk>/identity/", subject.identity_edit, name="identity"),
    path("cases/<uuid:pk>/identity/request/", subject.identity_request, name="identity_request"),
    path("cases/<uuid:pk>/relations/new/", subject.relation_new, name="relation_new"),
    path(
        "cases/<uuid:pk>/relations/<uuid:relation_pk>/remove/",
        subject.relation_delete,
        name="relation_delete",
    ),
    path("cases/<uuid:pk>/informing/", informing.informing, name="informing"),
    path("cases/<uuid:pk>/known-to-service/", known_round.known_to_service, name="known_to_service"),
    path("identity-requests/", subject.identity_request_list, name="identity_requests"),
    re_path(
        r"^identity-requests/(?P<request_pk>[0-9a-f-]{36})/(?P<decision>approve|reject)/$",
        subject.identity_request_decide,
        name="identity_request_decide",
    ),
    path("referrals/", referrals.referral_list, name="referrals"),
    path("referrals/new/", referrals.referral_new, name="referral_new"),
    path("referrals/<uuid:pk>/", referrals.referral_detail, name="referral_detail"),
    path("referrals/<uuid:pk>/qualify/", referrals.referral_qualify, name="referral_qualify"),
    path("referrals/<uuid:pk>/identity/", referrals.referral_identity, name="referral_identity"),
]
