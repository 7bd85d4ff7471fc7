"""Logging for `veil serve` and `veil worker` that cannot leak what Veil protects.

A traceback quotes exception messages, and those carry values: a file path with a person's name and A-number in
it, an SQL parameter, a line of a file. So no log record of the service keeps its traceback: `NoValues` replaces
it with the exception's type (and, for uvicorn's "Exception in ASGI application", the route template, never the
path as requested). The app's own error handler logs the type and route the same way (veil.web.app).
"""

from __future__ import annotations

import logging
from typing import Any


class NoValues(logging.Filter):
    """Drops tracebacks and exception text from every record, keeping the exception's type name."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            kind = record.exc_info[1]
            record.msg = f"{str(record.msg).strip()} ({type(kind).__name__ if kind else 'error'})"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        record.stack_info = None
        return True


def service_logging(level: str = "info") -> dict[str, Any]:
    """A `logging.config.dictConfig` (and uvicorn `log_config`) for the service: one stderr handler, filtered."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"no_values": {"()": NoValues}},
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["no_values"],
                                "stream": "ext://sys.stderr"}},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"level": level.upper()},
            "uvicorn.access": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
    }
