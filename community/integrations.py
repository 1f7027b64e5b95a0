"""How the community plugs into the loyalty apps, which never import it: its activity sources (posts,
comments and hearts count as engagement), its lines in a member's timeline, and the content of the
campaign emails' "community" block. Registered from ``CommunityConfig.ready()``."""

from collections import defaultdict
from datetime import datetime

from django.utils.translation import gettext as _

from loyalty.insights.activity import Source
from loyalty.insights.models import Activity
from loyalty.insights.timeline import PER_SOURCE, Event
from loyalty.members.mail import site_url

ACTIVITY_SOURCES = (
    Source("community.Post", Activity.Kind.POST, "author", "created_at", ("hidden", "removed")),
    Source("community.Comment", Activity.Kind.COMMENT, "author", "created_at", ("hidden", "removed")),
    Source("community.Heart", Activity.Kind.HEART, "member", "created_at"),
)


def timeline_lines(member) -> list[Event]:
    """The member's latest posts and comments, for the editors' timeline (two queries)."""
    from .models import Comment, Post

    posts = Post.objects.filter(author=member).order_by("-created_at")[:PER_SOURCE]
    comments = (
        Comment.objects.filter(author=member).select_related("post").order_by("-created_at")[:PER_SOURCE]
    )
    return [
        *(
            Event(post.created_at, _("Post"), post.title or _("(removed post)"), post.get_status_display())
            for post in posts
        ),
        *(
            Event(comment.created_at, _("Comment"), comment.body[:140], comment.post.title)
            for comment in comments
        ),
    ]


def email_content(*, categories: set[str], since: datetime) -> tuple[dict[str, list[dict]], list[dict]]:
    """Recent published posts per topic (most hearted first) and the featured posts, as email items;
    nothing when the site has no live community page to link to."""
    from .models import CommunityIndexPage, Post
    from .selectors import featured_posts, posts_for_listing

    page = CommunityIndexPage.objects.live().first()
    if page is None:
        return {}, []

    def item(post) -> dict:
        return {
            "title": post.title,
            "text": post.author.public_name,
            "url": site_url(page.url_for("post", post.pk)),
        }

    by_topic = defaultdict(list)
    if categories:
        recent = Post.objects.published().filter(topic__slug__in=categories, published_at__gte=since)
        for post in posts_for_listing(recent, None).order_by("-heart_count", "-published_at"):
            by_topic[post.topic.slug].append(item(post))
    return by_topic, [item(post) for post in featured_posts(limit=10)]


def register() -> None:
    from loyalty.emails.personalise import register_community_content
    from loyalty.insights.activity import register_source
    from loyalty.insights.timeline import register_timeline_source

    for source in ACTIVITY_SOURCES:
        register_source(source)
    register_timeline_source(timeline_lines)
    register_community_content(email_content)
