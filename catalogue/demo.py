"""The demo set-up: locales, the two sites with their page trees, the catalogue, an admin.

Every step looks before it creates, so running it again changes nothing and takes seconds.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Locale, Page, Site

from catalogue.importer import ImportReport, import_catalogue
from catalogue.records import read_catalogue
from cms.models import HomePage
from positions.models import PositionIndexPage, PressReleaseIndexPage
from publications.models import PublicationIndexPage

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "demo"
ADMIN_USERNAME = "admin"

# Facts from the network's 2024 conference press kit (see fixtures/demo/network.json "about").
NETWORK_INTRO = (
    "<p>The European Forum for Urban Security (Efus), founded in 1987, brings together 250 "
    "local and regional authorities from 17 European countries. It is based in Paris.</p>"
)
CONFERENCE_EDITIONS = [
    (1989, "Montreal"),
    (1991, "Paris"),
    (2000, "Naples"),
    (2006, "Zaragoza"),
    (2012, "Aubervilliers-Saint-Denis"),
    (2017, "Barcelona-Catalonia"),
    (2021, "Nice"),
    (2024, "Brussels"),
]
CONFERENCE_INTRO = (
    "<p>Security, Democracy &amp; Cities is the international conference of the European Forum "
    "for Urban Security. Its editions: "
    + ", ".join(f"{place} ({year})" for year, place in CONFERENCE_EDITIONS)
    + ". The 8th edition took place in Brussels on 20-22 March 2024.</p>"
)
LOCALES = [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES]

Say = Callable[[str], None]


def ensure_locales() -> None:
    for code in LOCALES:
        Locale.objects.get_or_create(language_code=code)


def ensure_site(hostname: str, title: str, intro: str, *, default: bool) -> Site:
    """A site whose root is a HomePage titled `title`; replaces Wagtail's welcome page."""
    site = Site.objects.filter(hostname=hostname).first()
    if site is None and default:
        site = Site.objects.filter(is_default_site=True).first()
    if site and isinstance(site.root_page.specific, HomePage):
        return site
    root = Page.get_first_root_node()
    home = HomePage(
        title=title, slug=hostname.split(".")[0], intro=intro, locale=Locale.get_default()
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    if site is None:
        site = Site(hostname=hostname, port=80, is_default_site=default)
    old_root = site.root_page if site.pk else None
    site.root_page, site.site_name = home, title
    site.save()
    if old_root and not old_root.specific_class and old_root.get_children_count() == 0:
        old_root.delete()
    elif old_root and type(old_root.specific) is Page and old_root.get_children_count() == 0:
        old_root.delete()  # Wagtail's "Welcome to your new Wagtail site!" page
    return site


def ensure_child(parent: Page, model: type[Page], title: str, slug: str, intro: str = "") -> Page:
    existing = model.objects.child_of(parent).first()
    if existing:
        return existing
    page = model(title=title, slug=slug, intro=intro, locale=parent.locale)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def ensure_admin(say: Say) -> None:
    """Make sure a superuser exists; print the generated password the first time only."""
    User = get_user_model()
    if User.objects.filter(is_superuser=True).exists():
        say(
            f"Admin user exists (its password was printed when it was created; reset it with "
            f"`manage.py changepassword {ADMIN_USERNAME}`)."
        )
        return
    password = secrets.token_urlsafe(12)
    User.objects.create_superuser(ADMIN_USERNAME, "admin@example.org", password)
    say(f"Admin user created for development: {ADMIN_USERNAME} / {password}")


def load_demo(say: Say, *, demo_files: bool = True) -> list[ImportReport]:
    """Set up the demo: locales, the network's and the conference's sites, the catalogue
    (with generated PDFs and covers unless `demo_files` is False)."""
    with transaction.atomic():
        ensure_locales()
        network = ensure_site(
            "localhost", "European Forum for Urban Security", NETWORK_INTRO, default=True
        )
        conference = ensure_site(
            "conference.localhost", "Security, Democracy & Cities", CONFERENCE_INTRO, default=False
        )
        home = network.root_page
        ensure_child(home, PublicationIndexPage, "Publications", "publications")
        ensure_child(home, PositionIndexPage, "Positions", "positions")
        ensure_child(home, PressReleaseIndexPage, "Press releases", "press-releases")
        ensure_child(
            conference.root_page,
            PublicationIndexPage,
            "Conference reports",
            "reports",
            "<p>Short reports of the sessions of the 2024 conference in Brussels.</p>",
        )
    reports = []
    for site, name in ((network, "network.json"), (conference, "conference.json")):
        path = FIXTURES / name
        say(f"Importing {path.name} into {site.hostname} ...")
        report = import_catalogue(
            read_catalogue(path), site=site, demo_files=demo_files, progress=lambda m: say(f"  {m}")
        )
        say(f"  {report.summary()}")
        reports.append(report)
    return reports
