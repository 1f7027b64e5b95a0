"""One member's story in one chronological view, for editors and service staff: purchases, Likes
movements, posts and comments, survey answers with their comments, support contacts partners reported,
and emails sent or clicked.

Each source is one query for its latest rows; the merge is over those bounded lists only.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from loyalty.emails.models import Send
from loyalty.ledger.selectors import history_lines, member_history
from loyalty.members.models import Member
from loyalty.rules.models import Purchase

from .models import SupportContact, SurveyResponse

PER_SOURCE = 100


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str
    text: str
    detail: str = ""


def _purchases(member: Member) -> list[Event]:
    return [
        Event(
            purchase.occurred_at,
            _("Purchase"),
            _("%(amount)s %(currency)s at %(partner)s (order %(order)s)")
            % {
                "amount": purchase.amount,
                "currency": purchase.currency,
                "partner": purchase.partner,
                "order": purchase.order_reference,
            },
            _("%(likes)d Likes earned") % {"likes": purchase.likes_earned},
        )
        for purchase in Purchase.objects.filter(member=member).order_by("-occurred_at")[:PER_SOURCE]
    ]


def _likes(member: Member) -> list[Event]:
    lines = history_lines(member_history(member)[:PER_SOURCE])
    return [
        Event(line["journal"].posted_at, _("Likes"), line["text"], f"{line['amount']:+d}") for line in lines
    ]


def _surveys(member: Member) -> list[Event]:
    return [
        Event(answer.occurred_at, _("Survey answer"), f"{answer.kind.upper()} {answer.score}", answer.comment)
        for answer in SurveyResponse.objects.filter(member=member).order_by("-occurred_at")[:PER_SOURCE]
    ]


def _support(member: Member) -> list[Event]:
    contacts = SupportContact.objects.filter(member=member).order_by("-occurred_at")[:PER_SOURCE]
    return [
        Event(
            contact.occurred_at,
            _("Support contact"),
            f"{contact.get_channel_display()}: {contact.subject}",
            {True: _("solved at the first contact"), False: _("not solved at the first contact")}.get(
                contact.resolved_first_time, ""
            )
            + f" ({contact.partner} {contact.reference})",
        )
        for contact in contacts
    ]


def _emails(member: Member) -> list[Event]:
    events = []
    for send in (
        Send.objects.filter(member=member).select_related("campaign").order_by("-created_at")[:PER_SOURCE]
    ):
        if send.sent_at:
            events.append(Event(send.sent_at, _("Email sent"), send.about))
        elif send.state == Send.State.SKIPPED:
            events.append(Event(send.created_at, _("Email skipped"), send.about, send.reason))
        if send.clicked_at:
            events.append(Event(send.clicked_at, _("Email clicked"), send.about))
    return events


_extra_sources: list[Callable[[Member], list[Event]]] = []


def register_timeline_source(source: Callable[[Member], list[Event]]) -> None:
    """An optional app (the community) adds its lines: ``source(member)`` returns its latest Events,
    at most ``PER_SOURCE``, in a constant number of queries."""
    if source not in _extra_sources:
        _extra_sources.append(source)


def member_timeline(member: Member, *, limit: int = PER_SOURCE) -> list[Event]:
    """The member's latest events from every source, newest first."""
    events = [
        *_purchases(member),
        *_likes(member),
        *_surveys(member),
        *_support(member),
        *_emails(member),
        *(event for source in _extra_sources for event in source(member)),
    ]
    return sorted(events, key=lambda event: event.at, reverse=True)[:limit]
