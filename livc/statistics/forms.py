"""The statistics page's choice of year and, for a joint cell, municipality: it validates only."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from livc.cells.models import Cell
from livc.statistics.selectors import ALL, WHOLE_CELL, report_scopes


class ReportForm(forms.Form):
    """`?year=2026&municipality=12`: the year of the report and the part of a joint cell it covers
    (every field optional: this year, the whole cell)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)

    def __init__(self, data: Any, *, cell: Cell, years: list[int]) -> None:
        super().__init__(data)
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        year.choices = [(y, str(y)) for y in years]
        year.initial = years[0]
        municipalities = list(cell.municipalities.all())
        if len(municipalities) > 1:
            field = self.fields["municipality"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", WHOLE_CELL), *((s.key, s.label) for s in report_scopes(municipalities))]
        else:
            del self.fields["municipality"]
        self.default_year = years[0]

    def chosen(self) -> tuple[int, str]:
        """The valid form's year and scope (`ALL` for the whole cell)."""
        data = self.cleaned_data
        return data.get("year") or self.default_year, data.get("municipality") or ALL
