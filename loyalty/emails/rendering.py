"""Turn a composed email into a message: HTML (CSS inlined by css-inline) and plain text, in the member's
language, with a signed one-click unsubscribe (RFC 8058 headers) and, where the site enables it,
tracked links and an open pixel."""

import re

import css_inline
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from loyalty.ledger.conf import ledger_settings
from loyalty.members.mail import render_text, site_url

CLICK_SALT = "loyalty.emails.click"
OPEN_SALT = "loyalty.emails.open"
_inliner = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)
_HREF = re.compile(r'href="(https?://[^"]+)"')


def tracked(url: str, send_id: int) -> str:
    token = signing.dumps([send_id, url], salt=CLICK_SALT, compress=True)
    return site_url(reverse("loyalty:email_click", args=[token]))


def open_pixel(send_id: int) -> str:
    return site_url(reverse("loyalty:email_open", args=[signing.dumps(send_id, salt=OPEN_SALT)]))


def _track_sections(sections: list[dict], send_id: int) -> list[dict]:
    tracked_sections = []
    for section in sections:
        section = dict(section)
        if "url" in section:
            section["url"] = tracked(section["url"], send_id)
        if "items" in section:
            section["items"] = [{**item, "url": tracked(item["url"], send_id)} for item in section["items"]]
        if "html" in section:
            section["html"] = _HREF.sub(lambda match: f'href="{tracked(match[1], send_id)}"', section["html"])
        tracked_sections.append(section)
    return tracked_sections


def unsubscribe_link(member, kind: str, send_id: int | None) -> tuple[str, dict]:
    """The signed one-click unsubscribe link from ``kind`` and the RFC 8058 headers that carry it."""
    from .services import unsubscribe_token

    url = site_url(reverse("loyalty:email_unsubscribe", args=[unsubscribe_token(member, kind, send_id)]))
    return url, {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def build_message(campaign, composed, member, *, send_id: int | None, track: bool) -> EmailMultiAlternatives:
    unsubscribe_url, unsubscribe_headers = unsubscribe_link(member, campaign.kind, send_id)
    sections = _track_sections(composed.sections, send_id) if track and send_id else composed.sections
    context = {
        "subject": composed.subject,
        "preheader": composed.preheader,
        "sections": sections,
        "member": member,
        "currency": ledger_settings().currency_name,
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": site_url(reverse("loyalty:email_preferences")),
        "open_pixel": open_pixel(send_id) if track and send_id else "",
    }
    with translation.override(member.locale):
        context["kind"] = campaign.get_kind_display()
        html = _inliner.inline(render_to_string("loyalty/emails/email/campaign.html", context))
        text = render_text("loyalty/emails/email/campaign.txt", context)
    message = EmailMultiAlternatives(
        composed.subject,
        text,
        to=[member.user.email],
        headers={**unsubscribe_headers, "X-Loyalty-Campaign": str(campaign.pk)},
    )
    message.attach_alternative(html, "text/html")
    return message
