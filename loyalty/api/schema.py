"""OpenAPI pieces the views share: the Api-Key security scheme, error responses, Idempotency-Key."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema

from .serializers import ErrorSerializer


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "loyalty.api.authentication.PartnerKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Send `Authorization: Api-Key <key>`. Editors create keys in the Wagtail admin "
            "(Loyalty → API keys) or with `manage.py loyalty_partner create`.",
        }


def documented(**kwargs):
    """``extend_schema`` for a view method, built on drf-spectacular's ``AutoSchema`` whatever the host's
    ``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]`` is (extend_schema would otherwise start from that)."""

    def decorator(method):
        method.kwargs = {**getattr(method, "kwargs", {}), "schema": AutoSchema}
        return extend_schema(**kwargs)(method)

    return decorator


def _error(description: str, code: str, detail: str) -> OpenApiResponse:
    return OpenApiResponse(
        ErrorSerializer,
        description=description,
        examples=[
            OpenApiExample(code, value={"type": "client_error", "code": code, "detail": detail, "errors": []})
        ],
    )


ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="The request is not valid; `errors` names each field.",
        examples=[
            OpenApiExample(
                "validation_error",
                value={
                    "type": "validation_error",
                    "code": "invalid",
                    "detail": "Ensure this value is greater than or equal to 1.",
                    "errors": [
                        {
                            "field": "items.0.quantity",
                            "code": "min_value",
                            "detail": "Ensure this value is greater than or equal to 1.",
                        }
                    ],
                },
            )
        ],
    ),
    401: _error(
        "Missing, wrong, revoked or expired API key.", "invalid_api_key", "This API key has expired."
    ),
    403: _error(
        "The key lacks the scope this endpoint needs.",
        "permission_denied",
        "This API key lacks the 'purchases:write' scope.",
    ),
    404: _error(
        "Unknown member, purchase or reward.", "unknown_member", "No member has the number '1234567890'."
    ),
    409: _error(
        "The Idempotency-Key was used for a different request.",
        "idempotency_conflict",
        "This Idempotency-Key was already used with a different request.",
    ),
    422: _error(
        "The program refused: not enough Likes, a sharing limit, a member who left...",
        "insufficient_likes",
        "Not enough Likes: 10 available, 20 needed.",
    ),
    429: _error(
        "Too many requests for this key; see the Retry-After header.",
        "throttled",
        "Request was throttled. Expected available in 12 seconds.",
    ),
}

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (a UUID). Repeating the request with the same key returns the original "
    "response and changes nothing; the same key with a different body is 409 idempotency_conflict.",
)


def request_example(name: str, value: dict) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)


PURCHASE_EXAMPLE = request_example(
    "A purchase with one item",
    {
        "member": "2397066024",
        "order_reference": "A-1001",
        "amount": "25.00",
        "currency": "EUR",
        "occurred_at": "2026-11-23T10:00:00Z",
        "items": [{"sku": "MONSTERA-S", "category": "plants", "quantity": 1, "unit_price": "25.00"}],
    },
)
MEMBER_EXAMPLE = request_example(
    "Enrol a member",
    {
        "email": "femke@example.com",
        "first_name": "Femke",
        "last_name": "Bakker",
        "locale": "nl",
        "marketing_consent": True,
        "external_id": "C-77",
    },
)
REFUND_EXAMPLE = request_example("A partial refund", {"amount": "10.00"})
REDEMPTION_EXAMPLES = [
    request_example("Redeem a reward", {"member": "2397066024", "reward": 3}),
    request_example(
        "Redeem Likes as a discount", {"member": "2397066024", "amount": 200, "reason": "Order A-1002"}
    ),
]
TRANSFER_EXAMPLE = request_example(
    "Share Likes", {"sender": "2397066024", "receiver": "8128471103", "amount": 20, "message": "Thanks!"}
)
SUPPORT_CONTACT_EXAMPLE = request_example(
    "A phone call solved at once",
    {
        "member": "2397066024",
        "reference": "CASE-1042",
        "channel": "phone",
        "subject": "Where is my order?",
        "resolved_first_time": True,
    },
)
SURVEY_EXAMPLE = request_example(
    "An NPS answer after a purchase",
    {"member": "2397066024", "kind": "nps", "score": 9, "comment": "Great advice", "touchpoint": "42"},
)
