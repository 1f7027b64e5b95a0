"""What moderators do from the admin's moderation queue. Every decision is logged and, where it
concerns the author, explained to them by email with the moderator's reason."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.members.models import Member

from .exceptions import CommunityError
from .models import Comment, ModerationDecision, Post, Report, Suspension
from .services import publish
from .tasks import send_moderation_notice

Action = ModerationDecision.Action
# Decisions the author hears about; dismissed reports and unfeaturing are not news to them.
TOLD_TO_AUTHOR = {
    Action.APPROVE,
    Action.REJECT,
    Action.HIDE,
    Action.RESTORE,
    Action.REMOVE,
    Action.SUSPEND,
    Action.LIFT,
    Action.FEATURE,
}
REASON_REQUIRED = {Action.REJECT, Action.HIDE, Action.REMOVE, Action.SUSPEND}


def _decide(*, moderator, member: Member, action: str, reason: str = "", post=None, comment=None):
    reason = reason.strip()
    if action in REASON_REQUIRED and not reason:
        raise CommunityError(_("Give a reason: the author is told why."))
    decision = ModerationDecision.objects.create(
        moderator=moderator, member=member, action=action, reason=reason, post=post, comment=comment
    )
    if action in TOLD_TO_AUTHOR:
        transaction.on_commit(lambda: send_moderation_notice.enqueue(decision.pk))
    return decision


def _resolve_reports(target, outcome: str) -> int:
    field = "post" if isinstance(target, Post) else "comment"
    return Report.objects.filter(**{field: target}, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), outcome=outcome
    )


def _target_kwargs(target) -> dict:
    return {"post": target} if isinstance(target, Post) else {"comment": target}


@transaction.atomic
def approve_post(*, post: Post, moderator) -> Post:
    """A pre-moderated post goes live; its author earns the post's Likes now."""
    if post.status != Post.Status.PENDING:
        raise CommunityError(_("Only a post waiting for approval can be approved."))
    publish(post)
    _decide(moderator=moderator, member=post.author, action=Action.APPROVE, post=post)
    return post


@transaction.atomic
def reject_post(*, post: Post, moderator, reason: str) -> Post:
    if post.status != Post.Status.PENDING:
        raise CommunityError(_("Only a post waiting for approval can be turned down."))
    _decide(moderator=moderator, member=post.author, action=Action.REJECT, reason=reason, post=post)
    post.status = Post.Status.REMOVED
    post.removed_at = timezone.now()
    post.moderation_reason = reason.strip()
    post.save(update_fields=["status", "removed_at", "moderation_reason"])
    return post


@transaction.atomic
def hide(*, target: Post | Comment, moderator, reason: str) -> Post | Comment:
    """Take a post or comment out of sight of everyone but its author, who sees the reason."""
    if target.status != target.Status.PUBLISHED:
        raise CommunityError(_("Only something published can be hidden."))
    _decide(
        moderator=moderator, member=target.author, action=Action.HIDE, reason=reason, **_target_kwargs(target)
    )
    target.status = target.Status.HIDDEN
    target.moderation_reason = reason.strip()
    fields = ["status", "moderation_reason"]
    if isinstance(target, Post):
        target.featured_at = None
        fields.append("featured_at")
    target.save(update_fields=fields)
    _resolve_reports(target, Report.Outcome.HIDDEN)
    return target


@transaction.atomic
def restore(*, target: Post | Comment, moderator, reason: str = "") -> Post | Comment:
    """Put a hidden (or moderator-removed) post or comment back; open reports are dismissed."""
    if target.status == target.Status.PUBLISHED or (
        target.status == target.Status.REMOVED and not target.body
    ):
        raise CommunityError(_("Only something a moderator hid or removed can be restored."))
    if target.status == getattr(target.Status, "PENDING", None):
        raise CommunityError(_("Approve a waiting post instead of restoring it."))
    _decide(
        moderator=moderator,
        member=target.author,
        action=Action.RESTORE,
        reason=reason,
        **_target_kwargs(target),
    )
    target.status = target.Status.PUBLISHED
    target.moderation_reason = ""
    target.removed_at = None
    fields = ["status", "moderation_reason", "removed_at"]
    if isinstance(target, Post) and target.published_at is None:
        target.published_at = timezone.now()
        fields.append("published_at")
    target.save(update_fields=fields)
    _resolve_reports(target, Report.Outcome.KEPT)
    return target


@transaction.atomic
def remove(*, target: Post | Comment, moderator, reason: str) -> Post | Comment:
    """Delete a post or comment from the site. The text is kept for the moderators' record only;
    the thread shows "removed" in its place."""
    if target.status == target.Status.REMOVED:
        raise CommunityError(_("This was already removed."))
    _decide(
        moderator=moderator,
        member=target.author,
        action=Action.REMOVE,
        reason=reason,
        **_target_kwargs(target),
    )
    target.status = target.Status.REMOVED
    target.removed_at = timezone.now()
    target.moderation_reason = reason.strip()
    fields = ["status", "removed_at", "moderation_reason"]
    if isinstance(target, Post):
        target.featured_at = None
        fields.append("featured_at")
    target.save(update_fields=fields)
    _resolve_reports(target, Report.Outcome.REMOVED)
    return target


@transaction.atomic
def dismiss_reports(*, target: Post | Comment, moderator, reason: str = "") -> int:
    dismissed = _resolve_reports(target, Report.Outcome.KEPT)
    _decide(
        moderator=moderator,
        member=target.author,
        action=Action.DISMISS,
        reason=reason,
        **_target_kwargs(target),
    )
    return dismissed


@transaction.atomic
def suspend(*, member: Member, moderator, days: int, reason: str) -> Suspension:
    """Stop ``member`` posting and commenting for ``days`` days; they are told why and until when."""
    if not isinstance(days, int) or not 1 <= days <= 3650:
        raise CommunityError(_("A suspension lasts from 1 to 3650 days."))
    _decide(moderator=moderator, member=member, action=Action.SUSPEND, reason=reason)
    now = timezone.now()
    return Suspension.objects.create(
        member=member,
        starts_at=now,
        ends_at=now + timedelta(days=days),
        reason=reason.strip(),
        created_by=moderator,
    )


@transaction.atomic
def lift_suspension(*, suspension: Suspension, moderator) -> Suspension:
    if not suspension.is_in_force:
        raise CommunityError(_("This suspension is no longer in force."))
    suspension.lifted_at = timezone.now()
    suspension.save(update_fields=["lifted_at"])
    _decide(moderator=moderator, member=suspension.member, action=Action.LIFT)
    return suspension


@transaction.atomic
def set_featured(*, post: Post, moderator, featured: bool) -> Post:
    """Feature a post on top of the feed (and for emails), or stop featuring it."""
    if featured and not post.is_published:
        raise CommunityError(_("Only a published post can be featured."))
    if featured == post.is_featured:
        return post
    post.featured_at = timezone.now() if featured else None
    post.save(update_fields=["featured_at"])
    _decide(
        moderator=moderator,
        member=post.author,
        action=Action.FEATURE if featured else Action.UNFEATURE,
        post=post,
    )
    return post
