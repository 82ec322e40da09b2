"""Cell pages, mounted under /c/<cell_slug>/ by livc/urls.py."""

from django.urls import path, re_path

from participants import views

app_name = "participants"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<int:pk>/", views.organisation_edit, name="organisation_edit"),
    path("participants/", views.participant_list, name="participants"),
    path("participants/<int:pk>/", views.participant_edit, name="participant_edit"),
    path("participants/<int:pk>/revoke/", views.participant_revoke, name="participant_revoke"),
    path("invitations/", views.invitation_list, name="invitations"),
    path("invitations/new/", views.invitation_new, name="invitation_new"),
    path("invitations/<int:pk>/", views.invitation_detail, name="invitation_detail"),
    path("invitations/<int:pk>/edit/", views.invitation_edit, name="invitation_edit"),
    re_path(
        r"^invitations/(?P<pk>\d+)/(?P<action>propose|withdraw|resend|approve)/$",
        views.invitation_action,
        name="invitation_action",
    ),
    path("approvals/", views.approval_list, name="approvals"),
    path("approvals/<int:pk>/reject/", views.invitation_reject, name="invitation_reject"),
    path("rules/", views.rules_list, name="rules"),
    path("rules/draft/", views.rules_edit, name="rules_edit"),
    path("rules/<int:pk>/", views.rules_detail, name="rules_detail"),
    path("rules/<int:pk>/approve/", views.rules_approve, name="rules_approve"),
    path("acknowledge/", views.acknowledge, name="acknowledge"),
]
