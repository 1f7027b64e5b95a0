"""Background work for campaigns: deliver the queued messages, and the scheduler's round."""

from django_tasks import task


@task()
def deliver_campaign(campaign_id: int) -> int:
    """Send every queued message of a campaign, batch after batch. Safe to run twice or side by side."""
    from .services import deliver_batch

    total = 0
    while settled := deliver_batch(campaign_id):
        total += settled
    return total


@task()
def run_due_campaigns() -> int:
    from .services import run_due

    return run_due()
