"""The coordinator's purge notice is kept in the cache per cell and day (issue 14), and every
change of a retention clock shows on the next page: a finalised discussion, a decision to
extend, a referral not retained, the cell's settings, a purge. Only figures are kept."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from cases.services.referrals import QualificationData, ReferralData, referral_qualify, referral_submit
from livc.cells import notices
from retention import services
from tests.retention.conftest import KEEP_UNTIL, MEETING_DAY, at, discuss, purge_on

pytestmark = pytest.mark.django_db

HOME = reverse("cells:home", kwargs={"cell_slug": "alfa"})
WARNED = KEEP_UNTIL - datetime.timedelta(days=10)
TWO_CASES = "2 cases will be purged under the retention rule by"
ONE_CASE = "1 case will be purged under the retention rule by"


def home_of(as_user, user, slug: str = "alfa") -> str:
    return as_user(user).get(reverse("cells:home", kwargs={"cell_slug": slug})).content.decode()


def cached_figures() -> dict[str, object]:
    """Everything the figures cache holds now (the test cache is Django's local memory)."""
    keys = [key.split(":", 2)[2] for key in cache._cache]  # type: ignore[attr-defined]  ":1:<key>"
    return {key: cache.get(key) for key in keys if key.startswith("livc:cell-figures:")}


def walks_the_cases(client, url: str = HOME) -> bool:
    """Whether the page computed the notice (the purge's walk over the cell's cases)."""
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return any('"cases_case"."last_discussed_on" AS' in query["sql"] for query in queries)


def test_the_notice_is_computed_once_a_day_per_cell_then_read_from_the_cache(clock, scenario, cast, as_user):
    clock.move_to(at(WARNED), tick=False)
    alice = as_user(cast.alice)
    assert walks_the_cases(alice)
    assert not walks_the_cases(alice)
    assert TWO_CASES in alice.get(HOME).content.decode()
    assert not walks_the_cases(as_user(cast.alice))  # another session, the same cell: cached
    clock.move_to(at(WARNED + datetime.timedelta(days=1)), tick=False)
    assert walks_the_cases(as_user(cast.alice))  # a new day counts afresh


def test_the_cache_holds_figures_only_never_a_reference_or_a_name(
    clock, scenario, not_retained, cast, as_user
):
    clock.move_to(at(WARNED), tick=False)
    case_url = reverse("cases:detail", kwargs={"cell_slug": "alfa", "pk": scenario["case_a"].pk})
    as_user(cast.alice).get(case_url)
    as_user(cast.bob).get(case_url)
    assert TWO_CASES in home_of(as_user, cast.alice)
    figures = cached_figures()
    assert figures, "the notice's figures are in the cache"
    personal = [scenario["case_a"].reference, scenario["other_case"].reference, "Persoon", "Eik", "Beuk"]
    for key, value in figures.items():
        assert isinstance(value, tuple)
        assert all(type(part) in (int, datetime.date) for part in value), (key, value)
        assert not any(text in key or text in repr(value) for text in personal)
    assert (30, WARNED + datetime.timedelta(days=30), 2, 1) in figures.values()  # 2 cases, 1 referral


def test_a_coordinator_of_another_cell_never_sees_the_notice_of_the_first(clock, scenario, cast, as_user):
    clock.move_to(at(WARNED), tick=False)
    assert TWO_CASES in home_of(as_user, cast.alice)
    content = home_of(as_user, cast.charlie, "bravo")
    assert "will be purged" not in content
    assert TWO_CASES in home_of(as_user, cast.alice)
    cells = {key.split(":")[3] for key in cached_figures()}
    assert cells == {str(cast.cell_a.pk), str(cast.cell_b.pk)}


def test_a_finalised_discussion_shows_at_once(clock, scenario, members, seats, cast, as_user):
    clock.move_to(at(WARNED), tick=False)
    assert TWO_CASES in home_of(as_user, cast.alice)
    discuss(clock, members, seats, scenario["case_a"], WARNED)  # the clock restarts for case A
    assert ONE_CASE in home_of(as_user, cast.alice)


def test_a_decision_to_extend_shows_at_once(clock, scenario, members, seats, cast, as_user):
    """The decision is taken at a meeting whose minutes are then finalised: the extension itself
    moves the clock, before and whatever the finalisation does."""
    clock.move_to(at(WARNED), tick=False)
    assert TWO_CASES in home_of(as_user, cast.alice)
    before = notices._new_version
    bumps = []
    notices._new_version = lambda: bumps.append(1) or before()  # type: ignore[assignment]
    try:
        discuss(
            clock,
            members,
            seats,
            scenario["other_case"],
            WARNED,
            extend_until=WARNED + datetime.timedelta(days=400),
        )
    finally:
        notices._new_version = before  # type: ignore[assignment]
    assert len(bumps) >= 2  # the decision and the finalisation
    assert ONE_CASE in home_of(as_user, cast.alice)


def test_a_referral_not_retained_shows_at_once(clock, scenario, members, cast, as_user):
    services.settings_update(cell=cast.cell_a, not_retained_days=10, warning_days=30)
    assert "referral" not in home_of(as_user, cast.alice).split("will be purged")[0][-200:]
    from cases.services.identity import Identity

    referral = referral_submit(
        member=members["participant"],
        data=ReferralData(
            referred_on=MEETING_DAY, signals="Signalen.", pseudonym="Persoon Es", discussed_internally=True,
            identity=Identity("Es", "Testeling", datetime.date(2001, 3, 4)),
        ),
    )  # fmt: skip
    assert "1 referral that was not retained" not in home_of(as_user, cast.alice)
    referral_qualify(member=members["coordinator"], referral=referral,
                     data=QualificationData(outcome="not_retained", reason="Geen radicalisering."))  # fmt: skip
    until = MEETING_DAY + datetime.timedelta(days=30)
    assert f"1 referral that was not retained will be purged by {until.day} December 2026." in home_of(
        as_user, cast.alice
    )


def test_a_change_of_the_settings_shows_at_once(clock, scenario, cast, as_user):
    clock.move_to(at(WARNED), tick=False)
    assert TWO_CASES in home_of(as_user, cast.alice)
    services.settings_update(cell=cast.cell_a, not_retained_days=30, warning_days=5)
    assert "will be purged" not in home_of(as_user, cast.alice)
    case_url = reverse("cases:detail", kwargs={"cell_slug": "alfa", "pk": scenario["case_a"].pk})
    assert "It will be purged the day after" not in as_user(cast.alice).get(case_url).content.decode()
    services.settings_update(cell=cast.cell_a, not_retained_days=30, warning_days=11)
    assert TWO_CASES in home_of(as_user, cast.alice)
    assert "It will be purged the day after" in as_user(cast.alice).get(case_url).content.decode()


def test_a_purge_shows_at_once(clock, scenario, cast, as_user):
    day = KEEP_UNTIL + datetime.timedelta(days=1)
    clock.move_to(at(day, hour=1), tick=False)
    assert TWO_CASES in home_of(as_user, cast.alice)  # overdue, counted before the purge runs
    purged = purge_on(clock, day)
    assert purged.run.cases == 2
    assert "will be purged" not in home_of(as_user, cast.alice)


def test_the_version_changes_again_when_the_transaction_commits(cast, django_capture_on_commit_callbacks):
    """A page that read the old data while the change was being made cached it under the first
    new version: the second, at the commit, makes sure it is not believed."""
    key = notices._version_key(cast.cell_a.pk)
    with django_capture_on_commit_callbacks(execute=True):
        notices.figures_changed(cast.cell_a.pk)
        during = cache.get(key)
    assert during and cache.get(key) != during


def test_without_a_cache_the_notice_is_computed(clock, scenario, cast, as_user, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(notices.cache, "get_or_set", broken)
    monkeypatch.setattr(notices.cache, "set_many", broken)
    clock.move_to(at(WARNED), tick=False)
    assert TWO_CASES in home_of(as_user, cast.alice)
    services.settings_update(cell=cast.cell_a, not_retained_days=30, warning_days=5)  # logs, does not fail
    assert "will be purged" not in home_of(as_user, cast.alice)


def test_the_case_pages_retention_panel_shows_a_decision_to_extend_at_once(
    clock, scenario, members, seats, cast, as_user
):
    """The panel's decisions come from the same cache (dates only) and follow the same clock."""
    clock.move_to(at(WARNED), tick=False)
    case = scenario["other_case"]
    url = reverse("cases:detail", kwargs={"cell_slug": "alfa", "pk": case.pk})
    until = WARNED + datetime.timedelta(days=400)
    assert date_format(until) not in as_user(cast.alice).get(url).content.decode()
    assert any(
        key.startswith(f"livc:cell-figures:retention.extensions.{case.pk}:") for key in cached_figures()
    )
    discuss(clock, members, seats, case, WARNED, extend_until=until)
    assert f"Personal data kept until {date_format(until)}" in as_user(cast.alice).get(url).content.decode()
