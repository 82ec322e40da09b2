"""Meeting pages: list, creation, the agenda and attendance (coordinator), the secrecy
acknowledgement of the meeting, and reading the minutes (each member: only their items)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.access import acknowledgement_redirect, require_case_manager, require_no_dpo
from cases.models import Case
from livc.audit.access import record_access, shows_personal_data
from livc.cells.models import Role
from livc.forms import add_service_errors
from livc.http import CellRequest
from meetings import selectors
from meetings.access import get_meeting_for_user, meeting_acknowledged
from meetings.forms import AddendumForm, AttendanceForm, MeetingForm, TopicForm
from meetings.models import (
    Addendum,
    AgendaItem,
    Attendance,
    Decision,
    DecisionKind,
    DecisionStatus,
    ItemKind,
    Meeting,
    MeetingStatus,
)
from meetings.services import decisions as decision_services
from meetings.services import meetings as meeting_services
from participants.models import Participant


def meeting_url(meeting: Meeting, name: str = "detail", **kwargs: Any) -> str:
    return reverse(f"meetings:{name}", kwargs={"cell_slug": meeting.cell.slug, "pk": meeting.pk, **kwargs})


def _refuse(request: CellRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def meeting_list(request: CellRequest) -> HttpResponse:
    require_no_dpo(request)
    meetings = list(selectors.meeting_list(member=request.membership))
    return render(request, "meetings/list.html", {"meetings": meetings})


def meeting_new(request: CellRequest) -> HttpResponse:
    require_no_dpo(request)
    require_case_manager(request)
    form = MeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_services.meeting_create(member=request.membership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Meeting planned. Now build its agenda."))
            return HttpResponseRedirect(meeting_url(meeting))
    return render(request, "meetings/new.html", {"form": form})


@shows_personal_data
def meeting_detail(request: CellRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    if (redirect := acknowledgement_redirect(request)) is not None:
        return redirect
    items = selectors.visible_items(member=request.membership, meeting=meeting)
    manager = request.membership.has_role(Role.COORDINATOR)
    context = {
        "meeting": meeting,
        "items": items,
        "manager": manager,
        "acknowledged": meeting_acknowledged(request, meeting),
        "attendances": _attendance_rows(meeting) if manager else [],
        "candidates": selectors.agenda_candidates(member=request.membership, meeting=meeting)
        if manager
        else [],
        "topic_form": TopicForm(),
        "has_review": any(item.kind == ItemKind.ACTIONS_REVIEW for item in items),
        "document": meeting.documents.filter(recipient=request.user).first(),
        "decisions": _decision_rows(request, items) if meeting_acknowledged(request, meeting) else [],
        "me": Participant.objects.filter(membership=request.membership).first(),
    }
    record_access(request, meeting)
    return render(request, "meetings/detail.html", context)


def _decision_rows(request: CellRequest, items: list[AgendaItem]) -> list[dict[str, Any]]:
    """Decisions on the member's items, with what this member may do about each."""
    me = Participant.objects.filter(membership=request.membership).first()
    role = request.membership.role
    rows = []
    officer = role == Role.INFORMATION_OFFICER
    decisions = Decision.objects.filter(item__in=items).select_related("case__subject", "recorded_by")
    for decision in decisions.prefetch_related("agreements"):
        awaiting = decision.status == DecisionStatus.AWAITING_AGREEMENT
        answer = next((a.agrees for a in decision.agreements.all() if me and a.participant_id == me.pk), None)
        present = me is not None and me in decision_services.present_participants(decision.item)
        kind = decision.kind
        rows.append(
            {
                "decision": decision,
                "answer": answer,
                "can_agree": awaiting and decision.needs_consensus and present,
                "can_object": awaiting and officer and kind == DecisionKind.INFORM_SUBJECT,
                "can_pass_on": officer
                and kind == DecisionKind.LTF_FEEDBACK
                and decision.status == DecisionStatus.VALID
                and decision.passed_on_at is None,
                "can_approve": awaiting
                and kind == DecisionKind.REVEAL_MINOR
                and role in (Role.COORDINATOR, Role.MAYOR)
                and decision.recorded_by_id != request.user.pk,
            }
        )
    return rows


def _attendance_rows(meeting: Meeting) -> list[tuple[Participant, Attendance | None]]:
    """Every active seat profile of the cell, with its attendance at this meeting if recorded."""
    recorded = {a.participant_id: a for a in meeting.attendances.prefetch_related("items")}
    participants = (
        Participant.objects.filter(cell=meeting.cell, membership__is_active=True)
        .select_related("membership__user", "organisation")
        .order_by("membership__user__name")
    )
    return [(p, recorded.get(p.pk)) for p in participants]


