"""Purge the personal data whose retention has ended (docs/rules.md, rule 15). Runs every night
as a Celery beat task (`retention.tasks.purge_expired`); this command is the same purge for
installations that use cron, or for a run by hand."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils import timezone

from livc.cells.models import Cell
from retention import selectors, services
from retention.models import PurgeRecord


class Command(BaseCommand):
    help = """Purge cases and referrals whose retention period has ended.

    A case goes one year after the last meeting that discussed it (after it was opened, if it
    was never discussed), or at the date a valid "extend retention" decision set (at most five
    years after the last discussion). For each such case it deletes: the case, its seats and
    their object permissions, information items, relations, informing register, decisions and
    agreements, follow-up actions and case invitations; its referral; its subject and the
    subject's identity requests. It erases the minutes text of the case's agenda items and
    their corrections (the items stay, reading "Removed under the retention rule on <date>"),
    deletes the minutes PDFs of those meetings, and blanks the content of every earlier audit
    entry about those objects.

    A referral that was not retained, or was redirected, goes the cell's number of days
    (default 30) after its qualification, with its subject and identity requests. A referral
    awaiting qualification is never purged.

    Each case or referral goes in one transaction and leaves a purge record (cell, reference,
    basis, date, counts; nothing personal) and an audit event, and prints its line at once
    (flushed: a killed run's log lists every purge it made). Only one run at a time: on
    PostgreSQL a second run finds the lock taken and stops. With --dry-run, nothing is
    deleted: it lists what would go (references and dates only).
    """

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be purged (references, dates) and stop"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            self._dry_run()
            return
        run = services.purge_expired(progress=self._report)
        if run.locked_out:
            raise CommandError("Another purge is running (the advisory lock is taken). Nothing was done.")
        self._say(f"Purged {run.cases} cases and {run.referrals} referrals.")
        if run.failed:
            for what in run.failed:
                self._say(f"Failed, left whole: {what}", stream=self.stderr)
            raise CommandError(f"{len(run.failed)} purges failed; see the log. Run again after fixing.")

    def _say(self, line: str, *, stream: OutputWrapper | None = None) -> None:
        """Write one line and flush it: a cron log shows every purge that happened, even when the
        run is killed right after (Python buffers a redirected stdout by blocks otherwise)."""
        stream = stream or self.stdout
        stream.write(line)
        stream.flush()

    def _report(self, record: PurgeRecord) -> None:
        what = f"case {record.reference}" if record.reference else "referral"
        removed = ", ".join(record.summary())
        self._say(
            f"Purged {what} of cell {record.cell.slug} (kept until {record.keep_until:%Y-%m-%d}, "
            f"{record.basis}): {removed}."
        )

    def _dry_run(self) -> None:
        today = timezone.localdate()
        slugs = dict(Cell.objects.values_list("pk", "slug"))
        cases = referrals = 0
        for due in selectors.cases_due(before=today):
            cases += 1
            self._say(
                f"Would purge case {due.reference} of cell {slugs[due.cell_id]}: kept until "
                f"{due.retention.keep_until:%Y-%m-%d}, {due.retention.basis}."
            )
        for due in selectors.referrals_due(before=today):
            referrals += 1
            self._say(
                f"Would purge a referral of cell {slugs[due.cell_id]}: kept until "
                f"{due.retention.keep_until:%Y-%m-%d}, {due.retention.basis}."
            )
        self._say(f"Dry run: {cases} cases and {referrals} referrals would go. Nothing was deleted.")
