"""No browser or proxy keeps a page of a logged-in user or a file handed out
(`livc/nostore.py`): after logging out, Back shows nothing from the cache."""

import pytest
from django.urls import reverse

from participants.rules import acknowledgement_record

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_every_page_of_a_logged_in_member_says_no_store(cast, as_user):
    acknowledgement_record(cell=cast.cell_a, user=cast.alice)
    client = as_user(cast.alice)
    slug = {"cell_slug": cast.cell_a.slug}
    for name in ("cells:home", "cases:list", "cases:referrals", "meetings:list", "meetings:actions",
                 "participants:participants"):  # fmt: skip
        response = client.get(reverse(name, kwargs=slug))
        assert response.status_code == 200, name
        assert no_store(response), name
        assert "private" in response["Cache-Control"], name


def test_redirects_and_errors_of_a_logged_in_member_say_no_store_too(cast, as_user):
    client = as_user(cast.charlie)
    response = client.get(reverse("cases:list", kwargs={"cell_slug": cast.cell_a.slug}))
    assert response.status_code == 404
    assert no_store(response)


def test_the_dpo_exports_say_no_store(cast, as_user):
    client = as_user(cast.dpo)
    slug = {"cell_slug": cast.cell_a.slug}
    for name in ("audit:log_csv", "audit:log_pdf", "audit:people_pdf"):
        response = client.get(reverse(name, kwargs=slug))
        assert response.status_code == 200, name
        assert "attachment" in response["Content-Disposition"], name
        assert no_store(response), name
