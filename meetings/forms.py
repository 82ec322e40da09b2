"""Forms of the meeting pages. They validate and clean; the services decide."""

import datetime
from collections.abc import Sequence

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cases.forms import TEXT_LIMIT
from cases.models import Case, InformationItem
from cases.selectors import item_usable_list
from livc.cells.models import Cell
from livc.forms import EMPTY_CHOICE, DateInput, DateTimeInput
from meetings.models import (
    ActionStatus,
    AgendaProposal,
    AttendanceStatus,
    DecisionKind,
    ItemKind,
    Meeting,
    MeetingKind,
)
from participants.models import Participant

MINUTES_LIMIT = 50_000
# An action agreed at the table is due, unless changed, two weeks later.
DEFAULT_DUE = datetime.timedelta(days=14)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(
        label=_("Title"), max_length=150, help_text=_("No names: everyone sees the title.")
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput)
    location = forms.CharField(label=_("Location"), max_length=150, required=False)

    def __init__(self, *args: object, editing: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if editing:  # a planned meeting keeps its kind: its agenda depends on it
            del self.fields["kind"]


def _choose(choices: Sequence[tuple[str, object]]) -> list[tuple[str, object]]:
    """The choices with "Choose…" first: nothing is chosen for the user."""
    return [("", EMPTY_CHOICE), *choices]


class TopicForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200, help_text=_("No personal data in a topic."))


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(label=_("Attendance"), choices=_choose(AttendanceStatus.choices))
    acknowledged = forms.BooleanField(label=_("Acknowledged the secrecy in the room"), required=False)


class MinutesForm(forms.Form):
    """A case item's minutes: signals, assessment, agreements. A topic has one text ("Minutes"),
    the review of open actions its agreements; both are kept in `agreements`."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    signals = forms.CharField(label=_("Signals"), required=False, max_length=MINUTES_LIMIT,
                              widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    assessment = forms.CharField(label=_("Assessment"), required=False, max_length=MINUTES_LIMIT,
                                 widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    agreements = forms.CharField(label=_("Agreements"), required=False, max_length=MINUTES_LIMIT,
                                 widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip

    def __init__(self, *args: object, kind: str = ItemKind.CASE, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if kind != ItemKind.CASE:
            del self.fields["signals"], self.fields["assessment"]
        if kind == ItemKind.TOPIC:
            self.fields["agreements"].label = _("Minutes")
            self.fields["agreements"].widget.attrs["rows"] = 8


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), choices=_choose(DecisionKind.choices))
    text = forms.CharField(
        label=_("Content or motivation"), required=False, max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A plan, the reason for closing, or the motivation for an extension or for revealing."),
    )  # fmt: skip
    extend_until = forms.DateField(label=_("Keep until (extension only)"), required=False, widget=DateInput)
    items = forms.ModelMultipleChoiceField(
        label=_("Information used (feedback, informing, sharing)"),
        queryset=InformationItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each item's owner is asked to consent to this use; only what they consent to goes."),
    )
    partner = forms.CharField(
        label=_("Partner (sharing only)"), max_length=200, required=False,
        help_text=_("The organisation the information is shared with."),
    )  # fmt: skip

    def __init__(self, *args: object, case: Case | None = None, **kwargs: object) -> None:
        """`case`: the agenda item's case, whose items the decision may use."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["items"]
        field.queryset = item_usable_list(case=case) if case is not None else InformationItem.objects.none()  # type: ignore[attr-defined]
        field.label_from_instance = _item_label  # type: ignore[attr-defined]


def _item_label(item: InformationItem) -> str:
    """An item as a decision lists it: category, its owner's organisation, the date it was shared."""
    shared_on = date_format(item.shared_on, "SHORT_DATE_FORMAT")
    return f"{item.category_label} · {item.organisation.name} · {shared_on}"


