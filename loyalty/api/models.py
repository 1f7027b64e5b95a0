"""Partners (shops, tills, apps), their hashed API keys with scopes, and what the API keeps per request."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager

from .scopes import SCOPES


class Partner(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("code"),
        max_length=100,
        unique=True,
        help_text=_("Stored with every purchase this partner reports."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Switch off to block all its keys.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnerAPIKeyManager(BaseAPIKeyManager):
    def get_usable_keys(self):
        return super().get_usable_keys().select_related("partner")


class PartnerAPIKey(AbstractAPIKey):
    """A key is shown once when created; only its prefix and a hash are stored."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("partner")
    )
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PartnerAPIKeyManager()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    @property
    def scope_labels(self) -> str:
        return ", ".join(scope for scope in self.scopes if scope in SCOPES)


class MemberLink(models.Model):
    """A partner's own id for a member (``external_id``), so its system can find them again."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="member_links")
    member = models.ForeignKey(
        "loyalty_members.Member", on_delete=models.CASCADE, related_name="partner_links"
    )
    external_id = models.CharField(_("partner's id"), max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "external_id"], name="one_member_per_external_id"),
            models.UniqueConstraint(fields=["partner", "member"], name="one_external_id_per_member"),
        ]

    def __str__(self):
        return f"{self.partner}:{self.external_id}"


class IdempotentResponse(models.Model):
    """The first successful response to a POST with an ``Idempotency-Key``; a retry gets it back."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    body = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "key"], name="idempotency_key_once_per_partner")
        ]

    def __str__(self):
        return self.key


class WriteLog(models.Model):
    """Every write a partner made through the API: who, with which key, what, and the outcome."""

    # High-volume rows with no content references: keep Wagtail's reference index out of the hot path.
    wagtail_reference_index_ignore = True

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="write_log")
    api_key = models.ForeignKey(PartnerAPIKey, on_delete=models.SET_NULL, null=True, related_name="+")
    key_prefix = models.CharField(_("key"), max_length=8)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    status_code = models.PositiveSmallIntegerField(_("status"))
    idempotency_key = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("API write")
        verbose_name_plural = _("API writes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["partner", "created_at"], name="writelog_partner_time")]
        constraints = [models.CheckConstraint(condition=~Q(method=""), name="writelog_has_method")]

    def __str__(self):
        return f"{self.method} {self.path} {self.status_code}"
