"""The header's cell switcher: only for a person with roles in several cells, and only their cells."""

import pytest
from django.urls import reverse

from tests.factories import CellFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def home(slug: str) -> str:
    return reverse("cells:home", kwargs={"cell_slug": slug})


def test_an_information_officer_of_two_cells_gets_a_switcher_to_the_other(cast, as_user):
    MembershipFactory(cell=cast.cell_b, user=cast.officer, information_officer=True)
    content = as_user(cast.officer).get(home("alfa")).content.decode()
    assert 'class="cell-switcher"' in content
    assert '<a href="/c/alfa/" aria-current="page">LIVC-R Alfa</a>' in content
    assert '<a href="/c/bravo/">LIVC-R Bravo</a>' in content
    assert as_user(cast.officer).get(home("bravo")).status_code == 200


def test_the_switcher_links_only_to_the_persons_own_cells(cast, as_user):
    CellFactory(name="LIVC-R Charlie", slug="charlie")
    MembershipFactory(cell=cast.cell_b, user=cast.bob)
    content = as_user(cast.bob).get(home("bravo")).content.decode()
    switcher = content[content.index('class="cell-switcher"') : content.index("</details>")]
    assert "/c/alfa/" in switcher and "/c/bravo/" in switcher
    assert "/c/charlie/" not in switcher and "Charlie" not in switcher
    assert '<a href="/c/bravo/" aria-current="page">' in switcher


def test_an_ended_membership_is_not_offered(cast, as_user):
    MembershipFactory(cell=cast.cell_b, user=cast.bob, is_active=False)
    assert 'class="cell-switcher"' not in as_user(cast.bob).get(home("alfa")).content.decode()


@pytest.mark.parametrize("who", ["alice", "bob", "mayor", "officer", "dpo", "charlie"])
def test_people_in_one_cell_see_no_switcher(cast, as_user, who):
    slug = "bravo" if who == "charlie" else "alfa"
    assert 'class="cell-switcher"' not in as_user(getattr(cast, who)).get(home(slug)).content.decode()


def test_the_switcher_is_in_the_header_of_pages_outside_a_cell_too(cast, as_user):
    MembershipFactory(cell=cast.cell_b, user=cast.alice, coordinator=True)
    content = as_user(cast.alice).get(reverse("accounts:security")).content.decode()
    assert 'class="cell-switcher"' in content and 'aria-current="page">LIVC' not in content
