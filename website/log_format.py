"""One JSON object per log line, for log collectors that read a container's stdout.

Fields passed with ``extra=`` (``event``, ``order``, ``stripe_event`` ...) become top-level keys, so an
order's story can be found by filtering on ``order`` without parsing messages."""

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else on a record came from extra=.
STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in STANDARD_ATTRIBUTES})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # default=str: a Decimal total or a date in extra= must not lose the whole line.
        return json.dumps(entry, default=str)
