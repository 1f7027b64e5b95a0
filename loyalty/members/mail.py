"""Send one transactional email in the reader's language, as plain text and HTML."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

from loyalty.ledger.conf import ledger_settings


def site_url(path: str = "") -> str:
    """An absolute link for emails: the site's public address (WAGTAILADMIN_BASE_URL) plus ``path``."""
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/") + path


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template (a text part, a subject) rendered without HTML escaping, so a member's
    "<3" or "Bram's" reads as written; the HTML part is escaped as usual."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def render_templated_email(
    *, to: str, locale: str, template: str, context: dict, headers: dict | None = None
) -> EmailMultiAlternatives:
    """Render ``<template>_subject.txt``, ``.txt`` and ``.html`` in ``locale`` into a message."""
    context = {
        "site_name": getattr(settings, "WAGTAIL_SITE_NAME", ""),
        "currency": ledger_settings().currency_name,
        **context,
    }
    with translation.override(locale or settings.LANGUAGE_CODE):
        subject = " ".join(render_text(f"{template}_subject.txt", context).split())
        text = render_text(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def send_templated_email(*, to: str, locale: str, template: str, context: dict) -> None:
    """Render ``<template>_subject.txt``, ``.txt`` and ``.html`` in ``locale``, then send them."""
    render_templated_email(to=to, locale=locale, template=template, context=context).send()


def send_member_email(member, *, template: str, context: dict) -> None:
    """A transactional email (a voucher, Likes received) to a member in their own language.

    The campaign emails of ``loyalty.emails`` have their own pipeline with unsubscribe links
    and a delivery log.
    """
    send_templated_email(
        to=member.user.email, locale=member.locale, template=template, context={"member": member, **context}
    )
