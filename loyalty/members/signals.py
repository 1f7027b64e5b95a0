"""Signals other apps listen to, so that membership code never imports them."""

from django.dispatch import Signal

# Sent inside the enrolment transaction, right after the membership and its account exist.
# Arguments: member, referral_code (the invite code the new member joined through, or ""),
# imported (True when a partner imported an existing member with an earlier joined_at; sign-up
# rewards do not apply to them).
member_enrolled = Signal()
