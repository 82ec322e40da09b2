"""Coordinators are warned ahead: the case page's panel, a notice on every cell page, a weekly
e-mail with case references only."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from retention import tasks
from retention.models import RetentionSettings
from tests.retention.conftest import KEEP_UNTIL, MEETING_DAY, at

pytestmark = pytest.mark.django_db

WARNED = KEEP_UNTIL - datetime.timedelta(days=10)


@pytest.mark.parametrize("page", ["cases:detail", "cases:table", "cases:informing"])
def test_every_case_page_shows_the_date_and_the_basis(clock, scenario, cast, as_user, page):
    url = reverse(page, kwargs={"cell_slug": "alfa", "pk": scenario["case_a"].pk})
    content = as_user(cast.alice).get(url).content.decode()
    assert (
        "Personal data kept until 20 November 2027 (one year after the last discussion, on 20 November 2026)."
        in content
    )
    assert "card--warning" not in content
    clock.move_to(at(WARNED), tick=False)
    content = as_user(cast.alice).get(url).content.decode()
    assert "It will be purged the day after" in content and "card--warning" in content


def test_the_coordinator_sees_the_upcoming_purges_on_every_cell_page(
    clock, scenario, not_retained, cast, as_user
):
    home = reverse("cells:home", kwargs={"cell_slug": "alfa"})
    notice = "2 cases will be purged under the retention rule by"
    clock.move_to(at(MEETING_DAY + datetime.timedelta(days=1)), tick=False)
    content = as_user(cast.alice).get(home).content.decode()
    assert (
        notice not in content
        and "1 referral that was not retained will be purged by 21 December 2026." in content
    )
    clock.move_to(at(WARNED), tick=False)
    content = as_user(cast.alice).get(home).content.decode()
    assert (
        notice + " 10 December 2027." in content
        and reverse("retention:upcoming", kwargs={"cell_slug": "alfa"}) in content
    )
    for user in (cast.bob, cast.mayor, cast.dpo):
        assert notice not in as_user(user).get(home).content.decode()


def test_the_warning_period_is_the_cells(clock, scenario, cast, as_user):
    RetentionSettings.objects.create(cell=cast.cell_a, warning_days=5)
    clock.move_to(at(WARNED), tick=False)
    home = reverse("cells:home", kwargs={"cell_slug": "alfa"})
    assert "will be purged" not in as_user(cast.alice).get(home).content.decode()


def test_the_weekly_digest_mails_each_coordinator_the_references_only(
    clock, scenario, not_retained, cast, django_capture_on_commit_callbacks
):
    clock.move_to(at(WARNED), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_weekly_digest.delay().get() == 2  # cells A and B have a coordinator
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_weekly_digest.delay().get() == 0  # once a week: a second run writes nothing
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cast.alice.email]
    assert message.subject == "LIVC-R Alfa: purges under the retention rule by 10 December 2027"
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "2026-0001" in body and "2026-0002" in body and "20 November 2027" in body
        assert "/c/alfa/retention/" in body
        for secret in ("Persoon Eik", "Persoon Beuk", "Testeling", "Verborgen", "Linde", "GEHEIM"):
            assert secret not in body and secret not in message.subject


def test_no_digest_when_nothing_is_due(clock, scenario, cast):
    assert tasks.send_weekly_digest.delay().get() == 2
    assert mail.outbox == []
