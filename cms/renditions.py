"""Image sizes made when an image is saved, so API requests find them ready.

The API may create only a few renditions per request (GRAPHQL_LIMITS["MAX_NEW_RENDITIONS"]):
making every allowlisted size up front keeps a catalogue page of new covers complete on its
first request.
"""

import logging

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def make_allowed_renditions(image) -> None:
    """Create the renditions of every size in ALLOWED_IMAGE_FILTERS that `image` lacks."""
    try:
        image.get_renditions(*settings.ALLOWED_IMAGE_FILTERS)
    except OSError:  # Wagtail's SourceImageIOError among them
        # A missing or unreadable file must not fail the save; the API will say so later.
        logger.warning("Could not make the renditions of image %s", image.pk, exc_info=True)


def on_image_saved(sender, instance, **kwargs) -> None:
    """post_save of the image model: make the sizes once the file is committed."""
    transaction.on_commit(lambda: make_allowed_renditions(instance))
