"""Date arithmetic for request deadlines and accounting retention."""

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day `months` later, or that month's last day when it has no such day.

    A period in months ends on the same date of the last month, or on its last day when that
    month is shorter (Regulation 1182/71 Art. 3(2)(c), which GDPR Art. 12(3) periods follow):
    31 January + 1 month is 28 (or 29) February.
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def voucher_kept_until(day: dt.date) -> dt.date:
    """Return the last day an accounting voucher dated `day` must be kept.

    Vouchers are kept 6 years from the end of the calendar year in which the financial year ended
    (Kirjanpitolaki 1336/1997 2:10 §); the register assumes the financial year is the calendar
    year, so a voucher of 2024 is kept to the end of 2030.
    """
    return dt.date(day.year + 6, 12, 31)


def first_year_past_voucher_retention(today: dt.date) -> int:
    """Return the first year whose vouchers must still be kept on `today`."""
    # A voucher of year Y may go from 1 January Y+7; so on `today` years up to today.year-7 may go.
    return today.year - 6
