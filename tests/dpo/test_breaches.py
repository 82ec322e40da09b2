import datetime

import pytest
import time_machine
from django.utils import timezone

from dpo.models import Breach
from dpo.services import breach_create, breach_update
from livc.audit.models import LogAction, LogEntry
from tests.audit.conftest import console

pytestmark = pytest.mark.django_db

DISCOVERED = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


def form_data(**overrides):
    data = {
        "discovered_at": "2026-03-02T10:30",
        "description": "A minutes PDF was mailed to the wrong school.",
        "data_concerned": "Name and case notes of one young person.",
        "cases_concerned": "2026-0004",
        "measures": "Asked the school to delete it; confirmed by phone.",
        "authority": "",
        "authority_informed_at": "",
        "authority_not_informed_reason": "",
        "subjects_informed_at": "",
        "subjects_not_informed_reason": "",
    }
    return {**data, **overrides}


@time_machine.travel(DISCOVERED + datetime.timedelta(hours=1), tick=False)
def test_the_dpo_records_a_breach_and_sees_it_in_the_register(cast, as_user):
    client = as_user(cast.dpo)
    response = client.post(console("breach_new"), form_data())
    breach = Breach.objects.get()
    assert response.status_code == 302 and breach.number == 1 and breach.cell == cast.cell_a
    assert breach.discovered_at == DISCOVERED
    listing = client.get(console("breaches")).content.decode()
    assert "Breach 1" in listing and "to inform by 05/03/2026 10:30" in listing


@time_machine.travel(DISCOVERED + datetime.timedelta(hours=1), tick=False)
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"discovered_at": "2026-04-01T10:00"}, "discovered_at", "cannot lie in the future"),
        ({"discovered_at": "yesterday"}, "discovered_at", "Enter a valid date/time"),
        ({"description": ""}, "description", "This field is required"),
        ({"authority_informed_at": "2026-03-02T11:00"}, "authority", "Say which supervisory authority"),
        (
            {"authority": "vtc", "authority_informed_at": "2026-03-01T08:00"},
            "authority_informed_at",
            "before the discovery",
        ),
        (
            {
                "authority": "gba_apd",
                "authority_informed_at": "2026-03-02T11:00",
                "authority_not_informed_reason": "no risk",
            },
            "authority_not_informed_reason",
            "not both",
        ),
    ],
)
def test_bad_input_is_explained_and_what_was_typed_is_kept(cast, as_user, overrides, field, message):
    response = as_user(cast.dpo).post(console("breach_new"), form_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Name and case notes of one young person." in response.content.decode()
    assert not Breach.objects.exists()


def test_numbers_count_up_per_cell(cast, dpo_b):
    data = {"discovered_at": DISCOVERED, "description": "x", "data_concerned": "y"}
    first = breach_create(cell=cast.cell_a, recorded_by=cast.dpo, data=data)
    second = breach_create(cell=cast.cell_a, recorded_by=cast.dpo, data=data)
    other = breach_create(cell=cast.cell_b, recorded_by=dpo_b, data=data)
    assert (first.number, second.number, other.number) == (1, 2, 1)


def test_edits_are_in_the_history_by_field_name_without_their_content(cast, as_user):
    data = {"discovered_at": DISCOVERED, "description": "Laptop stolen", "data_concerned": "case notes"}
    breach = breach_create(cell=cast.cell_a, recorded_by=cast.dpo, data=data)
    breach_update(
        breach=breach, user=cast.dpo, data={"measures": "Remote wipe of Jan's laptop", "authority": "vtc"}
    )
    updates = LogEntry.objects.filter(object_pk=str(breach.pk), action=LogAction.UPDATE)
    assert updates.get().additional_data == {"changed_fields": ["measures", "authority"]}
    assert "Remote wipe" not in str(list(LogEntry.objects.filter(object_pk=str(breach.pk)).values()))
    page = as_user(cast.dpo).get(console("breach", pk=breach.pk)).content.decode()
    assert "changed: measures, authority" in page


def test_an_edit_through_the_form_keeps_the_record_and_logs_the_change(cast, as_user):
    with time_machine.travel(DISCOVERED + datetime.timedelta(hours=1), tick=False):
        client = as_user(cast.dpo)
        client.post(console("breach_new"), form_data())
        breach = Breach.objects.get()
        response = client.post(
            console("breach_edit", pk=breach.pk),
            form_data(authority="gba_apd", authority_informed_at="2026-03-02T10:45"),
        )
    assert response.status_code == 302
    breach.refresh_from_db()
    assert breach.authority_informed_at == DISCOVERED + datetime.timedelta(minutes=15)
    assert breach.version == 2


def test_the_72_hour_reminder_appears_once_the_time_is_up_and_the_authority_was_not_informed(cast, as_user):
    data = {"discovered_at": DISCOVERED, "description": "x", "data_concerned": "y"}
    with time_machine.travel(DISCOVERED + datetime.timedelta(hours=1), tick=False):
        breach = breach_create(cell=cast.cell_a, recorded_by=cast.dpo, data=data)
    client = as_user(cast.dpo)
    with time_machine.travel(DISCOVERED + datetime.timedelta(hours=71), tick=False):
        assert "more than 72 hours ago" not in client.get(console("home")).content.decode()
    with time_machine.travel(DISCOVERED + datetime.timedelta(hours=73), tick=False):
        client = as_user(cast.dpo)
        home = client.get(console("home")).content.decode()
        assert "1 breach was discovered more than 72 hours ago" in home
        assert "Overdue" in client.get(console("breaches")).content.decode()
        assert (
            "More than 72 hours have passed" in client.get(console("breach", pk=breach.pk)).content.decode()
        )
        assert "72 hours" not in as_user(cast.alice).get("/c/alfa/").content.decode()
        breach_update(
            breach=breach,
            user=cast.dpo,
            data={"authority": "vtc", "authority_informed_at": timezone.now() - datetime.timedelta(hours=1)},
        )
        assert "more than 72 hours ago" not in as_user(cast.dpo).get(console("home")).content.decode()


def test_a_recorded_reason_for_not_informing_ends_the_reminder(cast):
    breach = Breach(discovered_at=DISCOVERED, authority_not_informed_reason="Encrypted laptop, key safe.")
    assert not breach.authority_overdue(now=DISCOVERED + datetime.timedelta(days=5))
    assert Breach(discovered_at=DISCOVERED).authority_overdue(now=DISCOVERED + datetime.timedelta(hours=72))


def test_a_breach_of_another_cell_is_a_404(cast, as_user, dpo_b):
    data = {"discovered_at": DISCOVERED, "description": "x", "data_concerned": "y"}
    theirs = breach_create(cell=cast.cell_b, recorded_by=dpo_b, data=data)
    client = as_user(cast.dpo)
    assert client.get(console("breach", pk=theirs.pk)).status_code == 404
    assert client.get(console("breach_edit", pk=theirs.pk)).status_code == 404