@require_POST
def agenda_change(request: CellRequest, pk: int, change: str) -> HttpResponse:
    """Add a case, a topic or the actions review; move or remove an item (coordinator)."""
    meeting = get_meeting_for_user(request, pk)
    require_case_manager(request)
    member = request.membership
    try:
        if change == "case":
            case = get_object_or_404(Case, pk=request.POST.get("case"), cell=request.cell)
            meeting_services.agenda_add_case(member=member, meeting=meeting, case=case)
        elif change == "topic":
            form = TopicForm(request.POST)
            if not form.is_valid():
                raise ValidationError(list(form.errors["topic"]))
            meeting_services.agenda_add_topic(
                member=member, meeting=meeting, topic=form.cleaned_data["topic"]
            )
        elif change == "review":
            meeting_services.agenda_add_actions_review(member=member, meeting=meeting)
        else:
            item = get_object_or_404(AgendaItem, pk=request.POST.get("item"), meeting=meeting)
            if change == "remove":
                meeting_services.agenda_remove(member=member, item=item)
            else:
                meeting_services.agenda_move(member=member, item=item, up=change == "up")
    except ValidationError as error:
        _refuse(request, error)
    return HttpResponseRedirect(meeting_url(meeting) + "#agenda")


@require_POST
def attendance(request: CellRequest, pk: int, participant_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    require_case_manager(request)
    participant = get_object_or_404(Participant, pk=participant_pk, cell=request.cell)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose present, excused or absent."))
        return HttpResponseRedirect(meeting_url(meeting) + "#attendance")
    chosen = AgendaItem.objects.filter(meeting=meeting, pk__in=request.POST.getlist("items"))
    try:
        meeting_services.attendance_record(
            member=request.membership, meeting=meeting, participant=participant,
            status=form.cleaned_data["status"], acknowledged=form.cleaned_data["acknowledged"],
            items=list(chosen) if "items" in request.POST else None,
        )  # fmt: skip
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(
            request, _("Attendance of %(name)s saved.") % {"name": participant.membership.user.name}
        )
    return HttpResponseRedirect(meeting_url(meeting) + "#attendance")


@require_POST
def acknowledge(request: CellRequest, pk: int) -> HttpResponse:
    """The secrecy of the table, acknowledged for this meeting (rule 6)."""
    meeting = get_meeting_for_user(request, pk)
    if request.POST.get("acknowledge") != "on":
        messages.error(request, _("Tick the box to confirm; without it you cannot take part."))
        return HttpResponseRedirect(meeting_url(meeting))
    meeting_services.attendance_acknowledge(member=request.membership, meeting=meeting)
    messages.success(request, _("Thank you. Your acknowledgement for this meeting has been recorded."))
    return HttpResponseRedirect(meeting_url(meeting))


@require_POST
def advance(request: CellRequest, pk: int, step: str) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    require_case_manager(request)
    try:
        if step == "finalise":
            meeting_services.meeting_finalise(member=request.membership, meeting=meeting)
            messages.success(
                request, _("The minutes are finalised and read-only; corrections go in addenda.")
            )
        else:
            meeting = meeting_services.meeting_advance(member=request.membership, meeting=meeting)
            if meeting.status == MeetingStatus.IN_PROGRESS:
                return HttpResponseRedirect(meeting_url(meeting, "run"))
    except ValidationError as error:
        _refuse(request, error)
    return HttpResponseRedirect(meeting_url(meeting))


@shows_personal_data
def minutes(request: CellRequest, pk: int) -> HttpResponse:
    """The minutes as this member may read them: their items only, with approved corrections."""
    meeting = get_meeting_for_user(request, pk)
    if (redirect := acknowledgement_redirect(request)) is not None:
        return redirect
    items = selectors.visible_items(member=request.membership, meeting=meeting)
    addenda = Addendum.objects.filter(item__in=items).select_related("approved_at_meeting", "created_by")
    by_item: dict[Any, list[Addendum]] = {}
    for addendum in addenda:
        by_item.setdefault(addendum.item_id, []).append(addendum)
    later = Meeting.objects.filter(cell=request.cell, starts_at__gt=meeting.starts_at).exclude(
        status=MeetingStatus.FINALISED
    )
    context = {
        "meeting": meeting,
        "rows": [(item, by_item.get(item.pk, [])) for item in items],
        "manager": request.membership.has_role(Role.COORDINATOR),
        "addendum_form": AddendumForm(),
        "later_meetings": list(later),
    }
    record_access(request, meeting)
    return render(request, "meetings/minutes.html", context)


@require_POST
def addendum(request: CellRequest, pk: int, item_pk: str) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    require_case_manager(request)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    form = AddendumForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["text"]))
        meeting_services.addendum_add(member=request.membership, item=item, text=form.cleaned_data["text"])
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("Correction added; a later meeting approves it."))
    return HttpResponseRedirect(meeting_url(meeting, "minutes"))


@require_POST
def addendum_approve(request: CellRequest, pk: int, addendum_pk: str) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    require_case_manager(request)
    correction = get_object_or_404(Addendum, pk=addendum_pk, item__meeting=meeting)
    later = get_object_or_404(Meeting, pk=request.POST.get("at_meeting"), cell=request.cell)
    try:
        meeting_services.addendum_approve(member=request.membership, addendum=correction, meeting=later)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("Correction approved."))
    return HttpResponseRedirect(meeting_url(meeting, "minutes"))
