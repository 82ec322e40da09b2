"""What waits in the meetings app: actions, the next meeting, a meeting's secrecy acknowledgement,
and the information officer's answers.

Registered when imported (`MeetingsConfig.ready`); see `livc/cells/waiting.py`. Every count
derives from `cases/selectors.py::case_visible_list`, one query per source, and nothing about
cases is given before the secrecy of the table is acknowledged (docs/rules.md, rule 6).
"""

import datetime

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.selectors import case_visible_list
from livc.cells import waiting
from livc.cells.models import Role
from livc.cells.waiting import WaitingItem
from livc.http import CellRequest
from meetings.models import (
    Action,
    ActionStatus,
    AgendaProposal,
    Attendance,
    Decision,
    DecisionKind,
    DecisionStatus,
    Meeting,
    MeetingStatus,
    ProposalStatus,
    StandIn,
)
from participants.selectors import request_has_acknowledged

ACTIONS = "meetings.actions"
NEXT_MEETING = "meetings.next"
MEETING_ACKNOWLEDGEMENT = "meetings.acknowledgement"
OFFICER_ANSWERS = "meetings.officer_answers"
STANDING_IN = "meetings.standing_in"
PROPOSALS = "meetings.proposals"

DUE_SOON = datetime.timedelta(days=7)
NEXT_MEETING_ROLES = frozenset({Role.COORDINATOR, Role.MAYOR, Role.PARTICIPANT})


def _may_see_cases(request: CellRequest) -> bool:
    return request.membership.role != Role.DPO and request_has_acknowledged(request)


def _url(request: CellRequest, name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"cell_slug": request.cell.slug, **kwargs})


def actions(request: CellRequest) -> list[WaitingItem]:
    """The coordinator: every open action of the cell due within a week or overdue; anyone else
    at the table: their own open actions, of cases they may see."""
    if not _may_see_cases(request):
        return []
    member = request.membership
    today = timezone.localdate()
    open_actions = Action.objects.filter(
        cell=member.cell, status=ActionStatus.OPEN, case__in=case_visible_list(member=member)
    )
    if member.role != Role.COORDINATOR:
        open_actions = open_actions.filter(owner__membership=member)
    counts = open_actions.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=today + DUE_SOON)),
    )
    url, items = _url(request, "meetings:actions"), []
    if member.role == Role.COORDINATOR:
        if counts["overdue"]:
            text = ngettext(
                "%(count)d follow-up action is overdue.",
                "%(count)d follow-up actions are overdue.",
                counts["overdue"],
            ) % {"count": counts["overdue"]}
            items.append(WaitingItem(text, counts["overdue"], url, _("See the actions"), level="warning"))
        if counts["soon"]:
            text = ngettext(
                "%(count)d follow-up action is due within a week.",
                "%(count)d follow-up actions are due within a week.",
                counts["soon"],
            ) % {"count": counts["soon"]}
            items.append(WaitingItem(text, counts["soon"], url, _("See the actions")))
        return items
    overdue, others = counts["overdue"], counts["total"] - counts["overdue"]
    if overdue:  # the words of the overdue notice (meetings/notices.py), which the home leaves out
        text = ngettext(
            "%(count)d follow-up action is overdue.", "%(count)d follow-up actions are overdue.", overdue
        ) % {"count": overdue}
        items.append(WaitingItem(text, overdue, url, _("See your actions"), level="warning"))
        if others:
            text = ngettext(
                "%(count)d other follow-up action of yours is open.",
                "%(count)d other follow-up actions of yours are open.",
                others,
            ) % {"count": others}
            items.append(WaitingItem(text, others, url, _("See your actions")))
    elif others:
        text = ngettext(
            "You have %(count)d open follow-up action.", "You have %(count)d open follow-up actions.", others
        ) % {"count": others}
        items.append(WaitingItem(text, others, url, _("See your actions")))
    return items


def next_meeting(request: CellRequest) -> list[WaitingItem]:
    """The next meeting with its agenda; for a participant, the next one with items at her tables."""
    member = request.membership
    if member.role not in NEXT_MEETING_ROLES or not _may_see_cases(request):
        return []
    start_of_today = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    meetings = Meeting.objects.filter(
        cell=member.cell,
        status__in=[MeetingStatus.PLANNED, MeetingStatus.IN_PROGRESS],
        starts_at__gte=start_of_today,
    )
    if member.role == Role.PARTICIPANT:
        mine = Q(items__case__in=case_visible_list(member=member))
        meetings = meetings.annotate(count=Count("items", filter=mine)).filter(count__gt=0)
    else:
        meetings = meetings.annotate(count=Count("items"))
    meeting = meetings.order_by("starts_at", "pk").only("pk", "title", "starts_at").first()
    if meeting is None:
        return []
    count = meeting.count
    when = date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
    if member.role == Role.PARTICIPANT:
        text = ngettext(
            "The next meeting, %(title)s on %(date)s, has %(count)d item of your cases on its agenda.",
            "The next meeting, %(title)s on %(date)s, has %(count)d items of your cases on its agenda.",
            count,
        )
    else:
        text = ngettext(
            "The next meeting, %(title)s on %(date)s, has %(count)d item on its agenda.",
            "The next meeting, %(title)s on %(date)s, has %(count)d items on its agenda.",
            count,
        )
    text %= {"title": meeting.title, "date": when, "count": count}
    url = _url(request, "meetings:detail", pk=meeting.pk)
    return [WaitingItem(text, max(count, 1), url, _("Open the meeting"))]


