"""Bounds of money amounts: every amount column is 12 digits with 2 decimals."""

from decimal import Decimal

MAX_MONEY = Decimal("9999999999.99")  # the largest amount a money column holds
