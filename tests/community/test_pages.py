"""The community pages as members use them, through Django's test client."""

import pytest
from django.utils import timezone

from community import services
from community.models import Badge, CommunitySettings, Heart, Post, Report
from loyalty.ledger.services import earn
from tests.community.conftest import gps_exif, image_bytes, upload, write
from tests.factories import MemberFactory
from tests.loyalty.ledger.helpers import balance_of
from tests.site_settings import set_site_setting

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- the feed


def test_the_feed_shows_published_posts_newest_first_to_anyone(client, community_page, member):
    write(member, title="Older")
    write(member, title="Newer")

    response = client.get("/community/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Newer") < html.index("Older")
    assert "Log in to write a post" in html


def test_the_feed_filters_by_topic_and_refuses_an_unknown_topic(client, community_page, member, topic):
    write(member, title="About shoes", topic=topic)
    write(member, title="About nothing")

    html = client.get("/community/?topic=running-shoes").content.decode()
    assert "About shoes" in html and "About nothing" not in html
    assert client.get("/community/?topic=no-such-thing").status_code == 404
    assert client.get("/community/?topic=%00").status_code == 404  # not a 500 on PostgreSQL


def test_featured_posts_come_first(client, community_page, member):
    featured = write(member, title="Editors' pick")
    write(member, title="Brand new")
    Post.objects.filter(pk=featured.pk).update(featured_at=timezone.now())

    html = client.get("/community/").content.decode()
    assert html.index("Editors&#x27; pick") < html.index("Brand new")
    assert "Featured" in html


def test_the_feed_is_paginated_and_a_bad_page_number_shows_the_first_page(client, community_page, member):
    set_site_setting(CommunitySettings, posts_per_hour=100)
    for n in range(7):
        write(member, title=f"Post number {n}")

    assert "Post number 1" in client.get("/community/?page=2").content.decode()
    first = client.get("/community/?page=abc")
    assert first.status_code == 200 and "Post number 6" in first.content.decode()


def test_hidden_and_waiting_posts_are_invisible_to_others_but_not_to_their_author(
    client, community_page, member, other_member
):
    hidden = write(member, title="Hidden one")
    Post.objects.filter(pk=hidden.pk).update(status=Post.Status.HIDDEN, moderation_reason="Off topic")

    assert "Hidden one" not in client.get("/community/").content.decode()
    client.force_login(other_member.user)
    assert client.get(f"/community/posts/{hidden.pk}/").status_code == 404

    client.force_login(member.user)
    response = client.get(f"/community/posts/{hidden.pk}/")
    assert response.status_code == 200
    assert (
        "A moderator hid this post" in response.content.decode() and "Off topic" in response.content.decode()
    )


def test_the_feed_does_a_constant_number_of_queries(
    client, community_page, member, topic, django_assert_max_num_queries
):
    set_site_setting(CommunitySettings, posts_per_hour=100)
    client.force_login(member.user)
    fans = [MemberFactory() for _ in range(3)]

    def add_posts(count):
        for n in range(count):
            post = write(member, title=f"Post {n}", topic=topic, images=[upload(image_bytes())])
            services.write_comment(post=post, author=fans[0], body="nice")
            for fan in fans:
                services.toggle_heart(member=fan, post=post)

    add_posts(1)
    client.get("/community/")
    with django_assert_max_num_queries(30) as few:
        client.get("/community/")
    add_posts(4)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get("/community/")
    assert response.content.decode().count('data-testid="post-card"') == 5
    assert len(many.captured_queries) == len(few.captured_queries)


# --------------------------------------------------------------------------- writing


def test_a_member_writes_a_post_with_a_photo_and_the_stored_photo_has_no_gps(
    member_client, community_page, topic
):
    response = member_client.post(
        "/community/new/",
        {
            "title": "My trail run",
            "body": "Ran **10 km**. <script>alert(1)</script>",
            "topic": topic.pk,
            "images": [upload(image_bytes(exif=gps_exif()))],
        },
    )

    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/community/posts/{post.pk}/"
    assert post.body_html == "<p>Ran <strong>10 km</strong>. </p>"
    stored = post.images.get().image.file.read()
    assert b"SERIAL-12345" not in stored and b"GPS" not in stored


