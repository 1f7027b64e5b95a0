"""Signals other apps listen to, so that the rules never import them."""

from django.dispatch import Signal

# Sent after the transaction that recorded a new purchase commits (never for a replayed request).
# Arguments: purchase.
purchase_recorded = Signal()
