"""Posts, comments, hearts, reports, suspensions, badges, and the page that serves them.

The models guard their own invariants (a heart or report has exactly one target, one heart per
member and target, one open report per member and target); ``services.py`` and
``moderation.py`` are the only code that writes them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page


@register_setting(icon="cog")
class CommunitySettings(BaseSiteSetting):
    """What an editor decides about posting: rate limits, who may post, and pre-moderation."""

    posts_per_hour = models.PositiveSmallIntegerField(
        _("posts per member per hour"),
        default=5,
        help_text=_("Deleted posts count too, so deleting and reposting does not get around the limit."),
    )
    comments_per_hour = models.PositiveSmallIntegerField(_("comments per member per hour"), default=30)
    min_account_age_days = models.PositiveSmallIntegerField(
        _("minimum membership before posting (days)"),
        default=0,
        help_text=_("0 lets new members post at once."),
    )
    purchase_unlocks_posting = models.BooleanField(
        _("a first purchase lets a member post sooner"),
        default=True,
        help_text=_("Members who made a purchase may post before the minimum membership has passed."),
    )
    premoderated_posts = models.PositiveSmallIntegerField(
        _("posts that wait for approval"),
        default=0,
        help_text=_(
            "A member's first posts, up to this number, wait for a moderator's approval. "
            "0 switches pre-moderation off."
        ),
    )

    panels = [
        FieldPanel("posts_per_hour"),
        FieldPanel("comments_per_hour"),
        FieldPanel("min_account_age_days"),
        FieldPanel("purchase_unlocks_posting"),
        FieldPanel("premoderated_posts"),
    ]

    class Meta:
        verbose_name = _("community settings")


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Post.Status.PUBLISHED)

    def visible_to(self, member):
        """Published posts, plus the member's own posts that wait for approval or were hidden."""
        if member is None:
            return self.published()
        return self.filter(
            Q(status=Post.Status.PUBLISHED)
            | Q(author=member, status__in=[Post.Status.PENDING, Post.Status.HIDDEN])
        )

    def feed_order(self):
        """Featured posts first (newest feature first), then the newest posts."""
        return self.order_by(models.F("featured_at").desc(nulls_last=True), "-created_at", "-pk")


class Post(models.Model):
    """A member's post: a title, a Markdown body stored with its sanitised HTML, a topic and images."""

    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        PENDING = "pending", _("Waiting for approval")
        HIDDEN = "hidden", _("Hidden by a moderator")
        REMOVED = "removed", _("Removed")

    author = models.ForeignKey(
        "loyalty_members.Member",
        on_delete=models.PROTECT,
        related_name="community_posts",
        verbose_name=_("author"),
    )
    topic = models.ForeignKey(
        "loyalty_rules.ProductCategory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="community_posts",
        verbose_name=_("topic"),
    )
    title = models.CharField(_("title"), max_length=140)
    body = models.TextField(_("text (Markdown)"))
    body_html = models.TextField(_("text (sanitised HTML)"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    created_at = models.DateTimeField(_("written at"), default=timezone.now, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    featured_at = models.DateTimeField(
        _("featured since"),
        null=True,
        blank=True,
        help_text=_("Featured posts are shown on top of the feed and can be used in emails."),
    )
    moderation_reason = models.TextField(_("moderator's reason"), blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "featured_at", "created_at"], name="post_feed"),
            models.Index(fields=["author", "created_at"], name="post_author_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_post_has_time",
            ),
            models.CheckConstraint(
                condition=Q(featured_at__isnull=True) | Q(status="published"),
                name="only_published_posts_are_featured",
            ),
        ]

    def __str__(self):
        return self.title or _("(removed post)")

    @property
    def reference(self) -> str:
        """How the ledger and the sharing service name this post ("post:12")."""
        return f"post:{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_removed(self) -> bool:
        return self.status == self.Status.REMOVED

    @property
    def is_featured(self) -> bool:
        return self.featured_at is not None

    def get_url(self, request=None) -> str | None:
        page = CommunityIndexPage.objects.live().first()
        if page is None:
            return None
        return page.url_for("post", self.pk)


class PostImage(models.Model):
    """One of a post's images (at most four), stored as a Wagtail image in the community collection."""

    wagtail_reference_index_ignore = True

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("post image")
        verbose_name_plural = _("post images")

    def __str__(self):
        return f"{self.post_id}: {self.image_id}"


class Comment(models.Model):
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden by a moderator")
        REMOVED = "removed", _("Removed")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments", verbose_name=_("post"))
    author = models.ForeignKey(
        "loyalty_members.Member",
        on_delete=models.PROTECT,
        related_name="community_comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text (Markdown)"))
    body_html = models.TextField(_("text (sanitised HTML)"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    created_at = models.DateTimeField(_("written at"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    moderation_reason = models.TextField(_("moderator's reason"), blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["post", "created_at"], name="comment_thread"),
            models.Index(fields=["author", "created_at"], name="comment_author_recent"),
        ]

    def __str__(self):
        return (self.body[:60] + "…") if len(self.body) > 60 else self.body or str(_("(removed comment)"))

    @property
    def reference(self) -> str:
        return f"comment:{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


def _one_target() -> Q:
    return (Q(post__isnull=False) & Q(comment__isnull=True)) | (
        Q(post__isnull=True) & Q(comment__isnull=False)
    )


class Heart(models.Model):
    """A member's heart on a post or a comment: one per member and target, toggled."""

    wagtail_reference_index_ignore = True

    member = models.ForeignKey("loyalty_members.Member", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="hearts")
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="hearts"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("heart")
        verbose_name_plural = _("hearts")
        constraints = [
            models.CheckConstraint(condition=_one_target(), name="heart_has_one_target"),
            models.UniqueConstraint(
                fields=["member", "post"], condition=Q(post__isnull=False), name="one_heart_per_post"
            ),
            models.UniqueConstraint(
                fields=["member", "comment"], condition=Q(comment__isnull=False), name="one_heart_per_comment"
            ),
        ]

    def __str__(self):
        return f"♥ {self.member_id} → {self.post_id or self.comment_id}"


class Report(models.Model):
    """A member flags a post or comment for the moderators, with a reason."""

    wagtail_reference_index_ignore = True

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        OFFENSIVE = "offensive", _("Offensive or hurtful")
        PRIVACY = "privacy", _("Shares someone's private information")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Something else")

    class Outcome(models.TextChoices):
        HIDDEN = "hidden", _("Hidden")
        REMOVED = "removed", _("Removed")
        KEPT = "kept", _("Kept (report dismissed)")

    reporter = models.ForeignKey(
        "loyalty_members.Member", on_delete=models.CASCADE, related_name="+", verbose_name=_("reported by")
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="reports", verbose_name=_("post")
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("comment"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=_one_target(), name="report_has_one_target"),
            models.UniqueConstraint(
                fields=["reporter", "post"],
                condition=Q(post__isnull=False, resolved_at__isnull=True),
                name="one_open_report_per_post",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(comment__isnull=False, resolved_at__isnull=True),
                name="one_open_report_per_comment",
            ),
        ]
        indexes = [models.Index(fields=["resolved_at"], name="report_open")]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.post or self.comment}"


class Suspension(models.Model):
    """An editor stops a member from posting and commenting until ``ends_at``."""

    member = models.ForeignKey(
        "loyalty_members.Member",
        on_delete=models.CASCADE,
        related_name="community_suspensions",
        verbose_name=_("member"),
    )
    starts_at = models.DateTimeField(_("from"), default=timezone.now)
    ends_at = models.DateTimeField(_("until"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="suspension_ends_later"
            )
        ]

    def __str__(self):
        return f"{self.member} → {self.ends_at:%Y-%m-%d %H:%M}"

    @property
    def is_in_force(self) -> bool:
        return self.lifted_at is None and self.starts_at <= timezone.now() < self.ends_at


class ModerationDecision(models.Model):
    """What a moderator did and why; the author is told the reason by email."""

    wagtail_reference_index_ignore = True

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Not approved")
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")
        REMOVE = "remove", _("Deleted")
        DISMISS = "dismiss", _("Reports dismissed")
        SUSPEND = "suspend", _("Suspended from posting")
        LIFT = "lift", _("Suspension lifted")
        FEATURE = "feature", _("Featured")
        UNFEATURE = "unfeature", _("No longer featured")

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    member = models.ForeignKey(
        "loyalty_members.Member", on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="decisions")
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="decisions"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    notified_at = models.DateTimeField(_("author told at"), null=True, blank=True)

    class Meta:
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d})"