def test_a_bad_photo_keeps_what_the_member_typed_and_says_what_was_wrong(member_client, community_page):
    response = member_client.post(
        "/community/new/",
        {"title": "Keep me", "body": "My text", "images": [upload(b"not an image", name="cat.jpg")]},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "cat.jpg is not an image we can read" in html
    assert 'value="Keep me"' in html and "My text" in html
    assert not Post.objects.exists()


def test_an_empty_post_is_refused_field_by_field(member_client, community_page):
    response = member_client.post("/community/new/", {"title": "  ", "body": ""})

    assert response.status_code == 400
    assert "Give your post a title." in response.content.decode()
    assert "Write something in your post." in response.content.decode()


def test_the_rate_limit_message_is_shown_on_the_form(member_client, community_page, member):
    set_site_setting(CommunitySettings, posts_per_hour=1)
    write(member)

    response = member_client.post("/community/new/", {"title": "Again", "body": "More"})

    assert response.status_code == 400
    assert "You can write 1 post per hour." in response.content.decode()


def test_a_suspended_member_is_told_before_typing(member_client, community_page, member):
    from datetime import timedelta

    from community.models import Suspension

    Suspension.objects.create(member=member, ends_at=timezone.now() + timedelta(days=2), reason="x")

    response = member_client.get("/community/new/", follow=True)
    assert "suspended you from posting" in response.content.decode()


def test_visitors_are_sent_to_log_in_before_writing(client, community_page):
    response = client.get("/community/new/")

    assert response.status_code == 302 and response["Location"].startswith(
        "/account/login/?next=/community/new/"
    )


def test_only_the_author_can_open_the_edit_and_delete_pages(client, community_page, member, other_member):
    post = write(member)
    client.force_login(other_member.user)

    assert client.get(f"/community/posts/{post.pk}/edit/").status_code == 404
    assert client.post(f"/community/posts/{post.pk}/delete/").status_code == 404
    assert Post.objects.get().status == Post.Status.PUBLISHED


def test_the_author_edits_and_deletes_their_post(member_client, community_page, member):
    post = write(member)

    member_client.post(f"/community/posts/{post.pk}/edit/", {"title": "Edited", "body": "new text"})
    assert Post.objects.get().title == "Edited"

    response = member_client.post(f"/community/posts/{post.pk}/delete/")
    assert response.status_code == 302
    assert "This post was removed." in member_client.get(f"/community/posts/{post.pk}/").content.decode()


# --------------------------------------------------------------------------- the post page


def test_a_member_comments_and_a_deleted_comment_reads_comment_removed(
    member_client, community_page, member, other_member
):
    post = write(other_member)

    response = member_client.post(f"/community/posts/{post.pk}/", {"body": "Thanks, *very* useful"})
    comment = post.comments.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    assert "<em>very</em>" in member_client.get(f"/community/posts/{post.pk}/").content.decode()

    member_client.post(f"/community/comments/{comment.pk}/delete/")
    html = member_client.get(f"/community/posts/{post.pk}/").content.decode()
    assert "Comment removed." in html and "useful" not in html


def test_an_empty_comment_is_refused_with_a_message(member_client, community_page, other_member):
    post = write(other_member)

    response = member_client.post(f"/community/posts/{post.pk}/", {"body": "   "})

    assert response.status_code == 400
    assert "Write something in your comment." in response.content.decode()


def test_hearting_a_post_toggles(member_client, community_page, other_member):
    post = write(other_member)

    member_client.post(f"/community/posts/{post.pk}/heart/")
    assert Heart.objects.count() == 1
    member_client.post(f"/community/posts/{post.pk}/heart/")
    assert Heart.objects.count() == 0
    assert member_client.get(f"/community/posts/{post.pk}/heart/").status_code == 405


def test_a_tip_shows_on_the_post_as_who_gave_how_many(member_client, community_page, member, other_member):
    earn(member=member, amount=30)
    post = write(other_member)

    response = member_client.post(f"/community/posts/{post.pk}/tip/", {"amount": 10, "token": "tok-1"})
    member_client.post(f"/community/posts/{post.pk}/tip/", {"amount": 10, "token": "tok-1"})  # double click

    assert response.status_code == 302
    assert balance_of(other_member) == 10 and balance_of(member) == 20
    assert "Anna d. V. gave 10 Likes" in member_client.get(f"/community/posts/{post.pk}/").content.decode()


def test_a_refused_tip_says_why(member_client, community_page, member, other_member):
    post = write(other_member)

    response = member_client.post(f"/community/posts/{post.pk}/tip/", {"amount": 10, "token": "t"})

    assert response.status_code == 400
    assert 'data-testid="tip-error"' in response.content.decode()
    for bad in ({"amount": "ten", "token": "t2"}, {"amount": -5, "token": "t3"}):
        assert member_client.post(f"/community/posts/{post.pk}/tip/", bad).status_code == 400
    assert balance_of(other_member) == 0


def test_a_member_reports_a_post_and_it_reaches_the_queue(member_client, community_page, other_member):
    post = write(other_member)

    assert member_client.post(f"/community/posts/{post.pk}/report/", {"reason": ""}).status_code == 400
    member_client.post(f"/community/posts/{post.pk}/report/", {"reason": "spam", "note": "Ads"})

    report = Report.objects.get()
    assert (report.post, report.reason, report.note) == (post, "spam", "Ads")


def test_a_post_page_with_fifty_comments_does_a_constant_number_of_queries(
    member_client, community_page, member, other_member, django_assert_max_num_queries
):
    set_site_setting(CommunitySettings, comments_per_hour=1000)
    earn(member=member, amount=100)
    post = write(other_member, images=[upload(image_bytes()), upload(image_bytes())])
    services.tip_author(post=post, sender=member, amount=5)
    fans = [MemberFactory() for _ in range(3)]

    def add_comments(count):
        for n in range(count):
            comment = services.write_comment(post=post, author=fans[n % 3], body=f"Comment {n}")
            services.toggle_heart(member=member, comment=comment)

    add_comments(2)
    member_client.get(f"/community/posts/{post.pk}/")
    with django_assert_max_num_queries(40) as few:
        member_client.get(f"/community/posts/{post.pk}/")
    add_comments(48)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = member_client.get(f"/community/posts/{post.pk}/")
    assert response.content.decode().count('data-testid="comment"') == 50
    assert len(many.captured_queries) == len(few.captured_queries)


# --------------------------------------------------------------------------- profiles


def test_a_profile_shows_the_members_posts_and_badges(client, community_page, member):
    write(member, title="My first post")

    html = client.get(f"/community/members/{member.pk}/").content.decode()

    assert "Anna d. V." in html and "My first post" in html
    assert Badge.objects.get(member=member).get_kind_display() in html
    assert member.user.email not in html and member.number not in html


def test_an_unknown_profile_is_not_found(client, community_page):
    assert client.get("/community/members/999999/").status_code == 404


def test_the_community_speaks_dutch(member_client, community_page, member):
    write(member, title="Hardloopschoenen")

    html = member_client.get("/community/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert "Schrijf een bericht" in html and "0 reacties" in html


def test_the_edit_form_offers_to_remove_each_photo(member_client, community_page, member):
    post = write(member, images=[upload(image_bytes()), upload(image_bytes())])
    first = post.images.first()

    html = member_client.get(f"/community/posts/{post.pk}/edit/").content.decode()
    assert "Photo 1" in html and "Photo 2" in html

    member_client.post(
        f"/community/posts/{post.pk}/edit/",
        {"title": post.title, "body": post.body, "remove_images": [str(first.pk)]},
    )
    assert post.images.count() == 1
    assert not post.images.filter(pk=first.pk).exists()
