import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.models import Action
from meetings.services import actions as action_services

pytestmark = pytest.mark.django_db


def make(members, case, owner, due_in=7):
    return action_services.action_create(member=members["coordinator"], case=case, description="Gesprek met school",
                                         owner=owner, due_on=timezone.localdate() + datetime.timedelta(days=due_in))  # fmt: skip


def test_an_action_is_closed_with_a_reason_when_not_done(members, case_a, seats):
    action = make(members, case_a, seats["participant"])
    with pytest.raises(ValidationError, match="Say why"):
        action_services.action_close(member=members["participant"], action=action, status="not_possible")
    action_services.action_close(member=members["participant"], action=action, status="not_possible",
                                 reason="De jongere is verhuisd.")  # fmt: skip
    action.refresh_from_db()
    assert action.status == "not_possible" and action.closed_at is not None


def test_only_coordinator_and_owner_close_an_action(members, case_a, seats):
    action = make(members, case_a, seats["participant"])
    with pytest.raises(PermissionDenied):
        action_services.action_close(member=members["mayor"], action=action, status="done")


def test_overdue_actions_show_on_the_coordinators_and_the_owners_dashboard(
    cast, as_user, members, case_a, seats
):
    action = make(members, case_a, seats["participant"])
    Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=2))
    home = reverse("cells:home", kwargs={"cell_slug": "alfa"})
    assert "1 follow-up action is overdue" in as_user(cast.alice).get(home).content.decode()
    assert "1 follow-up action is overdue" in as_user(cast.bob).get(home).content.decode()
    assert "overdue" not in as_user(cast.mayor).get(home).content.decode()


def test_the_overdue_notice_counts_again_at_once_when_an_action_is_closed(
    cast, as_user, members, case_a, seats
):
    """The notice's count comes from the cell's figures cache; closing an action renews it."""
    done, still = make(members, case_a, seats["participant"]), make(members, case_a, seats["participant"])
    Action.objects.filter(pk__in=[done.pk, still.pk]).update(
        due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    page, bob = reverse("cases:list", kwargs={"cell_slug": "alfa"}), as_user(cast.bob)  # the notice only
    assert "2 follow-up actions are overdue" in bob.get(page).content.decode()
    assert "2 follow-up actions are overdue" in bob.get(page).content.decode()  # from the cache
    action_services.action_close(member=members["participant"], action=done, status="done")
    content = bob.get(page).content.decode()
    assert "1 follow-up action is overdue" in content and "2 follow-up actions" not in content


def test_a_due_date_in_the_past_is_refused(members, case_a, seats):
    with pytest.raises(ValidationError):
        make(members, case_a, seats["participant"], due_in=-1)


def test_the_actions_page_lists_only_actions_of_visible_cases(
    cast, as_user, members, case_a, other_case, seats
):
    make(members, case_a, seats["participant"])
    hidden = action_services.action_create(member=members["coordinator"], case=other_case, description="Verborgen",
                                           owner=seats["officer"], due_on=timezone.localdate())  # fmt: skip
    content = (
        as_user(cast.bob).get(reverse("meetings:actions", kwargs={"cell_slug": "alfa"})).content.decode()
    )
    assert "Gesprek met school" in content and "Verborgen" not in content
    assert hidden.pk