class Badge(models.Model):
    """A community badge a member earned; each kind once."""

    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        FIRST_POST = "first_post", _("First post")
        TEN_POSTS = "ten_posts", _("10 posts")
        HELPFUL = "helpful", _("Helpful: 50 hearts received")

    member = models.ForeignKey(
        "loyalty_members.Member", on_delete=models.CASCADE, related_name="community_badges"
    )
    kind = models.CharField(_("badge"), max_length=20, choices=Kind.choices)
    awarded_at = models.DateTimeField(_("earned at"), default=timezone.now)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["awarded_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["member", "kind"], name="one_badge_of_a_kind")]

    def __str__(self):
        return self.get_kind_display()


def _route(view_name: str):
    """A page route that hands the request to ``community.views.<view_name>(request, page, ...)``."""

    def serve_route(self, request, *args, **kwargs):
        from . import views  # views import the models; the page only routes

        return getattr(views, view_name)(request, self, *args, **kwargs)

    serve_route.__name__ = view_name
    return serve_route


class CommunityIndexPage(RoutablePageMixin, Page):
    """The community: a feed of posts, and every page below it (a post, writing, a profile).

    Editors place one in the page tree (for example at /community/); the views live in
    ``community.views`` and this page only routes to them.
    """

    intro = RichTextField(_("introduction"), blank=True)
    posts_per_page = models.PositiveSmallIntegerField(_("posts per page"), default=20)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("posts_per_page")]
    max_count = 1
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("community page")

    feed = path("", name="feed")(_route("feed"))
    write = path("new/", name="write")(_route("write_post"))
    post = path("posts/<int:pk>/", name="post")(_route("post_detail"))
    edit_post = path("posts/<int:pk>/edit/", name="edit_post")(_route("edit_post"))
    delete_post = path("posts/<int:pk>/delete/", name="delete_post")(_route("delete_post"))
    heart_post = path("posts/<int:pk>/heart/", name="heart_post")(_route("heart_post"))
    tip = path("posts/<int:pk>/tip/", name="tip")(_route("tip"))
    report_post = path("posts/<int:pk>/report/", name="report_post")(_route("report_post"))
    edit_comment = path("comments/<int:pk>/edit/", name="edit_comment")(_route("edit_comment"))
    delete_comment = path("comments/<int:pk>/delete/", name="delete_comment")(_route("delete_comment"))
    heart_comment = path("comments/<int:pk>/heart/", name="heart_comment")(_route("heart_comment"))
    report_comment = path("comments/<int:pk>/report/", name="report_comment")(_route("report_comment"))
    profile = path("members/<int:pk>/", name="profile")(_route("profile"))

    def url_for(self, name: str, *args) -> str:
        """The address of one of this page's routes, for views and templates."""
        return self.url + self.reverse_subpage(name, args=list(args) or None).lstrip("/")
