"""Reads for community pages, each a constant number of queries however many posts or comments.

Counts are subqueries and the viewer's own hearts an ``Exists``, so a page never asks per row;
images come with their prefetched renditions (made at upload).
"""

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from wagtail.images import get_image_model

from loyalty.members.models import Member

from .images import RENDITIONS
from .models import Badge, Comment, Heart, Post, PostImage


def _count_of(queryset: QuerySet, field: str) -> Coalesce:
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), Value(0))


def _hearted_by(viewer: Member | None, field: str):
    if viewer is None:
        return Value(False)
    return Exists(Heart.objects.filter(member=viewer, **{field: OuterRef("pk")}))


def _with_images(queryset: QuerySet) -> QuerySet:
    images = get_image_model().objects.prefetch_renditions(*RENDITIONS)
    return queryset.prefetch_related(
        Prefetch("images", queryset=PostImage.objects.prefetch_related(Prefetch("image", queryset=images)))
    )


def posts_for_listing(queryset: QuerySet, viewer: Member | None) -> QuerySet:
    """Posts with author, topic, images, heart and comment counts, and whether ``viewer`` hearted each."""
    return _with_images(
        queryset.select_related("author__user", "topic").annotate(
            heart_count=_count_of(Heart.objects.all(), "post"),
            comment_count=_count_of(Comment.objects.filter(status=Comment.Status.PUBLISHED), "post"),
            hearted=_hearted_by(viewer, "post"),
        )
    )


def feed(*, viewer: Member | None, topic=None) -> QuerySet:
    posts = Post.objects.published().feed_order()
    if topic is not None:
        posts = posts.filter(topic=topic)
    return posts_for_listing(posts, viewer)


def post_for(pk: int, viewer: Member | None) -> Post | None:
    """The post if ``viewer`` may see it: published, or their own waiting or hidden post.

    A removed post still answers (as "removed") so links and its comment thread keep working.
    """
    posts = Post.objects.visible_to(viewer) | Post.objects.filter(status=Post.Status.REMOVED)
    return posts_for_listing(posts.filter(pk=pk), viewer).first()


def comments_for(post: Post, viewer: Member | None) -> QuerySet:
    """The thread in order; hidden comments stay in place (shown to others as hidden)."""
    return (
        Comment.objects.filter(post=post)
        .select_related("author__user")
        .annotate(
            heart_count=_count_of(Heart.objects.all(), "comment"), hearted=_hearted_by(viewer, "comment")
        )
        .order_by("created_at", "pk")
    )


def profile_posts(member: Member, viewer: Member | None) -> QuerySet:
    posts = Post.objects.filter(author=member)
    posts = posts.visible_to(viewer) if viewer is not None and viewer.pk == member.pk else posts.published()
    return posts_for_listing(posts.order_by("-created_at", "-pk"), viewer)


def profile_stats(member: Member) -> dict:
    return {
        "posts": Post.objects.published().filter(author=member).count(),
        "hearts": Heart.objects.filter(
            Q(post__author=member, post__status=Post.Status.PUBLISHED)
            | Q(comment__author=member, comment__status=Comment.Status.PUBLISHED)
        ).count(),
        "badges": list(Badge.objects.filter(member=member)),
    }


def featured_posts(limit: int = 3) -> QuerySet:
    """Featured posts, newest feature first: for the feed's top and for emails."""
    return posts_for_listing(
        Post.objects.published().filter(featured_at__isnull=False).order_by("-featured_at"), None
    )[:limit]
