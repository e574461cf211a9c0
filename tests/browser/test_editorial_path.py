"""An editor writes a publication, a moderator approves it, the public finds it on every path;
the editor translates it; the moderator unpublishes it and it leaves every path.

Each public path has a helper `<path>_has(public)` and is listed in PUBLIC_PATHS: GraphQL,
search, the RSS and Atom feeds, the sitemap, and the webhook receiver (a real HTTP server on
127.0.0.1 verifying every signature with the standardwebhooks library). Each is checked before
the approval (absent), after it (present) and after the unpublish (gone).
"""

from __future__ import annotations

import json
import re
import socket
import threading
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import feedparser
import pytest
import wagtail_factories
from django.contrib.auth.models import Group, User
from django.urls import reverse
from playwright.sync_api import expect
from standardwebhooks import Webhook, WebhookVerificationError
from wagtail.models import Collection

from cms.factories import TopicFactory
from cms.locale_trees import translate_all_structure
from publications.models import PublicationPage
from search import indexing
from search.engines import reset_engines
from tests.search.conftest import pdf_bytes, run_worker
from tests.webhooks.conftest import run_worker as run_webhook_worker
from webhooks.factories import EndpointFactory
from webhooks.models import Endpoint, Event

# Migrations made the groups and the workflow: restore them for the live server's tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "a-long-test-password-1"
TITLE = "Night-time economy and safety"
SLUG = "night-time-economy-and-safety"
PDF_WORD = "lampadaires"  # only in the French PDF's text
VALID_ISBN = "978-2-913181-55-7"
INVALID_ISBN = "978-2-913181-55-8"


# --- The public paths ---------------------------------------------------------------------


@dataclass
class Hooks:
    """What the test's webhook receiver heard: the payloads whose signature verified, and the
    requests whose signature did not (there must be none)."""

    secret: str = ""
    events: list[dict] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    def about(self, page_id: int) -> list[str]:
        """The verified events about the page, in the order they arrived."""
        return [e["type"] for e in self.events if e["data"]["id"] == page_id]


@dataclass
class Public:
    """Where the public looks, and for what."""

    base_url: str
    hooks: Hooks
    slug: str = SLUG
    word: str = PDF_WORD

    def page(self) -> PublicationPage:
        """The English publication (its French translation has the same slug)."""
        return PublicationPage.objects.get(slug=self.slug, locale__language_code="en")


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200, (url, response.status)
        return response.read()


def _graphql(base_url: str, query: str, variables: dict) -> dict:
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(
        base_url + "/graphql/", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = json.load(response)
    assert "errors" not in answer, answer
    return answer["data"]


def graphql_has(public: Public) -> bool:
    """The publication is served by `publication(slug:)`, with its cover and both PDFs."""
    query = """query($s: String) { publication(slug: $s) {
      title coverImage { url } downloads { language url } topics { name } } }"""
    publication = _graphql(public.base_url, query, {"s": public.slug})["publication"]
    if publication is None:
        return False
    assert publication["title"] == TITLE
    assert publication["coverImage"]["url"].startswith(public.base_url)
    assert sorted(d["language"] for d in publication["downloads"]) == ["en", "fr"]
    assert [t["name"] for t in publication["topics"]] == ["Night life"]
    return True


def search_has(public: Public) -> bool:
    """Public search finds it by a word only its PDF has, once the index worker has run."""
    run_worker()  # the worker's own code path: the queued index updates, run as db_worker does
    query = "query($q: String!) { search(query: $q) { hits { title url } } }"
    hits = _graphql(public.base_url, query, {"q": public.word})["search"]["hits"]
    return any(hit["title"] == TITLE for hit in hits)


def _feed_has(public: Public, ending: str, version: str) -> bool:
    parsed = feedparser.parse(_get(f"{public.base_url}/feeds/localhost/en/publications.{ending}"))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == version
    entries = [entry for entry in parsed.entries if entry.title == TITLE]
    if not entries:
        return False
    (entry,) = entries
    assert entry.link == public.page().get_full_url()  # the front end's URL of the page
    assert [tag.term for tag in entry.tags] == ["Night life"]
    return True


def rss_has(public: Public) -> bool:
    """The site's English RSS feed of publications lists it (parsed back with feedparser)."""
    return _feed_has(public, "rss", "rss20")


def atom_has(public: Public) -> bool:
    """The site's English Atom feed of publications lists it."""
    return _feed_has(public, "atom", "atom10")


def sitemap_has(public: Public) -> bool:
    """The site's sitemap lists the page's front-end URL."""
    root = ET.fromstring(_get(f"{public.base_url}/sitemaps/localhost.xml"))
    namespace = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in root.findall("sm:url/sm:loc", namespace)]
    assert locations, "the sitemap lists at least the home page"
    return public.page().get_full_url() in locations


