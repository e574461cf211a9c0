"""GraphQL root fields `search` and `suggest`, on whichever engine the settings choose.

They replace grapple's root `search` (which ran Wagtail's backend over drafts too). What an
engine returns is checked against the database before it is shown: a page hidden since it was
indexed (unpublished, expired, restricted) is dropped even if the index still has it.
"""

from __future__ import annotations

import math

import graphene
from django.utils.translation import gettext
from graphql import GraphQLError
from grapple.types.interfaces import get_page_interface
from wagtail import hooks
from wagtail.models import Page

from cms.api import listing
from cms.api.errors import BadUserInput
from cms.api.facets import SearchFacet  # shared with the catalogue's lists' `facets`
from cms.api.interfaces import live_translations
from cms.languages import EU_LANGUAGE_CODES, EU_LANGUAGES
from cms.models import Topic
from cms.similar import note_list
from cms.topic_translations import localize_topics, same_topics
from cms.visibility import public_pages
from positions.models import PositionKind
from publications.models import PublicationType

from .documents import SEARCHABLE_TYPES
from .engines import get_engine
from .hybrid import run_search
from .monitoring import timed
from .query import (
    MAX_PER_PAGE,
    FacetValue,
    SearchInputError,
    SearchRequest,
    SearchResponse,
    SearchUnavailable,
    parse_query,
)

SEARCH_UNAVAILABLE = "SEARCH_UNAVAILABLE"
# Deep pages of a relevance ranking are of no use to anyone and cost the engine the most.
MAX_RESULT_WINDOW = 1000
MAX_SUGGESTIONS = 20
KIND_LABELS = {**dict(PublicationType.choices), **dict(PositionKind.choices)}
KIND_LABELS["press_release"] = "Press release"
LANGUAGE_LABELS = dict(EU_LANGUAGES)


class SearchUnavailableError(GraphQLError):
    def __init__(self) -> None:
        super().__init__(
            "Search is unavailable at the moment; please try again later.",
            extensions={"code": SEARCH_UNAVAILABLE},
        )


class SearchSort(graphene.Enum):
    RELEVANCE = "relevance"
    DATE = "date"


class SearchMode(graphene.Enum):
    """How the words are matched."""

    LEXICAL = "lexical"
    HYBRID = "hybrid"

    @property
    def description(self):
        if self == SearchMode.LEXICAL:
            return "The words (stemmed, accents and small typos forgiven) in the text"
        return (
            "The words, or the meaning in any of the network's languages (a French query "
            "finds an English report), ranked together; quoted phrases and -excluded words "
            "make the search lexical"
        )


class YearRange(graphene.InputObjectType):
    from_ = graphene.Int(name="from", description="First year, inclusive")
    to = graphene.Int(description="Last year, inclusive")


class SearchHighlight(graphene.ObjectType):
    field = graphene.String(required=True, description="title, summary, body or pdf")
    fragments = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="HTML-escaped text with the matched words in <mark>",
    )


class SearchHit(graphene.ObjectType):
    id = graphene.ID(required=True)
    type = graphene.String(required=True, description="publication, position_paper, ...")
    title = graphene.String(required=True)
    url = graphene.String(required=True)
    date = graphene.Date()
    score = graphene.Float(required=True, description="Relevance (0 when sorted by date)")
    highlights = graphene.List(graphene.NonNull(SearchHighlight), required=True)
    item = graphene.Field(get_page_interface, description="The page, as its own GraphQL type")

    def resolve_item(self, info):
        return self.loader.page(int(self.id))


class SearchResults(graphene.ObjectType):
    total = graphene.Int(required=True)
    page = graphene.Int(required=True)
    per_page = graphene.Int(required=True)
    total_pages = graphene.Int(required=True)
    hits = graphene.List(graphene.NonNull(SearchHit), required=True)
    facets = graphene.List(graphene.NonNull(SearchFacet), required=True)
    suggestion = graphene.String(description="A corrected query when the words look misspelt")


class SearchSuggestion(graphene.ObjectType):
    id = graphene.ID(required=True)
    type = graphene.String(required=True)
    title = graphene.String(required=True)
    url = graphene.String(required=True)


