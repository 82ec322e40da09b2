"""Forms of the register of subject-access requests: they validate and clean; the services
(`dpo/access_requests.py`) check the rules again."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dpo.models import ExceptionGround, RequesterLanguage
from livc.forms import EMPTY_CHOICE, DateInput


class AccessRequestForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    birth_date = forms.DateField(
        label=_("Date of birth"),
        widget=DateInput,
        help_text=_("The person is found by name and date of birth, as the cell recorded them."),
    )
    identity_check = forms.CharField(
        label=_("How the identity was checked"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: a copy of the identity card enclosed with a signed letter."),
    )
    postal_address = forms.CharField(
        label=_("Address for the answer"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    language = forms.ChoiceField(label=_("Language of the answer"), choices=RequesterLanguage.choices)
    received_on = forms.DateField(
        label=_("Received on"), widget=DateInput, help_text=_("The answer is due one month later.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate


class ExtensionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why more time is needed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The requester must be told of the extension and its reason within the first month."),
    )


APPLIES_CHOICES = [("no", _("No exception applies")), ("yes", _("An exception applies"))]


class QuestionAnswerForm(forms.Form):
    applies = forms.ChoiceField(label=_("Your answer"), choices=APPLIES_CHOICES, widget=forms.RadioSelect)
    ground = forms.ChoiceField(label=_("Which exception"), required=False)
    reason = forms.CharField(
        label=_("Why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when an exception applies. Only the data-protection officer reads it."),
    )

    def __init__(self, *args: Any, officer: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ground = self.fields["ground"]
        assert isinstance(ground, forms.ChoiceField)
        ground.choices = [("", EMPTY_CHOICE), *ExceptionGround.choices]
        if officer and not self.is_bound:
            ground.initial = ExceptionGround.INVESTIGATION

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("applies") == "yes":
            if not data.get("ground"):
                self.add_error("ground", _("Choose which exception applies."))
            if not (data.get("reason") or "").strip():
                self.add_error(
                    "reason", _("Say why the exception applies: the restriction must be justified.")
                )
        return data

    @classmethod
    def for_question(cls, question: Any, data: Any = None) -> "QuestionAnswerForm":
        """The form of one question, keyed by its id (a page shows several), filled with its answer."""
        initial: dict[str, Any] = {}
        if question.applies is not None:
            initial = {"applies": "yes" if question.applies else "no", "ground": question.ground,
                       "reason": question.reason}  # fmt: skip
        return cls(data, prefix=f"q-{question.pk}", initial=initial, officer=question.item_id is None)
