"""Partner API views: each names its serializer, scopes and the service it calls, and little else."""

import re

from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from loyalty.insights.metrics import summary
from loyalty.insights.services import record_support_contact, record_survey_response
from loyalty.ledger import services as ledger
from loyalty.ledger.selectors import balance_summary, history_lines, member_history
from loyalty.members import services as members
from loyalty.members.models import Member
from loyalty.members.numbers import normalise_member_number
from loyalty.rewards.models import Reward
from loyalty.rewards.selectors import discount_quote_for
from loyalty.rewards.services import redeem_reward
from loyalty.rules.models import Purchase
from loyalty.rules.services import PurchaseItemData, record_purchase, refund_purchase
from loyalty.sharing.services import share_likes

from . import scopes, serializers
from .authentication import PartnerKeyAuthentication
from .errors import UnknownMember, api_exception_handler, error_body
from .idempotency import idempotency_key, respond_once
from .models import MemberLink, WriteLog
from .parsers import JSONParser
from .permissions import HasScope
from .schema import (
    ERRORS,
    IDEMPOTENCY_KEY,
    MEMBER_EXAMPLE,
    PURCHASE_EXAMPLE,
    REDEMPTION_EXAMPLES,
    REFUND_EXAMPLE,
    SUPPORT_CONTACT_EXAMPLE,
    SURVEY_EXAMPLE,
    TRANSFER_EXAMPLE,
    documented,
)
from .services import link_external_id
from .throttling import PartnerKeyThrottle


