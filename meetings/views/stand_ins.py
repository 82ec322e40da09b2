"""A substitute standing in for a fixed representative at one meeting: naming her and withdrawing
the naming (the coordinator, or the representative herself), from the meeting's page.
The rules are in `meetings/services/stand_ins.py`."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from livc.cells.models import Role
from livc.http import CellRequest
from livc.submissions.decorators import once_per_submission
from meetings.access import get_meeting_for_user
from meetings.forms import StandInForm
from meetings.models import Meeting, StandIn
from meetings.services import stand_ins as services


def _back(meeting: Meeting) -> HttpResponseRedirect:
    url = reverse("meetings:detail", kwargs={"cell_slug": meeting.cell.slug, "pk": meeting.pk})
    return HttpResponseRedirect(url + "#stand-ins")


def _require_namer(request: CellRequest) -> None:
    """The coordinator, or a fixed representative of the cell; anyone else: 404."""
    if not services.may_name_stand_ins(member=request.membership):
        raise Http404("Only the coordinator or a fixed representative names a substitute.")


@dataclass(frozen=True)
class StandInRow:
    stand_in: StandIn
    can_withdraw: bool


def stand_in_context(request: CellRequest, meeting: Meeting) -> dict[str, Any]:
    """What the meeting's page shows of its stand-ins to this member: every stand-in for the
    coordinator, those she is part of for anyone else; the form to name one, where she may."""
    member = request.membership
    coordinator = member.role == Role.COORDINATOR
    mine = [
        stand_in
        for stand_in in services.stand_in_list(meeting=meeting)
        if coordinator
        or member.pk in (stand_in.representative.membership_id, stand_in.substitute.membership_id)
    ]
    rows = [
        StandInRow(
            stand_in, stand_in.ended_at is None and services.may_withdraw(member=member, stand_in=stand_in)
        )
        for stand_in in mine
    ]
    representatives = services.namable_representatives(member=member, meeting=meeting)
    form = StandInForm(representatives=representatives) if representatives.exists() else None
    standing_in = next(
        (s.representative for s in mine if s.ended_at is None and s.substitute.membership_id == member.pk),
        None,
    )
    return {"stand_in_rows": rows, "stand_in_form": form, "standing_in": standing_in}


@require_POST
@once_per_submission
def stand_in_name(request: CellRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    _require_namer(request)
    representatives = services.namable_representatives(member=request.membership, meeting=meeting)
    form = StandInForm(request.POST, representatives=representatives)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return _back(meeting)
    representative = form.cleaned_data["representative"]
    try:
        stand_in = services.stand_in_name(
            member=request.membership, meeting=meeting, representative=representative
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(substitute)s stands in for %(representative)s at this meeting.")
            % {
                "substitute": stand_in.substitute.membership.user.name,
                "representative": representative.membership.user.name,
            },
        )
    return _back(meeting)


@require_POST
@once_per_submission
def stand_in_withdraw(request: CellRequest, pk: int, stand_in_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    _require_namer(request)
    stand_in = get_object_or_404(
        StandIn.objects.select_related("representative", "substitute__membership__user"),
        pk=stand_in_pk,
        meeting=meeting,
    )
    if not services.may_withdraw(member=request.membership, stand_in=stand_in):
        raise Http404("Only the coordinator or the representative withdraws a stand-in.")
    try:
        services.stand_in_withdraw(member=request.membership, stand_in=stand_in)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s no longer stands in at this meeting.")
            % {"name": stand_in.substitute.membership.user.name},
        )
    return _back(meeting)
