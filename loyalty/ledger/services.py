"""The only code that writes ledger rows: earn, redeem, transfer, adjust, reverse and expire_due.

Every service takes keyword-only arguments, runs in one transaction, and raises a domain
exception from ``exceptions.py`` when it refuses. The journal row is inserted first, so a
retried request with the same idempotency key meets the unique index before it does any work
(and waits for a concurrent twin to commit), then the member accounts involved are locked in
primary-key order with ``SELECT ... FOR NO KEY UPDATE`` (which does not conflict with the key-share
locks that inserting entries takes), lots are consumed oldest first, and cached balances are
updated in the same transaction.
"""

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial, wraps

from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from loyalty.core.dates import days_after

from .conf import ledger_settings
from .exceptions import (
    AlreadyReversed,
    IdempotencyConflict,
    InactiveMember,
    InsufficientLikes,
    InvalidAmount,
    NotReversible,
    ReasonRequired,
    SelfTransfer,
)
from .models import Account, Entry, Journal, Lot

RETRYABLE_SQLSTATES = {"40P01", "40001"}  # deadlock detected, serialization failure
MAX_ATTEMPTS = 5

_system_account_ids: dict[str, int] = {}


# --------------------------------------------------------------------------- helpers


def _retry_on_deadlock(func: Callable) -> Callable:
    """Retry a whole posting when PostgreSQL picks it as a deadlock victim.

    Accounts are locked in primary-key order, so deadlocks should not happen; this is a
    safety net that keeps such an error from reaching a caller. Inside a caller's own
    transaction nothing can be retried safely, so the error is raised as it is.
    """

    @wraps(func)
    def wrapper(*args, **kwargs):
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                sqlstate = getattr(exc.__cause__, "sqlstate", None)
                retryable = sqlstate in RETRYABLE_SQLSTATES and not connection.in_atomic_block
                if not retryable or attempt == MAX_ATTEMPTS:
                    raise
                time.sleep(0.005 * attempt)
        raise AssertionError("unreachable")

    return wrapper


def _check_amount(amount) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidAmount()


