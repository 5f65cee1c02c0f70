"""Structured (JSON lines) logging without personal data."""

import json
import logging

# Only these record attributes are written; request objects and arguments that could carry
# personal data (emails, names in messages of third-party code) are left out on purpose.
_FIELDS = ("name", "levelname", "module", "funcName")


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z")}
        payload.update({field: getattr(record, field, None) for field in _FIELDS})
        payload["message"] = record.getMessage()
        for key in ("status_code", "event", "customer_id", "task"):
            if hasattr(record, key):
                payload[key] = getattr(record, key)
        if record.exc_info:
            payload["exc_type"] = record.exc_info[0].__name__ if record.exc_info[0] else None
        return json.dumps(payload, ensure_ascii=False, default=str)
