"""Member numbers: ten random digits whose last is a Luhn check digit, so typos are caught."""

import re
import secrets

NUMBER_LENGTH = 10


def luhn_check_digit(payload: str) -> str:
    total = 0
    for position, char in enumerate(reversed(payload)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def is_valid_member_number(number: str) -> bool:
    number = normalise_member_number(number)
    return len(number) == NUMBER_LENGTH and number.isdigit() and luhn_check_digit(number[:-1]) == number[-1]


def normalise_member_number(number: str | None) -> str:
    """Accept what people type: spaces, dots and dashes between digit groups."""
    return re.sub(r"[\s.-]", "", number or "")


def new_member_number(randbelow=secrets.randbelow) -> str:
    """A random number (not derived from any other member's), first digit never 0."""
    payload = str(1 + randbelow(9)) + "".join(str(randbelow(10)) for _ in range(NUMBER_LENGTH - 2))
    return payload + luhn_check_digit(payload)


def format_member_number(number: str) -> str:
    """Group as 123 456 7890 for reading aloud at a till."""
    return f"{number[:3]} {number[3:6]} {number[6:]}"