def fingerprint(kind: str, payload) -> str:
    """A stable hash of what a request asked for, to tell a retry from a different request."""
    canonical = json.dumps([kind, payload], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def system_account_id(kind: str) -> int:
    """Id of a system account; created on first use (and after a test flush) if missing."""
    if kind not in _system_account_ids:
        account, _ = Account.objects.get_or_create(kind=kind, member=None)
        _system_account_ids[kind] = account.pk
    return _system_account_ids[kind]


def forget_system_accounts() -> None:
    _system_account_ids.clear()


def open_member_account(*, member) -> Account:
    account, _ = Account.objects.get_or_create(member=member, defaults={"kind": Account.Kind.MEMBER})
    return account


def _lock_member_accounts(member_ids: Iterable[int]) -> dict[int, Account]:
    """Lock the members' accounts in primary-key order; returns {member_id: account}."""
    accounts = list(
        Account.objects.select_for_update(no_key=True, of=("self",))
        .select_related("member")
        .filter(member_id__in=set(member_ids))
        .order_by("pk")
    )
    by_member = {account.member_id: account for account in accounts}
    missing = set(member_ids) - set(by_member)
    if missing:
        # A member enrolled without the members service: open the account, then lock it.
        from loyalty.members.models import Member

        for member in Member.objects.filter(pk__in=missing):
            open_member_account(member=member)
        return _lock_member_accounts(member_ids)
    return by_member


def _require_active(account: Account) -> None:
    if account.member.left_at is not None:
        raise InactiveMember()


def _journal_row(
    kind: str,
    *,
    fingerprint: str = "",
    idempotency_source: str = "",
    idempotency_key: str | None = None,
    **fields,
) -> Journal:
    """An unsaved journal; the source only counts when there is a key."""
    return Journal(
        kind=kind,
        fingerprint=fingerprint,
        idempotency_source=idempotency_source if idempotency_key else "",
        idempotency_key=idempotency_key or None,
        **fields,
    )


def _new_journal(kind: str, **fields) -> Journal:
    journal = _journal_row(kind, **fields)
    journal.save()
    return journal


def _idempotent(
    kind: str, *, source: str, key: str | None, payload: dict, post: Callable[[str], Journal]
) -> Journal:
    """Run ``post`` once per (source, key); a retry returns the original journal."""
    if not key:
        return post("")
    digest = fingerprint(kind, payload)
    existing = _journal_for_key(source, key)
    if existing is not None:
        return _replay(existing, digest)
    try:
        return post(digest)
    except IntegrityError:
        existing = _journal_for_key(source, key)
        if existing is None:
            raise
        return _replay(existing, digest)


def _journal_for_key(source: str, key: str) -> Journal | None:
    return Journal.objects.filter(idempotency_source=source, idempotency_key=key).first()


def _replay(journal: Journal, fingerprint: str) -> Journal:
    if journal.fingerprint != fingerprint:
        raise IdempotencyConflict()
    journal.replayed = True
    return journal


@dataclass
class _Debit:
    lot_id: int
    amount: int


def _take_from_lots(
    account: Account,
    amount: int,
    *,
    now: datetime,
    include_pending: bool,
    prefer_lot_id: int | None = None,
    up_to: bool = False,
) -> list[_Debit]:
    """Pick lots to debit, oldest expiry first; raise InsufficientLikes if they do not cover it
    (or, with ``up_to``, take what there is).

    Lots past their expiry are never used (they belong to the expiry run). Pending lots are
    only used by corrections and reversals, never by spending or sharing.
    """
    lots = Lot.objects.filter(account=account, remaining__gt=0, expires_at__gt=now)
    if not include_pending:
        lots = lots.filter(available_at__lte=now)
    if prefer_lot_id is not None:
        lots = lots | Lot.objects.filter(pk=prefer_lot_id, remaining__gt=0)
    rows = list(lots.order_by("expires_at", "pk").values_list("pk", "remaining"))
    if prefer_lot_id is not None:
        rows.sort(key=lambda row: row[0] != prefer_lot_id)  # stable: preferred lot first
    debits, still_needed = [], amount
    for lot_id, remaining in rows:
        if still_needed == 0:
            break
        take = min(remaining, still_needed)
        debits.append(_Debit(lot_id, take))
        still_needed -= take
    if still_needed and not up_to:
        raise InsufficientLikes(available=amount - still_needed, requested=amount)
    return debits


def _apply_lot_debits(debits: list[_Debit]) -> None:
    for debit in debits:
        Lot.objects.filter(pk=debit.lot_id).update(remaining=F("remaining") - debit.amount)


def _change_balance(account_id: int, delta: int) -> None:
    Account.objects.filter(pk=account_id).update(balance=F("balance") + delta)


def _new_lot(
    journal: Journal, account_id: int, amount: int, *, available_at: datetime, expires_at: datetime
) -> Lot:
    return Lot.objects.create(
        account_id=account_id,
        journal=journal,
        amount=amount,
        remaining=amount,
        available_at=available_at,
        expires_at=expires_at,
    )


def _write_entries(entries: list[Entry]) -> None:
    if sum(entry.amount for entry in entries) != 0:
        raise AssertionError("a journal's entries must sum to zero")
    Entry.objects.bulk_create(entries)


def default_expiry(now: datetime) -> datetime:
    return days_after(now, ledger_settings().lot_lifetime_days)


# --------------------------------------------------------------------------- services


def _post(
    kind: str,
    *,
    payload: dict,
    idempotency_source: str,
    idempotency_key: str | None,
    body: Callable[[Journal, datetime], None],
    **journal_fields,
) -> Journal:
    """Insert the journal, then let ``body`` lock, check and write its entries, in one transaction."""

    def post(fingerprint: str) -> Journal:
        now = timezone.now()
        with transaction.atomic():
            journal = _new_journal(
                kind,
                fingerprint=fingerprint,
                idempotency_source=idempotency_source,
                idempotency_key=idempotency_key,
                posted_at=now,
                **journal_fields,
            )
            body(journal, now)
        return journal

    return _idempotent(kind, source=idempotency_source, key=idempotency_key, payload=payload, post=post)


def _debit_entries(journal: Journal, account_id: int, debits: list[_Debit]) -> list[Entry]:
    return [Entry(journal=journal, account_id=account_id, lot_id=d.lot_id, amount=-d.amount) for d in debits]


def _credit_from(
    system_kind: str,
    member,
    amount: int,
    *,
    available_at: datetime | None = None,
    expires_at: datetime | None = None,
    require_active: bool,
) -> Callable[[Journal, datetime], None]:
    """A posting body: a system account pays ``amount`` into a new lot of the member (earn, release)."""

    def body(journal: Journal, now: datetime) -> None:
        account = _lock_member_accounts([member.pk])[member.pk]
        if require_active:
            _require_active(account)
        available = available_at or now
        lot = _new_lot(
            journal,
            account.pk,
            amount,
            available_at=available,
            expires_at=expires_at or default_expiry(available),
        )
        _write_entries(
            [
                Entry(journal=journal, account_id=system_account_id(system_kind), amount=-amount),
                Entry(journal=journal, account_id=account.pk, lot=lot, amount=amount),
            ]
        )
        _change_balance(account.pk, amount)

    return body


def _spend_into(system_kind: str, member, amount: int) -> Callable[[Journal, datetime], None]:
    """A posting body: an active member's spendable Likes, oldest first, go to a system account."""

    def body(journal: Journal, now: datetime) -> None:
        account = _lock_member_accounts([member.pk])[member.pk]
        _require_active(account)
        debits = _take_from_lots(account, amount, now=now, include_pending=False)
        _apply_lot_debits(debits)
        _write_entries(
            _debit_entries(journal, account.pk, debits)
            + [Entry(journal=journal, account_id=system_account_id(system_kind), amount=amount)]
        )
        _change_balance(account.pk, -amount)

    return body


@_retry_on_deadlock
def earn(
    *,
    member,
    amount: int,
    description: str = "",
    available_at: datetime | None = None,
    expires_at: datetime | None = None,
    metadata: dict | None = None,
    idempotency_source: str = "",
    idempotency_key: str | None = None,
) -> Journal:
    """Credit Likes to a member from the ``issued`` account, as a new lot.

    ``available_at`` in the future makes the lot pending (a shop's return window).
    """
    _check_amount(amount)
    metadata = metadata or {}

    body = _credit_from(
        Account.Kind.ISSUED,
        member,
        amount,
        available_at=available_at,
        expires_at=expires_at,
        require_active=True,
    )
    payload = {"member": member.pk, "amount": amount, "description": description, "metadata": metadata}
    if connection.vendor == "postgresql":
        return _idempotent(
            Journal.Kind.EARN,
            source=idempotency_source,
            key=idempotency_key,
            payload=payload,
            post=partial(
                _earn_in_one_round_trip,
                member=member,
                amount=amount,
                description=description,
                metadata=metadata,
                available_at=available_at,
                expires_at=expires_at,
                idempotency_source=idempotency_source,
                idempotency_key=idempotency_key,
            ),
        )
    return _post(
        Journal.Kind.EARN,
        body=body,
        description=description,
        metadata=metadata,
        payload=payload,
        idempotency_source=idempotency_source,
        idempotency_key=idempotency_key,
    )


def _earn_in_one_round_trip(
    fingerprint: str,
    *,
    member,
    amount,
    description,
    metadata,
    available_at,
    expires_at,
    idempotency_source,
    idempotency_key,
) -> Journal:
    """PostgreSQL fast path: the same posting as ``earn``'s ORM body, in the loyalty_earn() function."""
    now = timezone.now()
    available = available_at or now
    journal = _journal_row(
        Journal.Kind.EARN,
        posted_at=now,
        description=description,
        metadata=metadata,
        fingerprint=fingerprint,
        idempotency_source=idempotency_source,
        idempotency_key=idempotency_key,
    )
    params = [
        member.pk,
        amount,
        available,
        expires_at or default_expiry(available),
        description,
        json.dumps(metadata),
        journal.idempotency_source,
        journal.idempotency_key,
        fingerprint,
        now,
        system_account_id(Account.Kind.ISSUED),
    ]
    for attempt in range(2):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT loyalty_earn(%s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s, %s, %s)", params
                )
                journal.pk = cursor.fetchone()[0]
            break
        except DatabaseError as exc:
            sqlstate = getattr(exc.__cause__, "sqlstate", None)
            if sqlstate == "LY001":
                raise InactiveMember() from exc
            if sqlstate != "LY002" or attempt:
                raise
            open_member_account(member=member)  # enrolled without the members service
    journal._state.adding = False
    journal._state.db = connection.alias
    return journal


