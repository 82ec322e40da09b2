"""Meeting pages, mounted under /c/<cell_slug>/ by livc/urls.py."""

from django.urls import path, re_path

from meetings.views import calendar, meetings, minutes_pdf, proposals, running, stand_ins

app_name = "meetings"

AGENDA = r"^meetings/(?P<pk>\d+)/agenda/(?P<change>case|topic|review|up|down|remove)/$"
STEPS = "agree|object|withdraw_objection|approve|pass_on"
DECISION = rf"^meetings/(?P<pk>\d+)/decisions/(?P<decision_pk>[0-9a-f-]{{36}})/(?P<step>{STEPS})/$"

urlpatterns = [
    path("meetings/", meetings.meeting_list, name="list"),
    path("meetings/new/", meetings.meeting_new, name="new"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="edit"),
    re_path(AGENDA, meetings.agenda_change, name="agenda"),
    path("meetings/<int:pk>/attendance/<int:participant_pk>/", meetings.attendance, name="attendance"),
    path("meetings/<int:pk>/acknowledge/", meetings.acknowledge, name="acknowledge"),
    path("meetings/<int:pk>/stand-ins/", stand_ins.stand_in_name, name="stand_in_name"),
    path(
        "meetings/<int:pk>/stand-ins/<int:stand_in_pk>/withdraw/",
        stand_ins.stand_in_withdraw,
        name="stand_in_withdraw",
    ),
    re_path(r"^meetings/(?P<pk>\d+)/(?P<step>start|end|finalise)/$", meetings.advance, name="advance"),
    path("meetings/<int:pk>/minutes/", meetings.minutes, name="minutes"),
    path("meetings/<int:pk>/minutes/<uuid:item_pk>/addendum/", meetings.addendum, name="addendum"),
    path(
        "meetings/<int:pk>/addenda/<uuid:addendum_pk>/approve/",
        meetings.addendum_approve,
        name="addendum_approve",
    ),
    path("meetings/<int:pk>/run/", running.run, name="run"),
    path("meetings/<int:pk>/items/<uuid:item_pk>/", running.item_panel, name="item"),
    path("meetings/<int:pk>/items/<uuid:item_pk>/minutes/", running.minutes_save, name="minutes_save"),
    path("meetings/<int:pk>/items/<uuid:item_pk>/decisions/", running.decision_new, name="decision_new"),
    path("meetings/<int:pk>/items/<uuid:item_pk>/actions/", running.action_new, name="action_new"),
    re_path(DECISION, running.decision_step, name="decision_step"),
    path("meetings/<int:pk>/pdf/", minutes_pdf.pdf_request, name="pdf_request"),
    path("meetings/<int:pk>/pdf/download/", minutes_pdf.pdf_download, name="pdf"),
    path("meetings/<int:pk>/publish/", calendar.publish, name="publish"),
    path("meetings/<int:pk>/cancel/", calendar.cancel, name="cancel"),
    path("meetings/<int:pk>/calendar.ics", calendar.calendar_download, name="calendar"),
    path("meetings/proposals/", proposals.proposal_list, name="proposals"),
    path("meetings/proposals/mine/", proposals.my_proposals, name="my_proposals"),
    path("meetings/proposals/topic/", proposals.propose_topic, name="propose_topic"),
    path("meetings/proposals/case/<uuid:pk>/", proposals.propose_case, name="propose_case"),
    path("meetings/proposals/<uuid:pk>/withdraw/", proposals.proposal_withdraw, name="proposal_withdraw"),
    path("meetings/proposals/<uuid:pk>/<str:step>/", proposals.proposal_decide, name="proposal_decide"),
    path("actions/", running.action_list, name="actions"),
    path("actions/<uuid:action_pk>/close/", running.action_close, name="action_close"),
]
