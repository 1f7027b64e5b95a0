"""Pieces every loyalty app shares (no models): local calendar arithmetic and the like."""
