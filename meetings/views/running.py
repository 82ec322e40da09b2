"""The coordinator's screen while chairing, item by item without full reloads (htmx), and the
endpoints for decisions, agreements and actions. Without JavaScript every form still posts
and the page reloads on the same item."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cases import selectors as case_selectors
from cases.access import require_case_manager, require_no_dpo
from cases.selectors import case_visible_list, known_to_service_round
from livc.audit.access import record_access, shows_case_content
from livc.cells.models import Role
from livc.forms import add_service_errors
from livc.http import CellRequest
from livc.submissions.decorators import once_per_submission
from meetings import selectors
from meetings.access import get_item_for_user, get_meeting_for_user, meeting_acknowledged
from meetings.forms import ActionCloseForm, ActionForm, AgreementForm, DecisionForm, MinutesForm
from meetings.models import Action, AgendaItem, Decision, ItemKind, Meeting, MeetingStatus
from meetings.services import actions as action_services
from meetings.services import decisions as decision_services
from meetings.services import meetings as meeting_services
from meetings.views.meetings import meeting_url


def _panel_context(request: CellRequest, meeting: Meeting, item: AgendaItem, **extra: Any) -> dict[str, Any]:
    case = item.case
    return {
        "meeting": meeting,
        "item": item,
        "case": case,
        "minutes_form": extra.pop("minutes_form", None)
        or MinutesForm(initial=_minutes_initial(item), kind=item.kind),
        "decisions": selectors.with_item_uses(
            item.decisions.prefetch_related("agreements__participant__membership__user")
        ),
        "present": decision_services.present_participants(item) if case else [],
        # The "known to your service?" round, asked above all at the case's first discussion.
        "known_round": known_to_service_round(case=case) if case else None,
        "actions": list(selectors.open_action_list(member=request.membership, case=case))
        if item.kind != ItemKind.TOPIC
        else [],
        "decision_form": extra.pop("decision_form", None) or DecisionForm(case=case),
        "action_form": extra.pop("action_form", None) or ActionForm(cell=request.cell),
        "close_form": ActionCloseForm(),
        "editable": meeting.status in (MeetingStatus.IN_PROGRESS, MeetingStatus.HELD),
        "finalised": meeting.is_locked,
        **extra,
    }


def _minutes_initial(item: AgendaItem) -> dict[str, Any]:
    return {"version": item.version, "signals": item.signals, "assessment": item.assessment,
            "agreements": item.agreements}  # fmt: skip


def _run_page_again(
    request: CellRequest, meeting: Meeting, item: AgendaItem, status: int, **extra: Any
) -> HttpResponse:
    """The chairing page on `item` once more, with the forms as posted and their errors."""
    context = _panel_context(request, meeting, item, **extra)
    context.update(
        {"items": selectors.visible_items(member=request.membership, meeting=meeting), "current": item}
    )
    _record(request, meeting, item, context)
    return render(request, "meetings/run.html", context, status=status)


def _refused_when_finalised(request: CellRequest, meeting: Meeting, item: AgendaItem) -> HttpResponse | None:
    """A write to a finalised meeting: say why and go back to the (read-only) item."""
    if not meeting.is_locked:
        return None
    messages.error(request, _("The minutes of this meeting are finalised: add a correction instead."))
    return HttpResponseRedirect(meeting_url(meeting, "run") + f"?item={item.pk}")


def _record(request: CellRequest, meeting: Meeting, item: AgendaItem | None, context: dict[str, Any]) -> None:
    """Log the chairing screen or an item's panel against the item's case (else the meeting),
    with every case it shows: the agenda's titles, the item's case and the actions listed."""
    shown = selectors.cases_of_items(context.get("items", []))
    shown += [context["case"]] if context.get("case") else []
    shown += [action.case for action in context.get("actions", [])]
    record_access(request, item.case if item is not None and item.case is not None else meeting, cases=shown)


@shows_case_content
def run(request: CellRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    require_case_manager(request)
    if meeting.status == MeetingStatus.PLANNED:
        messages.info(request, _("The meeting has not started yet: start it from this page."))
        return HttpResponseRedirect(meeting_url(meeting))
    if not meeting_acknowledged(request, meeting):
        return HttpResponseRedirect(meeting_url(meeting))
    items = selectors.visible_items(member=request.membership, meeting=meeting)
    wanted = request.GET.get("item")
    item = next((each for each in items if str(each.pk) == wanted), items[0] if items else None)
    context = {"meeting": meeting, "items": items, "current": item}
    if item is not None:
        context.update(_panel_context(request, meeting, item))
    _record(request, meeting, item, context)
    return render(request, "meetings/run.html", context)


@shows_case_content
def item_panel(request: CellRequest, pk: int, item_pk: str) -> HttpResponse:
    """One item's panel, swapped in by htmx; a plain request gets the whole page on that item."""
    meeting = get_meeting_for_user(request, pk)
    require_case_manager(request)
    if not request.htmx:
        return HttpResponseRedirect(meeting_url(meeting, "run") + f"?item={item_pk}")
    item = get_item_for_user(request, meeting, item_pk)
    context = _panel_context(request, meeting, item)
    _record(request, meeting, item, context)
    return render(request, "meetings/partials/item_panel.html", context)


