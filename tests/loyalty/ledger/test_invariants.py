"""Property test: whatever sequence of postings happens, the ledger's invariants hold."""

from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from loyalty.ledger import services
from loyalty.ledger.exceptions import LedgerError
from loyalty.ledger.models import Account, Entry, Journal
from tests.factories import MemberFactory

from .helpers import assert_ledger_consistent

MEMBERS = 3

member_index = st.integers(min_value=0, max_value=MEMBERS - 1)
amount = st.integers(min_value=1, max_value=60)

operation = st.one_of(
    st.tuples(st.just("earn"), member_index, amount, st.integers(-3, 10), st.integers(-2, 2)),
    st.tuples(st.just("redeem"), member_index, amount),
    st.tuples(st.just("transfer"), member_index, member_index, amount),
    st.tuples(st.just("expire"), st.integers(0, 12)),
    st.tuples(st.just("reverse"), st.integers(0, 30)),
    st.tuples(st.just("adjust"), member_index, st.integers(-40, 40).filter(bool)),
    st.tuples(st.just("claw_back"), member_index, amount),
    st.tuples(st.just("settle_debt"), member_index),
    st.tuples(st.just("hold"), member_index, amount),
    st.tuples(st.just("release_held"), member_index, amount),
)


class LedgerInvariantTests(TestCase):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(operation, min_size=1, max_size=25))
    def test_any_sequence_of_postings_keeps_the_ledger_balanced(self, operations):
        members = [MemberFactory() for _ in range(MEMBERS)]
        editor = members[0].user
        now = timezone.now()
        posted: list[Journal] = []
        for op in operations:
            try:
                journal = self._apply(op, members, editor, now, posted)
            except LedgerError:
                continue  # a refusal is a valid outcome; it must leave nothing behind
            if journal is not None:
                posted.append(journal)

        assert_ledger_consistent()
        assert Entry.objects.aggregate(total=Sum("amount"))["total"] in (0, None)
        assert not Account.objects.filter(kind=Account.Kind.MEMBER, balance__lt=0).exists()
        assert not Account.objects.filter(debt__lt=0).exists()

    @staticmethod
    def _apply(op, members, editor, now, posted):
        kind = op[0]
        if kind == "earn":
            _, i, n, expires_in, available_in = op
            available_at = now + timedelta(days=available_in)
            expires_at = max(available_at + timedelta(days=1), now + timedelta(days=expires_in))
            return services.earn(
                member=members[i], amount=n, available_at=available_at, expires_at=expires_at
            )
        if kind == "redeem":
            return services.redeem(member=members[op[1]], amount=op[2])
        if kind == "transfer":
            return services.transfer(sender=members[op[1]], receiver=members[op[2]], amount=op[3])
        if kind == "expire":
            expired = services.expire_due(now=now + timedelta(days=op[1]))
            return Journal.objects.filter(kind="expiry").first() if expired else None
        if kind == "adjust":
            return services.adjust(member=members[op[1]], amount=op[2], reason="test", editor=editor)
        if kind == "claw_back":
            return services.claw_back(member=members[op[1]], amount=op[2]).journal
        if kind == "settle_debt":
            return services.settle_debt(member=members[op[1]])
        if kind == "hold":
            return services.hold(sender=members[op[1]], amount=op[2])
        if kind == "release_held":
            held = Entry.objects.filter(account__kind="held").aggregate(t=Sum("amount"))["t"] or 0
            if op[2] > held:
                raise LedgerError()  # only what was held can be paid out
            return services.release_held(member=members[op[1]], amount=op[2])
        if not posted:
            raise LedgerError()
        return services.reverse(journal=posted[op[1] % len(posted)])
