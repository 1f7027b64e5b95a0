"""The loyalty plugin: members and the points ledger (later: rules, sharing, emails, insights, API)."""
