"""The "known to your service?" round: a seated participant states, for her service, whether the
person is known to it. The table's answers are shown on the case page (`cases.views.cases`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.access import get_case_for_user
from cases.forms import KnownToServiceForm
from cases.services import round as round_services
from cases.views.cases import case_url
from livc.audit.access import shows_case_content
from livc.http import CellRequest
from livc.submissions.decorators import once_per_submission

ANCHOR = "#known-to-service"


@shows_case_content
@require_POST
@once_per_submission
def known_to_service(request: CellRequest, pk: str) -> HttpResponse:
    """Her answer, or "not stated" (which takes it back); back to the case page either way, which
    logs the access (this answer shows nothing: a redirect logs nothing, CONTRIBUTING.md)."""
    case = get_case_for_user(request, pk)
    form = KnownToServiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose known, not known or not stated."))
        return HttpResponseRedirect(case_url(case) + ANCHOR)
    try:  # PermissionDenied (403): mayor, coordinator and officer sit at no table
        answer = round_services.known_to_service_answer(
            member=request.membership, case=case, answer=form.cleaned_data["answer"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(case_url(case) + ANCHOR)
    if answer is None:
        messages.success(request, _("Saved: not stated. The table sees no answer from you."))
    else:
        messages.success(request, _("Saved: the table sees your answer. You can change it at any time."))
    return HttpResponseRedirect(case_url(case) + ANCHOR)
