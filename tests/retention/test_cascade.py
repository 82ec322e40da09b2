"""The purge's set-based cascade follows the models' own delete rules."""

from django.db import models
from django.db.models import CASCADE, SET_NULL
from django.db.models.deletion import get_candidate_relations_to_delete
from django.test.utils import isolate_apps

from cases.models import (
    Case,
    CaseUserObjectPermission,
    IdentityRequest,
    InformationItem,
    Referral,
    Seat,
    Subject,
)
from meetings.models import Action, AgendaItem, Agreement, Decision
from retention import cascade


def steps(model):
    return {(step.model, step.path) for step in cascade.plan(model).deletes}


def test_the_plan_of_a_case_reaches_its_dependants_and_their_dependants():
    found = steps(Case)
    for expected in [
        (Seat, "case"),
        (CaseUserObjectPermission, "content_object"),
        (InformationItem, "case"),
        (Decision, "case"),
        (Agreement, "decision__case"),
        (Action, "case"),
    ]:
        assert expected in found
    order = [step.model for step in cascade.plan(Case).deletes]
    assert order.index(Agreement) < order.index(Decision)  # a row goes before what it points at
    assert [(step.model, step.field) for step in cascade.plan(Case).set_null] == [(AgendaItem, "case")]


def test_the_plan_of_a_subject_takes_its_identity_requests_and_a_referral_has_no_dependants():
    assert (IdentityRequest, "subject") in steps(Subject)
    assert steps(Referral) == set()


def test_every_model_pointing_at_what_the_purge_deletes_says_cascade_or_set_null():
    """A new model that PROTECTs a case, referral or subject would make every purge of such a
    case fail (the database refuses the batch, the case is left whole and logged): decide what
    the purge does with it, then extend this test."""
    deleted = {
        Case,
        Referral,
        Subject,
        *(step.model for root in (Case, Referral, Subject) for step in cascade.plan(root).deletes),
    }
    for model in deleted:
        for relation in get_candidate_relations_to_delete(model._meta):
            if relation.related_model in deleted:
                continue  # deleted in the same purge, in order
            assert relation.on_delete in (CASCADE, SET_NULL), f"{relation.related_model} -> {model}"


@isolate_apps("tests.crypto_app")
def test_a_model_that_cascades_to_itself_ends_the_walk():
    class Thread(models.Model):  # noqa: DJ008
        class Meta:
            app_label = "crypto_app"

    class Post(models.Model):  # noqa: DJ008
        thread = models.ForeignKey(Thread, on_delete=models.CASCADE)
        reply_to = models.ForeignKey("self", null=True, on_delete=models.CASCADE)

        class Meta:
            app_label = "crypto_app"

    assert steps(Thread) == {(Post, "thread"), (Post, "reply_to__thread")}
