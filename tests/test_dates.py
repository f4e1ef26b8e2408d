"""Dutch date formatting used by the site, the PDF and the checker pages."""

from datetime import date

import pytest

from build_tools.dates import long_date, period

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni",
          "juli", "augustus", "september", "oktober", "november", "december"]


def test_long_date_matches_the_adopted_text_style():
    assert long_date(date(2020, 8, 1)) == "1 augustus 2020"
    assert long_date(date(2019, 1, 15)) == "15 januari 2019"


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_is_dutch_and_lower_case(month):
    assert long_date(date(2021, month, 9)) == f"9 {MONTHS[month - 1]} 2021"


def test_no_leading_zero_and_full_year():
    assert long_date(date(2007, 3, 5)) == "5 maart 2007"


def test_period_forms():
    assert period(date(2019, 1, 1), date(2020, 7, 31)) == "van 1 januari 2019 t/m 31 juli 2020"
    assert period(date(2020, 8, 1), None) == "vanaf 1 augustus 2020"
    assert period(None, date(2020, 7, 31)) == "t/m 31 juli 2020"
    assert period(None, None) == ""
