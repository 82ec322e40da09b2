import pytest
from django.urls import reverse

from livc.audit.models import AccessKind, LogEntry

pytestmark = pytest.mark.django_db


def home_url(slug: str) -> str:
    return reverse("cells:home", kwargs={"cell_slug": slug})


def test_it_shows_the_coordinator_who_they_are_and_the_members(cast, as_user):
    response = as_user(cast.alice).get(home_url("alfa"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Alice Aerts" in content
    assert "Coordinator" in content
    assert "Testgem" in content or "99101" in content
    assert "Bob Bosmans" in content  # the member list
    assert "bob@example.test" in content


def test_it_records_an_access_entry_when_the_member_list_is_shown(cast, as_user):
    as_user(cast.alice).get(home_url("alfa"), REMOTE_ADDR="192.0.2.7")
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.actor == cast.alice
    assert entry.cell == cast.cell_a
    assert entry.access_kind == AccessKind.VIEW
    assert entry.remote_addr == "192.0.2.7"
    assert entry.additional_data == {"view": "cells:home"}
    assert "Bob" not in entry.object_repr and "Alice" not in entry.object_repr


def test_the_mayor_sees_the_members_too(cast, as_user):
    response = as_user(cast.mayor).get(home_url("alfa"))
    assert "bob@example.test" in response.content.decode()


@pytest.mark.parametrize("who", ["bob", "officer", "dpo"])
def test_other_roles_see_no_member_list(cast, as_user, who):
    response = as_user(getattr(cast, who)).get(home_url("alfa"))
    assert response.status_code == 200
    assert "alice@example.test" not in response.content.decode()
    # The home shows every role what waits for them (counts of cases among it): always logged.
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=getattr(cast, who)).count() == 1


def test_every_cell_page_carries_the_secrecy_notice(cast, as_user):
    response = as_user(cast.bob).get(home_url("alfa"))
    assert "458ter" in response.content.decode()


def test_charlie_gets_404_for_cell_a(cast, as_user):
    response = as_user(cast.charlie).get(home_url("alfa"))
    assert response.status_code == 404
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_an_unknown_cell_is_a_404_that_looks_like_any_other(cast, as_user):
    client = as_user(cast.alice)
    unknown = client.get(home_url("does-not-exist"))
    foreign = client.get(home_url("bravo"))
    assert unknown.status_code == foreign.status_code == 404
    assert "Page not found" in unknown.content.decode()
