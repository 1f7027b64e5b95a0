"""Personalised, value-adding campaign emails: segments, triggers, per-member blocks, sends, unsubscribe."""
