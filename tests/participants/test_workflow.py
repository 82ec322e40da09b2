"""Every allowed transition works for its actor; every other one is refused."""

import itertools

import pytest

from participants import workflow
from participants.models import InvitationStatus

ACTORS = [workflow.COORDINATOR, workflow.MAYOR, workflow.INVITEE, workflow.SYSTEM]
ALL_CHANGES = list(itertools.product(InvitationStatus.values, InvitationStatus.values, ACTORS))


@pytest.mark.parametrize(("current", "new", "actor"), ALL_CHANGES)
def test_the_table_decides_every_change(current, new, actor):
    allowed = actor in workflow.ALLOWED_STATUS_CHANGES.get((current, new), frozenset())
    if allowed:
        workflow.assert_transition(current, new, actor)
    else:
        with pytest.raises(workflow.TransitionRefused):
            workflow.assert_transition(current, new, actor)


def test_a_refusal_says_what_was_asked_in_words():
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.assert_transition(InvitationStatus.ACCEPTED, InvitationStatus.SENT, workflow.COORDINATOR)
    assert "Accepted" in refused.value.messages[0] and "Sent" in refused.value.messages[0]


def test_only_a_mayor_approves():
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.assert_transition(InvitationStatus.PENDING, InvitationStatus.SENT, workflow.COORDINATOR)
    assert "mayor" in refused.value.messages[0]
