"""Meeting pages: list, creation, the agenda and attendance (coordinator), the secrecy
acknowledgement of the meeting, and reading the minutes (each member: only their items)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import selectors as case_selectors
from cases.access import require_case_manager, require_no_dpo
from cases.models import Case, CaseStatus
from livc.audit.access import record_access, shows_case_content
from livc.cells.models import Role
from livc.forms import add_service_errors
from livc.http import CellRequest
from livc.submissions.decorators import once_per_submission
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
    MeetingKind,
    MeetingStatus,
)
from meetings.services import decisions as decision_services
from meetings.services import meetings as meeting_services
from meetings.views.calendar import invitation_context
from meetings.views.stand_ins import stand_in_context
from participants.models import Participant


def meeting_url(meeting: Meeting, name: str = "detail", **kwargs: Any) -> str:
    return reverse(f"meetings:{name}", kwargs={"cell_slug": meeting.cell.slug, "pk": meeting.pk, **kwargs})


def _refuse(request: CellRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def meeting_list(request: CellRequest) -> HttpResponse:
    require_no_dpo(request)
    meetings = list(selectors.meeting_list(member=request.membership))
    return render(request, "meetings/list.html", {"meetings": meetings})


@once_per_submission
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


def meeting_edit(request: CellRequest, pk: int) -> HttpResponse:
    """Correct a planned meeting's title, date and location (coordinator)."""
    meeting = get_meeting_for_user(request, pk)
    require_case_manager(request)
    if meeting.status != MeetingStatus.PLANNED:
        messages.error(request, _("Only a planned meeting can be changed: this one has started."))
        return HttpResponseRedirect(meeting_url(meeting))
    initial = {"title": meeting.title, "starts_at": meeting.starts_at, "location": meeting.location}
    form = MeetingForm(request.POST if request.method == "POST" else None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.meeting_update(member=request.membership, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Meeting changed."))
            return HttpResponseRedirect(meeting_url(meeting))
    return render(request, "meetings/edit.html", {"form": form, "meeting": meeting})


@shows_case_content
def meeting_detail(request: CellRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    items = selectors.visible_items(member=request.membership, meeting=meeting)
    manager = request.membership.has_role(Role.COORDINATOR)
    adding = manager and meeting.status != MeetingStatus.FINALISED and meeting.kind == MeetingKind.OPERATIONAL
    candidates = selectors.agenda_candidates(member=request.membership, meeting=meeting) if adding else []
    context = {
        "meeting": meeting,
        "items": items,
        "manager": manager,
        "acknowledged": meeting_acknowledged(request, meeting),
        "attendances": _attendance_rows(meeting) if manager else [],
        "candidates": candidates,
        "open_cases": manager
        and Case.objects.filter(
            cell=request.cell, status__in=[CaseStatus.OPEN, CaseStatus.FOLLOW_UP]
        ).exists(),
        "other_day": meeting.status == MeetingStatus.PLANNED
        and meeting_services.planned_for_another_day(meeting),
        "topic_form": TopicForm(),
        "has_review": any(item.kind == ItemKind.ACTIONS_REVIEW for item in items),
        "document": meeting.documents.filter(recipient=request.user).first(),
        "decisions": _decision_rows(request, items) if meeting_acknowledged(request, meeting) else [],
        "me": Participant.objects.filter(membership=request.membership).first(),
        **stand_in_context(request, meeting),  # substitutes standing in for fixed representatives
        **invitation_context(request, meeting),  # the invitation: published, its calendar file
    }
    shown = selectors.cases_of_items(items) + [case for case, _new in candidates]
    record_access(request, meeting, cases=shown)
    return render(request, "meetings/detail.html", context)


def _decision_rows(request: CellRequest, items: list[AgendaItem]) -> list[dict[str, Any]]:
    """Decisions on the member's items, with what this member may do about each."""
    me = Participant.objects.filter(membership=request.membership).first()
    role = request.membership.role
    rows = []
    officer = role == Role.INFORMATION_OFFICER
    decisions = Decision.objects.filter(item__in=items).select_related(
        "case__subject", "recorded_by", "item__meeting"
    )
    for decision in selectors.with_item_uses(decisions.prefetch_related("agreements")):
        uses = decision.item_uses  # type: ignore[attr-defined]  # with_item_uses
        awaiting = decision.status == DecisionStatus.AWAITING_AGREEMENT
        at_the_table = awaiting and not decision.item.meeting.is_locked  # answers end with the minutes
        answer = next((a.agrees for a in decision.agreements.all() if me and a.participant_id == me.pk), None)
        present = me is not None and me in decision_services.present_participants(decision.item)
        kind = decision.kind
        rows.append(
            {
                "decision": decision,
                "uses": uses,
                "answer": answer,
                "can_agree": at_the_table and decision.needs_consensus and present,
                "can_object": at_the_table and officer and kind == DecisionKind.INFORM_SUBJECT,
                # Again later for items whose owners consented since (`pass_on_to_ltf`).
                "can_pass_on": officer
                and kind == DecisionKind.LTF_FEEDBACK
                and decision.status == DecisionStatus.VALID
                and (decision.passed_on_at is None or case_selectors.use_counts(uses).ready > 0),
                "can_approve": awaiting
                and kind == DecisionKind.REVEAL_MINOR
                and role in (Role.COORDINATOR, Role.MAYOR)
                and decision.recorded_by_id != request.user.pk,
            }
        )
    return rows


def _attendance_rows(meeting: Meeting) -> list[tuple[Participant, Attendance | None]]:
    """Every active seat profile of the cell, with its attendance at this meeting if recorded."""
    attendances = meeting.attendances.select_related("stands_in_for__membership__user")
    recorded = {a.participant_id: a for a in attendances.prefetch_related("items")}
    participants = (
        Participant.objects.filter(cell=meeting.cell, membership__is_active=True)
        .select_related("membership__user", "organisation")
        .order_by("membership__user__name")
    )
    return [(p, recorded.get(p.pk)) for p in participants]


@require_POST
@once_per_submission
def agenda_change(request: CellRequest, pk: int, change: str) -> HttpResponse:
    """Add a case, a topic or the actions review; move or remove an item (coordinator)."""
    meeting = get_meeting_for_user(request, pk)
    require_case_manager(request)
    try:
        done = _agenda_apply(request, meeting, change)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, done)
    return HttpResponseRedirect(meeting_url(meeting) + "#agenda")


def _agenda_apply(request: CellRequest, meeting: Meeting, change: str) -> str:
    """Make the change; say what was done."""
    member = request.membership
    if change == "case":
        if not request.POST.get("case"):
            raise ValidationError(_("Choose the case to add."))
        case = get_object_or_404(Case, pk=request.POST["case"], cell=request.cell)
        meeting_services.agenda_add_case(member=member, meeting=meeting, case=case)
        return _("Case %(reference)s added to the agenda.") % {"reference": case.reference}
    if change == "topic":
        form = TopicForm(request.POST)
        if not form.is_valid():
            raise ValidationError(list(form.errors["topic"]))
        meeting_services.agenda_add_topic(member=member, meeting=meeting, topic=form.cleaned_data["topic"])
        return _("Topic added to the agenda.")
    if change == "review":
        meeting_services.agenda_add_actions_review(member=member, meeting=meeting)
        return _("The review of open actions is on the agenda.")
    item = get_object_or_404(AgendaItem, pk=request.POST.get("item"), meeting=meeting)
    if change == "remove":
        meeting_services.agenda_remove(member=member, item=item)
        return _("Item removed from the agenda.")
    up = change == "up"
    if not meeting_services.agenda_move(member=member, item=item, up=up):
        raise ValidationError(_("The item is already first.") if up else _("The item is already last."))
    return _("Item moved up.") if up else _("Item moved down.")


@require_POST
@once_per_submission
def attendance(request: CellRequest, pk: int, participant_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    require_case_manager(request)
    participant = get_object_or_404(Participant, pk=participant_pk, cell=request.cell)
    if meeting.is_locked:
        messages.error(request, _("The minutes of this meeting are finalised: attendance stays as it was."))
        return HttpResponseRedirect(meeting_url(meeting) + "#attendance")
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
@once_per_submission
def acknowledge(request: CellRequest, pk: int) -> HttpResponse:
    """The secrecy of the table, acknowledged for this meeting (rule 6)."""
    meeting = get_meeting_for_user(request, pk)
    if request.POST.get("acknowledge") != "on":
        messages.error(request, _("Tick the box to confirm; without it you cannot take part."))
        return HttpResponseRedirect(meeting_url(meeting))
    meeting_services.attendance_acknowledge(member=request.membership, meeting=meeting)
    messages.success(request, _("Thank you. Your acknowledgement for this meeting has been recorded."))
    return HttpResponseRedirect(meeting_url(meeting))


@require_http_methods(["GET", "POST"])
@once_per_submission
def advance(request: CellRequest, pk: int, step: str) -> HttpResponse:
    """Start, end, finalise. Starting on another day than planned and finalising are confirmed
    first on a page of their own (GET), then done (POST)."""
    meeting = get_meeting_for_user(request, pk)
    require_case_manager(request)
    if request.method == "GET":
        return _confirmation(request, meeting, step)
    member = request.membership
    try:
        if step == "start":
            confirmed = request.POST.get("confirm") == "yes"
            meeting = meeting_services.meeting_start(
                member=member, meeting=meeting, other_day_confirmed=confirmed
            )
            messages.success(request, _("The meeting has started. Record who is present, then chair it."))
            return HttpResponseRedirect(meeting_url(meeting, "run"))
        if step == "end":
            meeting_services.meeting_end(member=member, meeting=meeting)
            messages.success(request, _("The meeting has ended. Complete the minutes, then finalise them."))
        else:
            if request.POST.get("confirm") != "yes":
                return HttpResponseRedirect(meeting_url(meeting, "advance", step="finalise"))
            meeting_services.meeting_finalise(member=member, meeting=meeting)
            messages.success(
                request, _("The minutes are finalised and read-only; corrections go in addenda.")
            )
    except meeting_services.OtherDayStart:
        return HttpResponseRedirect(meeting_url(meeting, "advance", step="start"))
    except ValidationError as error:
        _refuse(request, error)
    return HttpResponseRedirect(meeting_url(meeting))


def _confirmation(request: CellRequest, meeting: Meeting, step: str) -> HttpResponse:
    """What starting on another day, or finalising, will do; nothing personal is shown."""
    wanted = {"start": MeetingStatus.PLANNED, "finalise": MeetingStatus.HELD}
    if step not in wanted:
        return HttpResponseRedirect(meeting_url(meeting))
    if meeting.status != wanted[step]:
        messages.error(
            request,
            _("The meeting has already started.")
            if step == "start"
            else _("End the meeting first: the minutes are finalised after the meeting."),
        )
        return HttpResponseRedirect(meeting_url(meeting))
    items = meeting.items.all()
    context = {
        "meeting": meeting,
        "step": step,
        "today": timezone.localdate(),
        "held_on": meeting_services.held_on(meeting),
        "item_count": items.count(),
        "case_count": items.filter(case__isnull=False).count(),
        "awaiting_count": Decision.objects.filter(
            item__meeting=meeting, status=DecisionStatus.AWAITING_AGREEMENT
        ).count(),
    }
    return render(request, "meetings/confirm.html", context)


@shows_case_content
def minutes(request: CellRequest, pk: int) -> HttpResponse:
    """The minutes as this member may read them: the attendance, and of their items only the
    minutes, corrections, decisions (with who agreed) and follow-up actions."""
    meeting = get_meeting_for_user(request, pk)
    later = Meeting.objects.filter(cell=request.cell, starts_at__gt=meeting.starts_at).exclude(
        status__in=[MeetingStatus.FINALISED, MeetingStatus.CANCELLED]
    )
    content = selectors.minutes_content(member=request.membership, meeting=meeting)
    context = {
        "meeting": meeting,
        "content": content,
        "manager": request.membership.has_role(Role.COORDINATOR),
        "addendum_form": AddendumForm(),
        "later_meetings": list(later),
    }
    record_access(request, meeting, cases=content.cases)
    return render(request, "meetings/minutes.html", context)


@require_POST
@once_per_submission
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
@once_per_submission
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
