"""View decorators for member pages."""

from functools import wraps

from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control

from .auth import login_url


def member_required(view):
    """Member pages: visitors log in first (at the plugin's or the host's login page, see
    ``login_url``); logged-in users who are not members are offered to join with one click;
    members get ``request.member``. The answer is marked ``Cache-Control: private``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(login_url(request.get_full_path()))
        member = getattr(request.user, "member", None)
        if member is None:
            from .forms import JoinForm

            form = JoinForm(initial={"locale": getattr(request, "LANGUAGE_CODE", None)})
            response = render(request, "loyalty/members/not_a_member.html", {"form": form})
        else:
            request.member = member
            response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True)  # a member's own page: never in a shared cache
        return response

    return wrapper
