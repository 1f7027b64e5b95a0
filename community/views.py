"""Community pages, routed by ``CommunityIndexPage``: each view is ``view(request, page, ...)``.

Views only translate between forms and ``services``; every refusal a service raises is shown
to the member in its own words, next to what they typed.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loyalty.ledger.conf import ledger_settings
from loyalty.ledger.exceptions import LedgerError
from loyalty.ledger.selectors import balance_summary
from loyalty.members.decorators import member_required
from loyalty.members.models import Member
from loyalty.rules.models import ProductCategory
from loyalty.sharing.selectors import tips_for
from loyalty.sharing.services import sharing_policy

from . import selectors, services
from .exceptions import CommunityError, InvalidImage, TooManyImages
from .forms import CommentForm, PostForm, ReportForm, TipForm
from .models import Comment, Post

COMMENTS_PER_PAGE = 50
PROFILE_POSTS_PER_PAGE = 20


def _viewer(request) -> Member | None:
    return getattr(request.user, "member", None) if request.user.is_authenticated else None


def _render(request, page, template: str, status: int = 200, **context):
    context = {"page": page, "self": page, "currency": ledger_settings().currency_name, **context}
    return TemplateResponse(request, template, context, status=status)


def feed(request, page):
    topic = None
    if slug := request.GET.get("topic"):
        # A NUL byte is no topic, and PostgreSQL refuses it in a query.
        topic = None if "\x00" in slug else ProductCategory.objects.filter(slug=slug).first()
        if topic is None:
            raise Http404(_("There is no topic called “%(topic)s”.") % {"topic": slug})
    viewer = _viewer(request)
    posts = Paginator(selectors.feed(viewer=viewer, topic=topic), page.posts_per_page or 20)
    return _render(
        request,
        page,
        "community/feed.html",
        posts=posts.get_page(request.GET.get("page")),
        topics=list(ProductCategory.objects.all()),
        topic=topic,
        viewer=viewer,
    )


def _post_context(request, post, **forms) -> dict:
    viewer = _viewer(request)
    comments = Paginator(selectors.comments_for(post, viewer), COMMENTS_PER_PAGE)
    tips = list(tips_for(post.reference)[:50]) if post.is_published else []
    can_tip = bool(
        viewer and post.is_published and viewer.pk != post.author_id and sharing_policy().allow_tips
    )
    return {
        "post": post,
        "viewer": viewer,
        "comments": comments.get_page(request.GET.get("comments")),
        "tips": tips,
        "comment_form": forms.get("comment_form") or CommentForm(),
        "tip_form": (forms.get("tip_form") or TipForm()) if can_tip else None,
        "balance": balance_summary(viewer).balance if can_tip else None,
    }


def _visible_post(request, pk) -> Post:
    post = selectors.post_for(pk, _viewer(request))
    if post is None:
        raise Http404(_("This post does not exist or is not visible to you."))
    return post


def post_detail(request, page, pk):
    post = _visible_post(request, pk)
    if request.method == "POST":
        return _add_comment(request, page, post)
    return _render(request, page, "community/post.html", **_post_context(request, post))


@member_required
def _add_comment(request, page, post):
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.write_comment(post=post, author=request.member, body=form.cleaned_data["body"])
        except CommunityError as refusal:
            form.add_error("body", str(refusal))
        else:
            messages.success(request, _("Your comment is posted."))
            return redirect(f"{page.url_for('post', post.pk)}#comment-{comment.pk}")
    context = _post_context(request, post, comment_form=form)
    return _render(request, page, "community/post.html", status=400, **context)


def _save_post(form, save):
    """Run ``save(cleaned_data)`` and show a service's refusal on the form; None when refused."""
    try:
        return save(form.cleaned_data)
    except (InvalidImage, TooManyImages) as refusal:
        form.add_error("images", str(refusal))
    except CommunityError as refusal:
        form.add_error(None, str(refusal))
    return None


@member_required
def write_post(request, page):
    form = PostForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        post = _save_post(
            form,
            lambda data: services.write_post(
                author=request.member,
                title=data["title"],
                body=data["body"],
                topic=data["topic"],
                images=data["images"],
            ),
        )
        if post is not None:
            if post.is_published:
                messages.success(request, _("Your post is live. Thank you for sharing!"))
            else:
                messages.info(
                    request, _("Thank you! A moderator will look at your post before others see it.")
                )
            return redirect(page.url_for("post", post.pk))
    status = 400 if request.method == "POST" else 200
    if request.method == "GET":
        _warn_if_cannot_write(request)
    return _render(request, page, "community/write.html", status=status, form=form, post=None)


def _warn_if_cannot_write(request) -> None:
    """Tell a member up front when they cannot post now, rather than after they typed."""
    try:
        services.check_may_write(request.member, what="post")
    except CommunityError as refusal:
        messages.warning(request, str(refusal))


def _own(model, request, pk):
    item = get_object_or_404(model.objects.select_related("author__user"), pk=pk)
    if item.author_id != request.member.pk:
        raise Http404(_("You can only change your own writing."))
    if item.status == item.Status.REMOVED:
        raise Http404(_("This was removed."))
    return item


