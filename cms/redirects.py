"""The `redirect(path, site)` root field: where a front end should send a path that has moved
(Wagtail's redirects app: editors' redirects, and those Wagtail makes when a live page's slug
changes or it moves, WAGTAILREDIRECTS_AUTO_CREATE).

Only to a live, public page (at its front-end URL) or to an external http(s) URL. A redirect
to a draft, expired or restricted page answers null, as no redirect does: the answer never
says that such a page exists.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import graphene
from django.db.models import F
from django.http import HttpRequest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from .api import listing
from .api.errors import BadUserInput
from .visibility import page_is_public


class RedirectTarget(graphene.ObjectType):
    """Where an old path leads now."""

    url = graphene.String(
        required=True,
        description="Absolute URL: the page's front-end URL, or the external URL",
    )
    url_path = graphene.String(
        description="The page's path on its site (null for an external URL), for routing "
        "inside the front end"
    )
    permanent = graphene.Boolean(required=True, description="301/308 if true, else 302/307")
    external = graphene.Boolean(required=True, description="Whether it leaves the CMS's sites")


def _external(link: str) -> bool:
    # Editors type this URL; a `javascript:` or protocol-relative one is never handed out.
    parts = urlsplit(link.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# Redirect.old_path holds 255 characters; a longer path cannot have a redirect.
MAX_PATH_LENGTH = 255


def normalised_path(path: str) -> str | None:
    """`path` as Wagtail stores redirects' paths; None if it is too long to have one.

    A path with control characters (PostgreSQL refuses a NUL) or that is not a URL path at all
    (`//[`) is refused with the argument named."""
    if any(ord(character) < 32 or ord(character) == 127 for character in path):
        raise BadUserInput("`path` must not contain control characters.", argument="path")
    try:
        normalised = Redirect.normalise_path(path)
    except ValueError:
        raise BadUserInput(
            f"{path[:100]!r} is not a URL path; give the path the front end was asked for, "
            'e.g. "/publications/old-slug/".',
            argument="path",
        ) from None
    return normalised if len(normalised) <= MAX_PATH_LENGTH else None


def find_redirect(request: HttpRequest, path: str, site: str | None) -> RedirectTarget | None:
    """The redirect of `path` on `site` (a hostname; the request's site if None), the site's own
    before one for all sites, if it leads anywhere an anonymous client may go."""
    target_site = listing.resolve_site(request, site, True) if site else None
    target_site = target_site or Site.find_for_request(request)
    old_path = normalised_path(path)
    if old_path is None:
        return None
    redirect = (
        Redirect.get_for_site(target_site)
        .filter(old_path=old_path)
        .select_related("redirect_page")
        .order_by(F("site_id").asc(nulls_last=True))
        .first()
    )
    if redirect is None:
        return None
    if redirect.redirect_page_id is not None:
        return _to_page(redirect, request)
    if redirect.redirect_link and _external(redirect.redirect_link):
        return RedirectTarget(
            url=redirect.redirect_link.strip(),
            url_path=None,
            permanent=redirect.is_permanent,
            external=True,
        )
    return None


def _to_page(redirect: Redirect, request: HttpRequest) -> RedirectTarget | None:
    page: Page = redirect.redirect_page
    if not page_is_public(page, request):
        return None
    page = page.specific
    parts = page.get_url_parts(request)
    if parts is None:
        return None  # a page outside every site has no URL to send anyone to
    _site_id, root_url, page_path = parts
    route = (redirect.redirect_page_route_path or "").lstrip("/")
    page_path = page_path + route
    return RedirectTarget(
        url=root_url.rstrip("/") + page_path,
        url_path=page_path,
        permanent=redirect.is_permanent,
        external=False,
    )
