"""Reads for the share page: who a member number belongs to."""

from loyalty.members.models import Member


def member_by_number(number: str) -> Member | None:
    return Member.objects.select_related("user").filter(number=number).first()
