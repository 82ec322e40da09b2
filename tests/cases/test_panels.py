import pytest
from django.urls import reverse

from cases import panels

pytestmark = pytest.mark.django_db


def test_an_app_adds_a_panel_to_the_case_page(cast, as_user, case_a, monkeypatch):
    monkeypatch.setattr(
        panels, "_sources", [lambda case: panels.CasePanel("Bewaring", [f"Tot ooit ({case.reference})"])]
    )
    content = (
        as_user(cast.bob)
        .get(reverse("cases:detail", kwargs={"cell_slug": "alfa", "pk": case_a.pk}))
        .content.decode()
    )
    assert "Bewaring" in content and f"Tot ooit ({case_a.reference})" in content