@_retry_on_deadlock
def redeem(
    *,
    member,
    amount: int,
    description: str = "",
    metadata: dict | None = None,
    idempotency_source: str = "",
    idempotency_key: str | None = None,
) -> Journal:
    """Spend a member's spendable Likes (oldest lots first) into the ``redeemed`` account."""
    _check_amount(amount)
    metadata = metadata or {}

    return _post(
        Journal.Kind.REDEEM,
        body=_spend_into(Account.Kind.REDEEMED, member, amount),
        description=description,
        metadata=metadata,
        payload={"member": member.pk, "amount": amount, "description": description, "metadata": metadata},
        idempotency_source=idempotency_source,
        idempotency_key=idempotency_key,
    )


@_retry_on_deadlock
def transfer(
    *,
    sender,
    receiver,
    amount: int,
    message: str = "",
    expires_at: datetime | None = None,
    metadata: dict | None = None,
    require_active_receiver: bool = True,
    idempotency_source: str = "",
    idempotency_key: str | None = None,
) -> Journal:
    """Move spendable Likes from one member to another; the receiver gets a new lot.

    With ``require_active_receiver=False`` a member who has left may receive (the Likes wait in
    their account should they rejoin); the sender must always be active.
    """
    _check_amount(amount)
    if sender.pk == receiver.pk:
        raise SelfTransfer()
    metadata = {
        "sender": sender.number,
        "sender_name": sender.first_name,
        "receiver": receiver.number,
        "receiver_name": receiver.first_name,
        **(metadata or {}),
        "message": message,
    }

    def body(journal: Journal, now: datetime) -> None:
        accounts = _lock_member_accounts([sender.pk, receiver.pk])
        from_account, to_account = accounts[sender.pk], accounts[receiver.pk]
        _require_active(from_account)
        if require_active_receiver:
            _require_active(to_account)
        debits = _take_from_lots(from_account, amount, now=now, include_pending=False)
        _apply_lot_debits(debits)
        lot = _new_lot(
            journal, to_account.pk, amount, available_at=now, expires_at=expires_at or default_expiry(now)
        )
        _write_entries(
            _debit_entries(journal, from_account.pk, debits)
            + [Entry(journal=journal, account_id=to_account.pk, lot=lot, amount=amount)]
        )
        _change_balance(from_account.pk, -amount)
        _change_balance(to_account.pk, amount)

    return _post(
        Journal.Kind.TRANSFER,
        body=body,
        metadata=metadata,
        payload={"sender": sender.pk, "receiver": receiver.pk, "amount": amount, "message": message},
        idempotency_source=idempotency_source,
        idempotency_key=idempotency_key,
    )


