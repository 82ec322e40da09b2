import pytest
from django.core.cache import cache
from django.urls import reverse

from livc import legal
from participants import selectors
from participants.models import RulesOfProcedure, RulesStatus

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"participants:{name}", kwargs={"cell_slug": "alfa", **kwargs})


def draft_and_approve(as_user, cast, text):
    as_user(cast.alice).post(url("rules_edit"), {"text": text})
    draft = RulesOfProcedure.objects.get(cell=cast.cell_a, status=RulesStatus.DRAFT)
    as_user(cast.mayor).post(url("rules_approve", pk=draft.pk))
    draft.refresh_from_db()
    return draft


def test_a_mayor_puts_the_coordinators_draft_in_force(cast, as_user):
    version = draft_and_approve(as_user, cast, "Artikel 1. Doel.")
    assert (version.version, version.status, version.approved_by) == (1, RulesStatus.IN_FORCE, cast.mayor)
    assert selectors.rules_in_force(cell=cast.cell_a) == version


def test_a_new_version_supersedes_the_old_one_which_stays_readable(cast, as_user):
    first = draft_and_approve(as_user, cast, "Versie een.")
    second = draft_and_approve(as_user, cast, "Versie twee.")
    first.refresh_from_db()
    assert first.status == RulesStatus.SUPERSEDED and second.version == 2
    content = as_user(cast.bob).get(url("rules_detail", pk=first.pk)).content.decode()
    assert "Versie een." in content and "Superseded" in content


def test_the_version_in_force_does_not_change_while_a_draft_is_edited(cast, as_user):
    draft_and_approve(as_user, cast, "In werking.")
    as_user(cast.alice).post(url("rules_edit"), {"text": "Nieuw ontwerp."})
    assert selectors.rules_in_force(cell=cast.cell_a).text == "In werking."


def test_an_empty_draft_is_refused(cast, as_user):
    response = as_user(cast.alice).post(url("rules_edit"), {"text": "   "})
    assert response.status_code == 200
    assert not RulesOfProcedure.objects.exists()


def test_a_coordinator_cannot_put_rules_in_force(cast, as_user):
    as_user(cast.alice).post(url("rules_edit"), {"text": "Ontwerp."})
    draft = RulesOfProcedure.objects.get()
    assert as_user(cast.alice).post(url("rules_approve", pk=draft.pk)).status_code == 404
    draft.refresh_from_db()
    assert draft.status == RulesStatus.DRAFT


def test_members_acknowledge_the_secrecy_and_again_after_new_rules(cast, as_user):
    client = as_user(cast.bob)
    home = reverse("cells:home", kwargs={"cell_slug": "alfa"})
    assert "not yet acknowledged" in client.get(home).content.decode()
    response = client.post(url("acknowledge"), {})
    assert "Tick the box" in response.content.decode()
    client.post(url("acknowledge"), {"acknowledge": "on"})
    assert selectors.has_acknowledged(cell=cast.cell_a, user=cast.bob)
    assert "not yet acknowledged" not in client.get(home).content.decode()
    draft_and_approve(as_user, cast, "Nieuwe regels.")
    assert not selectors.has_acknowledged(cell=cast.cell_a, user=cast.bob)


def test_a_remembered_acknowledgement_does_not_outlive_the_rules_it_was_given_under(cast, as_user):
    """A "yes" is kept in the cache (a "no" never is); new rules in force ask again at once."""
    client = as_user(cast.bob)
    home = reverse("cells:home", kwargs={"cell_slug": "alfa"})
    first = draft_and_approve(as_user, cast, "Eerste regels.")
    version = legal.secrecy_statement(cast.cell_a).version
    key = selectors._acknowledged_key(cast.cell_a.pk, cast.bob.pk, first.pk, version)
    assert "not yet acknowledged" in client.get(home).content.decode()
    assert cache.get(key) is None
    client.post(url("acknowledge"), {"acknowledge": "on"})
    assert "not yet acknowledged" not in client.get(home).content.decode()
    assert cache.get(key) is True
    draft_and_approve(as_user, cast, "Nieuwe regels.")
    assert "not yet acknowledged" in client.get(home).content.decode()
    case_page = client.get(reverse("cases:list", kwargs={"cell_slug": "alfa"}))
    assert case_page.status_code == 302 and "acknowledge" in case_page["Location"]


def test_the_acknowledgement_redirect_goes_nowhere_outside_the_site(cast, as_user):
    response = as_user(cast.bob).post(
        url("acknowledge") + "?next=https://evil.example/", {"acknowledge": "on"}
    )
    assert response["Location"] == "/c/alfa/"


def test_coordinator_and_mayor_are_told_when_no_rules_are_in_force(cast, as_user):
    home = reverse("cells:home", kwargs={"cell_slug": "alfa"})
    assert "No rules of procedure are in force" in as_user(cast.alice).get(home).content.decode()
    draft_and_approve(as_user, cast, "Regels.")
    assert "No rules of procedure are in force" not in as_user(cast.alice).get(home).content.decode()
