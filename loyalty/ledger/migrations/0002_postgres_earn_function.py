"""PostgreSQL only: loyalty_earn(), the one-round-trip fast path of ledger.services.earn().

It does what the portable ORM path does, in the same order: insert the journal (the unique
idempotency index is met first), lock and update the member's account while checking the member
is active, insert the lot, insert the two entries.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION loyalty_earn(
    p_member_id bigint, p_amount bigint, p_available timestamptz, p_expires timestamptz,
    p_description text, p_metadata jsonb, p_source text, p_key text, p_fingerprint text,
    p_posted timestamptz, p_issued_account bigint
) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_journal bigint;
    v_account bigint;
    v_lot bigint;
BEGIN
    INSERT INTO loyalty_ledger_journal
        (kind, posted_at, description, reason, idempotency_source, idempotency_key,
         fingerprint, metadata, created_by_id, reverses_id)
    VALUES ('earn', p_posted, p_description, '', p_source, p_key, p_fingerprint, p_metadata,
            NULL, NULL)
    RETURNING id INTO v_journal;

    UPDATE loyalty_ledger_account AS a SET balance = a.balance + p_amount
    FROM loyalty_members_member AS m
    WHERE a.member_id = p_member_id AND m.id = a.member_id AND m.left_at IS NULL
    RETURNING a.id INTO v_account;
    IF v_account IS NULL THEN
        IF EXISTS (SELECT 1 FROM loyalty_members_member WHERE id = p_member_id AND left_at IS NULL) THEN
            RAISE EXCEPTION 'member % has no ledger account', p_member_id USING ERRCODE = 'LY002';
        END IF;
        RAISE EXCEPTION 'member % has left the program', p_member_id USING ERRCODE = 'LY001';
    END IF;

    INSERT INTO loyalty_ledger_lot (account_id, journal_id, amount, remaining, available_at, expires_at)
    VALUES (v_account, v_journal, p_amount, p_amount, p_available, p_expires)
    RETURNING id INTO v_lot;

    INSERT INTO loyalty_ledger_entry (journal_id, account_id, lot_id, amount)
    VALUES (v_journal, p_issued_account, NULL, -p_amount), (v_journal, v_account, v_lot, p_amount);
    RETURN v_journal;
END;
$$;
"""

DROP = "DROP FUNCTION IF EXISTS loyalty_earn(bigint, bigint, timestamptz, timestamptz, text, jsonb, text, text, text, timestamptz, bigint);"


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("loyalty_ledger", "0001_initial"), ("loyalty_members", "0001_initial")]

    operations = [migrations.RunPython(create_function, drop_function)]
