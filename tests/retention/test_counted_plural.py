"""Purge records count rows with the active language's plural rule."""

import pytest
from django.utils import translation

from retention.models import _counted


@pytest.mark.parametrize(
    ("language", "number", "singular"),
    [
        ("fr", 0, True),
        ("fr", 1, True),
        ("fr", 2, False),
        ("nl", 0, False),
        ("nl", 1, True),
        ("en", 0, False),
        ("de", 0, False),
        ("de", 1, True),
        ("de", 2, False),
    ],
)
def test_a_count_takes_the_languages_plural_form(language: str, number: int, singular: bool) -> None:
    with translation.override(language):
        from cases.models import Case

        names = (str(Case._meta.verbose_name), str(Case._meta.verbose_name_plural))
        assert _counted("cases.Case", number) == f"{number} {names[0] if singular else names[1]}"
