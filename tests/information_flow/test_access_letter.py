"""The answer letter to a subject-access request (dpo/letters.py), read back from the PDF: what it
gives for full access, what it withholds and how it says so, that it says the same to a person the
cell does not hold and to one it may not say it holds, and that it is in the requester's language."""

import datetime
import re
import uuid

import pytest
from django.utils import timezone

from cases.models import ItemUse, UseConsent, UseKind
from dpo import access_requests as services
from dpo.letters import letter_pdf
from dpo.models import AccessRequestDetails, ExceptionGround
from livc.audit.models import AccessKind, LogAction, LogEntry
from retention import selectors as retention_selectors
from tests.information_flow.access_world import (
    RECEIVED,
    answer_all,
    item_question,
    officer_question,
    pdf_language,
    pdf_text,
    record,
    url,
)

pytestmark = pytest.mark.django_db

NO_DATA = "We hold no personal data about you that can be communicated."
RESTRICTIONS = "The law may restrict the right of access, for instance to protect an investigation."
AUTHORITY = "You may ask the Data Protection Authority (GBA/APD) to verify on your behalf"


def answered(members, access_request, **grounds):
    """Every question answered ("no exception" unless `grounds` names the question), then the request."""
    answer_all(access_request, **grounds)
    services.request_answer(member=members["dpo"], request=access_request)
    return AccessRequestDetails.objects.get(request=access_request)


def letter_of(members, access_request, **grounds) -> str:
    return pdf_text(letter_pdf(answered(members, access_request, **grounds)))


def nobody(members, **changes):
    return record(members, first_name="Nora", last_name="Niemand", **changes)


def carried_out(item, kind, *, by, partner=""):
    now = timezone.now()
    return ItemUse.objects.create(item=item, kind=kind, decision_id=uuid.uuid4(), partner=partner, asked_by=by,
                                  consent=UseConsent.GIVEN, consent_at=now, carried_out_at=now, carried_out_by=by)  # fmt: skip


# --- No data ----------------------------------------------------------------------------------------


def test_a_person_the_cell_does_not_hold_is_told_it_holds_no_data_that_can_be_communicated(cast, members):
    text = letter_of(members, nobody(members))
    assert NO_DATA in text and RESTRICTIONS in text and AUTHORITY in text
    assert "Nora Niemand" in text and "Kerkstraat 1" in text and "request 1" in text
    assert "LIVC-R Alfa" in text and "15 January 2025" in text
    assert "case table" not in text and "Your rights" not in text


# --- Full access ------------------------------------------------------------------------------------


def test_full_access_gives_the_table_the_purpose_the_identity_the_items_the_recipients_and_the_date(
    cast, members, person_items, case_a
):
    carried_out(person_items["bob"], UseKind.LTF_FEEDBACK, by=cast.officer)
    carried_out(person_items["bob"], UseKind.PARTNER, by=cast.alice, partner="Jeugdwerk Alfa vzw")
    carried_out(person_items["officer"], UseKind.INFORMING, by=cast.alice)
    text = letter_of(members, record(members))
    since = timezone.localtime(case_a.opened_at).date()
    kept = retention_selectors.retention_of_case(
        opened_at=case_a.opened_at, last_discussed_on=None, extensions=[]
    )
    for expected in (
        f"You are discussed at the case table of LIVC-R Alfa since {since.day} {since:%B %Y}.",
        "You were referred to the cell on 1 November 2026.",
        "to prevent terrorist offences, under the federal law of 30 July 2018",
        "Tom Testeling", "2 January 1999",
        "01/10/2024", "Behaviour", "EIK-SCHOOL: spijbelt sinds september.", "CLB Alfa",
        "EIK-GEZONDHEID: volgt therapie.", "Health",
        "EIK-POLITIE: gekend voor bedreigingen.", "Politiezone Alfa",
        "the Local Taskforce", "Jeugdwerk Alfa vzw", "you yourself, when you were informed",
        f"Your data is kept until {kept.keep_until.day} {kept.keep_until:%B %Y}",
        "Your rights", "corrected", "erased", "restricted",
        RESTRICTIONS, AUTHORITY,
    ):  # fmt: skip
        assert expected in text, expected
    assert NO_DATA not in text and "not communicated" not in text
    assert "EIK-INGETROKKEN" not in text  # withdrawn: gone


