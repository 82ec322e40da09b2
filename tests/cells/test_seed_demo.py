from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from livc.accounts.models import User
from livc.cells.demo import DEMO_PASSWORD
from livc.cells.models import Cell, Membership

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_it_builds_a_single_and_a_joint_cell_with_every_role():
    seed()
    assert Cell.objects.get(slug="demostad").municipalities.count() == 1
    assert Cell.objects.get(slug="kempenheide").municipalities.count() == 3
    for slug in ("demostad", "kempenheide"):
        roles = set(Membership.objects.effective().filter(cell__slug=slug).values_list("role", flat=True))
        assert roles == {"mayor", "coordinator", "information_officer", "participant", "dpo"}


def test_running_it_twice_changes_nothing_but_the_codes():
    first = seed()
    counts = (User.objects.count(), Membership.objects.count(), Cell.objects.count())
    second = seed()
    assert counts == (User.objects.count(), Membership.objects.count(), Cell.objects.count())
    codes = lambda text: {line.split("codes:")[1] for line in text.splitlines() if "codes:" in line}
    assert not codes(first) & codes(second)


def test_a_printed_backup_code_logs_the_coordinator_into_the_cell_home(client):
    output = seed()
    lines = output.splitlines()
    index = next(i for i, line in enumerate(lines) if "coordinator@demostad.example" in line)
    code = lines[index + 1].split("codes:")[1].split()[0]
    assert DEMO_PASSWORD in output
    client.post(
        reverse("accounts:login"), {"username": "coordinator@demostad.example", "password": DEMO_PASSWORD}
    )
    response = client.post(reverse("accounts:verify"), {"code": code}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("cells:home", kwargs={"cell_slug": "demostad"})
    assert "Sara Wilgendaal" in response.content.decode()  # the member list
