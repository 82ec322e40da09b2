import datetime
import zoneinfo

import pytest

from dpo.selectors import unusual_access_list
from dpo.services import audit_settings_update
from tests.audit.conftest import console, make_access

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
TUESDAY_10 = datetime.datetime(2026, 3, 3, 10, 0, tzinfo=BRUSSELS)


def signals(cast, **rules):
    if rules:
        audit_settings_update(cell=cast.cell_a, user=cast.dpo, data=rules)
    since, until = TUESDAY_10 - datetime.timedelta(days=7), TUESDAY_10 + datetime.timedelta(days=7)
    return unusual_access_list(cell=cast.cell_a, user=cast.dpo, since=since, until=until)


def test_many_distinct_objects_in_a_short_time_is_a_signal(cast):
    for n in range(6):
        make_access(cast.cell_a, cast.bob, object_pk=n, at=TUESDAY_10 + datetime.timedelta(minutes=n))
    for n in range(6):  # the same objects again, slowly: no burst
        make_access(cast.cell_a, cast.alice, object_pk=n, at=TUESDAY_10 + datetime.timedelta(hours=n))
    found = signals(cast, burst_objects=5, burst_minutes=10)
    assert [(s.kind, s.user_name, s.count) for s in found] == [("burst", "Bob Bosmans", 6)]


def test_the_same_object_opened_often_is_not_a_burst(cast):
    for n in range(10):
        make_access(cast.cell_a, cast.bob, object_pk=1, at=TUESDAY_10 + datetime.timedelta(seconds=n))
    assert signals(cast, burst_objects=5) == []


def test_access_outside_office_hours_and_at_weekends_is_a_signal(cast):
    make_access(cast.cell_a, cast.bob, at=TUESDAY_10.replace(hour=23))
    make_access(cast.cell_a, cast.bob, at=TUESDAY_10.replace(hour=23, minute=30))
    make_access(cast.cell_a, cast.alice, at=TUESDAY_10 + datetime.timedelta(days=4))  # Saturday 10:00
    found = {(s.kind, s.user_name, s.count) for s in signals(cast)}
    assert found == {("off_hours", "Bob Bosmans", 2), ("off_hours", "Alice Aerts", 1)}


def test_office_hours_are_configurable_per_cell(cast):
    make_access(cast.cell_a, cast.bob, at=TUESDAY_10.replace(hour=20))
    assert signals(cast, office_hours_start=7, office_hours_end=21) == []


def test_many_exports_in_a_day_is_a_signal(cast):
    for n in range(4):
        make_access(cast.cell_a, cast.alice, kind="export", at=TUESDAY_10 + datetime.timedelta(minutes=n))
    found = signals(cast, exports_per_day=3, burst_objects=50)
    assert [(s.kind, s.count) for s in found] == [("exports", 4)]


def test_the_dpo_changes_the_thresholds_with_clear_messages_for_bad_values(cast, as_user):
    client = as_user(cast.dpo)
    data = {"burst_objects": 30, "burst_minutes": 15, "office_hours_start": 18, "office_hours_end": 8,
            "weekends_are_off_hours": "on", "exports_per_day": 5}  # fmt: skip
    response = client.post(console("thresholds"), data)
    assert "Office hours must end after they start" in response.content.decode()
    assert 'value="30"' in response.content.decode()
    response = client.post(console("thresholds"), {**data, "office_hours_start": 8, "office_hours_end": 18})
    assert response.status_code == 302
    page = client.get(console("unusual")).content.decode()
    assert "more than 30 different objects opened within 15 minutes" in page
