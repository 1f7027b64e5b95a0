"""Services that change memberships: enrol, leave, rejoin and consent."""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import BaseUserManager
from django.db import IntegrityError, transaction
from django.utils import timezone

from loyalty.ledger.services import open_member_account

from .exceptions import (
    AlreadyLeft,
    AlreadyMember,
    AmbiguousEmail,
    EmailAlreadyRegistered,
    ExistingAccount,
    InvalidMembershipDates,
    StillActive,
)
from .models import Member, default_locale, user_name_fields
from .signals import member_enrolled

MAX_NUMBER_ATTEMPTS = 5


def enrol_member(
    *,
    email: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    locale: str | None = None,
    marketing_consent: bool = False,
    joined_at: datetime | None = None,
    birth_date: date | None = None,
    referral_code: str = "",
    existing_user: str = "refuse",
) -> Member:
    """Enrol the person with this email address: a new user of the host's user model, made by its
    manager's ``create_user``, and their membership (and ledger account), in one transaction.

    When a user with this address exists, ``existing_user`` says what happens: ``"refuse"`` (the
    website's sign-up form: they log in and join instead, ``ExistingAccount``) or ``"join"`` (a
    partner: that user joins as they are, names and password untouched, and without marketing
    consent, which is theirs to give). Staff and inactive accounts never join on someone else's
    word (``ExistingAccount``). A member is never enrolled twice (``AlreadyMember``).
    """
    email = normalise_email(email)
    matches = list(users_with_email(email)[:2])
    if len(matches) > 1:
        raise AmbiguousEmail()
    if matches:
        user = matches[0]
        if Member.objects.filter(user=user).exists():
            raise AlreadyMember()
        if existing_user != "join" or _not_for_others_to_enrol(user):
            raise ExistingAccount()
        return join_program(
            user=user,
            locale=locale,
            marketing_consent=False,
            joined_at=None,
            birth_date=birth_date,
            referral_code=referral_code,
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                user = create_user(email=email, password=password, first_name=first_name, last_name=last_name)
        except IntegrityError as exc:
            raise EmailAlreadyRegistered() from exc
        return join_program(
            user=user,
            locale=locale,
            marketing_consent=marketing_consent,
            joined_at=joined_at,
            birth_date=birth_date,
            referral_code=referral_code,
        )


def join_program(
    *,
    user,
    locale: str | None = None,
    marketing_consent: bool = False,
    joined_at: datetime | None = None,
    birth_date: date | None = None,
    referral_code: str = "",
) -> Member:
    """Make an existing host user a member (with a ledger account), in one transaction.

    ``member_enrolled`` tells other apps (sign-up Likes, referrals, gifts waiting for this
    email address) inside the same transaction, so a member never exists without them.
    """
    now = timezone.now()
    with transaction.atomic():
        if Member.objects.filter(user=user).exists():
            raise AlreadyMember()
        try:
            member = _create_member_with_unique_number(
                user=user,
                joined_at=joined_at or now,
                locale=locale or default_locale(),
                marketing_consent=marketing_consent,
                marketing_consent_at=now if marketing_consent else None,
                birth_date=birth_date,
            )
        except IntegrityError as exc:  # the same user joining twice at once
            raise AlreadyMember() from exc
        open_member_account(member=member)
        member_enrolled.send(
            sender=Member,
            member=member,
            referral_code=referral_code,
            imported=joined_at is not None and joined_at < now,
        )
    return member


def longest_email() -> int:
    """The longest address a new user can have: the user model's email field, and its username
    field on a username-based model (150 characters on Django's), whichever is shorter."""
    User = get_user_model()
    fields = {User.get_email_field_name(), User.USERNAME_FIELD}
    return min(User._meta.get_field(name).max_length or 254 for name in fields)


def _not_for_others_to_enrol(user) -> bool:
    return (
        not getattr(user, "is_active", True)
        or getattr(user, "is_staff", False)
        or getattr(user, "is_superuser", False)
    )


def normalise_email(email: str) -> str:
    return BaseUserManager.normalize_email((email or "").strip()).lower()


def users_with_email(email: str):
    """The host's users with this address, whatever the user model calls its email field."""
    User = get_user_model()
    return User._default_manager.filter(**{f"{User.get_email_field_name()}__iexact": email}).order_by("pk")


def create_user(*, email: str, password: str | None, first_name: str = "", last_name: str = ""):
    """A new user through the user model's own manager: an email-only model gets the address as its
    ``USERNAME_FIELD``, a username-based one gets it as both username and email. Names are set only
    where the model has those fields. No password means an unusable one (they can reset it)."""
    User = get_user_model()
    email_field = User.get_email_field_name()
    fields = {User.USERNAME_FIELD: email, email_field: email}
    names = {"first_name": first_name, "last_name": last_name}
    fields.update({name: names[name] for name in user_name_fields(User)})
    return User._default_manager.create_user(password=password or None, **fields)


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
    """Change the names on the member's user, where the host's user model has those fields."""
    user = member.user
    names = {"first_name": first_name, "last_name": last_name}
    changed = [name for name in user_name_fields(type(user)) if names[name] is not None]
    for name in changed:
        setattr(user, name, names[name])
    if changed:
        user.save(update_fields=changed)
    return member


def lock_members(members) -> None:
    """Lock member rows in primary-key order (as the ledger locks accounts), inside the caller's
    transaction, so per-member limits (earning caps, sharing limits) hold under concurrency."""
    ids = sorted({member.pk for member in members})
    list(Member.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values_list("pk"))
