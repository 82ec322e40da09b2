"""Factories for invented people and places. Names come from Faker's nl_BE locale."""

import datetime

import factory
from django.utils import timezone

from livc.accounts.models import User
from livc.cells.models import Cell, ClearanceLevel, Membership, Municipality, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    name = factory.Faker("name", locale="nl_BE")
    language = "en"
    password = factory.django.Password("correct horse battery staple")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("nis_code",)

    nis_code = factory.Sequence(lambda n: f"{99000 + n % 1000:05d}")
    name_nl = factory.Sequence(lambda n: f"Testgem {n}")
    name_fr = factory.Sequence(lambda n: f"Commune-test {n}")


class CellFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cell
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"LIVC-R Test {n}")
    slug = factory.Sequence(lambda n: f"test-{n}")

    @factory.post_generation
    def municipalities(self, create: bool, extracted: list[Municipality] | None, **kwargs: object) -> None:
        if not create:
            return
        self.municipalities.set(extracted or [MunicipalityFactory()])


def _in_a_year() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=365)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    cell = factory.SubFactory(CellFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.PARTICIPANT

    class Params:
        coordinator = factory.Trait(role=Role.COORDINATOR)
        mayor = factory.Trait(role=Role.MAYOR)
        dpo = factory.Trait(role=Role.DPO)
        information_officer = factory.Trait(
            role=Role.INFORMATION_OFFICER,
            clearance_level=ClearanceLevel.SECRET,
            clearance_expires_on=factory.LazyFunction(_in_a_year),
        )


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participants.Organisation"

    cell = factory.SubFactory(CellFactory)
    name = factory.Sequence(lambda n: f"Organisatie {n}")
    type = "clb"


class ParticipantFactory(factory.django.DjangoModelFactory):
    """A seat profile for an existing membership (pass `membership=`)."""

    class Meta:
        model = "participants.Participant"

    membership = factory.SubFactory(MembershipFactory)
    cell = factory.SelfAttribute("membership.cell")
    organisation = factory.SubFactory(OrganisationFactory, cell=factory.SelfAttribute("..cell"))
    function = "Consulent"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participants.Invitation"

    cell = factory.SubFactory(CellFactory)
    name = factory.Faker("name", locale="nl_BE")
    email = factory.Sequence(lambda n: f"invitee{n}@example.test")
    organisation = factory.SubFactory(OrganisationFactory, cell=factory.SelfAttribute("..cell"))
    function = "Jeugdconsulent"
    motivation = "Kent de jongeren in de wijk."
    language = "en"
    proposed_by = factory.SubFactory(UserFactory)
