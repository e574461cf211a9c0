"""Headless previews: the token in the front end's preview URL grants one draft, for a while.

The admin's Preview button (wagtail-headless-preview) stores the draft as a PagePreview row
and opens the site's front end with `?content_type=...&token=...`; the front end asks the API
for the page with that token, without any login. The library checks the token's signature but
never its age, and lets a bad token escape as an internal error: here both become GraphQL
errors with a code the front end can act on, and a token lives PREVIEW_TOKEN_MAX_AGE seconds.
"""

from __future__ import annotations

import datetime
import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.signing import BadSignature, SignatureExpired
from graphql import GraphQLError
from wagtail_headless_preview.models import PagePreview

from .view import forbid_caching

if TYPE_CHECKING:
    from django.http import HttpRequest
    from wagtail.models import Page
    from wagtail_headless_preview.models import HeadlessPreviewMixin

FORBIDDEN = "FORBIDDEN"
PREVIEW_TOKEN_EXPIRED = "PREVIEW_TOKEN_EXPIRED"

EXPIRED_MESSAGE = "The preview token has expired; click Preview again in the admin."
INVALID_MESSAGE = "The preview token is not valid."


class PreviewTokenError(GraphQLError):
    """A refused preview token: the message is for the editor, the code for the front end."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, extensions={"code": code})


def page_from_preview_token(
    model: type[HeadlessPreviewMixin], token: str, *, request: HttpRequest | None = None
) -> Page | None:
    """The draft that `token` was issued for, if it is a `model` page; else None.

    Raises PreviewTokenError with PREVIEW_TOKEN_EXPIRED when the token is older than
    settings.PREVIEW_TOKEN_MAX_AGE, and with FORBIDDEN when it is forged, tampered with or
    malformed. No login is asked for: the token alone grants the draft, within its lifetime.
    Given the GraphQL request (`info.context`), it makes the answer uncacheable.
    """
    if request is not None:
        # Draft, refusal or nothing, the answer is about one editor's token and must outlive
        # neither the draft nor the token: no cache may keep it.
        forbid_caching(request)
    max_age = settings.PREVIEW_TOKEN_MAX_AGE
    try:
        model.get_preview_signer().unsign(token, max_age=max_age)
    # SignatureExpired is a BadSignature: it must be caught first.
    except SignatureExpired as error:
        raise PreviewTokenError(EXPIRED_MESSAGE, PREVIEW_TOKEN_EXPIRED) from error
    except BadSignature as error:
        raise PreviewTokenError(INVALID_MESSAGE, FORBIDDEN) from error

    # PagePreview.created_at is a date, stamped with the server's local date (date.today()),
    # so rows are compared by day: a row older than the max age is never served, even if the
    # library's daily garbage collection has not run yet.
    oldest = datetime.date.fromtimestamp(time.time() - max_age)
    # The content type in the filter is what makes a publication's token, asked for as a
    # position paper, find nothing.
    preview = PagePreview.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        token=token,
        created_at__gte=oldest,
    ).first()
    return preview.as_page() if preview is not None else None