@_retry_on_deadlock
def adjust(
    *,
    member,
    amount: int,
    reason: str,
    editor,
    idempotency_source: str = "",
    idempotency_key: str | None = None,
) -> Journal:
    """An editor's correction: a signed amount against the ``adjustments`` account.

    A positive correction creates a new lot with the default lifetime; a negative one takes
    from the oldest lots, pending ones included. It works on members who have left too.
    """
    if isinstance(amount, bool) or not isinstance(amount, int) or amount == 0:
        raise InvalidAmount()
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()

    def body(journal: Journal, now: datetime) -> None:
        account = _lock_member_accounts([member.pk])[member.pk]
        if amount > 0:
            lot = _new_lot(journal, account.pk, amount, available_at=now, expires_at=default_expiry(now))
            entries = [Entry(journal=journal, account_id=account.pk, lot=lot, amount=amount)]
        else:
            debits = _take_from_lots(account, -amount, now=now, include_pending=True)
            _apply_lot_debits(debits)
            entries = _debit_entries(journal, account.pk, debits)
        adjustments = system_account_id(Account.Kind.ADJUSTMENTS)
        _write_entries(entries + [Entry(journal=journal, account_id=adjustments, amount=-amount)])
        _change_balance(account.pk, amount)

    return _post(
        Journal.Kind.ADJUST,
        body=body,
        reason=reason,
        created_by=editor,
        payload={
            "member": member.pk,
            "amount": amount,
            "reason": reason,
            "editor": getattr(editor, "pk", None),
        },
        idempotency_source=idempotency_source,
        idempotency_key=idempotency_key,
    )


