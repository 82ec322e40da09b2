"""The DPO's records and letters under each cell's law (livc/legal.py): the breach register offers
the supervisory authorities of the cell's framework only, and its service refuses any other; the
answer to an access request is complete in German, gives the complaint authority's address and
names the cell's framework; the DPO's PDFs name it too; the retention settings say where the
periods come from. A Flemish cell is unchanged."""

import datetime
import html
import io
import re
from types import SimpleNamespace

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from dpo import access_requests
from dpo import forms as dpo_forms
from dpo.letters import letter_pdf
from dpo.models import AccessRequestDetails, Breach
from dpo.services import breach_create, breach_update
from livc import legal
from livc.cells.models import Cell
from livc.legal import LegalFramework, SupervisoryAuthority
from participants.models import RulesOfProcedure, RulesStatus
from participants.rules import acknowledgement_record
from tests.cases.conftest import case_a, members, seats
from tests.information_flow.access_world import answer_all, pdf_language, pdf_text, record

__all__ = ["case_a", "members", "seats"]

pytestmark = pytest.mark.django_db

DISCOVERED = datetime.datetime(2026, 12, 7, 9, 30, tzinfo=datetime.UTC)
SEVENTH = datetime.date(2026, 12, 7)  # the day the request is received
ANSWERED = datetime.datetime(2026, 12, 14, 10, 0, tzinfo=datetime.UTC)
DECREE = re.compile(r"decree|decreet|décret|Dekret|Flemish|Flämisch|Vlaams", re.IGNORECASE)
SCHOOL = {"key": "c-schule", "name": "Schullaufbahn", "special": False,
          "purpose": "Die Begleitung mit der Schule abstimmen."}  # fmt: skip


def federal(cast, *users):
    """Cell A under the federal law only; `users` acknowledge its secrecy statement anew."""
    Cell.objects.filter(pk=cast.cell_a.pk).update(legal_framework=LegalFramework.FEDERAL)
    cast.cell_a.refresh_from_db()
    for user in users:
        acknowledgement_record(cell=cast.cell_a, user=user)
    return cast.cell_a


def console(name, **kwargs):
    return reverse(f"audit:{name}", kwargs={"cell_slug": "alfa", **kwargs})


def breach_form(**overrides):
    return {
        "discovered_at": "2026-12-07T10:30",
        "description": "EIN-PROTOKOLL: an die falsche Schule geschickt.",
        "data_concerned": "Name und Notizen einer Person.",
        "cases_concerned": "2026-0004",
        "measures": "",
        "authority": "",
        "authority_informed_at": "",
        "authority_not_informed_reason": "",
        "subjects_informed_at": "",
        "subjects_not_informed_reason": "",
        **overrides,
    }


def authority_options(content: str) -> list[str]:
    select = re.search(r'<select name="authority".*?</select>', content, re.S)
    assert select, "the form has no authority field"
    return [value for value in re.findall(r'<option value="([^"]*)"', select.group(0)) if value]


# --- The breach register --------------------------------------------------------------------------


@time_machine.travel(DISCOVERED + datetime.timedelta(hours=1), tick=False)
def test_a_federal_cells_breach_form_offers_only_the_gba_apd(cast, as_user):
    federal(cast, cast.dpo)
    content = html.unescape(as_user(cast.dpo).get(console("breach_new")).content.decode())
    assert authority_options(content) == ["gba_apd"]
    assert "The Data Protection Authority (GBA/APD) supervises this cell." in content
    assert "Toezichtcommissie" not in content and "Flemish" not in content


@time_machine.travel(DISCOVERED + datetime.timedelta(hours=1), tick=False)
def test_a_flemish_cells_breach_form_offers_both_authorities_as_before(cast, as_user):
    content = html.unescape(as_user(cast.dpo).get(console("breach_new")).content.decode())
    assert authority_options(content) == ["gba_apd", "vtc"]
    assert "For a Flemish cell, the Vlaamse Toezichtcommissie; otherwise the GBA/APD." in content
    response = as_user(cast.dpo).post(
        console("breach_new"), breach_form(authority="vtc", authority_informed_at="2026-12-07T10:40")
    )
    assert response.status_code == 302 and Breach.objects.get().authority == SupervisoryAuthority.VTC


@time_machine.travel(DISCOVERED + datetime.timedelta(hours=1), tick=False)
def test_a_federal_cell_cannot_record_the_flemish_commission_and_what_was_typed_is_kept(cast, as_user):
    federal(cast, cast.dpo)
    response = as_user(cast.dpo).post(
        console("breach_new"), breach_form(authority="vtc", authority_informed_at="2026-12-07T10:40")
    )
    assert response.status_code == 200 and response.context["form"].errors["authority"]
    content = html.unescape(response.content.decode())
    assert "EIN-PROTOKOLL: an die falsche Schule geschickt." in content and "2026-0004" in content
    assert not Breach.objects.exists()


