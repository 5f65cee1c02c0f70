"""`{{ value|reader_date }}`, `{{ value|reader_datetime }}`: as the reader's language writes it.

The portal's and the statement's pages write dates as the documents do (privacy.dates):
7.12.2026 and 14.05 in Finnish and Swedish, 7 Dec 2026 and 14:05 in English.
"""

import datetime as dt

from django import template

from privacy.dates import date_text

register = template.Library()


@register.filter
def reader_date(value: dt.date | dt.datetime | None) -> str:
    """Return the day of a date or a moment in the active language."""
    return date_text(value)


@register.filter
def reader_datetime(value: dt.datetime | None) -> str:
    """Return a moment, day and time, in the shop's time zone and the active language."""
    return date_text(value, with_time=True)
