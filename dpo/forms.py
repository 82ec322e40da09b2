"""Forms of the DPO console: they validate and clean, nothing more."""

import datetime
import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dpo import lookups
from dpo.models import AuditSettings, Breach
from dpo.selectors import LogFilter, object_type_choices, user_choices
from livc import legal
from livc.audit import events
from livc.audit.models import AccessKind
from livc.cells.models import Cell
from livc.forms import EMPTY_CHOICE, DateInput, DateTimeInput
from meetings.document_numbers import EXAMPLE, document_number_normalise


def action_choices() -> list[tuple[str, str | Promise]]:
    """Create, update, delete, each kind of access, and each kind of event."""
    choices: list[tuple[str, str | Promise]] = [
        ("", _("Any action")),
        ("create", _("created")),
        ("update", _("changed")),
        ("delete", _("deleted")),
        ("access", _("any access")),
    ]
    choices += [(f"access:{value}", label) for value, label in AccessKind.choices]
    choices.append(("event", _("any event")))
    choices += [(f"event:{code}", label) for code, label in events.kinds().items()]
    return choices


class LogFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput)
    user = forms.TypedChoiceField(label=_("User"), required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.TypedChoiceField(label=_("Object type"), required=False, coerce=int, empty_value=None)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    case = forms.CharField(label=_("Case reference"), required=False, max_length=40)

    def __init__(self, data: Any = None, *, cell: Cell) -> None:
        super().__init__(data)
        self.cell = cell
        self._choices("user", [("", _("Anyone")), *user_choices(cell=cell)])
        self._choices("action", action_choices())
        self._choices("object_type", [("", _("Any type")), *object_type_choices()])
        self._choices("organisation", [("", _("Any organisation")), *lookups.organisation_choices(cell)])

    def _choices(self, name: str, choices: list[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period lies before its start."))
        if data.get("object_id") and not data.get("object_type"):
            self.add_error("object_type", _("Choose the type of the object whose id you typed."))
        return data

    def to_filter(self) -> LogFilter:
        data = self.cleaned_data
        return LogFilter(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            user_id=data.get("user"),
            action=data.get("action") or "",
            content_type_id=data.get("object_type"),
            object_pk=(data.get("object_id") or "").strip(),
            organisation=data.get("organisation") or "",
            case_reference=(data.get("case") or "").strip(),
        )

    def describe(self) -> list[tuple[str, str]]:
        """The filter in words, for the PDF and the page: (label, value) of each field used."""
        described = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            if isinstance(field, forms.ChoiceField):
                value = {str(key): label for key, label in field.choices}.get(str(value), value)  # type: ignore[union-attr,misc]
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            described.append((str(field.label), str(value)))
        return described


class ObjectFilterForm(LogFilterForm):
    """Who saw one object: its type and id (or a case reference), in a period."""

    def __init__(self, data: Any = None, *, cell: Cell) -> None:
        super().__init__(data, cell=cell)
        for name in ("user", "action", "organisation"):
            self.fields.pop(name, None)
        self.order_fields(["object_type", "object_id", "case", "date_from", "date_to"])


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the period lies before its start."))
        return data

    def period(self, *, default_days: int = 30) -> tuple[datetime.datetime, datetime.datetime]:
        today = timezone.localdate()
        start = self.cleaned_data.get("date_from") or today - datetime.timedelta(days=default_days)
        end = self.cleaned_data.get("date_to") or today
        as_moment = lambda day: timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))  # noqa: E731
        return as_moment(start), as_moment(end + datetime.timedelta(days=1))


class DocumentNumberForm(forms.Form):
    """The document number printed on a minutes PDF copy, as typed (any case, with or without dashes)."""

    number = forms.CharField(
        label=_("Document number"),
        max_length=40,
        help_text=_("Printed at the top of every page of a minutes PDF, under the recipient's name."),
    )

    def clean_number(self) -> str:
        number = document_number_normalise(self.cleaned_data["number"])
        if number is None:
            raise forms.ValidationError(
                _("A document number looks like %(example)s."), code="invalid", params={"example": EXAMPLE}
            )
        return number


class BreachForm(forms.ModelForm):
    class Meta:
        model = Breach
        fields = list(Breach.RECORDED_FIELDS)
        widgets = {
            "discovered_at": DateTimeInput,
            "occurred_at": DateTimeInput,
            "authority_informed_at": DateTimeInput,
            "subjects_informed_at": DateTimeInput,
            "description": forms.Textarea(attrs={"rows": 4}),
            "data_concerned": forms.Textarea(attrs={"rows": 3}),
            "cases_concerned": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 4}),
            "authority_not_informed_reason": forms.Textarea(attrs={"rows": 3}),
            "subjects_not_informed_reason": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "discovered_at": _("When the cell became aware of the breach; the 72 hours run from here."),
            "data_concerned": _("Which kinds of personal data, and roughly how many people."),
            "cases_concerned": _("Case references only; no names."),
            "authority_not_informed_reason": _(
                "Only if the breach is unlikely to result in a risk to the people concerned."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cell = self.instance.cell
        authority = self.fields["authority"]
        assert isinstance(authority, forms.ChoiceField)
        offered = legal.supervisory_authorities(cell)
        recorded = self.instance.authority
        if recorded and recorded not in dict(offered):  # an entry made before: it stays as recorded
            offered.append((recorded, self.instance.get_authority_display()))
        authority.choices = [("", EMPTY_CHOICE), *offered]
        authority.help_text = str(legal.authority_help(cell))  # built for one request, in its language
        # Blank only in a member's report, until the DPO assesses it.
        self.fields["data_concerned"].required = True


class AuditSettingsForm(forms.ModelForm):
    class Meta:
        model = AuditSettings
        fields = list(AuditSettings.THRESHOLD_FIELDS)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("office_hours_start"), data.get("office_hours_end")
        if start is not None and end is not None and not (0 <= start < end <= 24):
            self.add_error(
                "office_hours_end", _("Office hours must end after they start, at 24 at the latest.")
            )
        if data.get("burst_minutes") == 0:
            self.add_error("burst_minutes", _("The window lasts at least one minute."))
        return data


class BreachReportForm(forms.Form):
    """A member's report of a suspected breach (docs/rules.md, rule 16).

    `token` is a one-time token made when the empty form is shown: the same form sent twice
    opens one entry. A missing or garbled token is replaced by a fresh one, with a message, so
    that the form can simply be sent again.
    """

    description = forms.CharField(
        label=_("What did you see, or what happened?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "For example: a document sent to the wrong address, a lost laptop or phone, a printout "
            "left behind, a screen seen by someone outside the table. Give case references rather "
            "than names."
        ),
        error_messages={"required": _("Describe what you saw or what happened.")},
    )
    discovered_at = forms.DateTimeField(
        label=_("When did you notice it?"),
        widget=DateTimeInput,
        help_text=_("The 72 hours for informing the supervisory authority run from this moment."),
        error_messages={"required": _("Give the moment you noticed it.")},
    )
    occurred_at = forms.DateTimeField(
        label=_("When did it happen, if you know?"), widget=DateTimeInput, required=False
    )
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, data: Any = None) -> None:
        self.token_renewed = False
        if data is not None:
            data = data.copy()
            try:
                uuid.UUID(str(data.get("token", "")))
            except ValueError:
                data["token"], self.token_renewed = str(uuid.uuid4()), True
        now = timezone.localtime().replace(second=0, microsecond=0)
        super().__init__(data, initial={"token": uuid.uuid4(), "discovered_at": now})

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.token_renewed:
            self.add_error(
                None,
                _("This form could not be matched to the page it came from. Check it and send it again."),
            )
        latest = timezone.now() + Breach.CLOCK_SLACK
        noticed, happened = data.get("discovered_at"), data.get("occurred_at")
        if noticed and noticed > latest:
            self.add_error("discovered_at", _("The moment you noticed it cannot lie in the future."))
        if happened and happened > latest:
            self.add_error("occurred_at", _("This moment cannot lie in the future."))
        elif happened and noticed and happened > noticed:
            self.add_error("occurred_at", _("It cannot have happened after it was noticed."))
        return data


class CaseReferenceForm(forms.Form):
    """A case's reference, as typed: the DPO sees no list of cases, she asks for one she knows."""

    reference = forms.CharField(
        label=_("Case reference"),
        max_length=20,
        help_text=_("As the case is known in the cell, e.g. 2026-0004."),
    )

    def clean_reference(self) -> str:
        return str(self.cleaned_data["reference"]).strip()
