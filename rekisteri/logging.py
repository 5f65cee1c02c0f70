"""Structured (JSON lines) logging without personal data.

Only chosen record attributes are written, never the request object or arbitrary extras. The
message itself is scrubbed too, because third-party code formats what it likes into it: email
addresses, phone numbers, IP addresses and the client strings of django-axes ("username: …")
are replaced by a placeholder.
"""

import json
import logging
import re
import traceback

_FIELDS = ("name", "levelname", "module", "funcName")
# Extras the project's own code passes (logger.info(..., extra={...})); all free of personal data.
_EXTRAS = ("status_code", "event", "task", "count")

_REDACTIONS = (
    # django-axes: {username: "matti", ip_address: "192.0.2.1", user_agent: "…"}
    (re.compile(r'\b(username|ip_address|user_agent)(["\']?\s*[:=]\s*)"[^"]*"'), r'\1\2"[…]"'),
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[email]"),
    # International (+358 40 123 4567) or Finnish national (0401234567) numbers; not dates,
    # times or order numbers.
    (re.compile(r"(?<![\w/+-])(\+\d{1,3}[ -]?\d[\d -]{4,14}\d|0\d{6,11})(?![\w/-])"), "[phone]"),
    (re.compile(r"\b\d{1,3}(\.\d{1,3}){3}\b"), "[ip]"),
    (
        re.compile(
            r"\b([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|\b([0-9a-f]{1,4}:){1,6}:([0-9a-f]{1,4}(:[0-9a-f]{1,4})*)?",
            re.IGNORECASE,
        ),
        "[ip]",
    ),
)


def redact(text: str) -> str:
    """Return `text` with contact details and client identifiers replaced by placeholders."""
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z")}
        payload.update({field: getattr(record, field, None) for field in _FIELDS})
        payload["message"] = redact(record.getMessage())
        for key in _EXTRAS:
            if hasattr(record, key):
                payload[key] = getattr(record, key)
        if record.exc_info and record.exc_info[0]:
            # The exception's type and where it was raised; not its message, which can quote
            # anything (an IntegrityError quotes the duplicate email).
            payload["exc_type"] = record.exc_info[0].__name__
            payload["exc_frames"] = [
                f"{frame.filename.rsplit('/site-packages/', 1)[-1]}:{frame.lineno} {frame.name}"
                for frame in traceback.extract_tb(record.exc_info[2])[-8:]
            ]
        return json.dumps(payload, ensure_ascii=False, default=str)
