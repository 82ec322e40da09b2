"""The retention clock as a pure function: no database."""

import datetime

from retention.policy import Basis, Extension, add_years, case_retention, referral_retention

D = datetime.date


def ext(until, decided_on, hour=0):
    return Extension(until=until, decided_on=decided_on, decided_at=datetime.datetime(2020, 1, 1, hour))


def test_it_keeps_a_case_one_year_after_its_last_discussion():
    retention = case_retention(opened_on=D(2025, 1, 5), last_discussed_on=D(2026, 3, 1))
    assert (retention.keep_until, retention.basis) == (D(2027, 3, 1), Basis.ONE_YEAR)
    assert not retention.expired(D(2027, 3, 1)) and retention.expired(D(2027, 3, 2))


def test_a_case_never_discussed_counts_from_its_opening():
    retention = case_retention(opened_on=D(2026, 2, 10), last_discussed_on=None)
    assert (retention.keep_until, retention.basis) == (D(2027, 2, 10), Basis.NEVER_DISCUSSED)


def test_29_february_becomes_28_february():
    assert add_years(D(2028, 2, 29), 1) == D(2029, 2, 28)
    assert case_retention(opened_on=D(2028, 1, 1), last_discussed_on=D(2028, 2, 29)).keep_until == D(
        2029, 2, 28
    )


def test_an_extension_moves_the_date():
    retention = case_retention(
        opened_on=D(2025, 1, 1),
        last_discussed_on=D(2026, 3, 1),
        extensions=[ext(D(2029, 6, 30), D(2026, 3, 1))],
    )
    assert (retention.keep_until, retention.basis, retention.decided_on) == (
        D(2029, 6, 30),
        Basis.DECISION,
        D(2026, 3, 1),
    )
    assert retention.is_extension


def test_the_latest_decision_wins_and_may_shorten():
    retention = case_retention(
        opened_on=D(2025, 1, 1),
        last_discussed_on=D(2026, 9, 1),
        extensions=[ext(D(2030, 1, 1), D(2026, 3, 1)), ext(D(2027, 12, 31), D(2026, 9, 1))],
    )
    assert retention.keep_until == D(2027, 12, 31)


def test_of_two_decisions_on_one_day_the_later_one_wins():
    retention = case_retention(
        opened_on=D(2025, 1, 1),
        last_discussed_on=D(2026, 3, 1),
        extensions=[ext(D(2028, 1, 1), D(2026, 3, 1), hour=11), ext(D(2029, 1, 1), D(2026, 3, 1), hour=10)],
    )
    assert retention.keep_until == D(2028, 1, 1)


def test_a_decision_at_the_last_discussion_may_keep_less_than_a_year():
    retention = case_retention(
        opened_on=D(2025, 1, 1),
        last_discussed_on=D(2026, 3, 1),
        extensions=[ext(D(2026, 9, 1), D(2026, 3, 1))],
    )
    assert (retention.keep_until, retention.basis) == (D(2026, 9, 1), Basis.DECISION)


def test_a_later_discussion_restarts_the_year_when_an_older_decision_reaches_less_far():
    retention = case_retention(
        opened_on=D(2025, 1, 1),
        last_discussed_on=D(2027, 3, 1),
        extensions=[ext(D(2027, 6, 30), D(2026, 1, 10))],
    )
    assert (retention.keep_until, retention.basis) == (D(2028, 3, 1), Basis.ONE_YEAR)


def test_an_older_decision_that_reaches_further_still_stands():
    retention = case_retention(
        opened_on=D(2025, 1, 1),
        last_discussed_on=D(2027, 3, 1),
        extensions=[ext(D(2030, 6, 30), D(2026, 1, 10))],
    )
    assert (retention.keep_until, retention.basis) == (D(2030, 6, 30), Basis.DECISION)


def test_five_years_after_the_last_discussion_is_a_hard_ceiling_and_says_so():
    retention = case_retention(
        opened_on=D(2025, 1, 1),
        last_discussed_on=D(2026, 3, 1),
        extensions=[ext(D(2035, 1, 1), D(2026, 3, 1))],
    )
    assert (retention.keep_until, retention.basis) == (D(2031, 3, 1), Basis.CEILING)
    assert retention.asked_until == D(2035, 1, 1)
    assert "capped at five years" in retention.explanation and "1 January 2035" in retention.explanation


def test_a_decision_at_a_meeting_not_yet_finalised_counts_as_a_discussion_for_the_ceiling():
    retention = case_retention(
        opened_on=D(2025, 1, 1),
        last_discussed_on=D(2026, 3, 1),
        extensions=[ext(D(2032, 5, 1), D(2027, 5, 1))],
    )
    assert (retention.keep_until, retention.basis) == (D(2032, 5, 1), Basis.DECISION)


def test_the_explanation_gives_the_dates():
    retention = case_retention(opened_on=D(2025, 1, 1), last_discussed_on=D(2026, 3, 1))
    assert retention.explanation == "one year after the last discussion, on 1 March 2026"


def test_a_not_retained_referral_is_kept_its_short_period():
    retention = referral_retention(status="not_retained", qualified_on=D(2026, 11, 20), keep_days=30)
    assert (retention.keep_until, retention.basis) == (D(2026, 12, 20), Basis.NOT_RETAINED)
    assert referral_retention(status="redirected", qualified_on=D(2026, 11, 20), keep_days=7).keep_until == D(
        2026, 11, 27
    )


def test_a_referral_awaiting_qualification_or_retained_has_no_date_of_its_own():
    assert referral_retention(status="submitted", qualified_on=None, keep_days=30) is None
    assert referral_retention(status="retained", qualified_on=D(2026, 1, 1), keep_days=30) is None


def test_a_referrals_explanation_counts_its_days_in_the_right_number():
    one = referral_retention(status="not_retained", qualified_on=D(2026, 11, 20), keep_days=1)
    assert (
        one is not None and one.explanation == "1 day after the referral was not retained on 20 November 2026"
    )
    many = referral_retention(status="redirected", qualified_on=D(2026, 11, 20), keep_days=7)
    assert many is not None and many.explanation.startswith("7 days after the referral was redirected")
