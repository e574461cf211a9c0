"""The leak matrix: nothing hidden ever reaches an anonymous client, whatever path it asks by.

One world is built for the whole module (in a transaction rolled back at its end): for each of
publications, position papers and press releases, hidden pages of every kind beside visible
ones, and a document and an image in a restricted collection. Every path of the API is asked
once, the whole JSON answer is searched for each hidden item's title, slug, id and file name,
and each path must also show its visible control items, so that no test can pass on an empty,
null or failed answer.
"""

from __future__ import annotations

import datetime
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Locale,
    Page,
    PageViewRestriction,
    Site,
)
from wagtail_factories import DocumentFactory, ImageFactory

from cms.factories import ProjectFactory, TopicFactory, make_home_page
from cms.models import Topic
from positions.factories import (
    PositionIndexPageFactory,
    PositionPaperPageFactory,
    PressReleaseIndexPageFactory,
    PressReleasePageFactory,
)
from positions.models import (
    PositionDownload,
    PositionRelatedPublication,
    PressReleaseAttachment,
    PressReleaseRelatedPosition,
    PressReleaseRelatedPublication,
)
from publications.factories import PublicationIndexPageFactory, PublicationPageFactory
from publications.models import PublicationDownload, RelatedPublication
from search import indexing

from .worlds import rolled_back, without_query_limits  # noqa: F401 (a fixture)

# The mark makes pytest-django create the test database; each test runs in a savepoint inside
# the module's transaction, so what one request writes (renditions) is gone for the next.
pytestmark = pytest.mark.django_db


# --- The world ---------------------------------------------------------------------------------

# Documents and images get ids far from any page's, so that an id found in an answer cannot be
# another table's by chance.
DOCUMENT_IDS = {"hidden": 988_001, "public": 988_002}
IMAGE_IDS = {"hidden": 989_001, "public": 989_002}

RESTRICTIONS = [
    PageViewRestriction.PASSWORD,
    PageViewRestriction.LOGIN,
    PageViewRestriction.GROUPS,
]
# Hidden content pages, one of each kind per model: the kind's name is in the page's title.
PAGE_KINDS = ["draft", "unpublished", "expired", "expiry due", *RESTRICTIONS]
# A restricted index page, and a page under it: the restriction covers the subtree.
SUBTREE_KINDS = [f"{restriction} on parent" for restriction in RESTRICTIONS]
OTHER_PAGE_KINDS = ["draft parent", "draft revision", "draft translation"]
FILE_KINDS = ["restricted document", "restricted image"]
HIDDEN_KINDS = PAGE_KINDS + SUBTREE_KINDS + OTHER_PAGE_KINDS + FILE_KINDS


@dataclass(frozen=True)
class Model:
    """One kind of catalogue page, and how it is built and asked for."""

    key: str
    index_factory: Any
    factory: Any
    item_field: str
    list_field: str
    type_name: str
    list_type: str


PUBLICATION = Model(
    "publication",
    PublicationIndexPageFactory,
    PublicationPageFactory,
    "publication",
    "publications",
    "PublicationPage",
    "PublicationList",
)
POSITION = Model(
    "position",
    PositionIndexPageFactory,
    PositionPaperPageFactory,
    "positionPaper",
    "positionPapers",
    "PositionPaperPage",
    "PositionPaperList",
)
PRESS = Model(
    "press",
    PressReleaseIndexPageFactory,
    PressReleasePageFactory,
    "pressRelease",
    "pressReleases",
    "PressReleasePage",
    "PressReleaseList",
)
MODELS = [PUBLICATION, POSITION, PRESS]
FILE_MODELS = {
    "publication": PublicationDownload,
    "position": PositionDownload,
    "press": PressReleaseAttachment,
}