@member_required
def edit_post(request, page, pk):
    post = _own(Post, request, pk)
    initial = {"title": post.title, "body": post.body, "topic": post.topic_id}
    form = PostForm(request.POST or None, request.FILES or None, initial=initial, post=post)
    if request.method == "POST" and form.is_valid():
        saved = _save_post(
            form,
            lambda data: services.edit_post(
                post=post,
                member=request.member,
                title=data["title"],
                body=data["body"],
                topic=data["topic"],
                new_images=data["images"],
                remove_image_ids=[int(pk) for pk in data.get("remove_images", [])],
            ),
        )
        if saved is not None:
            messages.success(request, _("Your post is updated."))
            return redirect(page.url_for("post", post.pk))
    status = 400 if request.method == "POST" else 200
    return _render(request, page, "community/write.html", status=status, form=form, post=post)


@member_required
def delete_post(request, page, pk):
    post = _own(Post, request, pk)
    if request.method == "POST":
        services.delete_post(post=post, member=request.member)
        messages.success(request, _("Your post is deleted."))
        return redirect(page.url_for("feed"))
    return _render(request, page, "community/confirm_delete.html", item=post, kind="post")


@member_required
def edit_comment(request, page, pk):
    comment = _own(Comment, request, pk)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        services.edit_comment(comment=comment, member=request.member, body=form.cleaned_data["body"])
        messages.success(request, _("Your comment is updated."))
        return redirect(f"{page.url_for('post', comment.post_id)}#comment-{comment.pk}")
    status = 400 if request.method == "POST" else 200
    return _render(request, page, "community/edit_comment.html", status=status, form=form, comment=comment)


@member_required
def delete_comment(request, page, pk):
    comment = _own(Comment, request, pk)
    if request.method == "POST":
        services.delete_comment(comment=comment, member=request.member)
        messages.success(request, _("Your comment is deleted."))
        return redirect(f"{page.url_for('post', comment.post_id)}#comment-{comment.pk}")
    return _render(request, page, "community/confirm_delete.html", item=comment, kind="comment")


def _toggle(request, page, *, post=None, comment=None, anchor=""):
    try:
        hearted = services.toggle_heart(member=request.member, post=post, comment=comment)
    except CommunityError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("You hearted this.") if hearted else _("Heart taken back."))
    post_pk = post.pk if post is not None else comment.post_id
    return redirect(page.url_for("post", post_pk) + anchor)


@require_POST
@member_required
def heart_post(request, page, pk):
    return _toggle(request, page, post=_visible_post(request, pk), anchor="#hearts")


@require_POST
@member_required
def heart_comment(request, page, pk):
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=pk)
    return _toggle(request, page, comment=comment, anchor=f"#comment-{comment.pk}")


@require_POST
@member_required
def tip(request, page, pk):
    post = _visible_post(request, pk)
    form = TipForm(request.POST)
    if form.is_valid():
        try:
            share = services.tip_author(
                post=post,
                sender=request.member,
                amount=form.cleaned_data["amount"],
                client_token=form.cleaned_data["token"],
            )
        except (CommunityError, LedgerError) as refusal:
            form.add_error("amount", str(refusal))
        else:
            messages.success(
                request,
                _("You gave %(name)s %(amount)d %(currency)s. Thank you!")
                % {
                    "name": post.author.public_name,
                    "amount": share.amount,
                    "currency": ledger_settings().currency_name,
                },
            )
            return redirect(page.url_for("post", post.pk) + "#tips")
    context = _post_context(request, post, tip_form=form)
    return _render(request, page, "community/post.html", status=400, **context)


@member_required
def _report(request, page, *, post=None, comment=None):
    target = post or comment
    form = ReportForm(request.POST or None)
    post_pk = post.pk if post is not None else comment.post_id
    if request.method == "POST" and form.is_valid():
        services.report(
            reporter=request.member,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            post=post,
            comment=comment,
        )
        messages.success(request, _("Thank you. A moderator will look at it."))
        return redirect(page.url_for("post", post_pk))
    status = 400 if request.method == "POST" else 200
    return _render(
        request, page, "community/report.html", status=status, form=form, target=target, post_pk=post_pk
    )


def report_post(request, page, pk):
    return _report(request, page, post=_visible_post(request, pk))


def report_comment(request, page, pk):
    comment = get_object_or_404(
        Comment.objects.select_related("post"), pk=pk, status=Comment.Status.PUBLISHED
    )
    return _report(request, page, comment=comment)


def profile(request, page, pk):
    member = get_object_or_404(Member.objects.select_related("user"), pk=pk)
    viewer = _viewer(request)
    posts = Paginator(selectors.profile_posts(member, viewer), PROFILE_POSTS_PER_PAGE)
    return _render(
        request,
        page,
        "community/profile.html",
        profile_member=member,
        posts=posts.get_page(request.GET.get("page")),
        stats=selectors.profile_stats(member),
        viewer=viewer,
    )