@_retry_on_deadlock
def reverse(
    *,
    journal: Journal,
    reason: str = "",
    editor=None,
    idempotency_source: str = "",
    idempotency_key: str | None = None,
) -> Journal:
    """Undo a journal with a new one that mirrors it and points at it.

    Likes that went out of a lot go back into that same lot (keeping its expiry). Likes that
    came in are taken back from the lot they created first, then from the member's oldest lots;
    if the member has already spent them, the reversal is refused with InsufficientLikes.
    """
    if journal.kind in (Journal.Kind.REVERSAL, Journal.Kind.EXPIRY, Journal.Kind.REFUND):
        raise NotReversible()

    def post(fingerprint: str) -> Journal:
        now = timezone.now()
        with transaction.atomic():
            if Journal.objects.filter(reverses=journal).exists():
                raise AlreadyReversed()
            try:
                with transaction.atomic():
                    reversal = _new_journal(
                        Journal.Kind.REVERSAL,
                        reverses=journal,
                        reason=reason,
                        created_by=editor,
                        description=journal.description,
                        metadata=journal.metadata,
                        fingerprint=fingerprint,
                        idempotency_source=idempotency_source,
                        idempotency_key=idempotency_key,
                        posted_at=now,
                    )
            except IntegrityError as exc:
                if idempotency_key and _journal_for_key(idempotency_source, idempotency_key):
                    raise
                raise AlreadyReversed() from exc
            original = list(journal.entries.select_related("account"))
            member_ids = [e.account.member_id for e in original if not e.account.is_system]
            accounts_by_id = {a.pk: a for a in _lock_member_accounts(member_ids).values()}
            entries, deltas = [], {}
            for line in original:
                if line.account.is_system:
                    entries.append(Entry(journal=reversal, account_id=line.account_id, amount=-line.amount))
                    continue
                deltas[line.account_id] = deltas.get(line.account_id, 0) - line.amount
                if line.amount < 0:
                    Lot.objects.filter(pk=line.lot_id).update(remaining=F("remaining") - line.amount)
                    entries.append(
                        Entry(
                            journal=reversal,
                            account_id=line.account_id,
                            lot_id=line.lot_id,
                            amount=-line.amount,
                        )
                    )
                else:
                    debits = _take_from_lots(
                        accounts_by_id[line.account_id],
                        line.amount,
                        now=now,
                        include_pending=True,
                        prefer_lot_id=line.lot_id,
                    )
                    _apply_lot_debits(debits)
                    entries.extend(_debit_entries(reversal, line.account_id, debits))
            _write_entries(entries)
            for account_id, delta in deltas.items():
                _change_balance(account_id, delta)
        return reversal

    payload = {"journal": journal.pk, "reason": reason}
    return _idempotent(
        Journal.Kind.REVERSAL,
        source=idempotency_source,
        key=idempotency_key,
        payload=payload,
        post=post,
    )


@dataclass(frozen=True)
class ClawBack:
    """What a refund took back: ``taken`` from the member's lots, ``owed`` added to their debt."""

    journal: Journal | None
    taken: int
    owed: int


