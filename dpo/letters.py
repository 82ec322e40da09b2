"""The answer letter to a subject-access request: what it says, and its PDF in the requester's
language (docs/adr/0013-item-use-ledger-and-access-requests.md).

What the letter gives (GDPR art. 15(1)), when the cell holds the person and may say so: that they
are discussed at the case table and since when, the purpose (preventing terrorist offences, under
the federal law of 30 July 2018), the identity data held, the referral's date, each item that may
be given (date, data category, text, source organisation), who received it (the case table; the
uses carried out in the ledger: the Local Taskforce, partners, the person themself), until when it
is kept, and the person's rights.

What it withholds (art. 23; the law of 30 July 2018): an item withheld for a third party's rights
or professional secrecy is not named, but one sentence says that some information is not
communicated, and on which of those grounds. An item withheld for the secrecy of an
investigation is not mentioned at all. When the information officer withholds the case as a whole,
or every item is withheld for an investigation so that nothing of the case may be given, the
letter is the very text sent to a person the cell does not hold: "no personal data that can be
communicated". Every letter carries the same paragraph on restrictions and the supervisory
authority (whose address is `legal.COMPLAINT_AUTHORITY_ADDRESS`), and the same footer naming the
cell's legal framework (`legal.references`), so that no letter tells the two apart.

The letter is in the requester's language (nl, fr, de or en): its words through the catalogues, its
dates through that language's formats (livc/formats: "7. Dezember 2026" in German), its `<html
lang>`. Only the file name is the same in every language.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import Case, InformationItem, ItemUse, Referral, Subject, UseKind
from dpo.models import AccessRequest, AccessRequestDetails, ExceptionGround, ExceptionQuestion
from livc import legal
from livc.pdf import render_pdf
from retention import selectors as retention_selectors

TEMPLATE = "dpo/pdf/access_letter.html"


@dataclass(frozen=True)
class GivenItem:
    shared_on: datetime.date
    category: str
    text: str
    organisation: str


@dataclass
class Letter:
    """What one letter says; `holds_data` False is the one "no data" text."""

    cell_name: str
    number: int
    received_on: datetime.date
    written_on: datetime.date
    first_name: str
    last_name: str
    postal_address: str
    language: str
    framework: str = ""  # the line naming the instruments the cell works under, in the letter's language
    authority_address: str = legal.COMPLAINT_AUTHORITY_ADDRESS  # where a complaint is lodged
    holds_data: bool = False
    case_since: datetime.date | None = None  # discussed at the case table since (None: a referral only)
    referral_on: datetime.date | None = None
    referral_status: str = ""  # a referral without a case: submitted, not_retained or redirected
    identity: list[tuple[str, str]] = field(default_factory=list)  # (label, value), in the letter's language
    items: list[GivenItem] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    # The grounds the letter names (third_party, professional_secrecy): never an investigation.
    withheld_grounds: list[str] = field(default_factory=list)
    kept_until: datetime.date | None = None


def letter_case(details: AccessRequestDetails) -> Case | None:
    """The case the letter is about (its download is logged against it); None if nobody matched."""
    if details.subject_id is None:
        return None
    return Case.objects.filter(subject_id=details.subject_id).first()


def letter_content(details: AccessRequestDetails) -> Letter:
    """What the letter says; call it inside `translation.override(details.language)`."""
    request: AccessRequest = details.request
    letter = Letter(
        cell_name=request.cell.name,
        number=request.number,
        received_on=request.received_on,
        written_on=request.answered_on or timezone.localdate(),
        first_name=details.first_name,
        last_name=details.last_name,
        postal_address=details.postal_address,
        language=details.language,
        framework=str(legal.references(request.cell).framework),
    )
    subject = Subject.objects.filter(pk=details.subject_id).first() if details.subject_id else None
    if subject is None:
        return letter
    questions = list(ExceptionQuestion.objects.filter(details=details).select_related("item__organisation"))
    officer = next((question for question in questions if question.item_id is None), None)
    if officer is not None and officer.applies:
        return letter  # the case as a whole is withheld: the "no data" text
    case = Case.objects.filter(subject=subject).select_related("referral").first()
    referral = case.referral if case is not None else Referral.objects.filter(subject=subject).first()
    about_items = [q for q in questions if q.item is not None and q.item.withdrawn_at is None]
    given = [q.item for q in about_items if q.item is not None and q.applies is False]
    withheld = {q.ground for q in about_items if q.applies}
    if about_items and not given and withheld == {ExceptionGround.INVESTIGATION}:
        return letter  # nothing of the case may be given, for an investigation: the "no data" text
    letter.holds_data = True
    if case is not None:
        letter.case_since = timezone.localtime(case.opened_at).date()
    if referral is not None:
        letter.referral_on = referral.referred_on
        letter.referral_status = "" if case is not None else referral.status
    letter.identity = _identity(subject)
    letter.items = [
        GivenItem(item.shared_on, item.category_label, item.text, item.organisation.name)
        for item in sorted(given, key=lambda item: (item.shared_on, item.created_at))
    ]
    letter.recipients = _recipients(given)
    letter.withheld_grounds = [
        str(ground)
        for ground in (ExceptionGround.THIRD_PARTY, ExceptionGround.PROFESSIONAL_SECRECY)
        if ground in withheld
    ]
    letter.kept_until = _kept_until(case, referral)
    return letter


def _identity(subject: Subject) -> list[tuple[str, str]]:
    rows = [(_("Name"), subject.full_name)]
    if subject.birth_date:
        rows.append((_("Date of birth"), date_format(subject.birth_date)))
    if subject.address:
        rows.append((_("Address"), subject.address))
    if subject.contact:
        rows.append((_("Contact details"), subject.contact))
    return rows


def _recipients(items: list[InformationItem]) -> list[str]:
    """Who received the given items beyond the case table: the uses carried out, once each."""
    uses = ItemUse.objects.filter(item__in=items, carried_out_at__isnull=False).order_by("carried_out_at")
    named: dict[str, str] = {
        UseKind.LTF_FEEDBACK: _("the Local Taskforce"),
        UseKind.INFORMING: _("you yourself, when you were informed"),
    }
    names: list[str] = []
    for kind, partner in uses.values_list("kind", "partner"):
        name = named.get(kind, partner)
        if name and name not in names:
            names.append(name)
    return names


def _kept_until(case: Case | None, referral: Referral | None) -> datetime.date | None:
    if case is not None:
        extensions = retention_selectors.extensions_by_case([case.pk]).get(case.pk, [])
        return retention_selectors.retention_of_case(
            opened_at=case.opened_at, last_discussed_on=case.last_discussed_on, extensions=extensions
        ).keep_until
    if referral is not None:
        own, default = retention_selectors.not_retained_days_by_cell([referral.cell_id])
        retention = retention_selectors.referral_retention_get(
            referral=referral, keep_days=own.get(referral.cell_id, default)
        )
        return retention.keep_until if retention is not None else None
    return None


def letter_pdf(details: AccessRequestDetails) -> bytes:
    """The letter as a tagged PDF, in the requester's language (words, dates and `<html lang>`)."""
    with translation.override(details.language):
        letter = letter_content(details)
        return render_pdf(TEMPLATE, {"letter": letter, "title": _("Your request for access")})


def letter_filename(request: AccessRequest) -> str:
    """The same in every language, like the console's other downloads; the letter inside is in the
    requester's."""
    return f"access-request-{request.number}-{request.cell.slug}.pdf"
