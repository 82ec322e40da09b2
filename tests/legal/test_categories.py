"""The data categories an item is filed under (`cases/categories.py`, `livc/legal.py`): a Flemish
cell offers the decree's fourteen as before; a "federal law only" cell offers the categories of its
rules of procedure in force, each with its purpose, then "other data", and never the decree's. "Other
data" needs a justification under both (the federal law's purpose limitation). An item keeps the
name and specialness its category had when it was shared, whatever later rules say."""

import datetime
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.categories import categories_offered
from cases.models import Case, InformationItem
from cases.services.items import item_add
from livc import legal
from livc.cells.models import Cell
from livc.legal import LegalFramework
from participants.models import RulesOfProcedure, RulesStatus
from participants.rules import acknowledgement_record
from tests.cases.conftest import case_a, members, seats

__all__ = ["case_a", "members", "seats"]

pytestmark = pytest.mark.django_db

SCHOOL = {"key": "c-school", "name": "Parcours scolaire", "special": False,
          "purpose": "Accorder l'accompagnement avec l'école. <script>alert(1)</script>"}  # fmt: skip
CARE = {"key": "c-care", "name": "Suivi psychosocial", "special": True,
        "purpose": "Savoir quel service accompagne déjà la personne."}  # fmt: skip


def url(case, name, **kwargs):
    return reverse(f"cases:{name}", kwargs={"cell_slug": "alfa", "pk": case.pk, **kwargs})


def item(**overrides):
    return {"category": "c-school", "text": "Ne vient plus aux cours.", "shared_on": "2026-11-20",
            "consent": "on", **overrides}  # fmt: skip


def rules_in_force(cast, version, categories):
    """A new version of cell A's rules in force, the older one superseded; everyone acknowledges
    again, as the pages would ask."""
    RulesOfProcedure.objects.filter(cell=cast.cell_a, status=RulesStatus.IN_FORCE).update(
        status=RulesStatus.SUPERSEDED
    )
    RulesOfProcedure.objects.create(
        cell=cast.cell_a, version=version, text="Règlement.", status=RulesStatus.IN_FORCE,
        drafted_by=cast.alice, approved_by=cast.mayor, approved_at=timezone.now(), data_categories=categories,
    )  # fmt: skip
    for user in (cast.alice, cast.bob, cast.mayor, cast.officer, cast.dpo):
        acknowledgement_record(cell=cast.cell_a, user=user)


@pytest.fixture
def federal(cast, case_a):
    """Cell A under the federal law only, its rules in force defining two categories; `case_a`
    read anew, so that its cell is the federal one."""
    Cell.objects.filter(pk=cast.cell_a.pk).update(legal_framework=LegalFramework.FEDERAL)
    cast.cell_a.refresh_from_db()
    rules_in_force(cast, 1, [SCHOOL, CARE])
    return Case.objects.get(pk=case_a.pk)


def options(content):
    select = re.search(r'<select name="category".*?</select>', content, re.S)
    assert select, "the form has no category field"
    return [
        (key, html.unescape(name))
        for key, name in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(0))
        if key
    ]


def test_a_federal_cell_offers_its_rules_categories_then_other_and_not_the_decrees(cast, as_user, federal):
    content = as_user(cast.bob).get(url(federal, "item_new")).content.decode()
    assert options(content) == [
        ("c-school", "Parcours scolaire"),
        ("c-care", "Suivi psychosocial"),
        ("other", "Other data necessary for the purpose"),
    ]
    assert "Data category (rules of procedure)" in content
    assert "decree" not in content.lower() and "art. 9" not in content
    # Each category's purpose is listed under the field, the rules' text escaped.
    assert "Savoir quel service accompagne déjà la personne." in content
    assert "<script>alert(1)</script>" not in content and "&lt;script&gt;" in content
    assert [category.key for category in categories_offered(federal.cell)] == ["c-school", "c-care", "other"]