class AgreementForm(forms.Form):
    participant = forms.ModelChoiceField(queryset=Participant.objects.none(), widget=forms.HiddenInput)
    agrees = forms.TypedChoiceField(
        choices=[("yes", _("Agrees")), ("no", _("Does not agree"))], coerce=lambda value: value == "yes"
    )

    def __init__(self, *args: object, cell: Cell, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["participant"].queryset = Participant.objects.filter(cell=cell)  # type: ignore[attr-defined]


class ActionForm(forms.Form):
    description = forms.CharField(label=_("What is to be done"), max_length=TEXT_LIMIT,
                                  widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=Participant.objects.none(), empty_label=EMPTY_CHOICE
    )
    due_on = forms.DateField(label=_("Due on"), widget=DateInput)

    def __init__(self, *args: object, cell: Cell, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["owner"]
        field.queryset = (  # type: ignore[attr-defined]
            Participant.objects.filter(cell=cell, membership__is_active=True)
            .select_related("membership__user", "organisation")
            .order_by("membership__user__name")
        )
        field.label_from_instance = lambda p: f"{p.membership.user.name} ({p.organisation.name})"  # type: ignore[attr-defined]
        self.fields["due_on"].initial = timezone.localdate() + DEFAULT_DUE


class ActionCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=_choose([(v, label) for v, label in ActionStatus.choices if v != ActionStatus.OPEN]),
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=TEXT_LIMIT,
                             help_text=_("Required when not possible or not undertaken."))  # fmt: skip


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Correction"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )


class StandInForm(forms.Form):
    """Name the recorded substitute of a fixed representative for one meeting."""

    representative = forms.ModelChoiceField(
        label=_("Fixed representative"), queryset=Participant.objects.none(), empty_label=EMPTY_CHOICE
    )

    def __init__(self, *args: object, representatives: "QuerySet[Participant]", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["representative"]
        field.queryset = representatives  # type: ignore[attr-defined]
        field.label_from_instance = _stand_in_label  # type: ignore[attr-defined]


def _stand_in_label(representative: Participant) -> str:
    assert representative.substitute is not None
    return _("%(name)s (%(organisation)s), substitute: %(substitute)s") % {
        "name": representative.membership.user.name,
        "organisation": representative.organisation.name,
        "substitute": representative.substitute.membership.user.name,
    }


# --- Agenda proposals ------------------------------------------------------------------------------

PROPOSAL_TEXT_LIMIT = AgendaProposal._meta.get_field("reason").max_length or 1000


class ProposalForm(forms.Form):
    """A case (named by the page) or a policy topic, with the reason the table should discuss it."""

    topic = forms.CharField(
        label=_("Topic"), max_length=AgendaProposal._meta.get_field("topic").max_length,
        help_text=_("A policy topic, no names: the topic is seen by everyone at the meeting."),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Why should the table discuss it?"), max_length=PROPOSAL_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few sentences for the coordinator."),
        error_messages={"required": _("Say in a few words why the table should discuss it.")},
    )  # fmt: skip

    def __init__(self, *args: object, topic: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not topic:  # a case's proposal: the case is the page's
            del self.fields["topic"]


class ProposalAcceptForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Put it on the agenda of"), queryset=Meeting.objects.none(), empty_label=EMPTY_CHOICE,
        error_messages={"required": _("Choose the meeting whose agenda takes it.")},
    )  # fmt: skip
    message = forms.CharField(
        label=_("Message to the proposer (optional)"), required=False, max_length=PROPOSAL_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args: object, meetings: "QuerySet[Meeting]", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["meeting"]
        field.queryset = meetings  # type: ignore[attr-defined]
        field.label_from_instance = _meeting_label  # type: ignore[attr-defined]


def _meeting_label(meeting: Meeting) -> str:
    when = date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
    return f"{when} · {meeting.title} · {meeting.get_kind_display()}"


class ProposalDeclineForm(forms.Form):
    message = forms.CharField(
        label=_("Why it is declined"), max_length=PROPOSAL_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The member who proposed it reads this."),
        error_messages={"required": _("Tell the proposer why it is declined.")},
    )  # fmt: skip
