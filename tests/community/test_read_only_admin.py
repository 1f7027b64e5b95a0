"""The Community admin's posts, comments and suspensions are read-only: moderators act through the
moderation screens (with a reason, logged), never by editing, adding or deleting rows. And the
moderation form only goes back to addresses on this site."""

import pytest
from django.urls import reverse

from community import moderation, services
from community.models import Comment, Post, Suspension
from tests.community.conftest import write
from tests.conftest import grant
from tests.factories import UserFactory
from tests.read_only_admin import (
    assert_no_write_links,
    assert_write_routes_unregistered,
    read_only_pages,
    snapshot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    return grant(
        UserFactory(email="moderator@example.com"),
        "access_admin",
        "change_post",
        "change_comment",
        "add_suspension",
        "change_suspension",
    )


@pytest.fixture
def rows(community_page, member, other_member, moderator):
    post = write(member, title="Trail shoes", body="Walk in them at home first.")
    comment = services.write_comment(post=post, author=other_member, body="Thanks, good tip")
    suspension = moderation.suspend(member=other_member, moderator=moderator, days=3, reason="Cool down")
    return {"posts": post, "comments": comment, "suspensions": suspension}


KINDS = ["posts", "comments", "suspensions"]
CHANGES = {
    "posts": {"title": "Edited by an editor", "body": "Edited by an editor"},
    "comments": {"body": "Edited by an editor"},
    "suspensions": {"reason": "Edited by an editor"},
}


@pytest.mark.parametrize("kind", KINDS)
def test_the_old_edit_url_is_gone_even_for_a_superuser(superuser_client, rows, kind):
    obj = rows[kind]
    before = snapshot(obj)
    url = f"/admin/community/{kind}/edit/{obj.pk}/"

    assert superuser_client.get(url).status_code == 404
    assert superuser_client.post(url, CHANGES[kind]).status_code == 404
    assert snapshot(obj) == before


def test_a_comment_cannot_be_rewritten_past_moderation(superuser_client, rows):
    comment = rows["comments"]

    response = superuser_client.post(f"/admin/community/comments/edit/{comment.pk}/", {"body": "spam link"})

    assert response.status_code == 404
    comment.refresh_from_db()
    assert comment.body == "Thanks, good tip" and "spam link" not in comment.body_html


@pytest.mark.parametrize("kind", KINDS)
def test_nothing_can_be_added_deleted_or_copied(superuser_client, rows, kind):
    obj = rows[kind]
    counts = (Post.objects.count(), Comment.objects.count(), Suspension.objects.count())

    for url in (
        f"/admin/community/{kind}/new/",
        f"/admin/community/{kind}/delete/{obj.pk}/",
        f"/admin/community/{kind}/copy/{obj.pk}/",
    ):
        assert superuser_client.get(url).status_code == 404, url
        assert superuser_client.post(url, CHANGES[kind]).status_code == 404, url

    assert (Post.objects.count(), Comment.objects.count(), Suspension.objects.count()) == counts
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("name", ["community_posts", "community_comments", "community_suspensions"])
def test_the_write_routes_are_not_registered(name):
    assert_write_routes_unregistered(name)


@pytest.mark.parametrize("kind", KINDS)
def test_a_viewer_sees_the_listing_and_inspects_a_row_without_write_buttons(client, rows, kind):
    model = type(rows[kind])._meta.model_name
    client.force_login(grant(UserFactory(email="viewer@example.com"), "access_admin", f"view_{model}"))
    obj = rows[kind]

    listing = client.get(f"/admin/community/{kind}/")
    inspect = client.get(f"/admin/community/{kind}/inspect/{obj.pk}/")

    assert listing.status_code == 200 and inspect.status_code == 200
    html = listing.content.decode()
    assert f"/admin/community/{kind}/inspect/{obj.pk}/" in html  # each row leads to its inspect view
    for page in (html, inspect.content.decode()):
        assert_no_write_links(page, f"community/{kind}")


@pytest.mark.parametrize("kind", KINDS)
def test_a_superuser_is_offered_no_write_buttons_either(superuser_client, rows, kind):
    obj = rows[kind]

    pages = read_only_pages(superuser_client, f"community/{kind}", obj.pk)

    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    for page in pages:
        assert_no_write_links(page.content.decode(), f"community/{kind}")


def test_moderators_still_see_the_listings_and_their_actions(client, moderator, rows):
    client.force_login(moderator)

    html = client.get("/admin/community/comments/").content.decode()

    assert f"/admin/community/moderation/comment/{rows['comments'].pk}/hide/" in html
    assert client.get(f"/admin/community/suspensions/{rows['suspensions'].pk}/lift/").status_code == 200


def test_the_moderation_form_does_not_follow_a_next_address_on_another_site(client, moderator, rows):
    client.force_login(moderator)
    post = rows["posts"]

    response = client.post(
        f"/admin/community/moderation/post/{post.pk}/feature/?next=https://evil.example/", {"reason": ""}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("community_moderation:index")
    post.refresh_from_db()
    assert post.is_featured


def test_the_moderation_form_follows_a_next_address_on_this_site(client, moderator, rows):
    client.force_login(moderator)
    post = rows["posts"]

    response = client.post(
        f"/admin/community/moderation/post/{post.pk}/feature/?next=/admin/community/posts/", {"reason": ""}
    )

    assert response.status_code == 302 and response["Location"] == "/admin/community/posts/"