# --- Restricted access -----------------------------------------------------------------------------------


def test_restricted_access_states_a_third_partys_rights_without_naming_the_item(cast, members, person_items):
    carried_out(person_items["bob"], UseKind.PARTNER, by=cast.alice, partner="Jeugdwerk Alfa vzw")
    access_request = record(members)
    grounds = {str(item_question(access_request, person_items["bob"]).pk): ExceptionGround.THIRD_PARTY}
    text = letter_of(members, access_request, **grounds)
    assert "Some information is not communicated to you, to protect the rights of others." in text
    assert "EIK-SCHOOL" not in text and "Behaviour" not in text and "01/10/2024" not in text
    assert "Jeugdwerk Alfa vzw" not in text  # where the withheld item went is not told either
    assert "EIK-GEZONDHEID" in text and "EIK-POLITIE" in text  # the rest is given
    assert "Reden" not in text  # the owner's reason is for the DPO


def test_professional_secrecy_and_a_third_party_are_stated_together(cast, members, person_items):
    access_request = record(members)
    grounds = {
        str(item_question(access_request, person_items["bob"]).pk): ExceptionGround.THIRD_PARTY,
        str(
            item_question(access_request, person_items["bob_health"]).pk
        ): ExceptionGround.PROFESSIONAL_SECRECY,
    }
    text = letter_of(members, access_request, **grounds)
    assert "to protect the rights of others and because it is covered by professional secrecy." in text
    assert "EIK-SCHOOL" not in text and "EIK-GEZONDHEID" not in text and "EIK-POLITIE" in text


def test_an_item_withheld_for_an_investigation_is_not_mentioned_at_all(cast, members, person_items):
    carried_out(person_items["officer"], UseKind.LTF_FEEDBACK, by=cast.officer)
    access_request = record(members)
    grounds = {str(item_question(access_request, person_items["officer"]).pk): ExceptionGround.INVESTIGATION}
    text = letter_of(members, access_request, **grounds)
    full = letter_of(members, record(members, received_on=RECEIVED))
    assert "EIK-POLITIE" not in text and "Politiezone Alfa" not in text and "Police and judicial" not in text
    assert "not communicated" not in text and "the Local Taskforce" not in text
    assert text.count("investigation") == 1  # the paragraph every letter carries
    assert "EIK-SCHOOL" in text and "EIK-GEZONDHEID" in text
    assert full.count("investigation") == 1


# --- No oracle ---------------------------------------------------------------------------------------------


def _without_the_particulars(text: str, name: str) -> str:
    """The letter's text without what differs from one requester to the next: the name, the
    address, the reference number (the dates are the same: received and answered on the same days)."""
    text = text.replace(name, "<NAME>").replace("Kerkstraat 1 9999 Alfadorp", "<ADDRESS>")
    return re.sub(r"request \d+", "request <N>", text)


@pytest.mark.parametrize("withheld", ["case", "every_item"])
def test_a_person_withheld_for_an_investigation_gets_the_very_letter_of_a_person_the_cell_does_not_hold(
    cast, members, person_items, withheld
):
    unknown = letter_of(members, nobody(members))
    access_request = record(members)
    if withheld == "case":
        grounds = {str(officer_question(access_request).pk): ExceptionGround.INVESTIGATION}
    else:
        grounds = {str(item_question(access_request, item).pk): ExceptionGround.INVESTIGATION
                   for item in (person_items["bob"], person_items["bob_health"], person_items["officer"])}  # fmt: skip
    held = letter_of(members, access_request, **grounds)
    assert NO_DATA in held
    assert _without_the_particulars(held, "Tom Testeling") == _without_the_particulars(
        unknown, "Nora Niemand"
    )
    assert "Tom Testeling" in held and "request 2" in held  # what was replaced was there


def test_the_officers_whole_case_exception_on_another_ground_also_reads_as_no_data(
    cast, members, person_items
):
    access_request = record(members)
    grounds = {str(officer_question(access_request).pk): ExceptionGround.THIRD_PARTY}
    text = letter_of(members, access_request, **grounds)
    assert NO_DATA in text and "not communicated" not in text and "EIK-" not in text


