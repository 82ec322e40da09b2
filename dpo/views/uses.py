"""The item-use ledger of one case, for the DPO: where each item went, with whose consent.

The DPO sees no case content and no list of cases: she types the reference of the case she is
asked about. The page shows each use (which item by category, organisation and date, never its
text; the use, the partner, who asked, the owner's consent, who carried it out, and when), and
logs the access against the case. An unknown reference gets the same words whether another
cell holds a case with it or not.
"""

from django.http import HttpResponse
from django.shortcuts import render

from cases.models import Case, ItemUse
from dpo import selectors
from dpo.forms import CaseReferenceForm
from livc.audit.access import record_access, shows_personal_data
from livc.http import CellRequest


@shows_personal_data
def item_uses(request: CellRequest) -> HttpResponse:
    selectors.assert_dpo(cell=request.cell, user=request.user)
    form = CaseReferenceForm(request.GET if "reference" in request.GET else None)
    case: Case | None = None
    uses: list[ItemUse] = []
    asked = False
    if form.is_bound and form.is_valid():
        asked = True
        case, uses = selectors.item_uses_of_case(
            cell=request.cell, user=request.user, reference=form.cleaned_data["reference"]
        )
    if case is not None:
        record_access(request, case, cases=[case])
    else:
        record_access(request, request.cell)
    context = {"form": form, "case": case, "uses": uses, "asked": asked}
    return render(request, "dpo/item_uses.html", context)
