"""Run a job on several threads at once, each with its own database connection,
for the "two workers at the same moment" tests (PostgreSQL)."""

import threading

from django.db import connection


def run_in_threads(target, count=2):
    """Run `target` in `count` threads; return their results, re-raise the first error."""
    errors, results = [], []

    def wrapper():
        try:
            results.append(target())
        except Exception as exc:  # surfaced in the main thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrapper) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    if errors:
        raise errors[0]
    return results