def slug_of(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Target:
    """A hidden page as a client would name it: by id, slug (in its locale) or path."""

    id: int
    slug: str
    locale: str
    url_path: str


@dataclass
class Catalogue:
    """The pages of one model: visible controls, and the hidden pages by kind."""

    index: Page
    first: Page
    last: Page
    changed: Page
    under_draft_parent: Page
    # Visible, but its English original is restricted (and live).
    french_of_restricted: Page
    hidden: dict[str, list[Page]] = field(default_factory=dict)


@dataclass
class World:
    home: Page
    welcome: Page
    expired_token: str
    topic: Topic
    catalogues: dict[str, Catalogue]
    visible_pages: list[Page]
    needles: dict[str, list[tuple[str, re.Pattern]]]
    targets: dict[str, list[Target]]


def literal(text: str) -> re.Pattern:
    return re.compile(re.escape(text))


def id_needle(pk: int) -> re.Pattern:
    # A file's id, in JSON ("988001"), in a URL (/documents/988001/...) or in rich text.
    return re.compile(rf"(?<![0-9]){pk}(?![0-9])")


def page_id_needle(pk: int) -> re.Pattern:
    # A page's id, as a rich text source gives it (id="12", or id=\"12\" once in JSON): the one
    # place an id could leak alone. Anywhere else the title and slug would come with it.
    return re.compile(rf'id=\\?"{pk}\\?"')


class WorldBuilder:
    """Builds the world: each model's pages in tree order, then the first page's content
    (links, blocks, related items, files) pointing at every hidden page, then translations."""

    def __init__(self) -> None:
        self.needles: dict[str, list[tuple[str, re.Pattern]]] = {k: [] for k in HIDDEN_KINDS}
        self.targets: dict[str, list[Target]] = {k: [] for k in HIDDEN_KINDS}
        self.visible_pages: list[Page] = []
        self.expiring_later: list[Page] = []

    def hide(
        self,
        kind: str,
        page: Page,
        *,
        title: str,
        slug: str,
        with_id: bool = True,
        slug_is_public: bool = False,
    ) -> None:
        needles = self.needles[kind]
        needles.append((title, literal(title)))
        if not slug_is_public:
            needles.append((slug, literal(slug)))
        if with_id:
            needles.append((f"id {page.pk}", page_id_needle(page.pk)))
        # Where the page is (or, for a draft's new slug, would be) on its site.
        parent_path = page.specific.get_url_parts()[2].rstrip("/").rsplit("/", 1)[0]
        self.targets[kind].append(
            Target(page.pk, slug, page.locale.language_code, f"{parent_path}/{slug}/")
        )

    def build(self) -> World:
        for code in ("en", "fr", "es"):
            Locale.objects.get_or_create(language_code=code)
        self.home = make_home_page()
        self.topic = TopicFactory(name="Urban safety", slug="urban-safety")
        self.project = ProjectFactory(acronym="SAFE", slug="safe")
        self.group = Group.objects.create(name="Network members")
        self.make_files()
        catalogues = {model.key: self.make_catalogue(model) for model in MODELS}
        for model in MODELS:
            self.fill_first(model, catalogues)
        self.fill_intros(catalogues)
        for model in MODELS:
            self.translate(catalogues[model.key], model)
        call_command("publish_scheduled")
        # Past its expiry date, but the cron job that unpublishes it has not run yet.
        past = timezone.now() - datetime.timedelta(hours=1)
        Page.objects.filter(pk__in=[p.pk for p in self.expiring_later]).update(expire_at=past)
        return World(
            home=self.home,
            welcome=self.make_placeholder_site(),
            expired_token=self.expired_preview_token(catalogues["publication"].changed),
            topic=self.topic,
            catalogues=catalogues,
            visible_pages=self.visible_pages,
            needles=self.needles,
            targets=self.targets,
        )

    def make_placeholder_site(self) -> Page:
        """A site whose root is a plain Wagtail page, as a new site's "Welcome" page is."""
        welcome = Page(title="Welcome placeholder", slug="welcome-placeholder")
        Page.get_first_root_node().add_child(instance=welcome)
        Site.objects.create(hostname="welcome.localhost", root_page=welcome, site_name="New")
        return welcome

    def expired_preview_token(self, page: Page) -> str:
        """A preview token for `page`'s draft, signed longer ago than PREVIEW_TOKEN_MAX_AGE."""
        signed_at = time.time() - settings.PREVIEW_TOKEN_MAX_AGE - 60
        draft = page.get_latest_revision_as_object()
        with mock.patch("django.core.signing.time", SimpleNamespace(time=lambda: signed_at)):
            return draft.create_page_preview().token

    def make_files(self) -> None:
        root = Collection.get_first_root_node()
        members = root.add_child(name="Members only")
        CollectionViewRestriction.objects.create(
            collection=members, restriction_type=CollectionViewRestriction.LOGIN
        )
        # The image sits one level down: the restriction covers the whole collection subtree.
        photos = members.add_child(name="Members' photos")
        self.public_document = DocumentFactory(
            id=DOCUMENT_IDS["public"],
            title="Visible public report",
            collection=root,
            file__filename="visible-public-report.pdf",
            file__data=b"%PDF-1.4 public",
        )
        self.restricted_document = DocumentFactory(
            id=DOCUMENT_IDS["hidden"],
            title="Hidden members report",
            collection=members,
            file__filename="hidden-members-report.pdf",
            file__data=b"%PDF-1.4 members",
        )
        self.public_image = ImageFactory(
            id=IMAGE_IDS["public"],
            title="Visible public cover",
            collection=root,
            file__filename="visible-public-cover.png",
        )
        self.restricted_image = ImageFactory(
            id=IMAGE_IDS["hidden"],
            title="Hidden members photo",
            collection=photos,
            file__filename="hidden-members-photo.png",
        )
        for kind, item, stem in [
            ("restricted document", self.restricted_document, "hidden-members-report"),
            ("restricted image", self.restricted_image, "hidden-members-photo"),
        ]:
            self.needles[kind] += [
                (item.title, literal(item.title)),
                (stem, literal(stem)),
                (f"id {item.pk}", id_needle(item.pk)),
            ]

    def page(
        self, model: Model, parent: Page, title: str, *, hidden: bool, publish: bool = True
    ) -> Page:
        """A catalogue page on the shared topic (and project), with a public English file, so
        that every list filter would find it."""
        extra = {"project": self.project} if model is PUBLICATION else {}
        page = model.factory(
            parent=parent,
            title=title,
            slug=slug_of(title),
            live=False,
            **extra,
        )
        page.topics.add(self.topic)
        page.save()
        FILE_MODELS[model.key].objects.create(
            page=page, language="en", document=self.public_document
        )
        if publish:
            page.save_revision().publish()
            # publish() makes the revision's copy live, not this instance.
            page.refresh_from_db()
        if not hidden:
            self.visible_pages.append(page)
        return page

    def index(self, model: Model, title: str, *, publish: bool = True) -> Page:
        return model.index_factory(parent=self.home, title=title, slug=slug_of(title), live=publish)

    def restrict(self, page: Page, restriction: str) -> None:
        made = PageViewRestriction.objects.create(
            page=page, restriction_type=restriction, password="members-only"
        )
        if restriction == PageViewRestriction.GROUPS:
            made.groups.set([self.group])

    def make_catalogue(self, model: Model) -> Catalogue:
        key = model.key
        index = model.index_factory(
            parent=self.home, title=f"Visible {key} index", slug=f"{key}-index"
        )
        first = self.page(model, index, f"Visible first {key}", hidden=False)
        hidden: dict[str, list[Page]] = {}
        for kind in PAGE_KINDS:
            title = f"Hidden {kind} {key}"
            page = self.page(model, index, title, hidden=True, publish=kind != "draft")
            if kind == "unpublished":
                page.unpublish()
            elif kind == "expired":
                past = timezone.now() - datetime.timedelta(hours=1)
                Page.objects.filter(pk=page.pk).update(expire_at=past)
            elif kind == "expiry due":
                self.expiring_later.append(page)
            elif kind in RESTRICTIONS:
                self.restrict(page, kind)
            self.hide(kind, page, title=title, slug=slug_of(title))
            hidden[kind] = [page]
        french_of_restricted = self.french_copy(hidden[PageViewRestriction.LOGIN][0], key)
        for restriction, kind in zip(RESTRICTIONS, SUBTREE_KINDS, strict=True):
            title = f"Hidden {restriction} index {key}"
            parent = self.index(model, title)
            self.restrict(parent, restriction)
            self.hide(kind, parent, title=title, slug=slug_of(title))
            child_title = f"Hidden child of {restriction} index {key}"
            child = self.page(model, parent, child_title, hidden=True)
            self.hide(kind, child, title=child_title, slug=slug_of(child_title))
            hidden[kind] = [parent, child]
        title = f"Hidden draft index {key}"
        draft_parent = self.index(model, title, publish=False)
        # Wagtail serves a live page under an unpublished parent: it is visible, its parent not;
        # the parent's slug is in the child's URL, as in the path Wagtail serves the child at.
        self.hide(
            "draft parent", draft_parent, title=title, slug=slug_of(title), slug_is_public=True
        )
        under_draft_parent = self.page(
            model, draft_parent, f"Visible child of draft index {key}", hidden=False
        )
        changed = self.page(model, index, f"Visible changed {key}", hidden=False)
        draft_title = f"Hidden draft revision title {key}"
        changed.title = draft_title
        changed.slug = slug_of(f"Hidden draft revision slug {key}")
        changed.save_revision()
        self.hide("draft revision", changed, title=draft_title, slug=changed.slug, with_id=False)
        changed.refresh_from_db()
        last = self.page(model, index, f"Visible last {key}", hidden=False)
        return Catalogue(
            index, first, last, changed, under_draft_parent, french_of_restricted, hidden
        )

    def french_copy(self, page: Page, key: str) -> Page:
        """A live, public French translation of `page` (whose restriction is not copied)."""
        french = page.copy_for_translation(
            Locale.objects.get(language_code="fr"), copy_parents=True
        )
        PageViewRestriction.objects.filter(page=french).delete()
        for ancestor in french.get_ancestors().filter(depth__gte=2, live=False):
            ancestor.specific.save_revision().publish()
        french.title = f"Visible French translation of a restricted {key}"
        french.slug = slug_of(french.title)
        french.save_revision().publish()
        french.refresh_from_db()
        self.visible_pages.append(french)
        return french

    def fill_first(self, model: Model, catalogues: dict[str, Catalogue]) -> None:
        """Point the first page of `model` at every hidden page: related items, rich text,
        blocks; and at the visible last page of each model, the controls."""
        catalogue = catalogues[model.key]
        first = catalogue.first
        hidden_pages = [p for c in catalogues.values() for ps in c.hidden.values() for p in ps]
        visible_targets = [catalogue.last, catalogue.changed, catalogue.french_of_restricted]
        links = "".join(
            f'<a linktype="page" id="{page.pk}">see also</a> '
            for page in [*hidden_pages, *visible_targets]
        )
        document_links = "".join(
            f'<a linktype="document" id="{document.pk}">download</a> '
            for document in (self.restricted_document, self.public_document)
        )
        # The editor offers no image in rich text, but an import could store one.
        image_embeds = "".join(
            f'<embed embedtype="image" id="{image.pk}" format="left" alt="A photo"/>'
            for image in (self.restricted_image, self.public_image)
        )
        first.summary = f"<p>{links}</p>"
        first.body = [
            *(
                {"type": "call_to_action", "value": {"text": "Go", "page": page.pk, "url": ""}}
                for page in [*hidden_pages, *visible_targets]
            ),
            *(
                {"type": "document", "value": {"document": document.pk, "link_text": "File"}}
                for document in (self.restricted_document, self.public_document)
            ),
            *(
                {"type": "image", "value": {"image": image.pk, "caption": "Photo", "credit": ""}}
                for image in (self.restricted_image, self.public_image)
            ),
            {"type": "paragraph", "value": f"<p>{links}{document_links}</p>{image_embeds}"},
            {"type": "call_to_action", "value": {"text": "Home", "page": self.home.pk, "url": ""}},
        ]
        FILE_MODELS[model.key].objects.create(
            page=first, language="fr", document=self.restricted_document
        )
        publications = catalogues["publication"]
        related_publications = [
            *(p for ps in publications.hidden.values() for p in ps if hasattr(p, "date")),
            publications.changed,
            publications.last,
        ]
        if model is PUBLICATION:
            first.cover_image = self.public_image
            catalogue.last.cover_image = self.restricted_image
            catalogue.last.save_revision().publish()
            for publication in related_publications:
                RelatedPublication.objects.create(page=first, publication=publication)
        elif model is POSITION:
            for publication in related_publications:
                PositionRelatedPublication.objects.create(page=first, publication=publication)
        else:
            positions = catalogues["position"]
            for position in [
                *(p for ps in positions.hidden.values() for p in ps if hasattr(p, "date")),
                positions.changed,
                positions.last,
            ]:
                PressReleaseRelatedPosition.objects.create(page=first, position=position)
            for publication in related_publications:
                PressReleaseRelatedPublication.objects.create(page=first, publication=publication)
        first.save_revision().publish()

    def fill_intros(self, catalogues: dict[str, Catalogue]) -> None:
        """Links to every hidden page, and to the last publication, in each intro."""
        hidden_pages = [p for c in catalogues.values() for ps in c.hidden.values() for p in ps]
        links = "".join(
            f'<a linktype="page" id="{page.pk}">see also</a> '
            for page in [*hidden_pages, catalogues["publication"].last]
        )
        for page in [self.home, *(c.index for c in catalogues.values())]:
            page.intro = f"<p>{links}</p>"
            page.save_revision().publish()

    def translate(self, catalogue: Catalogue, model: Model) -> None:
        """A live French copy of the first page, a draft Spanish one, and a live Spanish copy of
        the last page (the control of the Spanish list)."""
        locales = {locale.language_code: locale for locale in Locale.objects.all()}
        french = catalogue.first.copy_for_translation(locales["fr"], copy_parents=True)
        spanish = catalogue.first.copy_for_translation(locales["es"], copy_parents=True)
        for page in (french, spanish):
            for ancestor in page.get_ancestors().filter(depth__gte=2, live=False):
                ancestor.specific.save_revision().publish()
        french.save_revision().publish()
        title = f"Hidden draft translation {model.key}"
        spanish.title, spanish.slug = title, slug_of(title)
        spanish.save()
        self.hide("draft translation", spanish, title=title, slug=spanish.slug, with_id=False)
        last_in_spanish = catalogue.last.copy_for_translation(locales["es"])
        last_in_spanish.save_revision().publish()
        self.visible_pages += [french, last_in_spanish]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """The world, for every test of the module; rolled back after the last one."""
    with rolled_back(django_db_blocker):
        world = WorldBuilder().build()
        indexing.rebuild()  # what `search_reindex` would find in this database
        yield world


# --- Asking the API --------------------------------------------------------------------------

FRAGMENTS = {
    "Link": "fragment Link on PageInterface { id title slug url urlPath }",
    "Document": "fragment Document on DocumentObjectType { id title file url }",
    "Image": """fragment Image on ImageObjectType {
        id title file url rendition(width: 320) { url } srcSet(sizes: [320, 640])
    }""",
    "Inner": """fragment Inner on StreamFieldInterface {
        blockType field rawValue
        ... on PageChooserBlock { page { ...Link } }
        ... on DocumentChooserBlock { document { ...Document } }
        ... on ImageChooserBlock { image { ...Image } }
    }""",
}


def with_fragments(query: str) -> str:
    """`query` and the fragments it spreads, and those they spread in turn."""
    used: list[str] = []
    pending = [query]
    while pending:
        for name in re.findall(r"\.\.\.(\w+)", pending.pop()):
            if name in FRAGMENTS and name not in used:
                used.append(name)
                pending.append(FRAGMENTS[name])
    return "\n".join([query, *(FRAGMENTS[name] for name in used)])


def ask(query: str, variables: dict | None = None) -> dict:
    response = Client().post(
        "/graphql/",
        {"query": with_fragments(query), "variables": variables or {}},
        content_type="application/json",
    )
    return response.json()


def as_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def leaks(answer: dict, needles: list[tuple[str, re.Pattern]]) -> dict[str, list[str]]:
    """The needles found, by top-level field (alias) of the answer, or under "errors"."""
    parts = dict((answer.get("data") or {}).items())
    parts["errors"] = answer.get("errors")
    found: dict[str, list[str]] = {}
    for alias, value in parts.items():
        text = as_text(value)
        hits = [label for label, pattern in needles if pattern.search(text)]
        if hits:
            found[alias] = hits
    return found


@dataclass(frozen=True)
class Path:
    """One way in: a query (or how to write it for the world), its variables and the visible
    items its answer must show."""

    name: str
    query: str | Callable[[World], str]
    variables: Callable[[World], dict] = lambda world: {}
    controls: Callable[[World], list[str]] = lambda world: []


def titles(world: World, attr: str, models: list[Model] = MODELS) -> list[str]:
    return [getattr(world.catalogues[model.key], attr).title for model in models]


# The list fields, with every filter (each filter an alias of the one query).
LIST_FILTERS = {
    "publication": [
        'topic: "urban-safety"',
        "year: 2024",
        'language: "en"',
        'type: "report"',
        'project: "safe"',
        'locale: "en"',
        'site: "localhost"',
        "inSite: true",
        'order: "title"',
        'order: "date"',
    ],
    "position": [
        'topic: "urban-safety"',
        "year: 2025",
        'language: "en"',
        'kind: "position paper"',
        'locale: "en"',
        'site: "localhost"',
        "inSite: true",
        'order: "title"',
        'order: "date"',
    ],
    "press": [
        'topic: "urban-safety"',
        "year: 2024",
        'locale: "en"',
        'site: "localhost"',
        "inSite: true",
        'order: "title"',
        'order: "date"',
    ],
}


def list_path(model: Model) -> Path:
    """The list field unfiltered, with each filter, and in Spanish (one alias each)."""
    arguments = ["", *(f", {argument}" for argument in LIST_FILTERS[model.key]), ', locale: "es"']
    aliases = " ".join(
        f"a{number}: {model.list_field}(perPage: 100{argument}) {{ ...Items }}"
        for number, argument in enumerate(arguments)
    )
    items = f"fragment Items on {model.list_type} {{ items {{ ...Link }} }}"
    return Path(
        f"{model.list_field}(every filter)",
        f"{{ {aliases} }}\n{items}",
        controls=lambda world: [
            getattr(world.catalogues[model.key], attr).title
            for attr in ("first", "last", "changed", "under_draft_parent")
        ],
    )


Controls = Callable[[World], list[str]]


def on_type(model: Model, selection: str) -> str:
    return f"... on {model.type_name} {{ {selection} }}"


def per_item_path(name: str, models: list[Model], selection: str, controls: Controls) -> Path:
    """`selection` on the first and last pages of `models`, asked for through the list, the
    single-item field and page(id)."""
    declarations = []
    aliases = []
    for model in models:
        key = model.key
        declarations += [f"${key}First: ID!", f"${key}Last: ID!"]
        aliases += [
            f"{key}List: {model.list_field}(perPage: 100) {{ items {{ {selection} }} }}",
            f"{key}First: {model.item_field}(id: ${key}First) {{ {selection} }}",
            f"{key}Last: {model.item_field}(id: ${key}Last) {{ {selection} }}",
            f"{key}FirstPage: page(id: ${key}First) {{ {on_type(model, selection)} }}",
            f"{key}LastPage: page(id: ${key}Last) {{ {on_type(model, selection)} }}",
        ]
    query = f"query ({', '.join(declarations)}) {{ {' '.join(aliases)} }}"

    def variables(world: World) -> dict:
        values = {}
        for model in models:
            values[f"{model.key}First"] = world.catalogues[model.key].first.pk
            values[f"{model.key}Last"] = world.catalogues[model.key].last.pk
        return values

    return Path(name, query, variables, controls)


def body_path(name: str, selection: str, controls: Controls) -> Path:
    return per_item_path(f"body: {name}", MODELS, f"body {{ {selection} }}", controls)


def tree_path(
    name: str, selection: str, starts: Callable[[World], list[Page]], controls: Controls
) -> Path:
    """`selection` from page(id) of each of the `starts(world)` pages."""

    def variables(world: World) -> dict:
        return {f"p{number}": page.pk for number, page in enumerate(starts(world))}

    def query_for(world: World) -> str:
        count = len(starts(world))
        declarations = ", ".join(f"$p{n}: ID!" for n in range(count))
        aliases = " ".join(f"p{n}: page(id: $p{n}) {{ {selection} }}" for n in range(count))
        return f"query ({declarations}) {{ {aliases} }}"

    return Path(name, query_for, variables, controls)


def site_fields(world: World) -> str:
    return f"""... on Page {{ sitesRootedHere {{
        hostname rootPage {{ ...Link }} pages(limit: 100) {{ ...Link }}
        page(token: "{world.expired_token}") {{ ...Link }}
    }} }}"""


def everyone(attr: str) -> Callable[[World], list[Page]]:
    return lambda world: [getattr(world.catalogues[m.key], attr) for m in MODELS]


def public_file_controls(world: World) -> list[str]:
    return ["Visible public report", "visible-public-report"]


PATHS: list[Path] = [
    *(list_path(model) for model in MODELS),
    # Relations of a visible page to hidden ones.
    per_item_path(
        "relatedPublications",
        MODELS,
        "relatedPublications { ...Link }",
        lambda world: ["Visible last publication", "Visible changed publication"],
    ),
    per_item_path(
        "relatedPositions",
        [PRESS],
        "relatedPositions { ...Link }",
        lambda world: ["Visible last position", "Visible changed position"],
    ),
    per_item_path(
        "translations",
        MODELS,
        "translations { ...Link locale }",
        lambda world: titles(world, "first"),
    ),
    # Files in a restricted collection.
    per_item_path(
        "downloads",
        [PUBLICATION, POSITION],
        "downloads { language title url fileSize mimeType fileExtension }",
        public_file_controls,
    ),
    per_item_path(
        "attachments",
        [PRESS],
        "attachments { language title url fileSize mimeType fileExtension }",
        public_file_controls,
    ),
    per_item_path(
        "coverImage",
        [PUBLICATION],
        "coverImage { ...Image }",
        lambda world: ["Visible public cover", "visible-public-cover"],
    ),
    # Rich text with links to hidden pages.
    per_item_path(
        "summary",
        MODELS,
        "summary",
        lambda world: [
            *(f"visible-last-{model.key}/" for model in MODELS),
            # Wagtail would link to the English original, in the active language.
            *(f"/fr/{model.key}-index/visible-french-translation" for model in MODELS),
        ],
    ),
    # The home page's intro is a String, the indexes' a RichText: both expanded.
    tree_path(
        "intro",
        # Aliased: one selection cannot hold both types under one name.
        "... on HomePage { homeIntro: intro } "
        + " ".join(
            f"... on {type_name} {{ intro }}"
            for type_name in ("PublicationIndexPage", "PositionIndexPage", "PressReleaseIndexPage")
        ),
        lambda world: [world.home, *everyone("index")(world)],
        lambda world: ["visible-last-publication/"],
    ),
    # StreamField blocks that choose a hidden page, document or image.
    body_path(
        "CallToActionBlock.page",
        "... on CallToActionBlock { text page { ...Link } }",
        lambda world: titles(world, "last"),
    ),
    body_path(
        "CallToActionBlock.blocks",
        "... on CallToActionBlock { blocks { ...Inner } }",
        lambda world: titles(world, "last"),
    ),
    body_path(
        "DocumentLinkBlock.document",
        "... on DocumentLinkBlock { document { ...Document } }",
        lambda world: ["Visible public report", "visible-public-report"],
    ),
    body_path(
        "DocumentLinkBlock.blocks",
        "... on DocumentLinkBlock { blocks { ...Inner } }",
        lambda world: ["Visible public report", "visible-public-report"],
    ),
    body_path(
        "CaptionedImageBlock.image",
        "... on CaptionedImageBlock { image { ...Image } }",
        lambda world: ["Visible public cover", "visible-public-cover"],
    ),
    body_path(
        "CaptionedImageBlock.blocks",
        "... on CaptionedImageBlock { blocks { ...Inner } }",
        lambda world: ["Visible public cover", "visible-public-cover"],
    ),
    body_path(
        "rawValue",
        "blockType rawValue",
        lambda world: [
            f'\\"document\\": {DOCUMENT_IDS["public"]}',
            f'\\"image\\": {IMAGE_IDS["public"]}',
            *(f'\\"page\\": {world.catalogues[m.key].last.pk}' for m in MODELS),
        ],
    ),
    body_path(
        "paragraph",
        "... on RichTextBlock { value }",
        lambda world: [
            *(f"visible-last-{model.key}/" for model in MODELS),
            *(f"/fr/{model.key}-index/visible-french-translation" for model in MODELS),
            "visible-public-report.pdf",
            "visible-public-cover",
        ],
    ),
    # grapple's type for a plain Page leads to its Site type: `pages` and `page(token:)` there
    # apply none of the API's rules (the token's age is not checked).
    Path(
        "body: CallToActionBlock.page, as grapple's Page type",
        lambda world: (
            f"""query ($id: ID!) {{ publication(id: $id) {{ body {{
            ... on CallToActionBlock {{ page {{ ...Link {site_fields(world)} }} }}
        }} }} }}"""
        ),
        lambda world: {"id": world.catalogues["publication"].first.pk},
        lambda world: [world.home.title, "Visible last publication"],
    ),
    Path(
        "page(id) of plain Wagtail pages",
        lambda world: (
            f"""query ($root: ID!, $welcome: ID!, $home: ID!) {{
            root: page(id: $root) {{ ...Link {site_fields(world)} }}
            welcome: page(id: $welcome) {{ ...Link {site_fields(world)} }}
            home: page(id: $home) {{ ...Link }}
        }}"""
        ),
        lambda world: {
            "root": Page.get_first_root_node().pk,
            "welcome": world.welcome.pk,
            "home": world.home.pk,
        },
        lambda world: [world.home.title],
    ),
    # The page tree around visible pages.
    tree_path(
        "children",
        "children(limit: 100) { ...Link }",
        lambda world: [world.home, *everyone("index")(world)],
        lambda world: [*titles(world, "index"), *titles(world, "first"), *titles(world, "last")],
    ),
    tree_path(
        "descendants",
        "descendants(limit: 100) { ...Link }",
        lambda world: [world.home],
        lambda world: [p.title for p in world.visible_pages if p.locale_id == world.home.locale_id],
    ),
    tree_path(
        "siblings",
        "siblings(limit: 100) { ...Link }",
        everyone("first"),
        lambda world: [*titles(world, "last"), *titles(world, "changed")],
    ),
    tree_path(
        "nextSiblings",
        "nextSiblings(limit: 100) { ...Link }",
        everyone("first"),
        lambda world: titles(world, "last"),
    ),
    tree_path(
        "previousSiblings",
        "previousSiblings(limit: 100) { ...Link }",
        everyone("last"),
        lambda world: titles(world, "first"),
    ),
    tree_path(
        "parent",
        "parent { ...Link }",
        lambda world: [*everyone("first")(world), *everyone("under_draft_parent")(world)],
        lambda world: titles(world, "index"),
    ),
    tree_path(
        "ancestors",
        "ancestors { ...Link }",
        lambda world: [*everyone("first")(world), *everyone("under_draft_parent")(world)],
        lambda world: [world.home.title, *titles(world, "index")],
    ),
    # Public search, on an index built from the world (the world fixture builds it): hidden
    # pages are never indexed, and hits are checked against the database as well.
    Path(
        "search and suggest",
        """{
            hidden: search(query: "hidden", perPage: 50) {
                total hits { title url highlights { fragments } item { ...Link } }
                facets { values { value label count } }
            }
            visible: search(query: "visible first", perPage: 50) { hits { title url } }
            anything: search(query: "urban safety", perPage: 50) { hits { title url } }
            suggestHidden: suggest(prefix: "hidd", limit: 20) { title url }
            suggestVisible: suggest(prefix: "visible fir", limit: 20) { title url }
        }""",
        controls=lambda world: titles(world, "first"),
    ),
]

# Asked once for each hidden page, by the ways a client can name a page.
ITEM_LOOKUPS = {
    "publication/positionPaper/pressRelease/page(id)": """query ($id: ID) {
        publication(id: $id) { ...Link } positionPaper(id: $id) { ...Link }
        pressRelease(id: $id) { ...Link } page(id: $id) { ...Link }
    }""",
    "publication/positionPaper/pressRelease(slug)": """query ($slug: String, $locale: String) {
        publication(slug: $slug, locale: $locale) { ...Link }
        positionPaper(slug: $slug, locale: $locale) { ...Link }
        pressRelease(slug: $slug, locale: $locale) { ...Link }
    }""",
    "publication/positionPaper/pressRelease/page(urlPath)": """query ($urlPath: String) {
        publication(urlPath: $urlPath) { ...Link }
        positionPaper(urlPath: $urlPath) { ...Link }
        pressRelease(urlPath: $urlPath) { ...Link }
        page(urlPath: $urlPath) { ...Link }
    }""",
}


def lookup_variables(target: Target) -> dict:
    return {
        "id": str(target.id),
        "slug": target.slug,
        "locale": target.locale,
        "urlPath": target.url_path,
    }


@pytest.fixture(scope="module")
def answers(world: World) -> Callable[[Path], dict]:
    """The answer to each path, asked once for the whole module."""
    cached: dict[str, dict] = {}

    def answer(path: Path) -> dict:
        if path.name not in cached:
            query = path.query(world) if callable(path.query) else path.query
            cached[path.name] = ask(query, path.variables(world))
        return cached[path.name]

    return answer


# --- The matrix ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.name)
def test_hidden_item_never_reaches_an_anonymous_client(world, answers, path, kind) -> None:
    found = leaks(answers(path), world.needles[kind])

    assert found == {}, f"{kind} leaked through {path.name}"


@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.name)
def test_path_shows_its_visible_controls(world, answers, path) -> None:
    answer = answers(path)
    text = as_text(answer.get("data"))

    assert "errors" not in answer
    assert [control for control in path.controls(world) if control not in text] == []


