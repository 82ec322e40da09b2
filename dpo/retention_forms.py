"""Forms of the DPO's retention pages: they validate and clean only."""

import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MonthForm(forms.Form):
    """`?month=2026-11`: the purge records of one month; empty for all of them."""

    month = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        help_text=_("As year and month, e.g. 2026-11. Leave empty for every month."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "2026-11"}),
    )

    def clean_month(self) -> datetime.date | None:
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{2})", value)
        if match is None or not 1 <= int(match[2]) <= 12 or int(match[1]) < 2000:
            raise forms.ValidationError(_("Give a month as year and month, e.g. 2026-11."))
        return datetime.date(int(match[1]), int(match[2]), 1)


class YearForm(forms.Form):
    """`?year=2026`: the year of the monthly report."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, required=False)

    def clean_year(self) -> int:
        year: Any = self.cleaned_data["year"]
        this_year = timezone.localdate().year
        if year is None:
            return this_year
        if year > this_year:
            raise forms.ValidationError(
                _("The report covers past months: choose this year or an earlier year.")
            )
        return int(year)
