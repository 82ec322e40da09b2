import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from livc.audit.models import LogAction, LogEntry
from tests.factories import MembershipFactory, UserFactory


def make_access(
    cell, actor, obj=None, *, kind="view", at=None, view="cases:detail", object_pk=None, repr_text=None
):
    """An access entry as `record_access` writes it, at a chosen time."""
    target = obj if obj is not None else cell
    entry = LogEntry(
        action=LogAction.ACCESS,
        access_kind=kind,
        cell=cell,
        actor=actor,
        actor_email=actor.email if actor else None,
        content_type=ContentType.objects.get_for_model(target),
        object_pk=str(object_pk if object_pk is not None else target.pk),
        object_repr=repr_text if repr_text is not None else str(target),
        additional_data={"view": view},
        remote_addr="198.51.100.4",
        timestamp=at or timezone.now(),
    )
    entry.save()
    return entry


@pytest.fixture
def dpo_b(cast):
    user = UserFactory(email="dpo-b@example.test", name="Bruno Bervoets")
    MembershipFactory(cell=cast.cell_b, user=user, dpo=True)
    return user


def console(name, cell_slug="alfa", **kwargs):
    return reverse(f"audit:{name}", kwargs={"cell_slug": cell_slug, **kwargs})


def entries_about_a_gone_object(cell, actor, count=1, *, name="Jeugdhuis Nergens"):
    """`count` access entries about an organisation of `cell` that is then deleted, as the purge
    deletes what it scrubs: the scrub blanks only entries of objects that are gone (docs/adr/0011).
    Returns (model, primary key) of the object."""
    from participants.models import Organisation
    from tests.factories import OrganisationFactory

    gone = OrganisationFactory(cell=cell, name=name)
    for _ in range(count):
        make_access(cell, actor, gone, repr_text=name)
    pk = gone.pk
    gone.delete()
    return Organisation, pk
