"""A member posts with a photo; another member hearts it and tips the author; the author sees the tip
in their balance (real browser)."""

import io
import re

import pytest
from PIL import Image

from community.models import Post
from loyalty.ledger import services
from tests.community.conftest import _media_in_tmp, community_page, gps_exif, image_bytes  # noqa: F401
from tests.e2e.test_sharing import log_in
from tests.factories import ActionRuleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_post_with_a_photo_is_hearted_and_tipped_and_the_author_sees_the_tip(
    page,
    community_page,  # noqa: F811
    member,
    other_member,
    tmp_path,
):
    ActionRuleFactory(trigger="post", likes=5)
    services.earn(member=other_member, amount=100)
    photo = tmp_path / "trail.jpg"
    photo.write_bytes(image_bytes("JPEG", size=(800, 600), exif=gps_exif()))

    log_in(page, member)
    page.goto("/community/")
    page.get_by_role("link", name="Write a post").click()
    page.get_by_label("Title").fill("My first trail run")
    page.get_by_label("Your post").fill("Ran **12 km** in the dunes.")
    page.get_by_label("Photos").set_input_files(str(photo))
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r"/community/posts/\d+/$"))
    assert page.get_by_test_id("post-title").inner_text() == "My first trail run"
    assert page.locator("[data-testid=post-body] strong").inner_text() == "12 km"
    photo_src = page.locator(".post-images img").get_attribute("src")
    post_url = page.url
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Log out").click()

    log_in(page, other_member)
    page.goto(post_url)
    page.get_by_test_id("heart-button").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("heart-count").first.inner_text() == "1"
    page.get_by_label("Tip Anna d. V.").fill("10")
    page.get_by_role("button", name="Give").click()
    page.wait_for_url(re.compile(r"#tips$"))
    assert "Bram J. gave 10 Likes" in page.get_by_test_id("tips").inner_text()
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Log out").click()

    log_in(page, member)
    assert page.get_by_test_id("balance").inner_text() == "15 Likes"  # 5 for the post, 10 tipped

    stored = page.request.get(photo_src).body()
    assert Image.open(io.BytesIO(stored)).getexif().get_ifd(0x8825) == {}
    assert b"SERIAL-12345" not in stored
    assert Post.objects.get().images.count() == 1
