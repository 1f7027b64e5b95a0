"""The points ledger: double-entry journals, append-only entries, lots with expiry."""
