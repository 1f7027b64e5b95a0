"""The Member model: a user's membership of the loyalty program."""

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_supported_language_variant
from django.utils.translation import gettext_lazy as _

from .numbers import format_member_number, new_member_number


def default_locale() -> str:
    """The site's language as one of its LANGUAGES: "en-us" (Wagtail's default) becomes "en"."""
    try:
        return get_supported_language_variant(settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGES[0][0]


def language_choices():
    return settings.LANGUAGES


NAME_FIELDS = ("first_name", "last_name")


def user_name_fields(user_model) -> list[str]:
    """Which of first_name and last_name the site's user model has (a model built on
    AbstractBaseUser alone has neither)."""
    fields = {field.name for field in user_model._meta.get_fields()}
    return [name for name in NAME_FIELDS if name in fields]


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(left_at__isnull=True)


class Member(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="member",
        verbose_name=_("user"),
    )
    number = models.CharField(
        _("member number"), max_length=10, unique=True, default=new_member_number, editable=False
    )
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now, db_index=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True, db_index=True)
    locale = models.CharField(
        _("language"),
        max_length=10,
        default=default_locale,
        help_text=_("One of the site's LANGUAGES, for example 'en' or 'nl'."),
    )
    marketing_consent = models.BooleanField(_("marketing emails allowed"), default=False)
    marketing_consent_at = models.DateTimeField(_("marketing consent given at"), null=True, blank=True)
    birth_date = models.DateField(
        _("birthday"), null=True, blank=True, help_text=_("Optional; birthday Likes arrive on this day.")
    )
    notify_likes_received = models.BooleanField(
        _("email me when someone shares Likes with me"), default=True, db_default=True
    )

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["-joined_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gte=models.F("joined_at")),
                name="member_left_after_joining",
            ),
            models.CheckConstraint(
                condition=Q(marketing_consent=False) | Q(marketing_consent_at__isnull=False),
                name="member_consent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.formatted_number})"

    def save(self, *args, **kwargs):
        # Consent is only valid with the moment it was given; withdrawing it clears the moment.
        if self.marketing_consent and self.marketing_consent_at is None:
            self.marketing_consent_at = timezone.now()
        elif not self.marketing_consent:
            self.marketing_consent_at = None
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.left_at is None

    @property
    def names(self) -> tuple[str, str]:
        """The user's first and last name; empty where the site's user model has no such fields."""
        first, last = (getattr(self.user, name, "") or "" for name in NAME_FIELDS)
        return first, last

    @property
    def display_name(self) -> str:
        full_name = " ".join(name for name in self.names if name).strip()
        return full_name or self.user.get_username()

    @property
    def public_name(self) -> str:
        """What other members see (community, tips): first name and last-name initial, "Anna d. V."."""
        first, last = (name.strip() for name in self.names)
        if not first:
            return _("Member %(id)s") % {"id": self.pk}
        initials = " ".join(f"{part[0]}." for part in last.split() if part)
        return f"{first} {initials}".strip()

    @property
    def first_name(self) -> str:
        return self.names[0] or self.display_name

    @property
    @admin.display(description=_("member number"), ordering="number")
    def formatted_number(self) -> str:
        return format_member_number(self.number)
