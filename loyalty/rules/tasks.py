"""Background tasks of the earning rules (enqueued through the Django task framework API)."""

from django_tasks import task

from . import services


@task()
def award_todays_birthdays() -> int:
    """Give today's birthday Likes. Idempotent: a second run the same day gives nothing more."""
    return services.award_birthdays()