class _PageLoader:
    """Loads the hits' pages in one go, only if a client asks for `item`."""

    def __init__(self, ids: list[int], request) -> None:
        self.ids = ids
        self.request = request
        self._pages: dict[int, Page] | None = None

    def page(self, page_id: int) -> Page | None:
        if self._pages is None:
            self._pages = {}
            for model in SEARCHABLE_TYPES.values():
                queryset = public_pages(model.objects.filter(pk__in=self.ids), self.request)
                pages = list(queryset.for_api())
                # `item { translations }`: one query for all the hits, not one per hit.
                live_translations(pages, self.request)
                localize_topics(pages)
                note_list(pages, self.request)  # `item { similarPublications }`: found together
                for page in pages:
                    self._pages[page.pk] = page
        return self._pages.get(page_id)


def _codes(values, allowed, argument: str) -> tuple[str, ...]:
    values = tuple(dict.fromkeys(v for v in values or () if v is not None))
    for value in values:
        if value not in allowed:
            raise BadUserInput(
                f"{argument} takes values among: {', '.join(sorted(allowed))}.",
                argument=argument,
            )
    return values


def _years(years) -> tuple[int | None, int | None]:
    if not years:
        return None, None
    lower, upper = years.get("from_"), years.get("to")
    for value in (lower, upper):
        if value is not None and not 1000 <= value <= 9999:
            raise BadUserInput("years.from and years.to are four-digit years.", argument="years")
    if lower is not None and upper is not None and lower > upper:
        raise BadUserInput("years.from comes after years.to.", argument="years")
    return lower, upper


def _labels(response: SearchResponse, locale: str) -> None:
    topics = {}
    for facet in response.facets:
        if facet.name == "topic" and facet.values:
            slugs = [value.value for value in facet.values]
            # The locale's own name first, else the name in any locale (untranslated topics).
            rows = Topic.objects.filter(slug__in=slugs).values_list(
                "slug", "name", "locale__language_code"
            )
            for slug, name, _code in sorted(rows, key=lambda row: row[2] == locale):
                topics[slug] = name
    for facet in response.facets:
        for value in facet.values:
            value.label = _label(facet.name, value, topics)


def _label(facet: str, value: FacetValue, topics: dict[str, str]) -> str:
    if facet == "type":
        model = SEARCHABLE_TYPES.get(value.value)
        return str(model._meta.verbose_name).capitalize() if model else value.value
    if facet == "kind":
        return str(KIND_LABELS.get(value.value, value.value))
    if facet == "topic":
        return topics.get(value.value, value.value)
    if facet == "language":
        return str(LANGUAGE_LABELS.get(value.value, value.value))
    return gettext("Unknown year") if value.value == "unknown" else value.value


