"""Onboarding partners: create a partner and its keys (the key is returned once), revoke a key."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from loyalty.ledger.exceptions import LedgerError

from .models import MemberLink, Partner, PartnerAPIKey
from .scopes import SCOPES


class UnknownKey(Exception):
    pass


class ExternalIdTaken(LedgerError):
    code = "external_id_taken"
    message = _("This external_id already belongs to another of your members.")


def link_external_id(*, partner: Partner, member, external_id: str) -> None:
    """Remember the partner's own id for a member (empty removes it); one member per id per partner."""
    with transaction.atomic():
        if (
            external_id
            and MemberLink.objects.filter(partner=partner, external_id=external_id)
            .exclude(member=member)
            .exists()
        ):
            raise ExternalIdTaken()
        MemberLink.objects.filter(partner=partner, member=member).delete()
        if external_id:
            try:
                with transaction.atomic():
                    MemberLink.objects.create(partner=partner, member=member, external_id=external_id)
            except IntegrityError:
                raise ExternalIdTaken() from None


def issue_key(
    *,
    partner_name: str,
    scopes: list[str],
    key_name: str = "",
    expires_at: datetime | None = None,
    created_by=None,
) -> tuple[PartnerAPIKey, str]:
    """Create the partner if new, and a key for it; returns the key row and the key (shown only once)."""
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown or not scopes:
        raise ValueError(f"Unknown or missing scopes: {', '.join(unknown) or '(none)'}")
    with transaction.atomic():
        partner, _created = Partner.objects.get_or_create(
            name=partner_name, defaults={"slug": slugify(partner_name)[:100] or "partner"}
        )
        api_key, key = PartnerAPIKey.objects.create_key(
            partner=partner,
            name=key_name or f"{partner.name} key",
            scopes=list(scopes),
            expiry_date=expires_at,
            created_by=created_by,
        )
    return api_key, key


def revoke_key(*, prefix: str) -> PartnerAPIKey:
    api_key = PartnerAPIKey.objects.filter(prefix=prefix.strip().split(".")[0]).first()
    if api_key is None:
        raise UnknownKey(prefix)
    if not api_key.revoked:
        api_key.revoked = True
        api_key.save(update_fields=["revoked"])
    return api_key
