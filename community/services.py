"""What members do in the community: write, edit and delete posts and comments, heart, tip, report.

Every check that keeps the community healthy lives here, so the website and any future API
share them: suspensions, the minimum membership, per-hour limits (counted from stored rows,
under the member's row lock, so they hold across processes and under concurrency),
pre-moderation, and Likes through the earning rules (whose caps stop farming).
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.ledger.conf import default_site_setting
from loyalty.members.models import Member
from loyalty.members.services import lock_members
from loyalty.rules.models import ProductCategory
from loyalty.rules.selectors import has_purchased
from loyalty.rules.services import award_for_action
from loyalty.sharing.models import Share
from loyalty.sharing.services import share_likes

from . import badges
from .exceptions import (
    AccountTooNew,
    CommunityError,
    NotAllowed,
    NotVisible,
    PhotoLimitReached,
    RateLimited,
    Suspended,
    TooManyImages,
)
from .images import clean_image, store_image
from .markup import render_markdown
from .models import Comment, CommunitySettings, Heart, Post, PostImage, Report, Suspension

MAX_IMAGES = 4


def community_settings() -> CommunitySettings:
    return default_site_setting(CommunitySettings)


def suspension_in_force(member: Member, now: datetime | None = None) -> Suspension | None:
    now = now or timezone.now()
    return (
        Suspension.objects.filter(member=member, lifted_at__isnull=True, starts_at__lte=now, ends_at__gt=now)
        .order_by("-ends_at")
        .first()
    )


def check_may_write(member: Member, *, what: str, now: datetime | None = None) -> None:
    """Raise a ``CommunityError`` saying why ``member`` may not write a ``what`` ("post"/"comment") now.

    Call inside the transaction that writes, after ``lock_members``, so the hourly limit holds.
    """
    now = now or timezone.now()
    config = community_settings()
    if not member.is_active:
        raise CommunityError(_("Only current members can write in the community."))
    if suspension := suspension_in_force(member, now):
        raise Suspended(suspension.ends_at)
    days = config.min_account_age_days
    too_new = bool(days) and member.joined_at > now - timedelta(days=days)
    if too_new and not (config.purchase_unlocks_posting and has_purchased(member)):
        raise AccountTooNew(days, config.purchase_unlocks_posting)
    model, limit = (Post, config.posts_per_hour) if what == "post" else (Comment, config.comments_per_hour)
    written = model.objects.filter(author=member, created_at__gt=now - timedelta(hours=1)).count()
    if written >= limit:
        raise RateLimited(what=what, limit=limit)


def check_may_upload(member: Member, count: int, *, now: datetime | None = None) -> None:
    """Raise ``PhotoLimitReached`` when ``count`` more photos would pass the member's hourly photo
    limit (as many photos as their posts per hour may carry). Checked before any photo is decoded,
    for new posts and for edits alike."""
    if not count:
        return
    now = now or timezone.now()
    limit = community_settings().posts_per_hour * MAX_IMAGES
    recent = PostImage.objects.filter(post__author=member, image__created_at__gt=now - timedelta(hours=1))
    if recent.count() + count > limit:
        raise PhotoLimitReached(limit)


def _check_author(item, member: Member) -> None:
    if item.author_id != member.pk:
        raise NotAllowed()
    if item.status == item.Status.REMOVED:
        raise NotVisible(_("This was removed and cannot be changed."))


def _clean_images(uploads) -> list:
    return [clean_image(upload) for upload in uploads]


def _attach_images(post: Post, cleaned: list, member: Member) -> None:
    start = post.images.count()
    for offset, clean in enumerate(cleaned):
        image = store_image(clean, title=post.title, uploaded_by=member.user)
        PostImage.objects.create(post=post, image=image, sort_order=start + offset)


def _needs_approval(member: Member, config: CommunitySettings) -> bool:
    if not config.premoderated_posts:
        return False
    approved = Post.objects.filter(author=member, published_at__isnull=False).count()
    return approved < config.premoderated_posts


def publish(post: Post, now: datetime | None = None) -> None:
    """Make ``post`` public (now or on approval): Likes through the earning rules, then badges."""
    post.status = Post.Status.PUBLISHED
    post.published_at = post.published_at or now or timezone.now()
    post.save(update_fields=["status", "published_at"])
    award_for_action(member=post.author, action="post", reference=post.reference)
    badges.award_for_posts(post.author)


def write_post(
    *, author: Member, title: str, body: str, topic: ProductCategory | None = None, images=()
) -> Post:
    """A new post; published at once, or waiting for approval while the member is pre-moderated."""
    images = list(images)
    if len(images) > MAX_IMAGES:
        raise TooManyImages(MAX_IMAGES)
    now = timezone.now()
    # Limits first, without a lock (the locked check below is the one that holds under races): a
    # member who may not post costs no image decoding.
    check_may_write(author, what="post", now=now)
    check_may_upload(author, len(images), now=now)
    cleaned = _clean_images(images)  # Pillow's work happens before any row is locked
    with transaction.atomic():
        lock_members([author])
        check_may_write(author, what="post", now=now)
        config = community_settings()
        post = Post.objects.create(
            author=author,
            topic=topic,
            title=title.strip(),
            body=body,
            body_html=render_markdown(body),
            status=Post.Status.PENDING,
            created_at=now,
        )
        _attach_images(post, cleaned, author)
        if not _needs_approval(author, config):
            publish(post, now)
    return post


def edit_post(
    *,
    post: Post,
    member: Member,
    title: str,
    body: str,
    topic: ProductCategory | None = None,
    new_images=(),
    remove_image_ids=(),
) -> Post:
    """The author changes their post; a hidden post stays hidden and a waiting post keeps waiting."""
    _check_author(post, member)
    new_images = list(new_images)
    kept = post.images.exclude(pk__in=list(remove_image_ids)).count()
    if kept + len(new_images) > MAX_IMAGES:
        raise TooManyImages(MAX_IMAGES)
    check_may_upload(member, len(new_images))  # before decoding: edits are no way around the limit
    cleaned = _clean_images(new_images)
    with transaction.atomic():
        removed = list(post.images.filter(pk__in=list(remove_image_ids)).select_related("image"))
        for post_image in removed:
            post_image.image.delete()
        post.title = title.strip()
        post.body = body
        post.body_html = render_markdown(body)
        post.topic = topic
        post.edited_at = timezone.now()
        post.save(update_fields=["title", "body", "body_html", "topic", "edited_at"])
        _attach_images(post, cleaned, member)
    return post


def _remove_content(post: Post) -> None:
    for post_image in post.images.select_related("image"):
        post_image.image.delete()  # the file and its renditions go too
    post.title = ""
    post.body = ""
    post.body_html = ""


def delete_post(*, post: Post, member: Member) -> Post:
    """The author deletes their post: its text and images are gone; comments stay readable."""
    _check_author(post, member)
    with transaction.atomic():
        _remove_content(post)
        post.status = Post.Status.REMOVED
        post.removed_at = timezone.now()
        post.featured_at = None
        post.save(update_fields=["title", "body", "body_html", "status", "removed_at", "featured_at"])
        Report.objects.filter(post=post, resolved_at__isnull=True).update(
            resolved_at=post.removed_at, outcome=Report.Outcome.REMOVED
        )
    return post


def write_comment(*, post: Post, author: Member, body: str) -> Comment:
    if not post.is_published:
        raise NotVisible(_("Comments are closed on this post."))
    now = timezone.now()
    with transaction.atomic():
        lock_members([author])
        check_may_write(author, what="comment", now=now)
        comment = Comment.objects.create(
            post=post, author=author, body=body, body_html=render_markdown(body), created_at=now
        )
        award_for_action(member=author, action="comment", reference=comment.reference)
    return comment


def edit_comment(*, comment: Comment, member: Member, body: str) -> Comment:
    _check_author(comment, member)
    comment.body = body
    comment.body_html = render_markdown(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


def delete_comment(*, comment: Comment, member: Member) -> Comment:
    """The author deletes their comment; the thread shows "comment removed" in its place."""
    _check_author(comment, member)
    with transaction.atomic():
        comment.status = Comment.Status.REMOVED
        comment.body = ""
        comment.body_html = ""
        comment.removed_at = timezone.now()
        comment.save(update_fields=["status", "body", "body_html", "removed_at"])
        Report.objects.filter(comment=comment, resolved_at__isnull=True).update(
            resolved_at=comment.removed_at, outcome=Report.Outcome.REMOVED
        )
    return comment


def _target_open(post: Post | None, comment: Comment | None) -> None:
    if comment is not None and not (comment.is_published and comment.post.is_published):
        raise NotVisible()
    if post is not None and not post.is_published:
        raise NotVisible()


def toggle_heart(*, member: Member, post: Post | None = None, comment: Comment | None = None) -> bool:
    """Heart a post or comment, or take the heart back. Returns True when the member now hearts it."""
    if (post is None) == (comment is None):
        raise ValueError("heart exactly one post or comment")
    _target_open(post, comment)
    target = post or comment
    if target.author_id == member.pk:
        raise NotAllowed(_("You cannot heart your own writing."))
    target_filter = {"post": post} if post is not None else {"comment": comment}
    deleted, _rows = Heart.objects.filter(member=member, **target_filter).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Heart.objects.create(member=member, **target_filter)
    except IntegrityError:
        return True  # a double-click: the other request hearted it
    badges.award_for_hearts(target.author)
    return True


def tip_author(*, post: Post, sender: Member, amount: int, client_token: str = "") -> Share:
    """Give the post's author Likes through the sharing service: the same limits and refusals apply."""
    if not post.is_published:
        raise NotVisible()
    return share_likes(
        sender=sender, receiver=post.author, amount=amount, context=post.reference, client_token=client_token
    )


def report(
    *,
    reporter: Member,
    reason: str,
    note: str = "",
    post: Post | None = None,
    comment: Comment | None = None,
) -> Report:
    """Flag a post or comment for the moderators; reporting the same thing again changes nothing."""
    if (post is None) == (comment is None):
        raise ValueError("report exactly one post or comment")
    if reason not in Report.Reason.values:
        raise CommunityError(_("Choose a reason for the report."))
    target_filter = {"post": post} if post is not None else {"comment": comment}
    existing = Report.objects.filter(reporter=reporter, resolved_at__isnull=True, **target_filter).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Report.objects.create(reporter=reporter, reason=reason, note=note.strip(), **target_filter)
    except IntegrityError:
        return Report.objects.get(reporter=reporter, resolved_at__isnull=True, **target_filter)
