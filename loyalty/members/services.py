"""Services that change memberships: enrol, leave, rejoin and consent."""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from loyalty.ledger.services import open_member_account

from .exceptions import AlreadyLeft, EmailAlreadyRegistered, InvalidMembershipDates, StillActive
from .models import Member
from .signals import member_enrolled

MAX_NUMBER_ATTEMPTS = 5


def enrol_member(
    *,
    email: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    locale: str = "en",
    marketing_consent: bool = False,
    joined_at: datetime | None = None,
    birth_date: date | None = None,
    referral_code: str = "",
) -> Member:
    """Create a user and their membership (and ledger account) in one transaction.

    ``member_enrolled`` tells other apps (sign-up Likes, referrals, gifts waiting for this
    email address) inside the same transaction, so a member never exists without them.
    """
    User = get_user_model()
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise EmailAlreadyRegistered()
    now = timezone.now()
    with transaction.atomic():
        user = User(username=email, email=email, first_name=first_name, last_name=last_name)
        user.set_password(password) if password else user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as exc:
            raise EmailAlreadyRegistered() from exc
        member = _create_member_with_unique_number(
            user=user,
            joined_at=joined_at or now,
            locale=locale,
            marketing_consent=marketing_consent,
            marketing_consent_at=now if marketing_consent else None,
            birth_date=birth_date,
        )
        open_member_account(member=member)
        member_enrolled.send(
            sender=Member,
            member=member,
            referral_code=referral_code,
            imported=joined_at is not None and joined_at < now,
        )
    return member


def _create_member_with_unique_number(**fields) -> Member:
    """Numbers are random; on the rare collision draw a new one."""
    for attempt in range(MAX_NUMBER_ATTEMPTS):
        member = Member(**fields)
        try:
            with transaction.atomic():
                member.save()
            return member
        except IntegrityError:
            if attempt == MAX_NUMBER_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def leave_program(*, member: Member, left_at: datetime | None = None) -> Member:
    if not member.is_active:
        raise AlreadyLeft()
    left_at = left_at or timezone.now()
    if left_at < member.joined_at:
        raise InvalidMembershipDates()
    member.left_at = left_at
    member.save(update_fields=["left_at"])
    return member


def rejoin_program(*, member: Member, joined_at: datetime | None = None) -> Member:
    """A returning member counts by their current membership: joined_at moves to the rejoin."""
    if member.is_active:
        raise StillActive()
    member.joined_at = joined_at or timezone.now()
    member.left_at = None
    member.save(update_fields=["joined_at", "left_at"])
    return member


def set_marketing_consent(*, member: Member, consent: bool) -> Member:
    """The model stamps (or clears) the time consent was given."""
    if consent and not member.marketing_consent:
        member.marketing_consent_at = None
    member.marketing_consent = consent
    member.save(update_fields=["marketing_consent", "marketing_consent_at"])
    return member


def update_preferences(
    *,
    member: Member,
    locale: str,
    birth_date: date | None,
    notify_likes_received: bool,
    marketing_consent: bool,
) -> Member:
    """What a member chooses on their preferences page; consent keeps its own timestamp rules."""
    member.locale = locale
    member.birth_date = birth_date
    member.notify_likes_received = notify_likes_received
    member.save(update_fields=["locale", "birth_date", "notify_likes_received"])
    return set_marketing_consent(member=member, consent=marketing_consent)


def update_name(*, member: Member, first_name: str | None = None, last_name: str | None = None) -> Member:
    user = member.user
    if first_name is not None:
        user.first_name = first_name
    if last_name is not None:
        user.last_name = last_name
    user.save(update_fields=["first_name", "last_name"])
    return member


def lock_members(members) -> None:
    """Lock member rows in primary-key order (as the ledger locks accounts), inside the caller's
    transaction, so per-member limits (earning caps, sharing limits) hold under concurrency."""
    ids = sorted({member.pk for member in members})
    list(Member.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values_list("pk"))