def claw_back(
    *,
    member,
    amount: int,
    description: str = "",
    metadata: dict | None = None,
    prefer_lot_id: int | None = None,
) -> ClawBack:
    """Take back Likes a refund cancels, without ever driving the balance below zero.

    Likes come from ``prefer_lot_id`` (the purchase's own lot) first, then the oldest lots,
    pending ones included. Whatever the member has already spent is added to their debt,
    which ``settle_debt`` pays off from later earnings. The caller owns idempotency (for
    example a unique refund row written in the same transaction).
    """
    _check_amount(amount)
    with transaction.atomic():
        now = timezone.now()
        account = _lock_member_accounts([member.pk])[member.pk]
        debits = _take_from_lots(
            account, amount, now=now, include_pending=True, prefer_lot_id=prefer_lot_id, up_to=True
        )
        taken = sum(debit.amount for debit in debits)
        owed = amount - taken
        journal = None
        if taken:
            journal = _new_journal(
                Journal.Kind.REFUND,
                posted_at=now,
                description=description,
                metadata={**(metadata or {}), "owed": owed},
            )
            _book_return_to_issued(journal, account.pk, debits)
        Account.objects.filter(pk=account.pk).update(balance=F("balance") - taken, debt=F("debt") + owed)
    return ClawBack(journal=journal, taken=taken, owed=owed)


def settle_debt(*, member, description: str = "") -> Journal | None:
    """Pay a member's refund debt from their Likes (pending ones included), as far as they reach.

    Called right after an earning, in the same transaction; a member without debt costs one
    indexed read.
    """
    if not Account.objects.filter(member=member, debt__gt=0).exists():
        return None
    with transaction.atomic():
        now = timezone.now()
        account = _lock_member_accounts([member.pk])[member.pk]
        debt = Account.objects.values_list("debt", flat=True).get(pk=account.pk)
        debits = _take_from_lots(account, debt, now=now, include_pending=True, up_to=True) if debt else []
        paid = sum(debit.amount for debit in debits)
        if not paid:
            return None
        journal = _new_journal(
            Journal.Kind.REFUND,
            posted_at=now,
            description=description,
            metadata={"debt_paid": paid, "owed": debt - paid},
        )
        _book_return_to_issued(journal, account.pk, debits)
        Account.objects.filter(pk=account.pk).update(balance=F("balance") - paid, debt=F("debt") - paid)
    return journal


def _book_return_to_issued(journal: Journal, account_id: int, debits: list[_Debit]) -> None:
    _apply_lot_debits(debits)
    total = sum(debit.amount for debit in debits)
    _write_entries(
        _debit_entries(journal, account_id, debits)
        + [Entry(journal=journal, account_id=system_account_id(Account.Kind.ISSUED), amount=total)]
    )


@_retry_on_deadlock
def hold(
    *,
    sender,
    amount: int,
    metadata: dict | None = None,
    idempotency_source: str = "",
    idempotency_key: str | None = None,
) -> Journal:
    """Move a member's spendable Likes into the ``held`` account (a gift waiting to be claimed)."""
    _check_amount(amount)
    metadata = {**(metadata or {}), "sender": sender.number, "sender_name": sender.first_name}

    return _post(
        Journal.Kind.TRANSFER,
        body=_spend_into(Account.Kind.HELD, sender, amount),
        metadata=metadata,
        payload={"sender": sender.pk, "amount": amount, "metadata": metadata},
        idempotency_source=idempotency_source,
        idempotency_key=idempotency_key,
    )


@_retry_on_deadlock
def release_held(
    *,
    member,
    amount: int,
    metadata: dict | None = None,
    expires_at: datetime | None = None,
    idempotency_source: str = "",
    idempotency_key: str | None = None,
) -> Journal:
    """Pay Likes out of the ``held`` account into a member's new lot (a claimed or returned gift)."""
    _check_amount(amount)
    metadata = metadata or {}

    return _post(
        Journal.Kind.TRANSFER,
        body=_credit_from(Account.Kind.HELD, member, amount, expires_at=expires_at, require_active=False),
        metadata=metadata,
        payload={"member": member.pk, "amount": amount, "metadata": metadata},
        idempotency_source=idempotency_source,
        idempotency_key=idempotency_key,
    )


