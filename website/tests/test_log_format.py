"""Log lines as JSON objects: the message, its level and logger, and whatever extra= carried, on top."""

import json
import logging
import sys
from decimal import Decimal

from website.log_format import JsonFormatter


def record(message, *args, level=logging.INFO, exc_info=None, **extra):
    entry = logging.LogRecord("checkout.payments.fulfilment", level, __file__, 1, message, args, exc_info)
    entry.__dict__.update(extra)
    return entry


def test_a_line_is_one_json_object_with_the_message_and_its_extras():
    line = json.loads(
        JsonFormatter().format(record("Order %s paid", "PC-1", event="order.paid", order="PC-1", total=Decimal("8.20")))
    )

    assert line.pop("time").endswith("+00:00")
    assert line == {
        "level": "INFO",
        "logger": "checkout.payments.fulfilment",
        "message": "Order PC-1 paid",
        "event": "order.paid",
        "order": "PC-1",
        "total": "8.20",
    }


def test_an_exception_travels_inside_the_line():
    try:
        raise ValueError("the file is gone")
    except ValueError:
        exc_info = sys.exc_info()
    formatted = JsonFormatter().format(record("Download failed", level=logging.ERROR, exc_info=exc_info))

    assert "\n" not in formatted
    line = json.loads(formatted)
    assert line["level"] == "ERROR"
    assert "ValueError: the file is gone" in line["exception"]
