"""Moderators in the Wagtail admin: the queue, hide/restore/delete with a reason told to the author,
suspensions, pre-moderation and featured posts; and who may do it."""

import pytest
from django.core import mail

from community import moderation, services
from community.exceptions import CommunityError, Suspended
from community.models import CommunitySettings, ModerationDecision, Post, Report, Suspension
from community.selectors import featured_posts
from tests.community.conftest import write
from tests.conftest import grant
from tests.factories import ActionRuleFactory, UserFactory
from tests.loyalty.ledger.helpers import balance_of
from tests.site_settings import set_site_setting

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    user = UserFactory(email="moderator@example.com", first_name="Mo")
    return grant(user, "access_admin", "change_post", "change_comment", "add_suspension", "change_suspension")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def refused(response) -> bool:
    """Wagtail answers PermissionDenied in the admin with a redirect to the dashboard."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def act(client, kind, pk, action, **data):
    return client.post(f"/admin/community/moderation/{kind}/{pk}/{action}/", data)


def test_the_queue_lists_reported_writing_and_posts_waiting_for_approval(
    moderator_client, community_page, member, other_member
):
    set_site_setting(CommunitySettings, premoderated_posts=1)
    waiting = write(member, title="Please approve me")
    set_site_setting(CommunitySettings, premoderated_posts=0)
    reported = write(member, title="Buy cheap watches")
    services.report(reporter=other_member, post=reported, reason="spam", note="Ads again")

    html = moderator_client.get("/admin/community/moderation/").content.decode()

    assert waiting.title in html and reported.title in html
    assert "Spam or advertising" in html and "Ads again" in html


def test_hiding_needs_a_reason_which_the_author_receives_by_email(
    moderator_client, community_page, member, other_member, django_capture_on_commit_callbacks
):
    post = write(member, title="Buy cheap watches")
    services.report(reporter=other_member, post=post, reason="spam")

    response = act(moderator_client, "post", post.pk, "hide", reason="")
    assert response.status_code == 200 and "Give a reason" in response.content.decode()
    assert Post.objects.get().status == Post.Status.PUBLISHED

    with django_capture_on_commit_callbacks(execute=True):
        act(moderator_client, "post", post.pk, "hide", reason="Advertising is not allowed here.")

    post.refresh_from_db()
    assert post.status == Post.Status.HIDDEN
    assert Report.objects.get().outcome == Report.Outcome.HIDDEN
    (email,) = mail.outbox
    assert email.to == [member.user.email]
    assert "Advertising is not allowed here." in email.body and "Buy cheap watches" in email.body


def test_a_hidden_post_can_be_restored(moderator, community_page, member):
    post = write(member)
    moderation.hide(target=post, moderator=moderator, reason="Check")

    moderation.restore(target=post, moderator=moderator)

    assert Post.objects.get().status == Post.Status.PUBLISHED


def test_deleting_a_comment_leaves_a_placeholder_and_keeps_the_text_for_the_record(
    moderator_client, community_page, member, other_member
):
    post = write(member)
    comment = services.write_comment(post=post, author=other_member, body="rude words")

    act(moderator_client, "comment", comment.pk, "remove", reason="Be kind.")

    comment.refresh_from_db()
    assert comment.status == "removed" and comment.body == "rude words"
    assert "Comment removed." in moderator_client.get(f"/community/posts/{post.pk}/").content.decode()


def test_dismissing_reports_keeps_the_post(moderator_client, community_page, member, other_member):
    post = write(member)
    services.report(reporter=other_member, post=post, reason="off_topic")

    act(moderator_client, "post", post.pk, "dismiss")

    assert Post.objects.get().status == Post.Status.PUBLISHED
    assert Report.objects.get().outcome == Report.Outcome.KEPT
    assert "Nothing is reported" in moderator_client.get("/admin/community/moderation/").content.decode()


def test_suspending_the_author_stops_them_posting_and_tells_them_until_when(
    moderator_client, community_page, member, django_capture_on_commit_callbacks
):
    post = write(member)

    assert act(moderator_client, "post", post.pk, "suspend", reason="Spam", days=0).status_code == 200
    assert not Suspension.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        act(moderator_client, "post", post.pk, "suspend", reason="Repeated spam", days=7)

    with pytest.raises(Suspended):
        write(member)
    assert "until" in mail.outbox[0].body and "Repeated spam" in mail.outbox[0].body


def test_lifting_a_suspension_lets_the_member_post_again(moderator_client, moderator, community_page, member):
    suspension = moderation.suspend(member=member, moderator=moderator, days=3, reason="Cool down")

    moderator_client.post(f"/admin/community/suspensions/{suspension.pk}/lift/")

    suspension.refresh_from_db()
    assert suspension.lifted_at is not None
    write(member)


def test_approving_a_waiting_post_publishes_it_and_pays_its_likes(
    moderator_client, community_page, member, django_capture_on_commit_callbacks
):
    ActionRuleFactory(trigger="post", likes=10)
    set_site_setting(CommunitySettings, premoderated_posts=2)
    post = write(member)
    assert balance_of(member) == 0

    with django_capture_on_commit_callbacks(execute=True):
        act(moderator_client, "post", post.pk, "approve")

    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED and balance_of(member) == 10
    assert "approved your post" in mail.outbox[0].body
    assert write(member, title="Second").status == Post.Status.PENDING  # still one more to approve
    assert write(member, title="Third").status == Post.Status.PENDING


def test_turning_down_a_waiting_post_needs_a_reason(moderator, community_page, member):
    set_site_setting(CommunitySettings, premoderated_posts=1)
    post = write(member)

    with pytest.raises(CommunityError):
        moderation.reject_post(post=post, moderator=moderator, reason=" ")
    moderation.reject_post(post=post, moderator=moderator, reason="Not about our products")

    assert Post.objects.get().status == Post.Status.REMOVED


def test_a_featured_post_tops_the_feed_and_is_offered_to_emails(moderator_client, community_page, member):
    old = write(member, title="Old but gold")
    write(member, title="New")

    act(moderator_client, "post", old.pk, "feature")

    assert list(featured_posts()) == [old]
    html = moderator_client.get("/community/").content.decode()
    assert html.index("Old but gold") < html.index("New")
    act(moderator_client, "post", old.pk, "unfeature")
    assert list(featured_posts()) == []


def test_only_published_posts_can_be_featured(moderator, community_page, member):
    post = write(member)
    moderation.hide(target=post, moderator=moderator, reason="x")

    with pytest.raises(CommunityError):
        moderation.set_featured(post=post, moderator=moderator, featured=True)


def test_every_decision_is_logged_with_the_moderator(moderator, community_page, member):
    post = write(member)
    moderation.hide(target=post, moderator=moderator, reason="Because")

    decision = ModerationDecision.objects.get()
    assert (decision.moderator, decision.member, decision.action, decision.reason) == (
        moderator,
        member,
        "hide",
        "Because",
    )


def test_editors_without_moderation_rights_cannot_moderate(client, editor, community_page, member):
    post = write(member)
    client.force_login(editor)

    assert refused(client.get("/admin/community/moderation/"))
    assert refused(act(client, "post", post.pk, "hide", reason="x"))
    assert Post.objects.get().status == Post.Status.PUBLISHED


def test_moderators_without_suspension_rights_cannot_suspend(client, community_page, member):
    user = grant(UserFactory(email="junior@example.com"), "access_admin", "change_post", "change_comment")
    client.force_login(user)
    post = write(member)

    assert refused(act(client, "post", post.pk, "suspend", reason="x", days=3))
    assert not Suspension.objects.exists()


def test_an_unknown_action_is_not_found(moderator_client, community_page, member):
    post = write(member)
    assert act(moderator_client, "post", post.pk, "explode").status_code == 404
    assert act(moderator_client, "comment", post.pk, "feature").status_code == 404


def test_the_community_menu_lists_posts_comments_and_suspensions(moderator_client, community_page, member):
    write(member, title="Listed post")

    assert "Listed post" in moderator_client.get("/admin/community/posts/").content.decode()
    assert moderator_client.get("/admin/community/comments/").status_code == 200
    assert moderator_client.get("/admin/community/suspensions/").status_code == 200
    assert "Moderation queue" in moderator_client.get("/admin/").content.decode()