@shows_case_content
@require_POST
def minutes_save(request: CellRequest, pk: int, item_pk: str) -> HttpResponse:
    """Saved as the coordinator types (static/js/run.js, 1.5 s after the last keystroke, and
    before any other button or link of the page acts), or with the Save button; a request
    marked HX-Request gets the status line only.

    Two tabs must not silently overwrite each other: the form carries the version it started
    from, and a newer saved version is answered with a conflict showing both texts.
    """
    meeting = get_meeting_for_user(request, pk)
    require_case_manager(request)
    item = get_item_for_user(request, meeting, item_pk)
    if not request.htmx and (refused := _refused_when_finalised(request, meeting, item)):
        return refused
    form = MinutesForm(request.POST, kind=item.kind)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = meeting_services.minutes_save(member=request.membership, item=item, **data)
            form = MinutesForm(initial=_minutes_initial(item), kind=item.kind)
            result = "saved"
        except meeting_services.MinutesConflict as conflict:
            item, result, status = conflict.item, "conflict", 409
        except ValidationError as error:
            add_service_errors(form, error)
            result, status = "invalid", 400
    else:
        result, status = "invalid", 400
    if request.htmx:
        context = {"item": item, "result": result, "form": form, "meeting": meeting}
        if result == "conflict":  # the other's saved text is shown
            _record(request, meeting, item, {"case": item.case})
        return render(request, "meetings/partials/minutes_status.html", context, status=status)
    if result == "saved":
        messages.success(request, _("Minutes saved."))
        return HttpResponseRedirect(meeting_url(meeting, "run") + f"?item={item.pk}")
    return _run_page_again(
        request, meeting, item, status=status, minutes_form=form, conflict=result == "conflict"
    )


def _back_to_item(meeting: Meeting, item: AgendaItem) -> HttpResponse:
    return HttpResponseRedirect(meeting_url(meeting, "run") + f"?item={item.pk}#decisions")


