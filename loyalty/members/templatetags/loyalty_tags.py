"""Template tags for the member pages: where to log in and out, and messages shown exactly once."""

from django import template
from django.contrib.messages import get_messages

from loyalty.members import auth

register = template.Library()


@register.simple_tag
def loyalty_login_url(next_path: str | None = None) -> str:
    """``{% loyalty_login_url request.path %}``: the log-in link that comes back to ``next_path``."""
    return auth.login_url(next_path)


@register.simple_tag
def loyalty_logout_url() -> str | None:
    return auth.logout_url()


@register.inclusion_tag("loyalty/_messages.html", takes_context=True)
def loyalty_messages(context):
    """The request's messages (refusals, confirmations), unless the site's own base template already
    showed them above the page: iterating the messages marks them used."""
    request = context.get("request")
    storage = get_messages(request) if request is not None else []
    return {"messages": [] if getattr(storage, "used", False) else list(storage)}
