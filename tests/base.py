"""The cast every test can use, after healthchecks' alice/bob/charlie.

alice: coordinator of cell A.     bob: participant in cell A.
charlie: coordinator of cell B.   Charlie should have no access to cell A's things.
Also in cell A: a mayor, an information officer with a valid clearance and a DPO.
dries: participant in cell A and in cell B (two memberships): in each cell he must see only that
cell's things, whatever he may see in the other one.
"""

import datetime
from dataclasses import dataclass

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from livc.accounts.models import User
from livc.cells.models import Cell
from tests.factories import CellFactory, MembershipFactory, MunicipalityFactory, UserFactory

PASSWORD = "correct horse battery staple"


@dataclass
class Cast:
    cell_a: Cell
    cell_b: Cell
    alice: User
    bob: User
    charlie: User
    mayor: User
    officer: User
    dpo: User
    dries: User


def make_cast() -> Cast:
    cell_a = CellFactory(
        name="LIVC-R Alfa", slug="alfa", municipalities=[MunicipalityFactory(nis_code="99101")]
    )
    cell_b = CellFactory(
        name="LIVC-R Bravo", slug="bravo", municipalities=[MunicipalityFactory(nis_code="99201")]
    )
    alice = UserFactory(email="alice@example.test", name="Alice Aerts")
    bob = UserFactory(email="bob@example.test", name="Bob Bosmans")
    charlie = UserFactory(email="charlie@example.test", name="Charlie Claes")
    mayor = UserFactory(email="mayor@example.test", name="Mira Maes")
    officer = UserFactory(email="officer@example.test", name="Omar Oosterlinck")
    dpo = UserFactory(email="dpo@example.test", name="Dina Dewulf")
    dries = UserFactory(email="dries@example.test", name="Dries Desmet")
    MembershipFactory(cell=cell_a, user=alice, coordinator=True)
    MembershipFactory(cell=cell_a, user=bob)
    MembershipFactory(cell=cell_b, user=charlie, coordinator=True)
    MembershipFactory(cell=cell_a, user=mayor, mayor=True)
    MembershipFactory(cell=cell_a, user=officer, information_officer=True)
    MembershipFactory(cell=cell_a, user=dpo, dpo=True)
    MembershipFactory(cell=cell_a, user=dries)
    MembershipFactory(cell=cell_b, user=dries)
    return Cast(cell_a, cell_b, alice, bob, charlie, mayor, officer, dpo, dries)


def login_verified(client: Client, user: User) -> Client:
    """Log in as if password and second factor had both been given."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def earlier_today(hours: int) -> datetime.datetime:
    """`hours` ago, but not before today's local midnight: a meeting planned then starts without
    asking "another day?", whatever the hour the tests run (between midnight and `hours` past it,
    `hours` ago is yesterday in Brussels)."""
    now = timezone.localtime()
    return max(now - datetime.timedelta(hours=hours), now.replace(hour=0, minute=0, second=0, microsecond=0))
