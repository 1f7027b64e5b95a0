"""Image uploads: only real images, no bombs or huge files, and no EXIF or GPS left in what is stored."""

import io
import warnings

import pytest
from PIL import Image

from community.exceptions import InvalidImage
from community.images import RENDITIONS, clean_image, store_image
from tests.community.conftest import gps_exif, image_bytes, upload


def test_a_photo_with_gps_exif_is_stored_without_any_metadata():
    original = image_bytes("JPEG", exif=gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo does carry GPS

    clean = clean_image(upload(original))

    stored = Image.open(io.BytesIO(clean.content))
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info
    assert b"SERIAL-12345" not in clean.content and b"PhoneMaker" not in clean.content
    assert (clean.width, clean.height) == (64, 48)


def test_the_exif_orientation_is_applied_to_the_pixels_before_it_is_dropped():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees
    clean = clean_image(upload(image_bytes("JPEG", size=(80, 40), exif=exif)))

    assert (clean.width, clean.height) == (40, 80)


@pytest.mark.parametrize(
    ("fmt", "name"), [("PNG", "photo.png"), ("WEBP", "photo.webp"), ("JPEG", "photo.jpg")]
)
def test_jpeg_png_and_webp_are_accepted(fmt, name):
    clean = clean_image(upload(image_bytes(fmt), name=name))

    assert Image.open(io.BytesIO(clean.content)).format == fmt


def test_a_text_file_renamed_jpg_is_refused_with_a_clear_message():
    with pytest.raises(InvalidImage, match="notes.jpg is not an image we can read"):
        clean_image(upload(b"this is not an image at all", name="notes.jpg"))


def test_a_truncated_jpeg_is_refused():
    data = image_bytes("JPEG", size=(300, 300))
    with pytest.raises(InvalidImage):
        clean_image(upload(data[: len(data) // 3], name="half.jpg"))


def test_a_bmp_renamed_jpg_is_refused_naming_its_real_format():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "BMP")
    with pytest.raises(InvalidImage, match="is a BMP file"):
        clean_image(upload(out.getvalue(), name="sneaky.jpg"))


def test_a_decompression_bomb_is_refused_before_it_is_decoded(settings):
    # A small PNG file that claims 20,000 x 20,000 pixels: 400 megapixels once decoded.
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG")
    bomb = out.getvalue()
    assert len(bomb) < 200_000

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(InvalidImage, match="too many pixels"):
            clean_image(upload(bomb, name="bomb.png", content_type="image/png"))


def test_an_image_over_the_pixel_setting_is_refused(settings):
    settings.COMMUNITY_MAX_IMAGE_PIXELS = 1000
    with pytest.raises(InvalidImage, match="at most 0 megapixels|too many pixels"):
        clean_image(upload(image_bytes(size=(100, 100))))


def test_an_oversized_file_is_refused_with_its_size_and_the_limit(settings):
    settings.COMMUNITY_MAX_IMAGE_BYTES = 1024
    with pytest.raises(InvalidImage, match=r"big.jpg is too big \(.*\)\. Images can be at most 1.0"):
        clean_image(upload(image_bytes(size=(400, 400), color=(1, 2, 3)) + b"\0" * 2048, name="big.jpg"))


def test_stored_images_live_in_the_community_collection_with_their_renditions_made(db):
    image = store_image(clean_image(upload(image_bytes())), title="Trail shoes")

    assert image.collection.name == "Community uploads"
    assert set(image.renditions.values_list("filter_spec", flat=True)) == set(RENDITIONS)
    assert image.file_size > 0 and image.file_hash