@time_machine.travel(DISCOVERED + datetime.timedelta(hours=1), tick=False)
def test_the_service_refuses_an_authority_the_cells_framework_does_not_offer(cast):
    federal(cast)
    data = {"discovered_at": DISCOVERED, "description": "x", "data_concerned": "y", "authority": "vtc"}
    with pytest.raises(ValidationError) as refused:
        breach_create(cell=cast.cell_a, recorded_by=cast.dpo, data=data)
    assert list(refused.value.error_dict) == ["authority"]
    assert not Breach.objects.exists()
    assert breach_create(cell=cast.cell_a, recorded_by=cast.dpo, data={**data, "authority": "gba_apd"})


@time_machine.travel(DISCOVERED + datetime.timedelta(hours=1), tick=False)
def test_the_services_refusal_reaches_the_form_as_a_field_error(cast, as_user, monkeypatch):
    """Even a form that offered every authority could not record one the cell's law does not know:
    the service says no, on the authority field, and the page keeps what was typed (no 500)."""
    federal(cast, cast.dpo)
    every = SimpleNamespace(
        supervisory_authorities=lambda cell: list(SupervisoryAuthority.choices),
        authority_help=legal.authority_help,
    )
    monkeypatch.setattr(dpo_forms, "legal", every)
    response = as_user(cast.dpo).post(
        console("breach_new"), breach_form(authority="vtc", authority_informed_at="2026-12-07T10:40")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["authority"] == [
        "Choose one of the supervisory authorities of this cell's legal framework."
    ]
    assert "EIN-PROTOKOLL: an die falsche Schule geschickt." in html.unescape(response.content.decode())
    assert not Breach.objects.exists()


@time_machine.travel(DISCOVERED + datetime.timedelta(hours=1), tick=False)
def test_an_entry_recorded_before_keeps_its_authority_when_the_cell_becomes_federal(cast, as_user):
    data = {"discovered_at": DISCOVERED, "description": "x", "data_concerned": "y", "authority": "vtc",
            "authority_informed_at": DISCOVERED + datetime.timedelta(minutes=30)}  # fmt: skip
    breach = breach_create(cell=cast.cell_a, recorded_by=cast.dpo, data=data)
    federal(cast, cast.dpo)
    client = as_user(cast.dpo)
    assert "Flemish Supervisory Commission" in html.unescape(
        client.get(console("breach", pk=breach.pk)).content.decode()
    )
    assert authority_options(client.get(console("breach_edit", pk=breach.pk)).content.decode()) == [
        "gba_apd",
        "vtc",
    ]
    breach = breach_update(breach=breach, user=cast.dpo, data={**data, "measures": "Gelöscht."})
    assert breach.authority == "vtc" and breach.measures == "Gelöscht."
    with pytest.raises(ValidationError):  # but no new entry names it
        breach_create(cell=cast.cell_a, recorded_by=cast.dpo, data=data)


# --- The answer letter ----------------------------------------------------------------------------------


def rules_with_own_category(cast):
    RulesOfProcedure.objects.create(
        cell=cast.cell_a, version=1, text="Geschäftsordnung.", status=RulesStatus.IN_FORCE, drafted_by=cast.alice,
        approved_by=cast.mayor, approved_at=timezone.now(), data_categories=[SCHOOL],
    )  # fmt: skip
    for user in (cast.alice, cast.bob, cast.mayor, cast.officer, cast.dpo):
        acknowledgement_record(cell=cast.cell_a, user=user)


def answered_letter(members, **changes) -> bytes:
    """A request received on 7 December 2026, answered on the 14th (no exception), its letter."""
    with time_machine.travel(ANSWERED, tick=False):
        access_request = record(members, received_on=SEVENTH, **changes)
        answer_all(access_request)
        access_requests.request_answer(member=members["dpo"], request=access_request)
        return letter_pdf(AccessRequestDetails.objects.get(request=access_request))


def framework_line(cell, language: str) -> str:
    with translation.override(language):
        return str(legal.references(cell).framework)


@pytest.fixture
def federal_item(cast, members, seats, case_a):
    """Cell A under the federal law only, its rules defining a category; bob's item on case_a under it."""
    from cases.services.items import item_add

    federal(cast)
    rules_with_own_category(cast)
    case_a.refresh_from_db()
    return item_add(member=members["participant"], case=case_a, text="EIN-SCHULE: fehlt seit September.",
                    category="c-schule", shared_on=datetime.date(2026, 11, 20), consent=True)  # fmt: skip


ENGLISH = re.compile(r"\b(the|you|your|of|and|with|which|is|are|December|January|Dear|Yours)\b")


def test_a_german_letter_of_a_federal_cell_is_german_throughout_and_names_the_federal_law(
    cast, members, federal_item
):
    pdf = answered_letter(members, language="de")
    text = pdf_text(pdf)
    framework = framework_line(cast.cell_a, "de")
    assert pdf_language(pdf) == "de"
    for expected in (
        "Ihr Auskunftsersuchen vom 7. Dezember 2026 (unser Zeichen: Ersuchen 1)",
        "14. Dezember 2026",  # written on
        "Sehr geehrte(r) Tom Testeling,",
        "Warum die Zelle Ihre Daten verarbeitet",
        "Geburtsdatum", "2. Januar 1999",
        "Am Falltisch über Sie geteilte Informationen:",
        "20.11.2026", "Schullaufbahn", "EIN-SCHULE: fehlt seit September.", "CLB Alfa",
        "Ihre Rechte", "Einschränkungen des Auskunftsrechts", "Mit freundlichen Grüßen",
        legal.COMPLAINT_AUTHORITY_ADDRESS,
        framework, "2018", "458ter",
    ):  # fmt: skip
        assert expected in text, expected
    assert not DECREE.search(text), DECREE.search(text)
    # Nothing left in English: what remains once the names and the framework line are taken out.
    rest = text.replace(framework, "").replace("Tom Testeling", "").replace("Kerkstraat 1 9999 Alfadorp", "")
    assert not ENGLISH.search(rest), ENGLISH.findall(rest)


def test_a_german_letter_of_no_data_is_german_too(cast, members, seats):
    federal(cast)
    text = pdf_text(answered_letter(members, language="de", first_name="Nora", last_name="Niemand"))
    assert "Wir führen keine mitteilbaren personenbezogenen Daten über Sie." in text
    assert "7. Dezember 2026" in text and legal.COMPLAINT_AUTHORITY_ADDRESS in text
    assert framework_line(cast.cell_a, "de") in text and not DECREE.search(text)


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_a_flemish_cells_letter_names_the_decree_in_its_footer(cast, members, case_a, language):
    text = pdf_text(answered_letter(members, language=language))
    framework = framework_line(cast.cell_a, language)
    assert framework in text and DECREE.search(framework)
    assert legal.COMPLAINT_AUTHORITY_ADDRESS in text


# --- The DPO's PDFs ---------------------------------------------------------------------------------------


def pdf_of(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return re.sub(
        r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    )


@pytest.mark.parametrize("name", ["log_pdf", "people_pdf"])
def test_the_dpos_pdfs_of_a_federal_cell_name_the_federal_law_and_not_the_decree(cast, as_user, name):
    federal(cast, cast.dpo)
    text = pdf_of(as_user(cast.dpo).get(console(name)))
    assert framework_line(cast.cell_a, "en") in text and not DECREE.search(text)


@pytest.mark.parametrize("name", ["log_pdf", "people_pdf"])
def test_the_dpos_pdfs_of_a_flemish_cell_name_the_decree(cast, as_user, name):
    text = pdf_of(as_user(cast.dpo).get(console(name)))
    assert framework_line(cast.cell_a, "en") in text and "Flemish decree" in text


def test_a_german_dpo_reads_the_log_pdf_with_german_dates(cast, as_user):
    federal(cast, cast.dpo)
    cast.dpo.language = "de"
    cast.dpo.save()
    with time_machine.travel(ANSWERED, tick=False):
        as_user(cast.dpo).get(console("log"))  # an entry of today, logged
        text = pdf_of(as_user(cast.dpo).get(console("log_pdf")))
    assert "14.12.2026" in text and framework_line(cast.cell_a, "de") in text


# --- The retention settings ---------------------------------------------------------------------------


def test_a_federal_cells_retention_settings_do_not_mention_the_decree(cast, as_user):
    federal(cast, cast.alice)
    content = html.unescape(
        as_user(cast.alice).get(reverse("retention:settings", kwargs={"cell_slug": "alfa"})).content.decode()
    )
    assert str(legal.references(cast.cell_a).retention) in content
    assert not DECREE.search(content)


def test_a_flemish_cells_retention_settings_say_the_decree_sets_the_periods(cast, as_user):
    content = html.unescape(
        as_user(cast.alice).get(reverse("retention:settings", kwargs={"cell_slug": "alfa"})).content.decode()
    )
    assert "The one-year rule for cases and its five-year maximum are set by the decree" in content