class PartnerAPIView(GenericAPIView):
    """Every partner endpoint's DRF classes, named here so the API needs no ``REST_FRAMEWORK`` setting
    and a host's own settings never change how it behaves (nor it how theirs do)."""

    authentication_classes = [PartnerKeyAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [PartnerKeyThrottle]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = DefaultContentNegotiation
    pagination_class = None
    filter_backends = []
    versioning_class = None
    schema = AutoSchema()
    required_scopes: dict[str, str] = {}

    def get_exception_handler(self):
        return api_exception_handler

    @property
    def partner(self):
        return self.request.auth.partner

    def member(self, number: str) -> Member:
        number = normalise_member_number(number)
        if not number.isdigit():  # never a member; and PostgreSQL refuses NUL bytes in a query
            raise UnknownMember(number)
        member = Member.objects.select_related("user").filter(number=number).first()
        if member is None:
            raise UnknownMember(number)
        return member

    def external_ids(self, members) -> dict[int, str]:
        links = MemberLink.objects.filter(partner=self.partner, member__in=members)
        return dict(links.values_list("member_id", "external_id"))

    def validated(self) -> dict:
        serializer = self.get_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD", "OPTIONS") and request.auth is not None:
            WriteLog.objects.create(
                partner=request.auth.partner,
                api_key=request.auth,
                key_prefix=request.auth.prefix,
                method=request.method,
                path=request.path[:300],
                status_code=response.status_code,
                idempotency_key=request.headers.get("Idempotency-Key", "")[:255],
            )
        return response


# --------------------------------------------------------------------------- members


class MemberListView(PartnerAPIView):
    required_scopes = {"GET": scopes.MEMBERS_READ, "POST": scopes.MEMBERS_WRITE}
    serializer_class = serializers.MemberSerializer

    @documented(
        summary="Find a member by email address",
        parameters=[
            OpenApiParameter("email", str, required=True, description="The address they joined with.")
        ],
        responses={200: serializers.MemberSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        email = request.query_params.get("email", "").strip()
        if not email:
            return Response(
                {
                    "type": "validation_error",
                    "code": "invalid",
                    "detail": _("Give ?email= to look a member up."),
                    "errors": [
                        {"field": "email", "code": "required", "detail": _("This field is required.")}
                    ],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        found = list(Member.objects.select_related("user").filter(user__email__iexact=email))
        context = {"external_ids": self.external_ids(found)}
        return Response(serializers.MemberSerializer(found, many=True, context=context).data)

    @documented(
        summary="Enrol a member",
        examples=[MEMBER_EXAMPLE],
        parameters=[IDEMPOTENCY_KEY],
        request=serializers.MemberSerializer,
        responses={201: serializers.MemberSerializer, **ERRORS},
    )
    def post(self, request):
        return respond_once(request, self.enrol)

    def enrol(self):
        data = self.validated()
        with transaction.atomic():
            member = members.enrol_member(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                locale=data["locale"],
                marketing_consent=data["marketing_consent"],
                joined_at=data.get("joined_at"),
                existing_user="join",  # a user of the site who is not a member yet joins as they are
            )
            if data.get("external_id"):
                link_external_id(partner=self.partner, member=member, external_id=data["external_id"])
        body = serializers.MemberSerializer(
            member, context={"external_ids": self.external_ids([member])}
        ).data
        return Response(body, status=status.HTTP_201_CREATED)


class MemberDetailView(PartnerAPIView):
    required_scopes = {"GET": scopes.MEMBERS_READ, "PATCH": scopes.MEMBERS_WRITE}
    serializer_class = serializers.MemberSerializer

    @documented(summary="A member by number", responses={200: serializers.MemberSerializer, **ERRORS})
    def get(self, request, number):
        member = self.member(number)
        return Response(
            serializers.MemberSerializer(member, context={"external_ids": self.external_ids([member])}).data
        )

    @documented(
        summary="Change a member's details, or record that they left (left_at) or rejoined (left_at: null)",
        request=serializers.MemberUpdateSerializer,
        responses={200: serializers.MemberSerializer, **ERRORS},
    )
    def patch(self, request, number):
        member = self.member(number)
        serializer = serializers.MemberUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            if "first_name" in data or "last_name" in data:
                members.update_name(
                    member=member, first_name=data.get("first_name"), last_name=data.get("last_name")
                )
            if "locale" in data:
                member.locale = data["locale"]
                member.save(update_fields=["locale"])
            if "marketing_consent" in data:
                members.set_marketing_consent(member=member, consent=data["marketing_consent"])
            if "left_at" in data:
                if data["left_at"] is None:
                    members.rejoin_program(member=member)
                else:
                    members.leave_program(member=member, left_at=data["left_at"])
            if "external_id" in data:
                link_external_id(partner=self.partner, member=member, external_id=data["external_id"])
        member.refresh_from_db()
        return Response(
            serializers.MemberSerializer(member, context={"external_ids": self.external_ids([member])}).data
        )


class BalanceView(PartnerAPIView):
    required_scopes = {"GET": scopes.MEMBERS_READ}
    serializer_class = serializers.BalanceSerializer

    @documented(
        summary="A member's balance and Likes expiring in 30 days",
        responses={200: serializers.BalanceSerializer, **ERRORS},
    )
    def get(self, request, number):
        summary = balance_summary(self.member(number))
        return Response(
            serializers.BalanceSerializer(
                {
                    "balance": summary.balance,
                    "spendable": summary.spendable,
                    "pending": summary.pending,
                    "expiring": [{"amount": e.amount, "expires_at": e.expires_at} for e in summary.expiring],
                }
            ).data
        )


class TransactionCursor(CursorPagination):
    ordering = ("-posted_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class TransactionListView(PartnerAPIView):
    required_scopes = {"GET": scopes.MEMBERS_READ}
    serializer_class = serializers.TransactionSerializer
    pagination_class = TransactionCursor

    @documented(
        summary="A member's postings, newest first (cursor pagination)",
        parameters=[serializers.TransactionFilterSerializer],
        responses={200: serializers.TransactionSerializer(many=True), **ERRORS},
    )
    def get(self, request, number):
        member = self.member(number)
        filters = serializers.TransactionFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        journals = member_history(
            member,
            kinds=[data["kind"]] if data.get("kind") else None,
            since=data.get("since"),
            until=data.get("until"),
        )
        page = self.paginate_queryset(journals)
        rows = [
            {
                "id": line["journal"].pk,
                "kind": line["journal"].kind,
                "amount": line["amount"],
                "posted_at": line["journal"].posted_at,
                "description": line["text"],
            }
            for line in history_lines(page)
        ]
        return self.get_paginated_response(serializers.TransactionSerializer(rows, many=True).data)


class DiscountQuoteView(PartnerAPIView):
    required_scopes = {"GET": scopes.MEMBERS_READ}
    serializer_class = serializers.DiscountQuoteSerializer

    @documented(
        summary="How many Likes a member can use on an order, and their money value",
        parameters=[OpenApiParameter("order_amount", str, required=True, description="For example 25.00")],
        responses={200: serializers.DiscountQuoteSerializer, **ERRORS},
    )
    def get(self, request, number):
        quote = discount_quote_for(self.member(number), request.query_params.get("order_amount", ""))
        return Response(serializers.DiscountQuoteSerializer(quote).data)


# --------------------------------------------------------------------------- purchases


class PurchaseCreateView(PartnerAPIView):
    required_scopes = {"POST": scopes.PURCHASES_WRITE}
    serializer_class = serializers.PurchaseSerializer

    @documented(
        summary="Record a purchase; its Likes are earned through the earning rules",
        examples=[PURCHASE_EXAMPLE],
        parameters=[IDEMPOTENCY_KEY],
        responses={201: serializers.PurchaseSerializer, 200: serializers.PurchaseSerializer, **ERRORS},
    )
    def post(self, request):
        return respond_once(request, self.record)

    def record(self):
        data = self.validated()
        member = self.member(data["member"])
        purchase = record_purchase(
            member=member,
            partner=self.partner.slug,
            order_reference=data["order_reference"],
            amount=data["amount"],
            currency=data["currency"],
            occurred_at=data.get("occurred_at"),
            items=[PurchaseItemData(**item) for item in data["items"]],
        )
        body = {
            "id": purchase.pk,
            "member": member.number,
            "order_reference": purchase.order_reference,
            "amount": purchase.amount,
            "currency": purchase.currency,
            "occurred_at": purchase.occurred_at,
            "items": data["items"],
            "likes_earned": purchase.likes_earned,
            "balance": balance_summary(member).balance,
        }
        created = status.HTTP_200_OK if purchase.replayed else status.HTTP_201_CREATED
        return Response(serializers.PurchaseSerializer(body).data, status=created)


class RefundCreateView(PartnerAPIView):
    required_scopes = {"POST": scopes.PURCHASES_WRITE}
    serializer_class = serializers.RefundSerializer

    @documented(
        summary="Refund part or all of a purchase; the same share of its Likes is taken back",
        examples=[REFUND_EXAMPLE],
        parameters=[IDEMPOTENCY_KEY],
        responses={201: serializers.RefundSerializer, **ERRORS},
    )
    def post(self, request, pk):
        return respond_once(request, lambda: self.refund(pk))

    def refund(self, pk):
        # A partner only ever sees its own purchases.
        purchase = get_object_or_404(
            Purchase.objects.select_related("member"),
            pk=int(pk) if re.fullmatch(r"[0-9]{1,18}", pk) else 0,
            partner=self.partner.slug,
        )
        refund = refund_purchase(
            purchase=purchase,
            amount=self.validated()["amount"],
            reference=idempotency_key(self.request),
        )
        body = {
            "id": refund.pk,
            "amount": refund.amount,
            "likes_reversed": refund.likes_reversed,
            "likes_owed": refund.likes_owed,
            "balance": balance_summary(purchase.member).balance,
        }
        return Response(serializers.RefundSerializer(body).data, status=status.HTTP_201_CREATED)


# --------------------------------------------------------------------------- redemptions and transfers


class RedemptionCreateView(PartnerAPIView):
    required_scopes = {"POST": scopes.REDEMPTIONS_WRITE}
    serializer_class = serializers.RedemptionSerializer

    @documented(
        summary="Redeem a reward (a voucher) or an amount of Likes (for example a checkout discount)",
        examples=REDEMPTION_EXAMPLES,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: serializers.RedemptionSerializer, **ERRORS},
    )
    def post(self, request):
        return respond_once(request, self.redeem)

    def redeem(self):
        data = self.validated()
        member = self.member(data["member"])
        key = idempotency_key(self.request) or None
        source = f"partner:{self.partner.pk}"
        voucher = None
        if "reward" in data:
            reward = get_object_or_404(Reward, pk=data["reward"])
            voucher = redeem_reward(
                member=member, reward=reward, idempotency_source=source, idempotency_key=key
            ).code
        else:
            ledger.redeem(
                member=member,
                amount=data["amount"],
                description=data["reason"],
                metadata={"partner": self.partner.name},
                idempotency_source=source,
                idempotency_key=key,
            )
        body = {
            **data,
            "member": member.number,
            "balance": balance_summary(member).balance,
            "voucher_code": voucher,
        }
        return Response(serializers.RedemptionSerializer(body).data, status=status.HTTP_201_CREATED)


class TransferCreateView(PartnerAPIView):
    required_scopes = {"POST": scopes.SHARING_WRITE}
    serializer_class = serializers.TransferSerializer

    @documented(
        summary="Share Likes on the sender's behalf (same policy and refusals as the website)",
        examples=[TRANSFER_EXAMPLE],
        parameters=[IDEMPOTENCY_KEY],
        responses={201: serializers.TransferSerializer, **ERRORS},
    )
    def post(self, request):
        return respond_once(request, self.transfer)

    def transfer(self):
        data = self.validated()
        sender, receiver = self.member(data["sender"]), self.member(data["receiver"])
        token = idempotency_key(self.request)
        share = share_likes(
            sender=sender,
            receiver=receiver,
            amount=data["amount"],
            message=data["message"],
            client_token=f"partner:{self.partner.pk}:{token}" if token else "",  # never truncated
        )
        body = {
            "id": share.pk,
            "sender": sender.number,
            "receiver": receiver.number,
            "amount": share.amount,
            "message": share.message,
            "sender_balance": balance_summary(sender).balance,
        }
        return Response(serializers.TransferSerializer(body).data, status=status.HTTP_201_CREATED)


class SurveyResponseCreateView(PartnerAPIView):
    required_scopes = {"POST": scopes.SURVEYS_WRITE}
    serializer_class = serializers.SurveyResponseSerializer

    @documented(
        summary="Record an NPS, CES or CSAT answer right after a purchase or contact",
        examples=[SURVEY_EXAMPLE],
        parameters=[IDEMPOTENCY_KEY],
        responses={201: serializers.SurveyResponseSerializer, **ERRORS},
    )
    def post(self, request):
        return respond_once(request, self.record)

    def record(self):
        data = self.validated()
        member = self.member(data["member"])
        answer = record_survey_response(
            member=member,
            kind=data["kind"],
            score=data["score"],
            comment=data["comment"],
            touchpoint=data["touchpoint"],
            occurred_at=data.get("occurred_at"),
            source=self.partner.slug,
        )
        body = {
            **data,
            "id": answer.pk,
            "member": member.number,
            "occurred_at": answer.occurred_at,
            "likes_earned": answer.likes_earned,
        }
        return Response(serializers.SurveyResponseSerializer(body).data, status=status.HTTP_201_CREATED)


class SupportContactCreateView(PartnerAPIView):
    required_scopes = {"POST": scopes.CONTACTS_WRITE}
    serializer_class = serializers.SupportContactSerializer

    @documented(
        summary="Report a support contact; the member may be invited to a survey about it",
        examples=[SUPPORT_CONTACT_EXAMPLE],
        parameters=[IDEMPOTENCY_KEY],
        responses={201: serializers.SupportContactSerializer, **ERRORS},
    )
    def post(self, request):
        return respond_once(request, self.record)

    def record(self):
        data = self.validated()
        member = self.member(data["member"])
        contact = record_support_contact(
            member=member, partner=self.partner.slug, **{k: v for k, v in data.items() if k != "member"}
        )
        body = {**data, "id": contact.pk, "member": member.number, "occurred_at": contact.occurred_at}
        return Response(serializers.SupportContactSerializer(body).data, status=status.HTTP_201_CREATED)


# --------------------------------------------------------------------------- insights


class InsightsSummaryView(PartnerAPIView):
    required_scopes = {"GET": scopes.INSIGHTS_READ}
    serializer_class = serializers.InsightsSummarySerializer

    @documented(
        summary="Retention, NPS, CES, CSAT and Likes issued and redeemed for a period",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="The first day."),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True, description="The last day (inclusive)."),
        ],
        responses={200: serializers.InsightsSummarySerializer, **ERRORS},
    )
    def get(self, request):
        period = serializers.InsightsPeriodSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        figures = summary(period.validated_data["from"], period.validated_data["to"])
        return Response(serializers.InsightsSummarySerializer(figures).data)


def not_found(request, *args, **kwargs):
    """Any other path under the API's prefix: a JSON 404 in the API's error format, not the site's page."""
    detail = _("There is no API endpoint at %(path)s.") % {"path": request.path}
    return JsonResponse(error_body(type_="client_error", code="not_found", detail=detail), status=404)