def expire_due(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """Expire what is left of every lot past its expiry; returns the number of Likes expired.

    Safe to run twice at once: each account is locked and its due lots re-read under the
    lock, so a lot another run already emptied is skipped.
    """
    now = now or timezone.now()
    expired_total = 0
    while True:
        account_ids = list(
            Lot.objects.filter(remaining__gt=0, expires_at__lte=now)
            .values_list("account_id", flat=True)
            .distinct()
            .order_by("account_id")[:batch_size]
        )
        if not account_ids:
            return expired_total
        for account_id in account_ids:
            expired_total += _expire_account(account_id, now)


@_retry_on_deadlock
def _expire_account(account_id: int, now: datetime) -> int:
    with transaction.atomic():
        Account.objects.select_for_update(no_key=True).filter(pk=account_id).first()
        due = list(
            Lot.objects.filter(account_id=account_id, remaining__gt=0, expires_at__lte=now)
            .order_by("expires_at", "pk")
            .values_list("pk", "remaining")
        )
        if not due:
            return 0
        debits = [_Debit(lot_id, remaining) for lot_id, remaining in due]
        total = sum(debit.amount for debit in debits)
        journal = _new_journal(Journal.Kind.EXPIRY, posted_at=now)
        _apply_lot_debits(debits)
        expired = system_account_id(Account.Kind.EXPIRED)
        _write_entries(
            _debit_entries(journal, account_id, debits)
            + [Entry(journal=journal, account_id=expired, amount=total)]
        )
        _change_balance(account_id, -total)
    return total


def load_history(
    *, accounts: list[tuple], journals: list[tuple], lots: list[tuple], entries: list[tuple]
) -> None:
    """Bulk-load a precomputed history (imports, synthetic data) with the ledger's invariants.

    Rows carry explicit ids. Every journal's entries must sum to zero, every lot's
    ``remaining`` and every new member account's balance must equal the sum of its entries;
    the function checks all three before writing. Runs in one transaction.

    accounts: (id, member_id, balance) for new member accounts
    journals: (id, kind, posted_at, description, metadata)
    lots:     (id, account_id, journal_id, amount, remaining, available_at, expires_at)
    entries:  (id, journal_id, account_id, lot_id, amount)
    """
    from .bulkload import insert_rows, reset_sequences

    per_journal: dict[int, int] = {}
    per_lot: dict[int, int] = {}
    per_account: dict[int, int] = {}
    for _, journal_id, account_id, lot_id, amount in entries:
        per_journal[journal_id] = per_journal.get(journal_id, 0) + amount
        per_account[account_id] = per_account.get(account_id, 0) + amount
        if lot_id is not None:
            per_lot[lot_id] = per_lot.get(lot_id, 0) + amount
    if any(per_journal.values()):
        raise AssertionError("every journal's entries must sum to zero")
    if any(per_lot.get(lot[0], 0) != lot[4] for lot in lots):
        raise AssertionError("every lot's remaining must equal the sum of its entries")
    if any(per_account.get(a[0], 0) != a[2] or a[2] < 0 for a in accounts):
        raise AssertionError("every member balance must equal its entries and be >= 0")

    with transaction.atomic():
        insert_rows(
            Account,
            ["id", "kind", "member_id", "balance"],
            ((a[0], Account.Kind.MEMBER, a[1], a[2]) for a in accounts),
        )
        insert_rows(
            Journal,
            [
                "id",
                "kind",
                "posted_at",
                "description",
                "reason",
                "idempotency_source",
                "fingerprint",
                "metadata",
            ],
            ((j[0], j[1], j[2], j[3], "", "", "", j[4]) for j in journals),
        )
        insert_rows(
            Lot,
            ["id", "account_id", "journal_id", "amount", "remaining", "available_at", "expires_at"],
            lots,
        )
        insert_rows(Entry, ["id", "journal_id", "account_id", "lot_id", "amount"], entries)
        reset_sequences(Account, Journal, Lot, Entry)
