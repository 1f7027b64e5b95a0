"""The ``Idempotency-Key`` header: a retried POST gets the original response and changes nothing.

The key's row is inserted first, in the same transaction as the work, so an identical request
racing it waits on the unique index and then replays the stored response. Only successful
responses are stored: a refused request can be corrected and retried with the same key.
"""

import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response

from loyalty.ledger.exceptions import IdempotencyConflict
from loyalty.ledger.services import fingerprint

from .models import IdempotentResponse

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def idempotency_key(request) -> str:
    key = request.headers.get(HEADER, "").strip()
    if len(key) > MAX_KEY_LENGTH:
        raise exceptions.ValidationError(
            {HEADER: [ErrorDetail(_("At most 255 characters."), code="invalid_idempotency_key")]}
        )
    return key


def _fingerprint(request) -> str:
    return fingerprint(request.method, {"path": request.path, "body": request.data})


def _replay(stored: IdempotentResponse, digest: str) -> Response:
    if stored.fingerprint != digest:
        raise IdempotencyConflict(_("This Idempotency-Key was already used with a different request."))
    return Response(stored.body, status=stored.status_code, headers={"Idempotent-Replayed": "true"})


def respond_once(request, produce) -> Response:
    """Run ``produce()`` at most once per (partner, Idempotency-Key)."""
    key = idempotency_key(request)
    if not key:
        return produce()
    partner = request.auth.partner
    digest = _fingerprint(request)
    stored = IdempotentResponse.objects.filter(partner=partner, key=key).first()
    if stored is not None and stored.status_code:
        return _replay(stored, digest)
    try:
        with transaction.atomic():
            record = IdempotentResponse.objects.create(partner=partner, key=key, fingerprint=digest)
            response = produce()
            if not 200 <= response.status_code < 300:
                transaction.set_rollback(True)
                return response
            record.status_code, record.body = (
                response.status_code,
                json.loads(json.dumps(response.data, default=str)),
            )
            record.save(update_fields=["status_code", "body"])
            return response
    except IntegrityError:
        stored = IdempotentResponse.objects.filter(partner=partner, key=key).first()
        if stored is None:
            raise
        return _replay(stored, digest)