def test_every_item_withheld_partly_for_a_third_party_states_that_ground(cast, members, person_items):
    access_request = record(members)
    grounds = {str(item_question(access_request, item).pk): ExceptionGround.INVESTIGATION
               for item in (person_items["bob_health"], person_items["officer"])}  # fmt: skip
    grounds[str(item_question(access_request, person_items["bob"]).pk)] = ExceptionGround.THIRD_PARTY
    text = letter_of(members, access_request, **grounds)
    assert NO_DATA not in text and "to protect the rights of others." in text and "EIK-" not in text


# --- Language ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "month"), [("nl", "15 januari 2025"), ("fr", "15 janvier 2025"), ("en", "15 January 2025")]
)
def test_the_letter_is_in_the_requesters_language(cast, members, person_items, language, month):
    pdf = letter_pdf(answered(members, record(members, language=language)))
    assert pdf_language(pdf) == language
    text = pdf_text(pdf)
    assert (
        month in text
        and "2 " + {"nl": "januari", "fr": "janvier", "en": "January"}[language] + " 1999" in text
    )


def test_the_letter_follows_the_requester_not_the_dpo(cast, members, person_items, as_user):
    cast.dpo.language = "fr"
    cast.dpo.save()
    access_request = record(members, language="nl")
    answered(members, access_request)
    response = as_user(cast.dpo).get(url("access_letter", pk=access_request.pk))
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    assert pdf_language(pdf) == "nl" and "15 januari 2025" in pdf_text(pdf)


# --- The download ------------------------------------------------------------------------------------------


def test_the_download_is_logged_against_the_case_and_as_an_event(
    cast, members, person_items, case_a, as_user
):
    access_request = record(members)
    client = as_user(cast.dpo)
    early = client.get(url("access_letter", pk=access_request.pk))
    assert early.status_code == 302  # not answered yet: no letter
    assert not LogEntry.objects.filter(action=LogAction.ACCESS, access_kind=AccessKind.DOWNLOAD).exists()
    answered(members, access_request)
    response = client.get(url("access_letter", pk=access_request.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "access-request-1-alfa.pdf" in response["Content-Disposition"]
    entry = LogEntry.objects.get(action=LogAction.ACCESS, access_kind=AccessKind.DOWNLOAD)
    assert entry.object_pk == str(access_request.pk) and entry.actor == cast.dpo
    assert list(entry.accessed_cases.values_list("case_pk", flat=True)) == [str(case_a.pk)]
    event = LogEntry.objects.get(action=LogAction.EVENT, event=services.LETTER_DOWNLOADED)
    assert event.object_pk == str(access_request.pk) and event.additional_data == {
        "number": 1,
        "language": "en",
    }


def test_the_letter_about_nobody_names_no_case(cast, members, seats, as_user):
    access_request = nobody(members)
    answered(members, access_request)
    assert as_user(cast.dpo).get(url("access_letter", pk=access_request.pk)).status_code == 200
    entry = LogEntry.objects.get(action=LogAction.ACCESS, access_kind=AccessKind.DOWNLOAD)
    assert not entry.accessed_cases.exists()


def test_a_referral_not_retained_is_told_as_such(cast, members, seats):
    from cases.services.identity import Identity
    from cases.services.referrals import QualificationData, ReferralData, referral_qualify, referral_submit

    referral = referral_submit(member=members["participant"], data=ReferralData(
        referred_on=datetime.date(2024, 12, 1), signals="Signalen.", pseudonym="Persoon Linde",
        discussed_internally=True, subject_is_minor=False, identity=Identity("Lies", "Linde", datetime.date(2001, 3, 4)),
    ))  # fmt: skip
    referral_qualify(member=members["coordinator"], referral=referral,
                     data=QualificationData(outcome="not_retained", reason="Geen terreurdreiging."))  # fmt: skip
    text = letter_of(
        members, record(members, first_name="Lies", last_name="Linde", birth_date=datetime.date(2001, 3, 4))
    )
    assert "LIVC-R Alfa received a referral about you on 1 December 2024." in text
    assert "The cell decided not to discuss you at its case table." in text
    assert "Lies Linde" in text and "Your data is kept until" in text and "Signalen" not in text
