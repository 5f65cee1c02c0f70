"""Dates and times as the reader's language writes them, in every page and document.

Finnish and Finland-Swedish write 7.12.2026 and 14.05; English spells the month out (7 Dec 2026,
14:05) so that no reader takes the day for the month. The portal, the statement, the access
package and the letters all write their dates through date_text.
"""

import datetime as dt

from django.conf import settings
from django.utils import formats, timezone, translation

DATE_FORMATS = {"fi": "j.n.Y", "sv": "j.n.Y", "en": "j M Y"}
TIME_FORMATS = {"fi": "G.i", "sv": "H.i", "en": "H:i"}


def language() -> str:
    """Return the active language's code without its region ("sv", not "sv-fi")."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def date_text(value: dt.date | dt.datetime | None, *, with_time: bool = False) -> str:
    """Return a date (or a moment, in the shop's time zone) as the active language writes it."""
    if value is None:
        return ""
    lang = language()
    date_format = DATE_FORMATS.get(lang, DATE_FORMATS["fi"])
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
        if with_time:
            time_format = TIME_FORMATS.get(lang, TIME_FORMATS["fi"])
            return formats.date_format(value, f"{date_format} {time_format}")
    return formats.date_format(value, date_format)