class SearchQuery(graphene.ObjectType):
    # Nullable: when the engine is down, the other fields of the same query still answer.
    search = graphene.Field(
        SearchResults,
        query=graphene.String(required=True, description='Words; "quoted phrases"; -excluded'),
        types=graphene.List(graphene.NonNull(graphene.String)),
        kinds=graphene.List(graphene.NonNull(graphene.String)),
        topics=graphene.List(graphene.NonNull(graphene.String), description="Topics' slugs"),
        years=YearRange(),
        languages=graphene.List(
            graphene.NonNull(graphene.String), description="Languages of the downloads"
        ),
        locale=graphene.String(description="Language code; default: the site's locale"),
        site=graphene.String(description="A site's hostname; default: every site"),
        in_site=graphene.Boolean(description="Only the site the request was made to"),
        sort=SearchSort(default_value=SearchSort.RELEVANCE.value),
        mode=SearchMode(default_value=SearchMode.HYBRID.value),
        page=graphene.Int(default_value=1),
        per_page=graphene.Int(default_value=10, description=f"At most {MAX_PER_PAGE}"),
        description="Full-text search of the live, public catalogue (PDF text included)",
    )
    suggest = graphene.List(
        graphene.NonNull(SearchSuggestion),
        prefix=graphene.String(required=True),
        locale=graphene.String(),
        site=graphene.String(),
        in_site=graphene.Boolean(),
        limit=graphene.Int(default_value=8, description=f"At most {MAX_SUGGESTIONS}"),
        description="Titles that start with the words typed so far (search-as-you-type)",
    )

    def resolve_search(
        self,
        info,
        query,
        types=None,
        kinds=None,
        topics=None,
        years=None,
        languages=None,
        locale=None,
        site=None,
        in_site=None,
        sort="relevance",
        mode="hybrid",
        page=1,
        per_page=10,
    ):
        request = info.context
        if per_page is None or not 1 <= per_page <= MAX_PER_PAGE:
            raise BadUserInput(f"perPage must be between 1 and {MAX_PER_PAGE}.", argument="perPage")
        if page is None or page < 1:
            raise BadUserInput("page starts at 1.", argument="page")
        if page * per_page > MAX_RESULT_WINDOW:
            raise BadUserInput(
                f"Results beyond the first {MAX_RESULT_WINDOW} are not available; refine the "
                "search instead.",
                argument="page",
            )
        year_from, year_to = _years(years)
        parsed = _parse(query)
        language_code, hostname = _scope(request, locale, site, in_site)
        search_request = SearchRequest(
            query=parsed,
            locale=language_code,
            types=_codes(types, SEARCHABLE_TYPES, "types"),
            kinds=_codes(kinds, KIND_LABELS, "kinds"),
            topics=_topic_slugs(topics, language_code),
            languages=_codes(languages, EU_LANGUAGE_CODES, "languages"),
            year_from=year_from,
            year_to=year_to,
            site=hostname,
            sort=str(getattr(sort, "value", sort) or "relevance"),
            page=page,
            per_page=per_page,
            mode=str(getattr(mode, "value", mode) or "hybrid"),
        )
        try:
            engine = get_engine()
            with timed(engine, "search"):
                response = run_search(engine, search_request)
        except SearchUnavailable as error:
            raise SearchUnavailableError() from error
        _labels(response, search_request.locale)
        ids = [hit.id for hit in response.hits]
        visible = set(
            public_pages(Page.objects.filter(pk__in=ids), request).values_list("pk", flat=True)
        )
        loader = _PageLoader(ids, request)
        hits = []
        for hit in response.hits:
            if hit.id in visible:
                result = SearchHit(
                    id=hit.id,
                    type=hit.type,
                    title=hit.title,
                    url=hit.url,
                    date=hit.date,
                    score=hit.score,
                    highlights=hit.highlights,
                )
                result.loader = loader
                hits.append(result)
        return SearchResults(
            total=response.total,
            page=page,
            per_page=per_page,
            total_pages=max(1, math.ceil(response.total / per_page)),
            hits=hits,
            facets=response.facets,
            suggestion=response.suggestion,
        )

    def resolve_suggest(self, info, prefix, locale=None, site=None, in_site=None, limit=8):
        request = info.context
        if limit is None or not 1 <= limit <= MAX_SUGGESTIONS:
            raise BadUserInput(f"limit must be between 1 and {MAX_SUGGESTIONS}.", argument="limit")
        if len(prefix) > 100:
            raise BadUserInput("prefix is longer than 100 characters.", argument="prefix")
        language_code, hostname = _scope(request, locale, site, in_site)
        try:
            engine = get_engine()
            with timed(engine, "suggest"):
                suggestions = engine.suggest(
                    prefix,
                    locale=language_code,
                    site=hostname,
                    # Room for hits dropped below as no longer public.
                    limit=limit * 2,
                )
        except SearchUnavailable as error:
            raise SearchUnavailableError() from error
        ids = [s.id for s in suggestions]
        visible = set(
            public_pages(Page.objects.filter(pk__in=ids), request).values_list("pk", flat=True)
        )
        return [s for s in suggestions if s.id in visible][:limit]


def _scope(
    request, locale: str | None, site: str | None, in_site: bool | None
) -> tuple[str, str | None]:
    """The language code and the site's hostname (None: every site) a search looks in."""
    target_site = listing.resolve_site(request, site, in_site)
    hostname = target_site.hostname if target_site is not None else None
    return listing.resolve_language_code(locale, target_site), hostname


def _topic_slugs(slugs, language_code: str) -> tuple[str, ...]:
    """The slugs asked for and those of their translations: a page is indexed with its topics
    in its own locale (cms.topic_translations), a front end may filter by any of them."""
    asked = tuple(dict.fromkeys(slug for slug in slugs or () if slug))
    if not asked:
        return ()
    same = same_topics(asked, language_code).values_list("slug", flat=True)
    return tuple(sorted(set(asked) | set(same)))


def _parse(text: str):
    try:
        return parse_query(text)
    except SearchInputError as error:
        raise BadUserInput(str(error), argument=error.argument) from error


@hooks.register("register_schema_query", order=110)
def add_search_fields(query_mixins: list) -> None:
    """After the catalogue's hook (order 100) has replaced grapple's root fields."""
    query_mixins.append(SearchQuery)
