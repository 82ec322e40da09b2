"""The retention pages: who may open them (everyone else gets 404), what they show, bad input."""

import datetime

import pytest
from django.urls import reverse

from retention.models import PurgeRecord, RetentionSettings
from tests.retention.conftest import KEEP_UNTIL, MEETING_DAY, at, discuss, purge_on

pytestmark = pytest.mark.django_db


# The DPO's retention pages are pages of the DPO console (dpo/views/retention.py).
NAMES = {"records": "audit:retention_records", "report": "audit:retention_report"}


def url(name, cell="alfa"):
    return reverse(NAMES.get(name, f"retention:{name}"), kwargs={"cell_slug": cell})


@pytest.mark.parametrize("name", ["upcoming", "settings"])
def test_only_the_coordinator_opens_the_coordinators_pages(cast, as_user, name):
    assert as_user(cast.alice).get(url(name)).status_code == 200
    for user in (cast.bob, cast.mayor, cast.officer, cast.dpo):
        assert as_user(user).get(url(name)).status_code == 404, user
    assert as_user(cast.charlie).get(url(name)).status_code == 404  # another cell
    assert as_user(cast.charlie).get(url(name, cell="bravo")).status_code == 200  # his own


@pytest.mark.parametrize("name", ["records", "report"])
def test_only_the_dpo_opens_the_dpo_pages(cast, as_user, name):
    assert as_user(cast.dpo).get(url(name)).status_code == 200
    for user in (cast.alice, cast.bob, cast.mayor, cast.officer, cast.charlie):
        assert as_user(user).get(url(name)).status_code == 404, user


def test_the_upcoming_page_lists_case_references_dates_and_bases_but_no_names(clock, scenario, cast, as_user):
    clock.move_to(at(KEEP_UNTIL - datetime.timedelta(days=10)), tick=False)
    content = as_user(cast.alice).get(url("upcoming")).content.decode()
    assert "2026-0001" in content and "2026-0002" in content and "20 November 2027" in content
    assert "one year after the last discussion, on 20 November 2026" in content
    assert "Persoon Eik" not in content and "Testeling" not in content
    assert '<th scope="col">' in content and "<caption>" in content


def test_the_settings_are_saved_and_bad_values_are_refused(cast, as_user):
    client = as_user(cast.alice)
    response = client.post(url("settings"), {"not_retained_days": "14", "warning_days": "21"})
    assert response.status_code == 302 and response["Location"] == url("upcoming")
    rules = RetentionSettings.objects.get(cell=cast.cell_a)
    assert (rules.not_retained_days, rules.warning_days) == (14, 21)
    for bad in ({"not_retained_days": "0", "warning_days": "21"}, {"not_retained_days": "400", "warning_days": "21"},
                {"not_retained_days": "abc", "warning_days": "21"}, {"not_retained_days": "14", "warning_days": ""}):  # fmt: skip
        response = client.post(url("settings"), bad)
        assert response.status_code == 400 and 'class="error-summary"' in response.content.decode(), bad
    assert RetentionSettings.objects.get(cell=cast.cell_a).not_retained_days == 14
    assert client.put(url("settings")).status_code == 405


def test_the_settings_form_has_labels(cast, as_user):
    content = as_user(cast.alice).get(url("settings")).content.decode()
    assert '<label for="id_not_retained_days">' in content and '<label for="id_warning_days">' in content


def test_the_dpo_sees_the_purge_records_of_her_cell_only(clock, scenario, cast, as_user):
    purge_on(clock, KEEP_UNTIL + datetime.timedelta(days=1))
    PurgeRecord.objects.create(cell=cast.cell_b, kind="case", reference="2026-0099", basis="one_year",
                               keep_until=KEEP_UNTIL, purged_at=at(KEEP_UNTIL), counts={})  # fmt: skip
    content = as_user(cast.dpo).get(url("records")).content.decode()
    assert "Case 2026-0001" in content and "Case 2026-0002" in content and "2026-0099" not in content
    assert "1 information item" in content and "audit entries scrubbed" in content
    assert "Persoon Eik" not in content


def test_the_records_can_be_filtered_by_month_and_refuse_a_bad_month(clock, scenario, cast, as_user):
    purge_on(clock, KEEP_UNTIL + datetime.timedelta(days=1))
    client = as_user(cast.dpo)
    assert "2026-0001" in client.get(url("records"), {"month": "2027-11"}).content.decode()
    assert "2026-0001" not in client.get(url("records"), {"month": "2027-10"}).content.decode()
    for bad in ("2027-13", "nov-27", "2027-1", "1999-01"):
        response = client.get(url("records"), {"month": bad})
        assert response.status_code == 400 and "Give a month" in response.content.decode(), bad
    assert client.get(url("records"), {"page": "abc"}).status_code == 200


def test_the_monthly_report_counts_purges_and_extensions_in_force(clock, scenario, not_retained, members, seats,
                                                                   cast, as_user):  # fmt: skip
    discuss(
        clock,
        members,
        seats,
        scenario["case_a"],
        datetime.date(2027, 6, 1),
        extend_until=datetime.date(2029, 6, 30),
    )
    purge_on(clock, MEETING_DAY + datetime.timedelta(days=31))  # the referral, in December 2026
    purge_on(clock, KEEP_UNTIL + datetime.timedelta(days=1))  # other_case, in November 2027
    clock.move_to(at(datetime.date(2027, 12, 15)), tick=False)
    client = as_user(cast.dpo)
    rows = {row.month.month: row for row in client.get(url("report"), {"year": "2027"}).context["rows"]}
    assert len(rows) == 12
    assert (rows[11].cases_purged, rows[11].referrals_purged) == (1, 0)
    assert [rows[m].extensions_in_force for m in (5, 6, 12)] == [0, 1, 1]
    december_2026 = client.get(url("report"), {"year": "2026"}).context["rows"][-1]
    assert december_2026.referrals_purged == 1
    content = client.get(url("report")).content.decode()
    assert "<caption>Retention in 2027</caption>" in content and '<th scope="row">' in content


def test_the_report_refuses_a_bad_year(cast, as_user):
    client = as_user(cast.dpo)
    for bad in ("abc", "1999", "2999"):
        assert client.get(url("report"), {"year": bad}).status_code == 400, bad
