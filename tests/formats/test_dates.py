"""Dates: ISO in date inputs whatever the language, one Belgian long and short form on pages (the
German-speaking Community's German: "7. Dezember 2026", 07.12.2026)."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, translation

from livc.forms import DateInput, DateTimeInput
from tests.i18n.languages import LANGUAGES

DAY = datetime.date(2026, 12, 2)
MOMENT = datetime.datetime(2026, 12, 2, 9, 5)


class Dated(forms.Form):
    day = forms.DateField(widget=DateInput, initial=DAY)
    moment = forms.DateTimeField(widget=DateTimeInput, initial=MOMENT)


@pytest.mark.parametrize("language", LANGUAGES)
def test_date_inputs_are_prefilled_in_iso_in_every_language(language: str) -> None:
    with translation.override(language):
        html = str(Dated())
    assert 'type="date"' in html and 'value="2026-12-02"' in html
    assert 'type="datetime-local"' in html and 'value="2026-12-02T09:05"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_typed_belgian_date_is_understood_too(language: str) -> None:
    with translation.override(language):
        form = Dated(data={"day": "02/12/2026", "moment": "2026-12-02T09:05"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == DAY


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [
        ("nl", "2 december 2026", "02/12/2026"),
        ("fr", "2 décembre 2026", "02/12/2026"),
        ("en", "2 December 2026", "02/12/2026"),
        ("de", "2. Dezember 2026", "02.12.2026"),
    ],
)
def test_pages_write_one_long_and_one_short_form(language: str, long: str, short: str) -> None:
    template = Template('{{ day|date:"DATE_FORMAT" }}|{{ day|date:"SHORT_DATE_FORMAT" }}|{{ day|date }}')
    with translation.override(language):
        assert template.render(Context({"day": DAY})) == f"{long}|{short}|{long}"


def test_german_dates_read_as_in_the_german_speaking_community() -> None:
    seventh = datetime.date(2026, 12, 7)
    template = Template(
        '{{ day|date:"DATE_FORMAT" }}|{{ day|date:"SHORT_DATE_FORMAT" }}|{{ moment|date:"DATETIME_FORMAT" }}|'
        '{{ moment|date:"SHORT_DATETIME_FORMAT" }}|{{ day|date:"MONTH_DAY_FORMAT" }}'
    )
    with translation.override("de"):
        shown = template.render(Context({"day": seventh, "moment": datetime.datetime(2026, 12, 7, 9, 5)}))
        assert formats.date_format(seventh) == "7. Dezember 2026"
        form = Dated(data={"day": "07.12.2026", "moment": "2026-12-07T09:05"})
        assert form.is_valid(), form.errors
    assert shown == "7. Dezember 2026|07.12.2026|7. Dezember 2026, 09:05|07.12.2026 09:05|7. Dezember"
    assert form.cleaned_data["day"] == seventh


def test_no_template_writes_a_date_pattern_of_its_own() -> None:
    """Templates name a format; only the audit log keeps seconds (d/m/Y H:i:s) and links keep ISO."""
    import re
    from pathlib import Path

    allowed = {'"d/m/Y H:i:s"', "'c'", "'Y-m-d'", "'Y-m'"}
    found = []
    for path in Path(__file__).resolve().parents[2].joinpath("templates").rglob("*.html"):
        for pattern in re.findall(r"\|date:(\"[^\"]*\"|'[^']*')", path.read_text()):
            if not pattern.strip("\"'").endswith("_FORMAT") and pattern not in allowed:
                found.append(f"{path.name}: {pattern}")
    assert not found
