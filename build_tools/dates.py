"""Dutch date formatting shared by the site, the PDF and the checker pages."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

LOCALE = "nl_NL"


def long_date(day: date) -> str:
    """Format a date the Dutch long way, e.g. "1 augustus 2020"."""
    # Babel's "d MMMM y" pattern avoids the locale's "long" format changing between CLDR releases.
    return format_date(day, "d MMMM y", locale=LOCALE)


def period(start: date | None, end: date | None) -> str:
    """Describe a validity period in Dutch, e.g. "van 1 januari 2019 t/m 31 juli 2020"."""
    if start and end:
        return f"van {long_date(start)} t/m {long_date(end)}"
    if start:
        return f"vanaf {long_date(start)}"
    if end:
        return f"t/m {long_date(end)}"
    return ""
