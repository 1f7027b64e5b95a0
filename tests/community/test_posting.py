"""Writing in the community: who may post, how often, what it earns, and who may change what."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community import services
from community.exceptions import (
    AccountTooNew,
    CommunityError,
    NotAllowed,
    NotVisible,
    PhotoLimitReached,
    RateLimited,
    Suspended,
    TooManyImages,
)
from community.models import Badge, Comment, CommunitySettings, Heart, Post, Report, Suspension
from loyalty.members.services import leave_program
from loyalty.sharing.exceptions import AmountOutsideLimits, TipsDisabled
from loyalty.sharing.models import SharingPolicy
from tests.community.conftest import image_bytes, upload, write
from tests.factories import ActionRuleFactory, MemberFactory
from tests.loyalty.ledger.helpers import balance_of
from tests.site_settings import set_site_setting

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- posting and Likes


def test_a_post_is_published_at_once_and_earns_the_post_rule_likes(member):
    ActionRuleFactory(trigger="post", likes=15)

    post = write(member)

    assert post.status == Post.Status.PUBLISHED and post.published_at is not None
    assert balance_of(member) == 15


def test_writing_the_same_post_reference_never_earns_twice_and_the_daily_cap_stops_farming(member):
    ActionRuleFactory(trigger="post", likes=10, cap_per_day=20)
    set_site_setting(CommunitySettings, posts_per_hour=100)

    for n in range(5):
        write(member, title=f"Post {n}")

    assert balance_of(member) == 20


def test_comments_earn_the_comment_rule_likes_within_their_cap(member, other_member):
    ActionRuleFactory(trigger="comment", likes=2, cap_per_day=5)
    post = write(other_member)

    for n in range(4):
        services.write_comment(post=post, author=member, body=f"Thanks {n}")

    assert balance_of(member) == 5


def test_posts_are_rate_limited_per_hour_with_a_clear_message(member):
    set_site_setting(CommunitySettings, posts_per_hour=2)
    write(member)
    deleted = write(member)
    services.delete_post(post=deleted, member=member)  # deleting does not give the slot back

    with pytest.raises(RateLimited, match="You can write 2 posts per hour"):
        write(member)
    assert Post.objects.filter(author=member).count() == 2


def test_the_hourly_limit_frees_up_after_an_hour(member):
    set_site_setting(CommunitySettings, posts_per_hour=1)
    old = write(member)
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=61))

    again = write(member)  # allowed again

    assert Post.objects.filter(author=member).count() == 2
    assert Post.objects.get(pk=again.pk).status == Post.Status.PUBLISHED


def test_comments_are_rate_limited_per_hour(member, other_member):
    set_site_setting(CommunitySettings, comments_per_hour=1)
    post = write(other_member)
    services.write_comment(post=post, author=member, body="First")

    with pytest.raises(RateLimited, match="1 comment per hour"):
        services.write_comment(post=post, author=member, body="Second")


def test_new_members_wait_the_minimum_membership_unless_they_bought_something(member):
    set_site_setting(CommunitySettings, min_account_age_days=7, purchase_unlocks_posting=True)

    with pytest.raises(AccountTooNew, match="after 7 days of membership, or right after your first purchase"):
        write(member)

    from loyalty.rules.services import record_purchase

    record_purchase(member=member, partner="shop", order_reference="A1", amount="10.00", currency="EUR")
    write(member)


def test_without_the_purchase_exception_only_time_lets_a_member_post(member):
    set_site_setting(CommunitySettings, min_account_age_days=7, purchase_unlocks_posting=False)
    with pytest.raises(AccountTooNew):
        write(member)

    member.joined_at = timezone.now() - timedelta(days=8)
    member.save(update_fields=["joined_at"])
    write(member)


def test_suspended_members_cannot_post_or_comment_until_it_ends(member, other_member, editor):
    post = write(other_member)
    Suspension.objects.create(member=member, ends_at=timezone.now() + timedelta(days=3), reason="Spam")

    with pytest.raises(Suspended, match="suspended you from posting until"):
        write(member)
    with pytest.raises(Suspended):
        services.write_comment(post=post, author=member, body="hi")

    Suspension.objects.update(
        ends_at=timezone.now() - timedelta(seconds=1), starts_at=timezone.now() - timedelta(days=1)
    )
    write(member)


def test_members_who_left_cannot_write(member):
    leave_program(member=member)

    with pytest.raises(CommunityError, match="Only current members"):
        write(member)


def test_pre_moderation_holds_a_new_members_first_posts_and_their_likes(member):
    ActionRuleFactory(trigger="post", likes=10)
    set_site_setting(CommunitySettings, premoderated_posts=1)

    first = write(member)

    assert first.status == Post.Status.PENDING
    assert balance_of(member) == 0
    assert not Post.objects.visible_to(None).filter(pk=first.pk).exists()
    assert Post.objects.visible_to(member).filter(pk=first.pk).exists()


def test_more_than_four_images_are_refused_and_nothing_is_stored(member):
    with pytest.raises(TooManyImages):
        write(member, images=[upload(image_bytes()) for _ in range(5)])
    assert not Post.objects.exists()


def test_a_bad_image_refuses_the_whole_post(member):
    from community.exceptions import InvalidImage

    with pytest.raises(InvalidImage):
        write(member, images=[upload(image_bytes()), upload(b"nope", name="x.jpg")])
    assert not Post.objects.exists()


def test_the_body_is_stored_as_markdown_and_sanitised_html(member):
    post = write(member, body="**Hi** <script>alert(1)</script>")

    assert post.body == "**Hi** <script>alert(1)</script>"
    assert post.body_html == "<p><strong>Hi</strong> </p>"


# --------------------------------------------------------------------------- editing and deleting


def test_only_the_author_edits_or_deletes_a_post(member, other_member):
    post = write(member)

    with pytest.raises(NotAllowed):
        services.edit_post(post=post, member=other_member, title="Mine now", body="x")
    with pytest.raises(NotAllowed):
        services.delete_post(post=post, member=other_member)

    services.edit_post(post=post, member=member, title="Better title", body="*new*")
    post.refresh_from_db()
    assert (post.title, post.body_html) == ("Better title", "<p><em>new</em></p>")
    assert post.edited_at is not None


def test_editing_can_swap_images_within_the_limit(member):
    post = write(member, images=[upload(image_bytes()) for _ in range(3)])
    first = post.images.first()

    with pytest.raises(TooManyImages):
        services.edit_post(
            post=post, member=member, title="t", body="b", new_images=[upload(image_bytes())] * 2
        )

    services.edit_post(
        post=post,
        member=member,
        title="t",
        body="b",
        new_images=[upload(image_bytes())],
        remove_image_ids=[first.pk],
    )
    assert post.images.count() == 3
    assert not post.images.filter(pk=first.pk).exists()


def test_deleting_a_post_removes_its_text_and_images_but_keeps_the_thread(member, other_member):
    post = write(member, images=[upload(image_bytes())])
    comment = services.write_comment(post=post, author=other_member, body="Great tip")

    services.delete_post(post=post, member=member)

    post.refresh_from_db()
    assert post.status == Post.Status.REMOVED and post.title == "" and post.body == ""
    assert not post.images.exists()
    comment.refresh_from_db()
    assert comment.body == "Great tip"


def test_only_the_author_deletes_a_comment_and_it_leaves_a_placeholder(member, other_member):
    post = write(member)
    comment = services.write_comment(post=post, author=other_member, body="Nice")

    with pytest.raises(NotAllowed):
        services.delete_comment(comment=comment, member=member)
    services.delete_comment(comment=comment, member=other_member)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED and comment.body == ""
    with pytest.raises(NotVisible):
        services.edit_comment(comment=comment, member=other_member, body="back")


def test_no_comments_on_a_hidden_or_removed_post(member, other_member):
    post = write(member)
    Post.objects.filter(pk=post.pk).update(status=Post.Status.HIDDEN)
    post.refresh_from_db()

    with pytest.raises(NotVisible):
        services.write_comment(post=post, author=other_member, body="hello")


# --------------------------------------------------------------------------- hearts, badges, reports


def test_a_heart_toggles_and_counts_once_per_member(member, other_member):
    post = write(member)

    assert services.toggle_heart(member=other_member, post=post) is True
    assert Heart.objects.filter(post=post).count() == 1
    assert services.toggle_heart(member=other_member, post=post) is False
    assert not Heart.objects.exists()


def test_members_cannot_heart_their_own_writing_or_hidden_posts(member, other_member):
    post = write(member)
    with pytest.raises(NotAllowed):
        services.toggle_heart(member=member, post=post)

    Post.objects.filter(pk=post.pk).update(status=Post.Status.HIDDEN)
    post.refresh_from_db()
    with pytest.raises(NotVisible):
        services.toggle_heart(member=other_member, post=post)


def test_comments_can_be_hearted_too(member, other_member):
    post = write(member)
    comment = services.write_comment(post=post, author=member, body="Also: socks matter")

    assert services.toggle_heart(member=other_member, comment=comment) is True
    assert Heart.objects.get().comment == comment


def test_badges_for_a_first_post_and_ten_posts(member):
    set_site_setting(CommunitySettings, posts_per_hour=100)
    write(member)
    assert list(Badge.objects.filter(member=member).values_list("kind", flat=True)) == ["first_post"]

    for n in range(9):
        write(member, title=f"Post {n}")
    assert set(Badge.objects.filter(member=member).values_list("kind", flat=True)) == {
        "first_post",
        "ten_posts",
    }


def test_the_helpful_badge_comes_with_the_fiftieth_heart(member):
    post = write(member)
    fans = [MemberFactory() for _ in range(50)]
    for fan in fans[:49]:
        services.toggle_heart(member=fan, post=post)
    assert not Badge.objects.filter(member=member, kind="helpful").exists()

    services.toggle_heart(member=fans[49], post=post)
    assert Badge.objects.filter(member=member, kind="helpful").exists()


def test_reporting_twice_keeps_one_open_report(member, other_member):
    post = write(member)

    first = services.report(reporter=other_member, post=post, reason="spam", note="Links to a shop")
    again = services.report(reporter=other_member, post=post, reason="offensive")

    assert first.pk == again.pk
    assert Report.objects.count() == 1


def test_a_report_needs_a_known_reason(member, other_member):
    post = write(member)
    with pytest.raises(CommunityError, match="Choose a reason"):
        services.report(reporter=other_member, post=post, reason="because")


# --------------------------------------------------------------------------- tips


def test_tipping_gives_the_author_likes_through_the_sharing_service(member, other_member):
    from loyalty.ledger.services import earn

    earn(member=other_member, amount=50)
    post = write(member)

    share = services.tip_author(post=post, sender=other_member, amount=10, client_token="t1")
    again = services.tip_author(post=post, sender=other_member, amount=10, client_token="t1")

    assert share.context == f"post:{post.pk}" and again.pk == share.pk
    assert balance_of(member) == 10 and balance_of(other_member) == 40


def test_tips_follow_the_sharing_limits_and_switch(member, other_member):
    from loyalty.ledger.services import earn

    earn(member=other_member, amount=500)
    post = write(member)
    set_site_setting(SharingPolicy, max_per_share=20)
    with pytest.raises(AmountOutsideLimits):
        services.tip_author(post=post, sender=other_member, amount=30)

    set_site_setting(SharingPolicy, allow_tips=False)
    with pytest.raises(TipsDisabled):
        services.tip_author(post=post, sender=other_member, amount=5)
    assert balance_of(member) == 0


def test_a_member_over_the_hourly_post_limit_is_refused_before_any_photo_is_decoded(member, monkeypatch):
    set_site_setting(CommunitySettings, posts_per_hour=1)
    write(member)
    decoded = []
    monkeypatch.setattr(services, "clean_image", lambda upload: decoded.append(upload))

    with pytest.raises(RateLimited):
        services.write_post(author=member, title="Again", body="x", images=[upload(image_bytes("PNG"))])

    assert decoded == []


def test_edits_cannot_add_photos_beyond_the_hourly_photo_limit(member, monkeypatch):
    set_site_setting(CommunitySettings, posts_per_hour=1)  # at most 4 photos an hour
    post = services.write_post(
        author=member, title="Four", body="x", images=[upload(image_bytes("PNG")) for _ in range(4)]
    )
    services.edit_post(post=post, member=member, title="Four", body="x", remove_image_ids=[])
    decoded = []
    monkeypatch.setattr(services, "clean_image", lambda upload: decoded.append(upload))
    removed = list(post.images.values_list("pk", flat=True))

    with pytest.raises(PhotoLimitReached, match="4 photos per hour"):
        services.edit_post(
            post=post,
            member=member,
            title="Four",
            body="x",
            new_images=[upload(image_bytes("PNG"))],
            remove_image_ids=removed,
        )

    assert decoded == [] and post.images.count() == 4


def test_the_default_pixel_cap_fits_a_phone_photo_and_no_more_than_25_megapixels(settings):
    from community.images import max_pixels

    del settings.COMMUNITY_MAX_IMAGE_PIXELS
    assert max_pixels() == 25_000_000
