"""A cell under the federal law only defines its data categories in its rules of procedure, each
with the purpose it serves; a Flemish cell keeps the decree's fourteen (livc/legal.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from livc.cells.models import Cell, Membership
from livc.legal import Category, LegalFramework
from participants import selectors
from participants.models import RulesOfProcedure, RulesStatus
from participants.rules import MAX_CATEGORIES, rules_draft_save
from tests.factories import CellFactory

pytestmark = pytest.mark.django_db

HOUSING = {"name": "Housing", "purpose": "Where the person lives tells the table who can reach them."}
HEALTH = {"name": "Mental health", "special": "on", "purpose": "Care already given steers the follow-up."}


@pytest.fixture
def federal(cast):
    Cell.objects.filter(pk=cast.cell_a.pk).update(legal_framework=LegalFramework.FEDERAL)
    cast.cell_a.refresh_from_db()
    return cast


def url(name, **kwargs):
    return reverse(f"participants:{name}", kwargs={"cell_slug": "alfa", **kwargs})


def rows(*categories, initial=0, total=None):
    """The edit page's POST: the text and the categories' formset."""
    data = {
        "text": "Artikel 1. Doel.",
        "categories-TOTAL_FORMS": str(len(categories) if total is None else total),
        "categories-INITIAL_FORMS": str(initial),
        "categories-MIN_NUM_FORMS": "0",
        "categories-MAX_NUM_FORMS": str(MAX_CATEGORIES),
    }
    for index, category in enumerate(categories):
        data.update({f"categories-{index}-{field}": value for field, value in category.items()})
    return data


def approve(as_user, cast):
    draft = RulesOfProcedure.objects.get(cell=cast.cell_a, status=RulesStatus.DRAFT)
    as_user(cast.mayor).post(url("rules_approve", pk=draft.pk))
    draft.refresh_from_db()
    assert draft.status == RulesStatus.IN_FORCE
    return draft


def coordinator(cast):
    return Membership.objects.get(cell=cast.cell_a, user=cast.alice)


def test_the_coordinator_defines_categories_and_a_mayor_puts_them_in_force(federal, as_user):
    page = as_user(federal.alice).get(url("rules_edit")).content.decode()
    assert 'name="categories-TOTAL_FORMS"' in page and "Special category of personal data" in page
    response = as_user(federal.alice).post(url("rules_edit"), rows(HOUSING, HEALTH))
    assert response.status_code == 302
    assert selectors.rules_categories(cell=federal.cell_a) == []  # a draft is not in force
    approve(as_user, federal)
    assert selectors.rules_categories(cell=federal.cell_a) == [
        Category("c-housing", "Housing", special=False, purpose=HOUSING["purpose"]),
        Category("c-mental-health", "Mental health", special=True, purpose=HEALTH["purpose"]),
    ]
    detail = as_user(federal.bob).get(url("rules")).content.decode()
    assert "Mental health" in detail and "special category" in detail and HOUSING["purpose"] in detail


def test_a_category_needs_the_purpose_it_serves(federal, as_user):
    response = as_user(federal.alice).post(url("rules_edit"), rows({"name": "Housing"}, HEALTH))
    content = response.content.decode()
    assert response.status_code == 200
    assert "needs this data category" in content and "Data category 1" in content
    assert 'value="Housing"' in content and HEALTH["purpose"] in content  # what was typed stays
    assert not RulesOfProcedure.objects.exists()


def test_a_category_needs_a_name(federal):
    with pytest.raises(ValidationError) as refused:
        rules_draft_save(member=coordinator(federal), text="Regels.", categories=[{"purpose": "Nodig."}])
    assert set(refused.value.message_dict) == {"categories-0-name"}


def test_two_categories_cannot_share_a_name(federal, as_user):
    duplicate = {"name": "HOUSING ", "purpose": "Again."}
    response = as_user(federal.alice).post(url("rules_edit"), rows(HOUSING, duplicate))
    assert "Another data category has this name" in response.content.decode()
    assert not RulesOfProcedure.objects.exists()


def test_at_most_forty_categories(federal):
    many = [{"name": f"Category {n}", "purpose": "Needed."} for n in range(MAX_CATEGORIES + 1)]
    with pytest.raises(ValidationError) as refused:
        rules_draft_save(member=coordinator(federal), text="Regels.", categories=many)
    assert set(refused.value.message_dict) == {"categories"}


def test_a_key_survives_into_the_next_version_and_an_approved_version_never_changes(federal, as_user):
    as_user(federal.alice).post(url("rules_edit"), rows(HOUSING))
    first = approve(as_user, federal)
    page = as_user(federal.alice).get(url("rules_edit")).content.decode()
    assert 'value="c-housing"' in page and 'value="Housing"' in page  # the draft starts from them
    renamed = {"key": "c-housing", "name": "Housing and address", "purpose": "Still needed."}
    as_user(federal.alice).post(
        url("rules_edit"), rows(renamed, {"name": "Housing", "purpose": "New."}, initial=1)
    )
    second = approve(as_user, federal)
    assert [(c["key"], c["name"]) for c in second.data_categories] == [
        ("c-housing", "Housing and address"),
        ("c-housing-2", "Housing"),  # a new category never takes a key in use
    ]
    first.refresh_from_db()
    assert first.data_categories == [{"key": "c-housing", "name": "Housing", "special": False,
                                      "purpose": HOUSING["purpose"]}]  # fmt: skip


def test_a_new_draft_starts_from_the_categories_in_force(federal, as_user):
    as_user(federal.alice).post(url("rules_edit"), rows(HOUSING))
    approve(as_user, federal)
    draft = rules_draft_save(member=coordinator(federal), text="Versie twee.")
    assert [c["key"] for c in draft.data_categories] == ["c-housing"]


def test_a_forged_key_is_not_trusted(federal, as_user):
    other = CellFactory(slug="elders", legal_framework=LegalFramework.FEDERAL)
    RulesOfProcedure.objects.create(cell=other, version=1, text="x", drafted_by=federal.charlie,
                                    data_categories=[{"key": "c-elsewhere", "name": "X", "purpose": "Y"}])  # fmt: skip
    forged = [
        {"key": "health", "name": "Finances", "purpose": "Debts."},
        {"key": "c-elsewhere", "name": "Origin", "purpose": "Roots."},
        {"key": "c-invented", "name": "Schooling", "purpose": "School."},
    ]
    as_user(federal.alice).post(url("rules_edit"), rows(*forged))
    draft = RulesOfProcedure.objects.get(cell=federal.cell_a)
    assert [c["key"] for c in draft.data_categories] == ["c-finances", "c-origin", "c-schooling"]


def test_a_row_is_removed_with_its_delete_box(federal, as_user):
    as_user(federal.alice).post(url("rules_edit"), rows(HOUSING, HEALTH))
    keys = [c["key"] for c in RulesOfProcedure.objects.get().data_categories]
    removed = {"key": keys[0], **HOUSING, "DELETE": "on"}
    as_user(federal.alice).post(url("rules_edit"), rows(removed, {"key": keys[1], **HEALTH}, initial=2))
    assert [c["name"] for c in RulesOfProcedure.objects.get().data_categories] == ["Mental health"]


@pytest.mark.parametrize("total", ["", "many", "100000"])
def test_a_bad_management_form_is_refused_without_an_error_page(federal, as_user, total):
    response = as_user(federal.alice).post(url("rules_edit"), rows(HOUSING, total=total))
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not RulesOfProcedure.objects.exists()


def test_the_same_form_sent_twice_saves_once(federal, as_user):
    client = as_user(federal.alice)
    page = client.get(url("rules_edit")).content.decode()
    token = page.split('name="submission_token" value="')[1].split('"')[0]
    data = {**rows(HOUSING), "submission_token": token}
    assert client.post(url("rules_edit"), data).status_code == 302
    again = client.post(url("rules_edit"), {**data, "categories-0-name": "Changed"}, follow=True)
    assert "already been sent" in again.content.decode()
    assert [c["name"] for c in RulesOfProcedure.objects.get().data_categories] == ["Housing"]


def test_a_flemish_cell_keeps_the_decrees_categories(cast, as_user):
    page = as_user(cast.alice).get(url("rules_edit")).content.decode()
    assert "categories-TOTAL_FORMS" not in page and "Special category of personal data" not in page
    as_user(cast.alice).post(url("rules_edit"), rows(HOUSING))  # rows sent anyway are ignored
    draft = approve(as_user, cast)
    assert draft.data_categories == [] and selectors.rules_categories(cell=cast.cell_a) == []
    detail = as_user(cast.bob).get(url("rules_detail", pk=draft.pk)).content.decode()
    assert "fourteen of the Flemish decree (art. 9)" in detail
    with pytest.raises(ValidationError) as refused:
        rules_draft_save(member=coordinator(cast), text="Regels.", categories=[HOUSING])
    assert set(refused.value.message_dict) == {"categories"}


def test_a_federal_cells_rules_never_mention_the_decree(federal, as_user):
    as_user(federal.alice).post(url("rules_edit"), rows(HOUSING))
    draft = approve(as_user, federal)
    for page in (url("rules"), url("rules_detail", pk=draft.pk)):
        assert "decree" not in as_user(federal.bob).get(page).content.decode().lower()
    assert "decree" not in as_user(federal.alice).get(url("rules_edit")).content.decode().lower()