LOOKUP_KINDS = PAGE_KINDS + SUBTREE_KINDS + OTHER_PAGE_KINDS


@pytest.mark.parametrize("kind", LOOKUP_KINDS)
@pytest.mark.parametrize("lookup", ITEM_LOOKUPS)
def test_hidden_page_cannot_be_asked_for_by_name(world, lookup, kind) -> None:
    targets = world.targets[kind]
    found = {}
    for target in targets:
        answer = ask(ITEM_LOOKUPS[lookup], lookup_variables(target))
        for alias, labels in leaks(answer, world.needles[kind]).items():
            found[f"{target.url_path} {alias}"] = labels

    assert targets
    assert found == {}


@pytest.mark.parametrize("lookup", ITEM_LOOKUPS)
def test_visible_page_can_be_asked_for_by_name(world, lookup) -> None:
    firsts = [world.catalogues[model.key].first for model in MODELS]
    answers = [
        ask(
            ITEM_LOOKUPS[lookup],
            lookup_variables(Target(first.pk, first.slug, "en", first.get_url_parts()[2])),
        )
        for first in firsts
    ]

    assert [answer.get("errors") for answer in answers] == [None] * len(firsts)
    assert all(
        first.title in as_text(answer["data"])
        for first, answer in zip(firsts, answers, strict=True)
    )


