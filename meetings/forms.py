"""Forms of the meeting pages. They validate and clean; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import TEXT_LIMIT, DateInput
from livc.cells.models import Cell
from meetings.models import ActionStatus, AttendanceStatus, DecisionKind, MeetingKind
from participants.models import Participant

MINUTES_LIMIT = 50_000


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)  # type: ignore[arg-type]


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(
        label=_("Title"), max_length=150, help_text=_("No names: everyone sees the title.")
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput)
    location = forms.CharField(label=_("Location"), max_length=150, required=False)


class TopicForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200, help_text=_("No personal data in a topic."))


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(label=_("Attendance"), choices=AttendanceStatus.choices)
    acknowledged = forms.BooleanField(label=_("Acknowledged the secrecy in the room"), required=False)


class MinutesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    signals = forms.CharField(label=_("Signals"), required=False, max_length=MINUTES_LIMIT,
                              widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    assessment = forms.CharField(label=_("Assessment"), required=False, max_length=MINUTES_LIMIT,
                                 widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    agreements = forms.CharField(label=_("Agreements"), required=False, max_length=MINUTES_LIMIT,
                                 widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), choices=DecisionKind.choices)
    text = forms.CharField(
        label=_("Content or motivation"), required=False, max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A plan, the reason for closing, or the motivation for an extension or for revealing."),
    )  # fmt: skip
    extend_until = forms.DateField(label=_("Keep until (extension only)"), required=False, widget=DateInput)


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
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Participant.objects.none())
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
        self.fields["due_on"].initial = timezone.localdate()


class ActionCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(v, label) for v, label in ActionStatus.choices if v != ActionStatus.OPEN],
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=TEXT_LIMIT,
                             help_text=_("Required when not possible or not undertaken."))  # fmt: skip


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Correction"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )
