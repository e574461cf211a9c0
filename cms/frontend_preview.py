"""Which preview an editor gets: the site's front end, or the CMS's own rendering of the draft.

The admin's preview panel, "Preview in new tab" and a moderator's preview of a task all end in
the page's `serve_preview`. wagtail-headless-preview answers it with a frame of the front end;
when that front end does not answer (not deployed yet, down, restarting) the frame would show
a browser error and a moderator would approve blind. So the front end is asked first, with a
short timeout, and the answer kept a few seconds; without one the draft is rendered from
`templates/` with a notice saying so.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def frontend_answers(url: str) -> bool:
    """Whether the front end serving `url` answers HTTP at all (any status below 500).

    The origin is asked, not `url` itself: where the front end's preview route lives (its
    root, `/preview`, ...) is its own business. Cached PREVIEW_FRONTEND_CHECK_SECONDS, so a
    panel that refreshes the preview on each keystroke does not probe each time.
    """
    origin = _origin(url)
    key = f"frontend-preview-answers:{origin}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    answers = _probe(origin)
    cache.set(key, answers, settings.PREVIEW_FRONTEND_CHECK_SECONDS)
    return answers


def _probe(origin: str) -> bool:
    request = urllib.request.Request(origin, method="HEAD")
    try:
        with urllib.request.urlopen(request, timeout=settings.PREVIEW_FRONTEND_TIMEOUT_SECONDS):
            return True
    except urllib.error.HTTPError as error:
        # A 404 or 401 is a front end that runs; a 5xx is one that cannot render the draft.
        return error.code < 500
    except (OSError, ValueError) as error:
        logger.info("Front end %s does not answer (%s): the CMS renders previews", origin, error)
        return False
