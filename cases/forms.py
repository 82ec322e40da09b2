from typing import TYPE_CHECKING, cast

from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from cases import workflow
from cases.categories import categories_offered
from cases.identity import normalise_name
from cases.models import (
    Case,
    CaseStatus,
    InformingKind,
    Known,
    ReferralStatus,
    RelationKind,
    Urgency,
)
from cases.services.identity import Identity
from livc import legal
from livc.accounts.models import User
from livc.cells.models import Cell, Membership, Municipality, Role
from livc.forms import EMPTY_CHOICE, DateInput
from participants.models import Participant

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TEXT_LIMIT = 10_000


def _text(
    label: "StrOrPromise", *, required: bool = True, rows: int = 4, help_text: "StrOrPromise" = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LIMIT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class IdentityFields(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    address = _text(_("Address"), required=False, rows=2)
    contact = _text(_("Contact details"), required=False, rows=2)

    def identity(self) -> Identity:
        data = self.cleaned_data
        return Identity(
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            birth_date=data.get("birth_date"),
            address=data.get("address", ""),
            contact=data.get("contact", ""),
        )

    def clean_birth_date(self) -> object:
        birth_date = self.cleaned_data.get("birth_date")
        if birth_date and birth_date > timezone.localdate():
            raise forms.ValidationError(_("A date of birth cannot lie in the future."))
        return birth_date


class ReferralForm(IdentityFields):
    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        max_length=60,
        help_text=_("How the table will refer to the person, e.g. “Person Oak”. Never initials."),
    )
    referred_on = forms.DateField(label=_("Date of the signal"), widget=DateInput, initial=timezone.localdate)
    signals = _text(
        _("Signals and concerns"), rows=6, help_text=_("What did you see or hear, and why does it worry you?")
    )
    context = _text(_("Context"), required=False)
    existing_support = _text(_("Support already in place"), required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    minors_involved = forms.BooleanField(
        label=_("Minors are involved (e.g. the person's children)"), required=False
    )
    subject_is_minor = forms.BooleanField(label=_("The person is a minor"), required=False)
    identity_reason = _text(
        _("Why the table needs a minor's identity"),
        required=False,
        rows=2,
        help_text=_("Only for a minor whose identity you give: a coordinator or mayor approves it first."),
    )
    discussed_internally = forms.BooleanField(
        label=_("I discussed this signal within my own organisation first"), required=False
    )
    # Asked only when the cell covers several municipalities (the statistics count per municipality).
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        empty_label=EMPTY_CHOICE,
        help_text=_("The municipality the signal concerns."),
    )
    field_order = [
        "pseudonym", "municipality", "referred_on", "signals", "context", "existing_support", "urgency",
        "minors_involved", "subject_is_minor", "first_name", "last_name", "birth_date", "address", "contact",
        "identity_reason", "discussed_internally",
    ]  # fmt: skip

    def clean_referred_on(self) -> object:
        referred_on = self.cleaned_data["referred_on"]
        if referred_on > timezone.localdate():
            raise forms.ValidationError(_("The date of the signal cannot lie in the future."))
        return referred_on

    def __init__(self, *args: object, cell: Cell, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        municipalities = cell.municipalities.all()
        if len(municipalities) > 1:
            field = self.fields["municipality"]
            field.queryset = municipalities  # type: ignore[attr-defined]
            field.label_from_instance = lambda municipality: municipality.display_name()  # type: ignore[attr-defined]
        else:  # the only one is filled in (cases/services/referrals.py::referral_municipality)
            del self.fields["municipality"]


class QualifyForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (value, label) for value, label in ReferralStatus.choices if value != ReferralStatus.SUBMITTED
        ],
        widget=forms.RadioSelect,
    )
    aim_signals = _text(
        _("Signals that tie the case to preventing terrorist offences"),
        required=False,
        help_text=_("Required when retained: the only lawful aim of the table."),
    )
    reason = _text(_("Reason"), required=False, help_text=_("Required when not retained or redirected."))
    consulted_officer = forms.ModelChoiceField(
        label=_("Information officer consulted"),
        queryset=User.objects.none(),
        required=False,
        empty_label=EMPTY_CHOICE,
    )
    seat_referrer = forms.BooleanField(
        label=_("Seat the referrer at the case's table"), required=False, initial=True
    )

    def __init__(self, *args: object, cell: Cell, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        officers = Membership.objects.effective().filter(cell=cell, role=Role.INFORMATION_OFFICER)
        field = self.fields["consulted_officer"]
        field.queryset = User.objects.filter(memberships__in=officers)  # type: ignore[attr-defined]
        field.label_from_instance = lambda user: user.name  # type: ignore[attr-defined]


class IdentityForm(IdentityFields):
    pass


class IdentityRequestForm(IdentityFields):
    reason = _text(_("Why the table needs this minor's identity"), rows=3)


class StatusForm(forms.Form):
    """The statuses the workflow allows next; nothing is chosen beforehand. Closing is confirmed
    on a page of its own (`CloseForm`), which asks the reason."""

    status = forms.ChoiceField(label=_("New status"))

    def __init__(self, *args: object, case: Case, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", EMPTY_CHOICE)] + [
            (value, CaseStatus(value).label) for value in workflow.allowed_next(case.status)
        ]


class CloseForm(forms.Form):
    reason = _text(
        _("Reason for closing"),
        rows=3,
        help_text=_("Why the table ends its follow-up; the coordinator and the mayor can read it later."),
    )


class ReviewForm(forms.Form):
    review_on = forms.DateField(label=_("Next review"), required=False, widget=DateInput)


class SeatForm(forms.Form):
    participant = forms.ModelChoiceField(
        label=_("Participant"), queryset=Participant.objects.none(), empty_label=EMPTY_CHOICE
    )

    def __init__(self, *args: object, case: Case, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["participant"]
        field.queryset = (  # type: ignore[attr-defined]
            Participant.objects.filter(
                cell=case.cell,
                membership__is_active=True,
                membership__role=Role.PARTICIPANT,
            )
            .exclude(seats__case=case)
            .select_related("membership__user", "organisation")
            .order_by("membership__user__name")
        )
        field.label_from_instance = lambda p: f"{p.membership.user.name} ({p.organisation.name})"  # type: ignore[attr-defined]

    def has_candidates(self) -> bool:
        """Whether anyone may still be seated: a participant of the cell not at this table yet."""
        return self.fields["participant"].queryset.exists()  # type: ignore[attr-defined]


class ItemForm(forms.Form):
    """The categories are those the cell offers (`cases/categories.py`); where the cell's rules of
    procedure define them, each one's purpose is listed under the field."""

    category = forms.ChoiceField()
    text = _text(_("Information"), rows=5)
    justification = _text(
        _("Why this is necessary"), required=False, rows=2, help_text=_("Required for “other data”.")
    )
    shared_on = forms.DateField(label=_("Shared on"), widget=DateInput, initial=timezone.localdate)
    consent = forms.BooleanField(
        label=_("May be used at the table"),
        required=False,
        initial=True,
        help_text=_("Untick to keep it to yourself for now: information is used only with your agreement."),
    )

    def __init__(self, *args: object, cell: Cell, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        offered = categories_offered(cell)
        field = cast(forms.ChoiceField, self.fields["category"])
        field.label = str(legal.references(cell).category_field)
        field.choices = [("", EMPTY_CHOICE), *((category.key, category.name) for category in offered)]
        field.help_text = _purposes(offered)


def _purposes(offered: list[legal.Category]) -> str:
    """What each category with a stated purpose is for, as the rules of procedure say (their text is
    escaped here: Django marks a field's help text safe)."""
    rows = [
        (
            category.name,
            format_html(' <span class="badge badge--special">{}</span>', _("special category"))
            if category.special
            else "",
            category.purpose,
        )
        for category in offered
        if category.purpose
    ]
    if not rows:
        return ""
    return format_html(
        '{}<ul class="category-purposes">{}</ul>',
        _("What each category is for (rules of procedure):"),
        format_html_join("", "<li><strong>{}</strong>{}: {}</li>", rows),
    )


class RelationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Relation"), choices=[("", EMPTY_CHOICE), *RelationKind.choices])
    name = forms.CharField(label=_("Name or description"), max_length=150)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    is_minor = forms.BooleanField(label=_("Is a minor"), required=False)
    notes = _text(_("Notes"), required=False, rows=2)


class InformedForm(forms.Form):
    """The person who informed the subject records it: when, and what was said (rule 13)."""

    kind = forms.CharField(widget=forms.HiddenInput, initial=InformingKind.INFORMED)
    informed_on = forms.DateField(
        label=_("Informed on"),
        widget=DateInput,
        help_text=_("Not before the decision, not in the future."),
        error_messages={"required": _("Give the date the person was informed.")},
    )
    message = _text(_("What was said"), rows=2, help_text=_("No more than that the person was discussed."))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["message"].initial = _("You were discussed at the local integrated security cell.")
        self.fields["message"].error_messages["required"] = _(
            "Record what was said: no more than that the person was discussed."
        )


class DeferralForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput, initial=InformingKind.DEFERRED)
    deferral_reason = _text(_("Reason for deferring"), rows=2)
    review_on = forms.DateField(
        label=_("Review on"),
        widget=DateInput,
        error_messages={"required": _("Choose a review date after today.")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["deferral_reason"].error_messages["required"] = _("Give the reason for deferring.")


class KnownToServiceForm(forms.Form):
    """The "known to your service?" round: a seated participant's answer, for her service only."""

    answer = forms.ChoiceField(
        label=_("Is the person known to your service?"),
        choices=[(Known.KNOWN, _("Known")), (Known.NOT_KNOWN, _("Not known")), ("", _("Not stated"))],
        required=False,
        initial="",
        widget=forms.RadioSelect,
        help_text=_("Voluntary: you need not answer, and you can take your answer back at any time."),
    )


class UseAnswerForm(forms.Form):
    """An item's owner answers a request to use it beyond the table (rule 9)."""

    consent = forms.TypedChoiceField(
        choices=[("yes", _("I consent")), ("no", _("I refuse"))], coerce=lambda value: value == "yes"
    )


class CaseSearchForm(forms.Form):
    """The case search by what may travel in an address (a GET form): a reference or a pseudonym,
    the status, a meeting. A person's name never does: `PersonSearchForm`."""

    text = forms.CharField(
        label=_("Reference or pseudonym"),
        max_length=60,
        required=False,
        help_text=_("The start of a reference (2026-00…) or a part of a pseudonym; capitals do not matter."),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *CaseStatus.choices]
    )
    meeting = forms.TypedChoiceField(
        label=_("On the agenda of the meeting"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: object, meetings: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["meeting"].choices = [("", _("Any meeting")), *meetings]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not self.errors and not any(data.get(name) for name in ("text", "status", "meeting")):
            raise forms.ValidationError(
                _("Type a reference or a pseudonym, or choose a status or a meeting.")
            )
        return data


_NOT_KEPT = {"autocomplete": "off"}


class PersonSearchForm(forms.Form):
    """The case search by a person: name and date of birth together, found by the keyed hash only
    (exact). Sent by POST, so that the name and the date stay out of addresses, browser histories
    and the web server's logs."""

    # Not kept by the browser for filling in later forms: a name searched for is nobody's business.
    first_name = forms.CharField(label=_("First name"), max_length=100, widget=forms.TextInput(_NOT_KEPT))
    last_name = forms.CharField(label=_("Last name"), max_length=100, widget=forms.TextInput(_NOT_KEPT))
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput(_NOT_KEPT))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        first, last = data.get("first_name"), data.get("last_name")
        if first and last and not normalise_name(first, last):
            self.add_error("last_name", _("A name needs at least one letter."))
        return data

    def person(self) -> Identity:
        data = self.cleaned_data
        return Identity(
            first_name=data["first_name"], last_name=data["last_name"], birth_date=data["birth_date"]
        )
