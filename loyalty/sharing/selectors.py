"""Reads for sharing: who a member number belongs to, and the tips given on a post."""

from loyalty.members.models import Member

from .models import Share


def member_by_number(number: str) -> Member | None:
    return Member.objects.select_related("user").filter(number=number).first()


def tips_for(context: str):
    """Delivered shares given in ``context`` ("post:12"), newest first, with their senders."""
    return (
        Share.objects.filter(context=context, status=Share.Status.DELIVERED)
        .select_related("sender__user")
        .order_by("-created_at", "-pk")
    )
