from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from livc import legal
from livc.accounts.forms import NATIVE_LANGUAGE_NAMES
from livc.cells.models import Cell
from livc.forms import EMPTY_CHOICE
from participants.models import Organisation, OrganisationType, Participant, ParticipantKind
from participants.rules import CATEGORY_NAME_LIMIT, CATEGORY_PURPOSE_LIMIT, MAX_CATEGORIES

TEXT_LIMIT = 5000


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "type"]
        help_texts = {
            "type": _(
                "Federal police, State Security, ADIV, OCAD, the Immigration Office and lawyers involved in "
                "a case can be recorded, but never invited."
            )
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["type"].choices = [("", EMPTY_CHOICE), *OrganisationType.choices]  # type: ignore[attr-defined]


class InvitationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=EMPTY_CHOICE
    )
    function = forms.CharField(label=_("Function"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Professional or volunteer"),
        choices=ParticipantKind.choices,
        widget=forms.RadioSelect,
        initial=ParticipantKind.PROFESSIONAL,
    )
    as_fixed_representative = forms.BooleanField(
        label=_("Sits as the organisation's fixed representative"),
        required=False,
        help_text=_("Instead of the case worker; the previous fixed representative, if any, is replaced."),
    )
    motivation = forms.CharField(
        label=_("What does this function contribute?"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    language = forms.ChoiceField(label=_("Language of the invitation e-mail"), choices=NATIVE_LANGUAGE_NAMES)

    def __init__(self, *args: object, cell: Cell, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].queryset = Organisation.objects.filter(cell=cell).order_by("name")  # type: ignore[attr-defined]
        # Why the function helps, in the words of the law the cell works under (livc/legal.py).
        self.fields["motivation"].help_text = format_lazy(
            "{} {}",
            legal.references(cell).motivation_help,
            _("The mayor decides on this motivation: the person is invited for what their function adds."),
        )

    def clean_organisation(self) -> Organisation:
        organisation: Organisation = self.cleaned_data["organisation"]
        if organisation.is_excluded:
            raise forms.ValidationError(str(organisation.exclusion_reason))
        return organisation


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["function", "kind", "is_fixed_representative", "substitute"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        participant: Participant = self.instance
        self.fields["substitute"].queryset = (  # type: ignore[attr-defined]
            Participant.objects.filter(organisation=participant.organisation, membership__is_active=True)
            .exclude(pk=participant.pk)
            .select_related("membership__user")
        )
        self.fields["substitute"].label_from_instance = lambda p: p.membership.user.name  # type: ignore[attr-defined]
        self.fields["substitute"].empty_label = _("No substitute")  # type: ignore[attr-defined]


class RulesForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the rules of procedure"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_("Participants, purpose and working rules of the cell (art. 458ter Sw.)."),
    )


class CategoryForm(forms.Form):
    """One data category the rules of procedure define (a cell under the federal law only)."""

    key = forms.CharField(required=False, widget=forms.HiddenInput)  # checked by the service
    name = forms.CharField(
        label=_("Name of the data category"), required=False, max_length=CATEGORY_NAME_LIMIT
    )
    special = forms.BooleanField(
        label=_("Special category of personal data (GDPR art. 9 and 10)"), required=False
    )
    purpose = forms.CharField(
        label=_("Why the purpose of the cell needs it"),
        required=False,
        max_length=CATEGORY_PURPOSE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only data the purpose needs may be shared: preventing terrorist offences through "
            "individual, case-based follow-up."
        ),
    )


class BaseCategoryFormSet(forms.BaseFormSet):
    """The rows of data categories: `entries()` gives what to save; `add_service_errors` puts the
    service's refusals on the rows they name (participants/rules.py::rules_draft_save)."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this data category")

    def entries(self) -> list[dict[str, object]]:
        """The categories to save, in order: every row not removed and not left empty."""
        self._entry_forms = [
            form
            for form in self.forms
            if not form.cleaned_data.get("DELETE")
            and (
                form.cleaned_data.get("name")
                or form.cleaned_data.get("purpose")
                or form.cleaned_data.get("special")
            )
        ]
        return [
            {field: form.cleaned_data.get(field) for field in ("key", "name", "special", "purpose")}
            for form in self._entry_forms
        ]

    def add_service_errors(self, error: ValidationError) -> ValidationError | None:
        """Show the refusals about the categories here; return the rest, for the form."""
        if not hasattr(error, "error_dict"):
            return error
        rest = {}
        for key, messages in error.error_dict.items():
            if key == "categories":
                self.non_form_errors().extend(messages)
            elif key.startswith("categories-"):
                _prefix, index, field = key.split("-", 2)
                self._entry_forms[int(index)].add_error(field, messages)
            else:
                rest[key] = messages
        return ValidationError(rest) if rest else None


CategoryFormSet = cast(
    type[BaseCategoryFormSet],
    forms.formset_factory(
        CategoryForm,
        formset=BaseCategoryFormSet,
        extra=3,
        can_delete=True,
        can_delete_extra=False,
        max_num=MAX_CATEGORIES,
        absolute_max=MAX_CATEGORIES + 10,  # more rows than this is refused, never built
    ),
)


class AcknowledgeForm(forms.Form):
    acknowledge = forms.BooleanField(
        label=_(
            "I have read the statement and the rules of procedure, and I will keep the secrecy of the table."
        ),
        error_messages={"required": _("Tick the box to confirm; without it you cannot take part.")},
    )


class NewAccountForm(AcknowledgeForm):
    name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; not a common or all-digit password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order = ["name", "password1", "password2", "acknowledge"]

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class DeclineForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why do you decline?"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: object, professional: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if professional:
            self.fields["motivation"].help_text = _(
                "As a professional you give a written motivation; the mayor and the coordinator read it."
            )
        else:
            self.fields["motivation"].help_text = _("Optional for a volunteer.")
