"""Date arithmetic for request deadlines and accounting retention."""

import calendar
import datetime as dt

from django.conf import settings

# Kirjanpitolaki 1336/1997 2:10 § 2 mom.: vouchers are kept at least 6 years from the end of the
# calendar year in which the financial year ended.
VOUCHER_YEARS = 6


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day `months` later, or that month's last day when it has no such day.

    A period in months ends on the same date of the last month, or on its last day when that
    month is shorter (Regulation 1182/71 Art. 3(2)(c), which GDPR Art. 12(3) periods follow):
    31 January + 1 month is 28 (or 29) February.
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def financial_year_end(day: dt.date) -> dt.date:
    """Return the last day of the financial year that `day` falls in (ACCOUNTING_YEAR_END)."""
    month, last = settings.ACCOUNTING_YEAR_END
    end = dt.date(day.year, month, min(last, calendar.monthrange(day.year, month)[1]))
    if day <= end:
        return end
    return dt.date(day.year + 1, month, min(last, calendar.monthrange(day.year + 1, month)[1]))


def voucher_kept_until(day: dt.date) -> dt.date:
    """Return the last day an accounting voucher dated `day` must be kept.

    Kirjanpitolaki 1336/1997 2:10 §: 6 years from the end of the calendar year in which the
    financial year ended. With a calendar financial year a voucher of March 2024 is kept to the
    end of 2030; with one ending 30 June, a voucher of September 2024 (year ending June 2025) is
    kept to the end of 2031.
    """
    return dt.date(financial_year_end(day).year + VOUCHER_YEARS, 12, 31)


def last_voucher_day_past_retention(today: dt.date) -> dt.date:
    """Return the last voucher date whose retention has ended by `today`.

    A voucher may go once its keep-until day is over, i.e. when its financial year ended in
    `today.year - 7` or earlier; that is every voucher up to the end of the financial year that
    ends in that calendar year.
    """
    year = today.year - VOUCHER_YEARS - 1
    month, last = settings.ACCOUNTING_YEAR_END
    return dt.date(year, month, min(last, calendar.monthrange(year, month)[1]))


def first_year_past_voucher_retention(today: dt.date) -> int:
    """Return the first calendar year whose vouchers must still be kept on `today`.

    Exact for a calendar financial year; see last_voucher_day_past_retention() for any other.
    """
    return last_voucher_day_past_retention(today).year + 1
