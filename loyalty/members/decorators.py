"""View decorators for member pages."""

from functools import wraps

from django.shortcuts import render


def member_required(view):
    """Logged-in users who are not members see a friendly page; members get ``request.member``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        member = getattr(request.user, "member", None)
        if member is None:
            return render(request, "loyalty/ledger/not_a_member.html")
        request.member = member
        return view(request, *args, **kwargs)

    return wrapper