# --- Counts, rich text and removed fields ----------------------------------------------------


def visible_of(world: World, model: Model) -> list[Page]:
    """The visible English pages of `model`, as the world made them."""
    model_class = type(world.catalogues[model.key].first)
    english = world.home.locale_id
    return [p for p in world.visible_pages if type(p) is model_class and p.locale_id == english]


def test_topic_live_item_count_leaves_hidden_pages_out(world) -> None:
    # Counted in the topic's own locale.
    visible = {page.pk for page in world.visible_pages if page.locale_id == world.topic.locale_id}
    tagged = [
        pk
        for model in MODELS
        for pk in type(world.catalogues[model.key].first)
        .objects.filter(topics=world.topic)
        .values_list("pk", flat=True)
    ]

    answer = ask("{ topics { slug liveItemCount } }")

    assert set(tagged) - visible  # hidden pages carry the topic too
    assert answer["data"]["topics"] == [
        {"slug": "urban-safety", "liveItemCount": len(visible.intersection(tagged))}
    ]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.list_field)
def test_list_total_leaves_hidden_pages_out(world, model) -> None:
    answer = ask(f"{{ {model.list_field}(perPage: 1) {{ pagination {{ total }} }} }}")

    assert answer["data"][model.list_field]["pagination"]["total"] == len(visible_of(world, model))


