"""The statistics report as CSV: the page's tables one under the other, with the same figures
(hidden ones as their marks), after the cell, the year, what the report covers and the rule."""

import csv
import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from livc.spreadsheets import neutralise
from livc.statistics.selectors import Report, suppression_rule


def _text(value: object) -> str:
    """A label as a spreadsheet's cell, never read as a formula (a municipality's name is typed in
    the admin); figures and marks are left as they are."""
    return neutralise(str(value))


def report_csv(report: Report, scope: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    generated = date_format(timezone.localtime(report.generated_at), "SHORT_DATETIME_FORMAT")
    writer.writerow([_text(report.cell.name), _("Statistics %(year)s") % {"year": report.year}])
    writer.writerow([_("Covers"), _text(report.scope(scope).label)])
    writer.writerow([_("Generated"), generated])
    writer.writerow([_("Rule"), suppression_rule()])
    for table in report.tables(scope):
        writer.writerow([])
        writer.writerow([_text(table.title)])
        writer.writerow([_text(table.row_header), *(_text(column) for column in table.columns)])
        for row in table.rows:
            writer.writerow([_text(row.label), *(figure.text for figure in row.figures)])
    return buffer.getvalue()
