"""loyalty_audit finds any difference between cached state and the entries, and names it."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from loyalty.ledger import services
from loyalty.ledger.models import Account, Entry, Journal, Lot

pytestmark = pytest.mark.django_db


def test_audit_is_clean_after_normal_postings(member, other_member, capsys):
    services.earn(member=member, amount=50)
    services.transfer(sender=member, receiver=other_member, amount=20)

    call_command("loyalty_audit")

    assert "Ledger audit clean" in capsys.readouterr().out


def test_audit_names_an_account_whose_cached_balance_was_tampered_with(member):
    services.earn(member=member, amount=50)
    Account.objects.filter(member=member).update(balance=49)

    with pytest.raises(CommandError, match="1 problem"):
        call_command("loyalty_audit")


def test_audit_reports_the_member_number_of_the_wrong_account(member, capsys):
    services.earn(member=member, amount=50)
    Account.objects.filter(member=member).update(balance=70)

    with pytest.raises(CommandError):
        call_command("loyalty_audit")

    err = capsys.readouterr().err
    assert member.number in err
    assert "entries say 50, stored 70" in err


def test_audit_finds_a_lot_that_does_not_match_its_entries(member):
    services.earn(member=member, amount=50)
    Lot.objects.update(remaining=10)

    with pytest.raises(CommandError):
        call_command("loyalty_audit")


def test_audit_finds_a_journal_that_does_not_sum_to_zero(member):
    journal = services.earn(member=member, amount=50)
    issued = Account.objects.get(kind=Account.Kind.ISSUED)
    # Bypass the append-only guard as a broken migration or a manual SQL edit would.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Entry._meta.db_table} (journal_id, account_id, amount) VALUES (%s, %s, %s)",
            [journal.pk, issued.pk, -1],
        )

    with pytest.raises(CommandError):
        call_command("loyalty_audit")
    assert Journal.objects.count() == 1
