"""``{% survey_prompt member %}``: an open survey invitation, as a prompt on the member's account page."""

from django import template
from django.urls import reverse

from ..surveys import link_token, open_invitations

register = template.Library()


@register.inclusion_tag("loyalty/insights/_prompt.html")
def survey_prompt(member):
    invitation = open_invitations(member).first()
    url = reverse("loyalty:survey_answer", args=[link_token(invitation)]) if invitation else ""
    return {"invitation": invitation, "url": url}