def meeting_acknowledgement(request: CellRequest) -> list[WaitingItem]:
    """A meeting in progress where the member is recorded and has not acknowledged its secrecy."""
    if request.membership.role == Role.DPO:
        return []
    pending = Attendance.objects.filter(
        meeting__cell=request.cell,
        meeting__status=MeetingStatus.IN_PROGRESS,
        participant__membership=request.membership,
        acknowledged_at__isnull=True,
    ).aggregate(count=Count("pk"), meeting=Max("meeting_id"))
    if not pending["count"]:
        return []
    text = ngettext(
        "%(count)d meeting in progress waits for your acknowledgement of its secrecy.",
        "%(count)d meetings in progress wait for your acknowledgement of their secrecy.",
        pending["count"],
    ) % {"count": pending["count"]}
    url = _url(request, "meetings:acknowledge", pk=pending["meeting"])
    return [WaitingItem(text, pending["count"], url, _("Acknowledge"), level="warning")]


def officer_answers(request: CellRequest) -> list[WaitingItem]:
    """The information officer's part in decisions: informing the person, which she may object to
    while the agreement round is open (rule 13), and valid feedback she passes on (rule 12)."""
    if request.membership.role != Role.INFORMATION_OFFICER or not _may_see_cases(request):
        return []
    objection = Q(
        kind=DecisionKind.INFORM_SUBJECT, status=DecisionStatus.AWAITING_AGREEMENT, officer_objects=False
    )
    pass_on = Q(kind=DecisionKind.LTF_FEEDBACK, status=DecisionStatus.VALID, passed_on_at__isnull=True)
    decisions = Decision.objects.filter(case__in=case_visible_list(member=request.membership))
    counts = decisions.filter(objection | pass_on).aggregate(
        objection=Count("pk", filter=objection),
        objection_meetings=Count("item__meeting", distinct=True, filter=objection),
        objection_meeting=Max("item__meeting", filter=objection),
        pass_on=Count("pk", filter=pass_on),
        pass_on_meetings=Count("item__meeting", distinct=True, filter=pass_on),
        pass_on_meeting=Max("item__meeting", filter=pass_on),
    )
    items = []
    if counts["objection"]:
        text = ngettext(
            "%(count)d decision to inform the person awaits your answer: you may object while the "
            "agreement round is open.",
            "%(count)d decisions to inform the person await your answer: you may object while the "
            "agreement round is open.",
            counts["objection"],
        ) % {"count": counts["objection"]}
        url = _meeting_or_list(request, counts["objection_meetings"], counts["objection_meeting"])
        items.append(WaitingItem(text, counts["objection"], url, _("Answer"), level="warning"))
    if counts["pass_on"]:
        text = ngettext(
            "%(count)d feedback decision waits for you to pass it on to the Local Taskforce.",
            "%(count)d feedback decisions wait for you to pass them on to the Local Taskforce.",
            counts["pass_on"],
        ) % {"count": counts["pass_on"]}
        url = _meeting_or_list(request, counts["pass_on_meetings"], counts["pass_on_meeting"])
        items.append(WaitingItem(text, counts["pass_on"], url, _("Pass on")))
    return items


def standing_in(request: CellRequest) -> list[WaitingItem]:
    """A substitute standing in for a fixed representative: one line per meeting, until its
    minutes are finalised (or the naming withdrawn, or the meeting cancelled)."""
    if request.membership.role != Role.PARTICIPANT:
        return []
    stand_ins = (
        StandIn.objects.filter(ended_at__isnull=True, substitute__membership=request.membership)
        .select_related("meeting", "representative__membership__user")
        .order_by("meeting__starts_at", "pk")
    )
    return [
        WaitingItem(
            _("You stand in for %(name)s at the meeting %(title)s on %(date)s.")
            % {
                "name": stand_in.representative.membership.user.name,
                "title": stand_in.meeting.title,
                "date": date_format(timezone.localtime(stand_in.meeting.starts_at), "DATETIME_FORMAT"),
            },
            1,
            _url(request, "meetings:detail", pk=stand_in.meeting_id),
            _("Open the meeting"),
        )
        for stand_in in stand_ins
    ]


def proposals(request: CellRequest) -> list[WaitingItem]:
    """The coordinator: the agenda proposals that wait for her decision (the menu shows the count)."""
    if request.membership.role != Role.COORDINATOR or not _may_see_cases(request):
        return []
    count = AgendaProposal.objects.filter(cell=request.cell, status=ProposalStatus.PROPOSED).count()
    if not count:
        return []
    text = ngettext(
        "%(count)d agenda proposal waits for your decision.",
        "%(count)d agenda proposals wait for your decision.",
        count,
    ) % {"count": count}
    return [WaitingItem(text, count, _url(request, "meetings:proposals"), _("Decide"))]


def _meeting_or_list(request: CellRequest, meetings: int, meeting: int | None) -> str:
    """The meeting's page when all of them are at one meeting, else the list of meetings."""
    if meetings == 1 and meeting is not None:
        return _url(request, "meetings:detail", pk=meeting)
    return _url(request, "meetings:list")


waiting.register(MEETING_ACKNOWLEDGEMENT, meeting_acknowledgement, position=11)
waiting.register(OFFICER_ANSWERS, officer_answers, position=40)
waiting.register(ACTIONS, actions, position=50)
waiting.register(NEXT_MEETING, next_meeting, position=90)
waiting.register(STANDING_IN, standing_in, position=12)
waiting.register(PROPOSALS, proposals, position=45)
# The names this module registers.
SOURCES = (MEETING_ACKNOWLEDGEMENT, STANDING_IN, OFFICER_ANSWERS, PROPOSALS, ACTIONS, NEXT_MEETING)