@shows_case_content
@require_POST
@once_per_submission
def decision_new(request: CellRequest, pk: int, item_pk: str) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    require_case_manager(request)
    item = get_item_for_user(request, meeting, item_pk)
    if refused := _refused_when_finalised(request, meeting, item):
        return refused
    form = DecisionForm(request.POST, case=item.case)
    if form.is_valid():
        try:
            decision_services.decision_record(member=request.membership, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return _back_to_item(meeting, item)
    return _run_page_again(request, meeting, item, status=400, decision_form=form)


@require_POST
@once_per_submission
def decision_step(request: CellRequest, pk: int, decision_pk: str, step: str) -> HttpResponse:
    """Agreement of a present participant, the officer's objection, approval, passing on."""
    meeting = get_meeting_for_user(request, pk)
    decision = get_object_or_404(Decision, pk=decision_pk, item__meeting=meeting)
    get_item_for_user(request, meeting, decision.item_id)  # 404 unless the member may read the item
    member = request.membership
    try:
        if step == "agree":
            form = AgreementForm(request.POST, cell=request.cell)
            if not form.is_valid():
                raise ValidationError(_("Say whether the participant agrees."))
            decision_services.agreement_record(member=member, decision=decision, **form.cleaned_data)
        elif step in ("object", "withdraw_objection"):
            decision_services.officer_objection(member=member, decision=decision, objects=step == "object")
        elif step == "approve":
            decision_services.reveal_approve(member=member, decision=decision)
        else:
            decision = decision_services.pass_on_to_ltf(member=member, decision=decision)
            messages.success(request, _passed_on_message(decision))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error) or _("Your role in this cell does not allow this."))
    if member.has_role(Role.COORDINATOR) and meeting.status != MeetingStatus.FINALISED:
        return _back_to_item(meeting, decision.item)
    return HttpResponseRedirect(meeting_url(meeting) + "#decisions")


def _passed_on_message(decision: Decision) -> str:
    """How many of the items the feedback lists went with it, and why the others did not."""
    uses = case_selectors.decision_uses(decision_ids=[decision.pk]).get(decision.pk, [])
    counts = case_selectors.use_counts(uses)
    message = _("Recorded as passed on to the Local Taskforce.")
    if not uses:
        return message
    message += " " + ngettext(
        "%(count)d item passed on with its owner's consent.",
        "%(count)d items passed on with their owners' consent.",
        counts.carried_out,
    ) % {"count": counts.carried_out}
    reasons = []
    if awaiting := counts.awaiting:
        reasons.append(
            ngettext(
                "%(count)d awaits its owner's consent", "%(count)d await their owners' consent", awaiting
            )
            % {"count": awaiting}
        )
    if refused := counts.refused:
        reasons.append(
            ngettext("%(count)d refused by its owner", "%(count)d refused by their owners", refused)
            % {"count": refused}
        )
    if withdrawn := counts.withdrawn:
        reasons.append(
            ngettext("%(count)d withdrawn by its owner", "%(count)d withdrawn by their owners", withdrawn)
            % {"count": withdrawn}
        )
    if reasons:
        message += " " + _("Not passed on: %(reasons)s.") % {"reasons": ", ".join(reasons)}
    return message


@shows_case_content
@require_POST
@once_per_submission
def action_new(request: CellRequest, pk: int, item_pk: str) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    require_case_manager(request)
    item = get_item_for_user(request, meeting, item_pk)
    if refused := _refused_when_finalised(request, meeting, item):
        return refused
    form = ActionForm(request.POST, cell=request.cell)
    if item.case is None:
        raise PermissionDenied
    if form.is_valid():
        try:
            action_services.action_create(
                member=request.membership, case=item.case, item=item, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Action recorded."))
            return _back_to_item(meeting, item)
    return _run_page_again(request, meeting, item, status=400, action_form=form)


@require_POST
@once_per_submission
def action_close(request: CellRequest, action_pk: str) -> HttpResponse:
    """The coordinator or the owner closes an action, from the meeting or the dashboard."""
    action = get_object_or_404(
        Action.objects.filter(case__in=case_visible_list(member=request.membership)), pk=action_pk
    )
    form = ActionCloseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose how the action ended."))
        action_services.action_close(member=request.membership, action=action, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Action closed."))
    fallback = reverse("meetings:actions", kwargs={"cell_slug": request.cell.slug})
    wanted = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()})
    return HttpResponseRedirect(wanted if safe and wanted else fallback)


@shows_case_content
def action_list(request: CellRequest) -> HttpResponse:
    """Open actions the member may see: the coordinator's and every owner's dashboard of work."""
    require_no_dpo(request)
    actions = list(selectors.open_action_list(member=request.membership))
    own = [a for a in actions if a.owner.membership_id == request.membership.pk]
    record_access(request, request.cell, cases=[action.case for action in actions])
    context = {"actions": actions, "own": own, "close_form": ActionCloseForm()}
    return render(request, "meetings/actions.html", context)
