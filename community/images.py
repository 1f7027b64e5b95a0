"""Member image uploads: checked and cleaned by Pillow, then stored as Wagtail images with renditions.

An upload must be a real JPEG, PNG or WebP (the bytes decide, not the file name), within the
size and pixel limits (so a decompression bomb is refused before it is decoded), and is
re-encoded from its pixels alone: EXIF (GPS position, camera serial), XMP, comments and text
chunks never reach the disk. The orientation EXIF asked for is applied to the pixels first.
"""

import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.images import ImageFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError
from wagtail.images import get_image_model
from wagtail.models import Collection

from .exceptions import InvalidImage

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
COLLECTION_NAME = "Community uploads"
# The sizes the feed and the post page show; made at upload so pages never render them.
RENDITIONS = ("fill-480x360", "max-1200x1200")


def max_upload_bytes() -> int:
    return getattr(settings, "COMMUNITY_MAX_IMAGE_BYTES", 8 * 1024 * 1024)


def max_pixels() -> int:
    # 25 megapixels: a phone's photo (24 MP on recent ones) fits; decoding one needs about 75 MB.
    return getattr(settings, "COMMUNITY_MAX_IMAGE_PIXELS", 25_000_000)


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    extension: str
    width: int
    height: int


def clean_image(upload) -> CleanImage:
    """Check ``upload`` (a Django uploaded file) and return its pixels re-encoded without metadata.

    Raises ``InvalidImage`` with a message that names the problem.
    """
    name = getattr(upload, "name", "") or _("the file")
    if upload.size > max_upload_bytes():
        raise InvalidImage(
            _("%(name)s is too big (%(size)s). Images can be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(max_upload_bytes())}
        )
    upload.seek(0)
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data)) as probe:
                image_format = probe.format
                width, height = probe.size
                if image_format in ALLOWED_FORMATS and width * height <= max_pixels():
                    probe.verify()
    except (PILImage.DecompressionBombWarning, PILImage.DecompressionBombError):
        raise _too_many_pixels(name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise InvalidImage(
            _("%(name)s is not an image we can read. Upload a JPEG, PNG or WebP photo.") % {"name": name}
        ) from None
    if image_format not in ALLOWED_FORMATS:
        raise InvalidImage(
            _("%(name)s is a %(format)s file. Upload a JPEG, PNG or WebP photo.")
            % {"name": name, "format": image_format or "?"}
        )
    if width * height > max_pixels():
        raise _too_many_pixels(name)
    try:
        return _reencode(data, image_format)
    except (OSError, ValueError, SyntaxError):
        raise InvalidImage(_("%(name)s is damaged and cannot be shown.") % {"name": name}) from None


def _too_many_pixels(name: str) -> InvalidImage:
    return InvalidImage(
        _("%(name)s has too many pixels. Images can be at most %(limit)s megapixels.")
        % {"name": name, "limit": max_pixels() // 1_000_000}
    )


def _reencode(data: bytes, image_format: str) -> CleanImage:
    with PILImage.open(io.BytesIO(data)) as source:
        source.load()
        upright = ImageOps.exif_transpose(source)
        has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
        if image_format == "JPEG":
            mode = "L" if upright.mode in ("L", "1") else "RGB"
        else:
            mode = "RGBA" if has_alpha else "RGB"
        pixels = upright.convert(mode)
        # A new image from the raw pixels carries no metadata of the original at all.
        clean = PILImage.frombytes(mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if image_format == "JPEG":
        clean.save(out, "JPEG", quality=88, optimize=True)
    elif image_format == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "WEBP", quality=88)
    return CleanImage(out.getvalue(), ALLOWED_FORMATS[image_format], clean.width, clean.height)


def community_collection() -> Collection:
    collection = Collection.objects.filter(name=COLLECTION_NAME).first()
    if collection is None:
        # Wagtail's migration makes the root collection; a flushed database may lack it.
        root = Collection.get_first_root_node() or Collection.add_root(name="Root")
        collection = root.add_child(name=COLLECTION_NAME)
    return collection


def store_image(clean: CleanImage, *, title: str, uploaded_by=None):
    """Save a cleaned image as a Wagtail image in the community collection, with its renditions."""
    image = get_image_model()(
        title=title[:255],
        file=ImageFile(
            io.BytesIO(clean.content), name=f"community-{uuid.uuid4().hex[:12]}.{clean.extension}"
        ),
        collection=community_collection(),
        uploaded_by_user=uploaded_by,
    )
    image._set_image_file_metadata()
    image.save()
    image.get_renditions(*RENDITIONS)
    return image
