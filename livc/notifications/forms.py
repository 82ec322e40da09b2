from typing import Any

from django import forms

from livc.notifications.models import Delivery, NotificationKind


class PreferencesForm(forms.Form):
    """One choice of delivery per kind the person may receive."""

    def __init__(self, *args: Any, kinds: list[str], current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind] = forms.ChoiceField(
                label=NotificationKind(kind).label,
                choices=Delivery.choices,
                initial=current[kind],
                widget=forms.RadioSelect,
            )
