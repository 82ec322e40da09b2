"""The world of the subject-access request tests: case_a's person (Tom Testeling, born 2 January
1999; bob at the table) with information items of bob and of the information officer, and the
helpers that record, ask and answer as the DPO and the members would."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases.services.items import item_add, item_withdraw
from dpo import access_requests as services
from dpo.models import AccessRequest, ExceptionQuestion

BORN = datetime.date(1999, 1, 2)  # case_a's person (tests/cases/conftest.py::make_case)
RECEIVED = datetime.date(2025, 1, 15)


def record(members, *, first_name="Tom", last_name="Testeling", birth_date=BORN, received_on=RECEIVED,
           language="en", identity_check="Kopie identiteitskaart bij de brief.", postal_address="Kerkstraat 1\n9999 Alfadorp"):  # fmt: skip
    return services.request_record(
        member=members["dpo"], first_name=first_name, last_name=last_name, birth_date=birth_date,
        language=language, identity_check=identity_check, postal_address=postal_address, received_on=received_on,
    )  # fmt: skip


def questions_of(access_request: AccessRequest) -> list[ExceptionQuestion]:
    return list(
        ExceptionQuestion.objects.filter(details__request=access_request)
        .select_related("item", "asked")
        .order_by("asked_at", "pk")
    )


def officer_question(access_request: AccessRequest) -> ExceptionQuestion:
    return ExceptionQuestion.objects.get(details__request=access_request, item__isnull=True)


def item_question(access_request: AccessRequest, item) -> ExceptionQuestion:
    return ExceptionQuestion.objects.get(details__request=access_request, item=item)


def answer(question: ExceptionQuestion, *, applies=False, ground="", reason=""):
    return services.question_answer(
        member=question.asked, question=question, applies=applies, ground=ground, reason=reason
    )


def answer_all(access_request: AccessRequest, **grounds) -> None:
    """Every open question answered "no exception", or as `grounds` says by question id."""
    for question in questions_of(access_request):
        if question.applies is None and not (question.item and question.item.withdrawn_at):
            given = grounds.get(str(question.pk))
            if given:
                answer(question, applies=True, ground=given, reason=f"Reden: {given}.")
            else:
                answer(question)


def url(name, cell_slug="alfa", **kwargs):
    return reverse(f"audit:{name}", kwargs={"cell_slug": cell_slug, **kwargs})


@pytest.fixture
def person_items(members, seats, case_a):
    """bob's two items and the officer's one on case_a; a third of bob's, withdrawn."""
    bob, officer = members["participant"], members["officer"]
    found = {
        "bob": item_add(member=bob, case=case_a, text="EIK-SCHOOL: spijbelt sinds september.",
                        category="behaviour", shared_on=datetime.date(2024, 10, 1), consent=True),
        "bob_health": item_add(member=bob, case=case_a, text="EIK-GEZONDHEID: volgt therapie.",
                               category="health", shared_on=datetime.date(2024, 10, 2), consent=True),
        "officer": item_add(member=officer, case=case_a, text="EIK-POLITIE: gekend voor bedreigingen.",
                            category="police_judicial", shared_on=datetime.date(2024, 10, 3), consent=True),
    }  # fmt: skip
    withdrawn = item_add(member=bob, case=case_a, text="EIK-INGETROKKEN.", category="other",
                         justification="Nodig.", shared_on=datetime.date(2024, 10, 4), consent=True)  # fmt: skip
    found["withdrawn"] = item_withdraw(member=bob, item=withdrawn)
    return found


def pdf_text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def pdf_language(pdf: bytes) -> str:
    return str(PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"])


def today() -> datetime.date:
    return timezone.localdate()