def test_a_federal_cell_refuses_a_decree_category(cast, as_user, members, federal):
    with pytest.raises(ValidationError) as refused:
        item_add(member=members["participant"], case=federal, text="Ne vient plus.", category="behaviour",
                 shared_on=datetime.date(2026, 11, 20), consent=True)  # fmt: skip
    assert "category" in refused.value.message_dict
    response = as_user(cast.bob).post(url(federal, "item_new"), item(category="health"))
    content = response.content.decode()
    assert response.status_code == 200 and "field--error" in content
    assert "Ne vient plus aux cours." in content  # what was typed stays
    assert not InformationItem.objects.exists()


def test_a_flemish_cell_refuses_an_unknown_category(members, case_a):
    for unknown in ("c-school", "nonsense", ""):
        with pytest.raises(ValidationError) as refused:
            item_add(member=members["participant"], case=case_a, text="Komt niet meer.", category=unknown,
                     shared_on=datetime.date(2026, 11, 20), consent=True)  # fmt: skip
        assert "category" in refused.value.message_dict
    assert not InformationItem.objects.exists()


def test_an_own_special_category_is_marked_on_the_case_page(cast, as_user, federal):
    response = as_user(cast.bob).post(
        url(federal, "item_new"), item(category="c-care", text="Suivi au CPAS.")
    )
    assert response.status_code == 302
    added = InformationItem.objects.get()
    assert (added.category, added.category_name, added.category_special) == (
        "c-care",
        "Suivi psychosocial",
        True,
    )
    content = as_user(cast.alice).get(url(federal, "detail")).content.decode()
    assert "<strong>Suivi psychosocial</strong>" in content
    assert '<span class="badge badge--special">special category</span>' in content


def test_an_item_keeps_its_category_name_after_the_rules_change(cast, as_user, federal):
    client = as_user(cast.bob)
    client.post(url(federal, "item_new"), item())
    client.post(url(federal, "item_new"), item(category="c-care", text="Suivi au CPAS."))
    renamed = {**SCHOOL, "name": "Scolarité", "purpose": "Accorder l'accompagnement avec l'école."}
    rules_in_force(cast, 2, [renamed])  # c-school renamed, c-care gone
    assert options(client.get(url(federal, "item_new")).content.decode()) == [
        ("c-school", "Scolarité"),
        ("other", "Other data necessary for the purpose"),
    ]
    labels = {item.category: (item.category_label, item.is_special) for item in InformationItem.objects.all()}
    assert labels == {"c-school": ("Parcours scolaire", False), "c-care": ("Suivi psychosocial", True)}
    content = as_user(cast.alice).get(url(federal, "detail")).content.decode()
    assert (
        "<strong>Parcours scolaire</strong>" in content and "<strong>Suivi psychosocial</strong>" in content
    )
    assert "Scolarité" not in content


def test_a_flemish_cell_offers_the_decrees_fourteen_as_before(cast, as_user, case_a):
    content = as_user(cast.bob).get(url(case_a, "item_new")).content.decode()
    assert options(content) == [(choice.value, choice.label) for choice in legal.DataCategory]
    assert len(options(content)) == 14
    assert "Data category (decree art. 9)" in content
    assert "category-purposes" not in content
    as_user(cast.bob).post(url(case_a, "item_new"), item(category="health", text="Volgt therapie."))
    added = InformationItem.objects.get()
    # The decree's names are not stored: they are translated when shown.
    assert (added.category, added.category_name, added.category_special) == ("health", "", True)
    assert added.category_label == "Health"


@pytest.mark.parametrize("framework", [LegalFramework.FLEMISH, LegalFramework.FEDERAL])
def test_other_data_needs_a_justification_under_both_frameworks(cast, members, case_a, framework):
    Cell.objects.filter(pk=cast.cell_a.pk).update(legal_framework=framework)
    case = Case.objects.get(pk=case_a.pk)
    add = lambda **more: item_add(member=members["participant"], case=case, text="Iets anders.",
                                  category="other", shared_on=datetime.date(2026, 11, 20), consent=True, **more)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        add()
    assert "justification" in refused.value.message_dict
    added = add(justification="Nodig om de begeleiding af te stemmen.")
    assert (added.category, added.category_name, added.category_special) == ("other", "", False)
    assert added.category_label == "Other data necessary for the purpose"
