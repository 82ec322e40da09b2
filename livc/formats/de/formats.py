"""German as written in the German-speaking Community of Belgium: "7. Dezember 2026" in prose,
07.12.2026 in tables; the other conventions are the Belgian ones of the other languages."""

from livc.formats.belgian import *  # noqa: F403

DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = "j. F Y, H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
MONTH_DAY_FORMAT = "j. F"
