"""Community fixtures: the community page in the page tree, a topic, and image files to upload."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community import services
from community.models import CommunityIndexPage
from tests.factories import ProductCategoryFactory
from tests.site_settings import default_site


@pytest.fixture
def community_page(db):
    root = default_site().root_page
    page = CommunityIndexPage(title="Community", slug="community", posts_per_page=5)
    root.add_child(instance=page)
    return page


@pytest.fixture
def topic(db):
    return ProductCategoryFactory(name="Running shoes", slug="running-shoes")


def image_bytes(fmt="JPEG", size=(64, 48), exif=None, color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        image.save(out, fmt, exif=exif)
    else:
        image.save(out, fmt)
    return out.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def gps_exif() -> Image.Exif:
    """EXIF with a camera serial number and a GPS position (Amsterdam)."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0xA431] = "SERIAL-12345"  # BodySerialNumber
    gps = {1: "N", 2: (52.0, 22.0, 12.0), 3: "E", 4: (4.0, 53.0, 28.0)}
    exif[0x8825] = gps  # GPSInfo
    return exif


def write(author, title="Breaking in new trail shoes", body="Walk in them at home first.", **kwargs):
    return services.write_post(author=author, title=title, body=body, **kwargs)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded images go to a temporary folder, never the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
