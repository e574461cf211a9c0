"""Saving an image makes every allowlisted size, so the API never has to make many at once."""

import wagtail_factories
from django.conf import settings
from wagtail.models import Collection


def test_saving_an_image_makes_every_allowed_rendition(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = wagtail_factories.ImageFactory(collection=Collection.get_first_root_node())

    made = set(image.renditions.values_list("filter_spec", flat=True))
    assert made == set(settings.ALLOWED_IMAGE_FILTERS)


def test_renditions_wait_for_the_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        image = wagtail_factories.ImageFactory(collection=Collection.get_first_root_node())

    # One callback makes the renditions (the response cache adds its own after the commit).
    assert [c for c in callbacks if "on_image_saved" in c.__qualname__]
    assert not image.renditions.exists()