def webhook_has(public: Public) -> bool:
    """The receiver's latest verified word about the page is a publish, once the webhook
    worker has delivered what is due (its own code path, as `tasks_worker` runs it)."""
    run_webhook_worker()
    assert public.hooks.rejected == []
    page = public.page()
    events = public.hooks.about(page.pk)
    return bool(events) and events[-1] == Event.PUBLISHED


# (name, check): each returns whether the publication is on that path.
PUBLIC_PATHS: list[tuple[str, Callable[[Public], bool]]] = [
    ("graphql", graphql_has),
    ("search", search_has),
    ("rss", rss_has),
    ("atom", atom_has),
    ("sitemap", sitemap_has),
    ("webhook", webhook_has),
]


def on_paths(public: Public) -> dict[str, bool]:
    return {name: has(public) for name, has in PUBLIC_PATHS}


# --- Set-up -------------------------------------------------------------------------------


def _user(username: str, group: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


def _log_in(page, username: str) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _receiver_handler(hooks: Hooks) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            try:
                hooks.events.append(Webhook(hooks.secret).verify(body, dict(self.headers)))
                status = 204
            except WebhookVerificationError as error:
                hooks.rejected.append(str(error))
                status = 400
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    return Handler


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    """A front end's webhook receiver on a free 127.0.0.1 port, and its Endpoint."""
    received = Hooks()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _receiver_handler(received))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    endpoint = EndpointFactory(url=f"http://127.0.0.1:{server.server_address[1]}/hooks")
    received.secret = endpoint.secret
    yield received
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def newsroom(settings, tmp_path, publication_index, locales):
    """The site as set up for editors: every locale's tree, the Catalogue collection with a
    cover and the English and French PDFs, a topic, an empty search index, no front end."""
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    settings.ELASTICSEARCH_URL = ""
    reset_engines()
    indexing.rebuild()
    settings.WAGTAIL_HEADLESS_PREVIEW = {
        "CLIENT_URLS": {"default": f"http://127.0.0.1:{_closed_port()}/"},
        "ENFORCE_TRAILING_SLASH": True,
    }
    translate_all_structure()
    catalogue = Collection.get_first_root_node().add_child(instance=Collection(name="Catalogue"))
    wagtail_factories.ImageFactory(collection=catalogue, title="Night cover")
    for language, text in (
        ("en", "Street lighting and night mayors."),
        ("fr", f"Les {PDF_WORD} et les maires de nuit."),
    ):
        wagtail_factories.DocumentFactory(
            collection=catalogue,
            title=f"Night report ({language})",
            file__data=pdf_bytes(text),
            file__filename=f"night-{language}.pdf",
        )
    TopicFactory(name="Night life")
    yield publication_index
    reset_engines()


# --- Steps --------------------------------------------------------------------------------


def _choose_in_modal(page, opener, title: str) -> None:
    opener.click()
    modal = page.locator(".modal-content")
    modal.get_by_role("link", name=re.compile(re.escape(title))).first.click()
    expect(modal).to_have_count(0)


def editor_writes_the_publication(editor, screens) -> None:
    editor.goto("/admin/publication_listing/")
    editor.get_by_role("link", name=re.compile("Add publication")).click()  # one catalogue
    editor.wait_for_url("**/add/publications/publicationpage/**")
    editor.fill("#id_title", TITLE)
    editor.fill("#id_date", "2026-11-20")
    summary = editor.locator("#id_summary").locator("xpath=..").locator("[contenteditable=true]")
    summary.click()
    editor.keyboard.type("How cities keep their nights safe and lively.")
    # Draftail writes the field a moment after the last key, as it does for a person typing.
    expect(editor.locator("#id_summary")).to_have_value(re.compile("nights safe"))
    _choose_in_modal(editor, editor.get_by_role("button", name="Choose an image"), "Night cover")
    screens.take(editor, "editor-writes")

    editor.get_by_role("tab", name="Files and ISBN").click()
    for n, language in enumerate(("en", "fr")):
        editor.get_by_role("button", name="Add Download").click()
        editor.select_option(f"#id_downloads-{n}-language", language)
        row = editor.locator(f"#inline_child_downloads-{n}")
        _choose_in_modal(
            editor,
            row.get_by_role("button", name="Choose a document"),
            f"Night report ({language})",
        )
    editor.get_by_role("button", name="Add ISBN").click()
    editor.fill("#id_isbns-0-isbn", INVALID_ISBN)
    editor.get_by_role("tab", name="Topics and links").click()
    editor.get_by_label("Night life").check()
    screens.take(editor, "editor-adds-files-and-topics")


