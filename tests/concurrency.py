"""Helpers for concurrency tests, which prove correctness on PostgreSQL (SQLite serialises writers)."""

import threading

import pytest
from django.db import connection

THREADS = 8


def skip_unless_postgres():
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrency is proven on PostgreSQL only: SQLite serialises writers. "
            "Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/test (CI does)."
        )


def run_in_threads(target, count=THREADS):
    """Run target(index) in threads started together; collect unexpected errors."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def worker(index):
        try:
            barrier.wait()
            target(index)
        except BaseException as exc:  # noqa: BLE001 - any escape is a test failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors
