"""Invented demo requests of access in the cell Demostad, after the meetings app's demo data:

- 40 days ago, a person the cell does not hold asked; the DPO answered "no data" twelve days later;
- 9 days ago, "Persoon Eik" (the invented Tom Verbrande-Molen) asked; the information officer has
  answered for the case and for his own item, the school's counsellor has not answered yet for
  hers, so the request waits (and her cell home says so).

The services build everything as on the day itself; the dates are then moved back.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from cases.demo import ADULT_ONE
from dpo import access_requests
from dpo.models import AccessRequest, ExceptionQuestion
from livc.cells.demo import Demo
from livc.cells.models import Membership, Role

UNKNOWN_RECEIVED_DAYS_AGO, UNKNOWN_ANSWERED_DAYS_AGO = 40, 28
KNOWN_RECEIVED_DAYS_AGO = 9


def _day(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@transaction.atomic
def seed(demo: Demo) -> None:
    cell = demo.cells["demostad"]
    if AccessRequest.objects.filter(cell=cell).exists():
        return  # demo requests exist already: keep them as they are
    dpo = Membership.objects.get(cell=cell, role=Role.DPO)
    officer = Membership.objects.get(cell=cell, role=Role.INFORMATION_OFFICER)

    unknown = access_requests.request_record(
        member=dpo, first_name="Jana", last_name="Kastanjelaar", birth_date=datetime.date(1987, 3, 9),
        language="nl", identity_check="Kopie van de identiteitskaart, vergeleken aan het loket.",
        postal_address="Voorbeeldstraat 1\n9999 Demostad", received_on=_day(UNKNOWN_RECEIVED_DAYS_AGO),
    )  # fmt: skip
    access_requests.request_answer(member=dpo, request=unknown)
    AccessRequest.objects.filter(pk=unknown.pk).update(answered_on=_day(UNKNOWN_ANSWERED_DAYS_AGO))

    known = access_requests.request_record(
        member=dpo, first_name=ADULT_ONE.first_name, last_name=ADULT_ONE.last_name,
        birth_date=ADULT_ONE.birth_date, language="nl",
        identity_check="Identiteitskaart getoond aan het onthaal van het stadhuis.",
        received_on=_day(KNOWN_RECEIVED_DAYS_AGO),
    )  # fmt: skip
    for question in ExceptionQuestion.objects.filter(details__request=known, asked=officer):
        access_requests.question_answer(
            member=officer, question=question, applies=False,
            reason="Geen lopend onderzoek; niets staat het antwoord in de weg.",
        )  # fmt: skip
