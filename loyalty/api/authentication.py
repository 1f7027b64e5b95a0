"""``Authorization: Api-Key <key>``: find the key; refuse missing, wrong, revoked or expired keys."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .models import PartnerAPIKey

KEYWORD = "Api-Key"


class PartnerPrincipal:
    """What ``request.user`` is for a partner's request (``request.auth`` is the key)."""

    is_authenticated = True
    is_anonymous = False
    pk = None

    def __init__(self, partner):
        self.partner = partner

    def __str__(self):
        return str(self.partner)


class InvalidKey(exceptions.AuthenticationFailed):
    default_code = "invalid_api_key"


class PartnerKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = get_authorization_header(request).decode("latin-1")
        if not header:
            return None  # DRF answers 401 "not_authenticated" through the permission check
        keyword, _space, key = header.partition(" ")
        if keyword != KEYWORD or not key.strip():
            raise InvalidKey(_("Send the key as 'Authorization: Api-Key <key>'."))
        try:
            api_key = PartnerAPIKey.objects.get_from_key(key.strip())
        except PartnerAPIKey.DoesNotExist:
            raise InvalidKey(_("This API key is not valid, or it was revoked.")) from None
        if api_key.has_expired:
            raise InvalidKey(_("This API key has expired."))
        if not api_key.partner.is_active:
            raise InvalidKey(_("This partner is switched off."))
        return PartnerPrincipal(api_key.partner), api_key

    def authenticate_header(self, request):
        return KEYWORD
