"""One error format for every failure of the partner API.

``{"type": "validation_error" | "client_error" | "server_error", "code": "...", "detail": "...",
"errors": [{"field": "items.0.quantity", "code": "min_value", "detail": "..."}], "meta": {...}}``
Domain refusals (``LedgerError`` and its subclasses) keep their stable ``code`` and plain message.
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from loyalty.ledger.exceptions import LedgerError
from loyalty.members.exceptions import MemberError

STATUS_BY_CODE = {
    "invalid_amount": status.HTTP_400_BAD_REQUEST,
    "invalid_purchase": status.HTTP_400_BAD_REQUEST,
    "invalid_refund": status.HTTP_400_BAD_REQUEST,
    "invalid_order_amount": status.HTTP_400_BAD_REQUEST,
    "invalid_survey_response": status.HTTP_400_BAD_REQUEST,
    "idempotency_conflict": status.HTTP_409_CONFLICT,
    "unknown_member": status.HTTP_404_NOT_FOUND,
    "unknown_receiver": status.HTTP_404_NOT_FOUND,
    "email_taken": status.HTTP_409_CONFLICT,
    "email_ambiguous": status.HTTP_409_CONFLICT,
    "account_exists": status.HTTP_409_CONFLICT,
    "external_id_taken": status.HTTP_409_CONFLICT,
}


class UnknownMember(LedgerError):
    code = "unknown_member"

    def __init__(self, number=""):
        super().__init__(_("No member has the number '%(number)s'.") % {"number": number}, number=number)


def _flatten(detail, field="") -> list[dict]:
    if isinstance(detail, dict):
        return [
            e for key, value in detail.items() for e in _flatten(value, f"{field}.{key}" if field else key)
        ]
    if isinstance(detail, list):
        if all(isinstance(item, dict) and "code" in item and "message" in item for item in detail):
            return [
                {"field": field or None, "code": item["code"], "detail": str(item["message"])}
                for item in detail
            ]
        return [e for index, value in enumerate(detail) for e in _flatten(value, f"{field}.{index}")]
    return [
        {"field": field or None, "code": detail.get("code", "invalid"), "detail": str(detail.get("message"))}
    ]


def error_body(*, type_: str, code: str, detail: str, errors=None, meta=None) -> dict:
    body = {"type": type_, "code": code, "detail": detail, "errors": errors or []}
    if meta:
        body["meta"] = meta
    return body


def api_exception_handler(exc, context):
    if isinstance(exc, LedgerError | MemberError):
        http_status = STATUS_BY_CODE.get(exc.code, status.HTTP_422_UNPROCESSABLE_ENTITY)
        meta = getattr(exc, "details", None) or None
        return Response(
            error_body(type_="client_error", code=exc.code, detail=str(exc), meta=meta), status=http_status
        )
    if isinstance(exc, RequestDataTooBig):
        body = error_body(
            type_="client_error", code="request_too_large", detail=_("The request body is too large.")
        )
        return Response(body, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.get_full_details())
        response.data = error_body(
            type_="validation_error",
            # One problem keeps its own code (invalid_amount, required...); several are "invalid".
            code=errors[0]["code"] if len(errors) == 1 else "invalid",
            detail=errors[0]["detail"] if len(errors) == 1 else _("Some fields are not valid."),
            errors=errors,
        )
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = error_body(
            type_="client_error" if response.status_code < 500 else "server_error",
            code=code if isinstance(code, str) else "error",
            detail=str(getattr(exc, "detail", exc)),
            meta={"retry_after": int(exc.wait)}
            if isinstance(exc, exceptions.Throttled) and exc.wait
            else None,
        )
    return response
