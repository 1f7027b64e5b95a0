"""View decorators for member pages."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from .auth import login_url


def member_required(view):
    """Member pages: visitors log in first (at the plugin's or the host's login page, see
    ``login_url``); logged-in users who are not members are offered to join with one click;
    members get ``request.member``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url())
        member = getattr(request.user, "member", None)
        if member is None:
            from .forms import JoinForm

            form = JoinForm(initial={"locale": getattr(request, "LANGUAGE_CODE", None)})
            return render(request, "loyalty/members/not_a_member.html", {"form": form})
        request.member = member
        return view(request, *args, **kwargs)

    return wrapper