def test_rich_text_link_to_a_hidden_page_keeps_its_text_and_loses_its_target(world) -> None:
    catalogue = world.catalogues["publication"]
    hidden_links = sum(len(pages) for c in world.catalogues.values() for pages in c.hidden.values())

    answer = ask(
        "query ($id: ID!) { publication(id: $id) { summary } }", {"id": catalogue.first.pk}
    )

    opening_tags = re.findall(r"<a([^>]*)>see also</a>", answer["data"]["publication"]["summary"])
    assert opening_tags.count("") == hidden_links
    targets = [catalogue.last, catalogue.changed, catalogue.french_of_restricted]
    assert sorted(urlsplit(tag.split('"')[1]).path for tag in opening_tags if tag) == sorted(
        page.get_url_parts()[2] for page in targets
    )


REMOVED_ROOT_FIELDS = [
    "pages",
    "redirects",
    "documents",
    "document",
    "images",
    "image",
    "snippets",
    "sites",
    "site",
    "collections",
    "settings",
    "tags",
]


def test_root_search_is_this_projects_not_grapples(world) -> None:
    # Grapple's `search` took an optional `query` and returned pages of any state.
    answer = ask("{ search { __typename } }")

    assert answer["errors"][0]["message"].startswith(
        "Field 'search' argument 'query' of type 'String!' is required"
    )


@pytest.mark.parametrize("name", REMOVED_ROOT_FIELDS)
def test_grapples_root_field_does_not_exist(world, name) -> None:
    answer = ask(f"{{ {name} {{ __typename }} }}")

    assert answer.get("data") is None
    # graphql-core may add "Did you mean ...?" with the names of this project's fields.
    assert [error["message"].split(" Did you mean")[0] for error in answer["errors"]] == [
        f"Cannot query field '{name}' on type 'Query'."
    ]
