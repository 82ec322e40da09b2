"""The nightly purge and the weekly digest are in the static beat schedule, and their tasks exist."""

from celery.schedules import crontab
from django.conf import settings

from livc.celery import app


def entry_for(task: str) -> dict:
    entries = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == task]
    assert len(entries) == 1, f"{task} should be scheduled once"
    return entries[0]


def test_the_beat_schedule_has_the_daily_purge():
    schedule = entry_for("retention.tasks.purge_expired")["schedule"]
    assert isinstance(schedule, crontab)
    assert len(schedule.hour) == 1 and len(schedule.minute) == 1  # once a day
    assert schedule.day_of_week == set(range(7)) and schedule.day_of_month == set(range(1, 32))
    assert schedule.month_of_year == set(range(1, 13))


def test_the_beat_schedule_has_the_weekly_digest():
    schedule = entry_for("retention.tasks.send_weekly_digest")["schedule"]
    assert isinstance(schedule, crontab) and len(schedule.day_of_week) == 1 and len(schedule.hour) == 1


def test_the_scheduled_tasks_are_registered_with_celery():
    app.loader.import_default_modules()
    assert {"retention.tasks.purge_expired", "retention.tasks.send_weekly_digest"} <= set(app.tasks)


def test_a_default_period_no_cell_could_choose_stops_the_deployment(settings):
    from retention.checks import retention_defaults

    assert retention_defaults() == []
    settings.LIVC_RETENTION_NOT_RETAINED_DAYS = 400
    assert [error.id for error in retention_defaults()] == ["retention.E001"]
