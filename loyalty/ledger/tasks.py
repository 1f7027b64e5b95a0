"""Background tasks of the ledger (enqueued through the Django task framework API)."""

from django_tasks import task

from . import services


@task()
def expire_due_lots() -> int:
    """Expire Likes past their lot's expiry. Idempotent: running it twice expires nothing twice."""
    return services.expire_due()
