"""Handing work to the task queue without making a request wait for a broker
that is down: after a failure, this process does not try again for a while, and
the scheduled sweeps find the work (the outbox's waiting rows, the images still
unprocessed), whose rows are already committed."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

logger = logging.getLogger(__name__)

# How long a process leaves a broker alone after it failed to take a task.
BROKER_REST_SECONDS = 30.0

_lock = threading.Lock()
_resting_until = 0.0


def enqueue(task: Any, /, *args: Any, **kwargs: Any) -> bool:
    """`task.delay(*args, **kwargs)`, unless the broker failed this process less
    than BROKER_REST_SECONDS ago; answers whether the task was queued. A message
    of 300 mails, or an upload of 20 photos, then costs one wait for a broker
    that is down, not one each."""
    global _resting_until
    if time.monotonic() < _resting_until:
        return False
    try:
        task.delay(*args, **kwargs)
    except Exception:  # the broker's own errors vary by transport
        with _lock:
            _resting_until = time.monotonic() + BROKER_REST_SECONDS
        logger.warning(
            "%s not queued (the broker did not take it); the sweep will do it",
            getattr(task, "name", task),
        )
        return False
    return True


def broker_rested() -> None:
    """Forget a failure (tests; a process that knows the broker is back)."""
    global _resting_until
    with _lock:
        _resting_until = 0.0
