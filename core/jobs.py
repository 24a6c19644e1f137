"""Make a scheduled job safe to run twice, or on two workers at once (STYLE 7).

Two tools, used together with unique keys on what a job creates:
- `claim_each`: hand each due row to exactly one worker. The row is re-read under
  `select_for_update(skip_locked=True)` with the job's own filter, so a row that
  another worker holds is skipped and a row another worker already handled no
  longer matches. (SQLite ignores row locks; there IMMEDIATE transactions
  serialise writers and the re-read filter is what holds.)
- `job_lock`: a cluster-wide "only one run at a time" flag in the shared cache
  (Redis, or the database cache on the embedded default).
"""

import contextlib
import uuid

from django.core.cache import cache
from django.db import transaction


def claim_each(queryset, handle, *, limit=None):
    """Call `handle(row)` for each row of `queryset` that this worker wins.

    Each row is handled in its own transaction, so one failure does not undo the
    others. Returns how many rows this worker handled.
    """
    ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:limit])
    handled = 0
    for pk in ids:
        with transaction.atomic():
            row = queryset.filter(pk=pk).select_for_update(skip_locked=True).first()
            if row is None:
                continue
            handle(row)
            handled += 1
    return handled


@contextlib.contextmanager
def job_lock(name, *, ttl=15 * 60):
    """Yield True for the one caller that holds `name`, False for the others.

    The lock expires after `ttl` seconds so a killed worker cannot hold it forever.
    """
    key = f"job-lock:{name}"
    token = uuid.uuid4().hex
    acquired = cache.add(key, token, ttl)
    try:
        yield acquired
    finally:
        if acquired and cache.get(key) == token:
            cache.delete(key)
