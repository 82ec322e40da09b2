"""Only the cell's own DPO reaches its console; everyone else gets 404 ("charlie" tests)."""

import pytest

from tests.audit.conftest import console, make_access

pytestmark = pytest.mark.django_db

PAGES = ["home", "log", "log_csv", "log_pdf", "object_accesses", "people", "people_pdf", "unusual", "thresholds",
         "breaches", "breach_new"]  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_the_dpo_opens_every_page_of_the_console(cast, as_user, page):
    assert as_user(cast.dpo).get(console(page)).status_code == 200


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["alice", "bob", "mayor", "officer", "charlie"])
def test_any_other_role_or_cell_gets_404(cast, as_user, page, who):
    assert as_user(getattr(cast, who)).get(console(page)).status_code == 404


def test_a_dpo_of_another_cell_gets_404_on_this_cells_console(cast, as_user, dpo_b):
    assert as_user(dpo_b).get(console("log")).status_code == 404
    assert as_user(dpo_b).get(console("user_accesses", user_id=cast.alice.pk)).status_code == 404


def test_the_dpo_of_cell_b_sees_nothing_of_cell_a(cast, as_user, dpo_b):
    make_access(cast.cell_a, cast.alice, object_pk=4242)
    make_access(cast.cell_b, cast.charlie, object_pk=5151)
    content = as_user(dpo_b).get(console("log", cell_slug="bravo")).content.decode()
    assert "5151" in content and "Charlie Claes" in content
    assert "4242" not in content and "Alice Aerts" not in content


def test_who_saw_what_refuses_a_user_of_another_cell(cast, as_user):
    assert as_user(cast.dpo).get(console("user_accesses", user_id=cast.charlie.pk)).status_code == 404


def test_the_console_never_shows_an_objects_text(cast, as_user):
    secret = make_access(cast.cell_a, cast.alice, cast.bob.memberships.get(), repr_text="Subject Jan Peeters")
    content = as_user(cast.dpo).get(console("log")).content.decode()
    assert "Subject Jan Peeters" not in content
    assert f"Membership {secret.object_pk}" in content or secret.object_pk in content


def test_the_dpo_sees_the_console_in_the_navigation(cast, as_user):
    content = as_user(cast.dpo).get(console("home")).content.decode()
    assert "Audit trail" in content and "Breach register" in content
    assert "Audit trail" not in as_user(cast.alice).get("/c/alfa/").content.decode()