def editor_fixes_the_isbn_and_submits(editor, screens) -> PublicationPage:
    editor.get_by_role("button", name="Save draft").click()
    expect(editor.locator(".messages")).to_contain_text("validation errors")
    editor.get_by_role("tab", name="Files and ISBN").click()
    # The error is on the field, in words that say what to do.
    isbn_error = editor.get_by_text(f"{INVALID_ISBN} is not a valid ISBN: its check digit")
    expect(isbn_error).to_be_visible()
    isbn_error.scroll_into_view_if_needed()
    screens.take(editor, "editor-sees-the-isbn-error")
    editor.fill("#id_isbns-0-isbn", VALID_ISBN)
    editor.get_by_role("button", name="Save draft").click()
    expect(editor.locator(".messages")).to_contain_text("created")
    page = PublicationPage.objects.get(slug=SLUG)

    editor.locator('[data-side-panel-toggle="preview"]').click()
    preview = editor.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_have_text(TITLE)
    expect(preview.locator("[role=status]")).to_contain_text("does not answer")
    expect(preview.locator(".files")).to_contain_text("Night report (fr)")
    screens.take(editor, "editor-previews-without-a-front-end")

    editor.get_by_role("button", name="More actions").click()
    editor.get_by_role("button", name="Submit to Moderators approval").click()
    expect(editor.locator(".messages")).to_contain_text("submitted for moderation")
    screens.take(editor, "editor-submitted")
    return page


def moderator_approves_from_the_dashboard(moderator, screens) -> None:
    task = moderator.locator("main tr", has_text=TITLE)
    screens.take(moderator, "moderator-dashboard")
    task.locator(".w-dropdown__toggle").click()  # the task's "…" menu
    moderator.get_by_role("button", name="Approve", exact=True).click()
    expect(moderator.locator(".messages")).to_contain_text(f"'{TITLE}' approved: it is now live.")
    expect(moderator.locator("main tr", has_text=TITLE)).to_have_count(0)
    screens.take(moderator, "moderator-approved")


def editor_translates_into_french(editor, page, screens) -> PublicationPage:
    editor.goto(reverse("simple_translation:submit_page_translation", args=[page.pk]))
    editor.get_by_label("French").check()
    editor.get_by_role("button", name="Submit").click()
    editor.wait_for_url("**/edit/")
    expect(editor.locator("[data-translation-notice]")).to_contain_text("Title")
    screens.take(editor, "editor-translated-into-french")
    return PublicationPage.objects.get(
        translation_key=page.translation_key, locale__language_code="fr"
    )


def moderator_unpublishes(moderator, page, screens) -> None:
    moderator.goto(f"/admin/pages/{page.id}/unpublish/")
    moderator.get_by_role("button", name="Yes, unpublish it").click()
    expect(moderator.locator(".messages")).to_contain_text("unpublished")
    screens.take(moderator, "moderator-unpublished")


# --- The path -----------------------------------------------------------------------------


def test_a_publication_from_an_editors_draft_to_every_public_path_and_back(
    new_page, live_server, newsroom, hooks, screens
):
    public = Public(live_server.url, hooks)
    _user("edith", "Editors")
    _user("moritz", "Moderators")

    editor = new_page()
    _log_in(editor, "edith")
    editor_writes_the_publication(editor, screens)
    # Nothing saved until the editor saves: autosave is off.
    assert not PublicationPage.objects.filter(title=TITLE).exists()
    page = editor_fixes_the_isbn_and_submits(editor, screens)
    assert page.cover_image.title == "Night cover" and page.isbn == VALID_ISBN
    assert on_paths(public) == {name: False for name, _ in PUBLIC_PATHS}  # moderated

    moderator = new_page()
    _log_in(moderator, "moritz")
    moderator_approves_from_the_dashboard(moderator, screens)
    page.refresh_from_db()
    assert page.live and "nights safe" in page.summary
    assert on_paths(public) == {name: True for name, _ in PUBLIC_PATHS}

    french = editor_translates_into_french(editor, page, screens)
    assert not french.live and french.get_parent().live  # one draft, under a live parent
    assert french.url_path.isascii()

    moderator_unpublishes(moderator, page, screens)
    assert on_paths(public) == {name: False for name, _ in PUBLIC_PATHS}
    # Both events reached the receiver and verified; the French draft announced nothing.
    assert hooks.about(page.pk) == [Event.PUBLISHED, Event.UNPUBLISHED]
    assert hooks.about(french.pk) == []
    assert Endpoint.objects.get().failing_since is None
