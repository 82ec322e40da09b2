from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.models import Case, InformationItem
from livc.accounts.models import User
from livc.cells.demo import DEMO_PASSWORD
from livc.cells.models import Cell, Membership
from livc.legal import LegalFramework
from meetings.models import Meeting, MeetingStatus
from participants.selectors import rules_categories
from tests.base import login_verified

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_it_builds_a_single_a_joint_and_a_german_speaking_cell_with_every_role():
    seed()
    assert Cell.objects.get(slug="demostad").municipalities.count() == 1
    assert Cell.objects.get(slug="kempenheide").municipalities.count() == 3
    assert Cell.objects.get(slug="hochwalden").municipalities.get().display_name("de") == "Hochwalden"
    for slug in ("demostad", "kempenheide", "hochwalden"):
        roles = set(Membership.objects.effective().filter(cell__slug=slug).values_list("role", flat=True))
        assert roles == {"mayor", "coordinator", "information_officer", "participant", "dpo"}
    frameworks = dict(Cell.objects.values_list("slug", "legal_framework"))
    assert frameworks == {
        "demostad": LegalFramework.FLEMISH,
        "kempenheide": LegalFramework.FLEMISH,
        "hochwalden": LegalFramework.FEDERAL,
    }


def test_the_german_speaking_cell_reads_german_and_files_items_under_its_own_categories(client):
    output = seed()
    cell = Cell.objects.get(slug="hochwalden")
    members = Membership.objects.filter(cell=cell).select_related("user")
    assert {m.user.language for m in members} == {"de"}
    for member in members:
        assert member.user.email in output  # the German accounts are printed, with their codes
    categories = rules_categories(cell=cell)
    assert len(categories) == 6 and [c.special for c in categories].count(True) == 1
    assert all(c.key.startswith("c-") and c.purpose for c in categories)
    case = Case.objects.get(cell=cell)
    items = InformationItem.objects.filter(case=case)
    assert items.count() == 2
    names = {c.key: c.name for c in categories}
    assert {item.category_label for item in items} == {names[item.category] for item in items}
    assert Meeting.objects.get(cell=cell).status == MeetingStatus.FINALISED
    coordinator = members.get(role="coordinator").user
    page = login_verified(client, coordinator).get(f"/c/hochwalden/cases/{case.pk}/").content.decode()
    assert '<html lang="de"' in page
    assert "Schule und Ausbildung" in page and "Verhalten und Risikosignale" in page


def test_running_it_twice_changes_nothing_but_the_codes():
    first = seed()
    counts = lambda: (
        User.objects.count(), Membership.objects.count(), Cell.objects.count(),
        Case.objects.count(), InformationItem.objects.count(), Meeting.objects.count(),
    )  # fmt: skip
    before = counts()
    second = seed()
    assert before == counts()
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
