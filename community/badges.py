"""Community badges: a first post, ten posts, and "helpful" (50 hearts received). Each is earned once."""

from django.db import IntegrityError, transaction
from django.db.models import Q

from loyalty.members.models import Member

from .models import Badge, Heart, Post

TEN_POSTS = 10
HELPFUL_HEARTS = 50


def _give(member: Member, kind: str) -> None:
    if Badge.objects.filter(member=member, kind=kind).exists():
        return
    try:
        with transaction.atomic():
            Badge.objects.create(member=member, kind=kind)
    except IntegrityError:
        pass  # earned at the same moment in another request


def award_for_posts(member: Member) -> None:
    published = Post.objects.filter(author=member, published_at__isnull=False).count()
    if published >= 1:
        _give(member, Badge.Kind.FIRST_POST)
    if published >= TEN_POSTS:
        _give(member, Badge.Kind.TEN_POSTS)


def hearts_received(member: Member) -> int:
    return Heart.objects.filter(Q(post__author=member) | Q(comment__author=member)).count()


def award_for_hearts(member: Member) -> None:
    if hearts_received(member) >= HELPFUL_HEARTS:
        _give(member, Badge.Kind.HELPFUL)
