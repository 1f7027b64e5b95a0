"""The loyalty plugin: members, the points ledger, and (in later apps) rules, sharing, emails, insights and API."""
