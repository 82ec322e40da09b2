"""The case table: who is seated, seat and unseat (coordinator), ad hoc invitation for this case."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from cases import selectors
from cases.access import get_case_for_user, require_case_manager
from cases.forms import SeatForm
from cases.models import Seat
from cases.services import seats as seat_services
from cases.views.cases import case_url
from livc.audit.access import record_access, shows_case_content
from livc.forms import add_service_errors
from livc.http import CellRequest
from livc.submissions.decorators import once_per_submission
from participants import services as participant_services
from participants.forms import InvitationForm


@shows_case_content
@once_per_submission
def table(request: CellRequest, pk: str) -> HttpResponse:
    case = get_case_for_user(request, pk)
    form: SeatForm | None = SeatForm(request.POST if request.method == "POST" else None, case=case)
    if request.method == "POST":
        require_case_manager(request)
        if form is not None and form.is_valid():
            try:
                seat_services.seat_participant(
                    member=request.membership, case=case, participant=form.cleaned_data["participant"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Seated at the table: they see this case from now on."))
                return HttpResponseRedirect(case_url(case, "table"))
    if form is not None and not form.has_candidates():
        form = None  # everyone who may sit at this table already does: an empty state, no form
    record_access(request, case, cases=[case])
    context = {"case": case, "seats": list(selectors.seat_list(case=case)), "form": form}
    return render(request, "cases/table.html", context)


@shows_case_content
@once_per_submission
def unseat(request: CellRequest, pk: str, seat_pk: int) -> HttpResponse:
    """GET says what removing the person does; only the POST removes them."""
    case = get_case_for_user(request, pk)
    require_case_manager(request)
    seats = Seat.objects.select_related("participant__membership__user")
    seat = get_object_or_404(seats, pk=seat_pk, case=case)
    name = seat.participant.membership.user.name
    if request.method == "POST":
        seat_services.unseat_participant(member=request.membership, seat=seat)
        messages.success(
            request, _("%(name)s was removed from the table: they no longer see this case.") % {"name": name}
        )
        return HttpResponseRedirect(case_url(case, "table"))
    context = {
        "case": case,
        "title": _("Remove %(name)s from this case's table?") % {"name": name},
        "explanation": [
            _(
                "From their next click on, %(name)s no longer sees this case, its information or its "
                "items in the minutes."
            )
            % {"name": name},
            _("The information they shared stays at the table. To give them access again, seat them again."),
        ],
        "action": _("Remove from the table"),
        "cancel_url": case_url(case, "table"),
    }
    record_access(request, case, cases=[case])
    return render(request, "cases/confirm.html", context)


@shows_case_content
@once_per_submission
def invite(request: CellRequest, pk: str) -> HttpResponse:
    """An ad hoc invitation for this case only; the mayor approves it like any other."""
    case = get_case_for_user(request, pk)
    require_case_manager(request)
    form = InvitationForm(request.POST if request.method == "POST" else None, cell=request.cell,
                          initial={"language": request.user.language})  # fmt: skip
    form.fields.pop("as_fixed_representative")
    if request.method == "POST" and form.is_valid():
        data = participant_services.InvitationData(**form.cleaned_data, as_fixed_representative=False)
        try:
            seat_services.case_invitation_propose(member=request.membership, case=case, data=data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ad hoc invitation proposed to the mayor, for this case only."))
            return HttpResponseRedirect(case_url(case, "table"))
    record_access(request, case, cases=[case])
    return render(request, "cases/invite.html", {"case": case, "form": form})
