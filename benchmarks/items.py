"""Item pages (issue 19): the few pages a front end renders one at a time, seeded on top of
any catalogue, and their cases: each item query beside REST API v2's detail endpoint and the
floor, uncached and cached, and the fixed cost of a GraphQL request.

The items are seeded once per database (a marker key), whatever the catalogue's size: a
publication with everything an item page shows (four topics, three downloads, three related
publications, a French translation), a plain one (no related page, no translation), and a
position paper and a press release with the same.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable

from django.db import transaction
from wagtail.models import Locale, Page

from catalogue.demo import ensure_child
from cms.models import Member, Topic
from positions.models import (
    PositionDownload,
    PositionIndexPage,
    PositionPaperPage,
    PositionRelatedPublication,
    PositionSignatory,
    PressReleaseAttachment,
    PressReleaseIndexPage,
    PressReleasePage,
    PressReleaseRelatedPosition,
    PressReleaseRelatedPublication,
)
from publications.models import PublicationPage, RelatedPublication

from . import views
from .harness import CaseFailed, Plan, Response, WSGIClient, count_queries, measure_side_by_side
from .queries import ITEM_QUERIES, TYPENAME_QUERY, graphql_path, rest_detail_path, rest_find_path

Say = Callable[[str], None]
ITEMS_VERSION = 1
POSITION_SLUG = "bench-item-position"
PRESS_RELEASE_SLUG = "bench-item-press-release"
SUMMARY = "<p>What cities do about <b>drug prevention</b> and <i>public spaces</i>.</p>"
BODY = [
    {"type": "heading", "value": {"text": "Why it matters", "level": "h2"}},
    {"type": "paragraph", "value": "<p>Local authorities share their practices of prevention.</p>"},
    {"type": "quote", "value": {"text": "Security is a common good.", "attribution": "Efus"}},
    {"type": "paragraph", "value": "<p>The police and the <em>municipal services</em> work.</p>"},
]


def _publications() -> list[PublicationPage]:
    """The catalogue's publications in the default locale, oldest first."""
    return list(PublicationPage.objects.filter(locale=Locale.get_default()).order_by("pk")[:8])


def _translate(page: Page, locale: Locale) -> Page:
    """A live translation of `page` in `locale`, its parents translated (and live) as needed."""
    translation = page.copy_for_translation(locale, copy_parents=True)
    translation.save_revision().publish()
    ancestors = translation.get_ancestors().filter(depth__gte=2).values_list("pk", flat=True)
    Page.objects.filter(pk__in=list(ancestors)).update(live=True)
    return translation


def seed_items(say: Say) -> dict:
    """Add the item pages to a seeded catalogue; their slugs and paths for the cases."""
    started = time.perf_counter()
    french = Locale.objects.get(language_code="fr")
    publications = _publications()
    rich, plain, related = publications[1], publications[5], publications[2:5]
    topics = list(Topic.objects.filter(locale=Locale.get_default()).order_by("pk")[:4])
    documents = [download.document for download in rich.downloads.all()]
    with transaction.atomic():
        rich.topics.set(topics)
        RelatedPublication.objects.bulk_create(
            RelatedPublication(page=rich, publication=other, sort_order=k)
            for k, other in enumerate(related)
        )
        rich.summary, rich.body = SUMMARY, BODY
        rich.save()
        _translate(PublicationPage.objects.get(pk=rich.pk), french)

        home = rich.get_parent().get_parent()
        position_index = ensure_child(home, PositionIndexPage, "Positions", "positions")
        press_index = ensure_child(home, PressReleaseIndexPage, "Press", "press")
        members = [
            Member.objects.create(
                name=name, slug=f"bench-{name.lower()}", country=country, locale=rich.locale
            )
            for name, country in (("Barcelona", "ES"), ("Liège", "BE"), ("Turin", "IT"))
        ]
        position = PositionPaperPage(
            title="Security, democracy and cities: the Efus manifesto",
            slug=POSITION_SLUG,
            place="Barcelona",
            summary=SUMMARY,
            body=BODY,
            date=rich.date,
        )
        position_index.add_child(instance=position)
        position.topics.set(topics[:3])
        position.save()  # a ParentalManyToManyField is written when its page is saved
        PositionSignatory.objects.bulk_create(
            PositionSignatory(page=position, member=member, sort_order=k)
            for k, member in enumerate(members)
        )
        PositionDownload.objects.bulk_create(
            PositionDownload(page=position, language=lang, document=doc, sort_order=k)
            for k, (lang, doc) in enumerate(zip(("en", "fr", "es"), documents, strict=False))
        )
        PositionRelatedPublication.objects.bulk_create(
            PositionRelatedPublication(page=position, publication=other, sort_order=k)
            for k, other in enumerate(related)
        )
        _translate(PositionPaperPage.objects.get(pk=position.pk), french)

        release = PressReleasePage(
            title="Cities adopt the Efus manifesto",
            slug=PRESS_RELEASE_SLUG,
            summary=SUMMARY,
            body=BODY,
            date=rich.date,
            media_contact_name="Press office",
            media_contact_email="press@example.org",
        )
        press_index.add_child(instance=release)
        release.topics.set(topics[:3])
        release.save()
        PressReleaseAttachment.objects.bulk_create(
            PressReleaseAttachment(page=release, language=lang, document=doc, sort_order=k)
            for k, (lang, doc) in enumerate(zip(("en", "fr", "es"), documents, strict=False))
        )
        PressReleaseRelatedPosition.objects.create(page=release, position=position)
        PressReleaseRelatedPublication.objects.bulk_create(
            PressReleaseRelatedPublication(page=release, publication=other, sort_order=k)
            for k, other in enumerate(related)
        )
        _translate(PressReleasePage.objects.get(pk=release.pk), french)
    say(f"  item pages seeded in {time.perf_counter() - started:.1f}s")
    return {"version": ITEMS_VERSION, "rich": rich.pk, "plain": plain.pk}


# --- The cases --------------------------------------------------------------------------------


def _nonce(i: int) -> str:
    # The response cache keys on the variables: a new unused one per request misses it.
    return f"{os.getpid()}-{i}-{time.perf_counter_ns()}"


def _follow(client: WSGIClient, path: str) -> Response:
    """A GET and, as a front end's HTTP client would, the redirect it answers (REST's `find`)."""
    response = client.get(path)
    if response.status in (301, 302):
        location = response.headers.get("Location", "")
        response = client.get(location.removeprefix("http://localhost"))
    return response


def _item_specs(ids: dict) -> dict[str, dict]:
    """Each item case: its query, variables, the REST request, the page it shows."""
    rich = PublicationPage.objects.get(pk=ids["rich"])
    plain = PublicationPage.objects.get(pk=ids["plain"])
    position = PositionPaperPage.objects.get(slug=POSITION_SLUG, locale=rich.locale)
    release = PressReleasePage.objects.get(slug=PRESS_RELEASE_SLUG, locale=rich.locale)
    url_path = rich.get_url_parts()[2]
    return {
        "publication(slug)": {
            "variables": {"slug": rich.slug},
            "plain": {"slug": plain.slug},
            "rest": rest_detail_path(rich.pk, "publication"),
        },
        "publication(urlPath, site)": {
            "variables": {"urlPath": url_path, "site": "localhost"},
            "plain": {"urlPath": plain.get_url_parts()[2], "site": "localhost"},
            "rest": rest_detail_path(rich.pk, "publication"),
        },
        "positionPaper(slug)": {
            "variables": {"slug": position.slug},
            "rest": rest_detail_path(position.pk, "positionPaper"),
        },
        "pressRelease(slug)": {
            "variables": {"slug": release.slug},
            "rest": rest_detail_path(release.pk, "pressRelease"),
        },
        "page(urlPath)": {
            "variables": {"urlPath": url_path},
            "plain": {"urlPath": plain.get_url_parts()[2]},
            "rest": rest_find_path(url_path, "publication"),
        },
    }


def _floor_name(case: str) -> str:
    return "item-" + "".join(c if c.isalnum() else "-" for c in case).strip("-")


def item_cases(client: WSGIClient, plan: Plan, ids: dict, say: Say) -> dict:
    """Per item case: ours uncached beside REST v2's detail, the floor beside ours cached."""
    results: dict = {}
    fixed_queries, _ = count_queries(lambda: client.graphql(TYPENAME_QUERY, {"n": _nonce(-9)}))
    for case, spec in _item_specs(ids).items():
        query, variables = ITEM_QUERIES[case], spec["variables"]

        def ours(i: int, q=query, v=variables) -> Response:
            return client.graphql(q, {**v, "benchNonce": _nonce(i)})

        queries, first = count_queries(lambda o=ours: o(-99))
        body = json.loads(first.body)
        if "errors" in body or not body.get("data", {}).get("item"):
            raise CaseFailed(f"{case}: {first.body[:300]!r}")
        entry: dict = {"queries": queries, "bytes": len(first.body)}
        if "plain" in spec:
            plain_vars = spec["plain"]
            entry["queries_plain"], _ = count_queries(
                lambda q=query, v=plain_vars: client.graphql(q, {**v, "benchNonce": _nonce(-98)})
            )
        rest_path = spec["rest"]
        rest_queries, rest_first = count_queries(lambda p=rest_path: _follow(client, p))
        timings = measure_side_by_side(
            {
                "ours": ours,
                "rest": lambda i, p=rest_path: _follow(client, p),
                "typename": lambda i: client.graphql(TYPENAME_QUERY, {"n": _nonce(i)}),
            },
            plan,
        )
        entry["uncached"] = timings["ours"]
        entry["rest_v2"] = {
            **timings["rest"],
            "queries": rest_queries,
            "bytes": len(rest_first.body),
        }
        entry["typename"] = {**timings["typename"], "queries": fixed_queries}

        cached_path = graphql_path(query, variables)
        reference = client.get(cached_path)
        name = _floor_name(case)
        views.write_floor(name, reference.body)
        floor_path = f"/bench/floor/{name}/"
        cached_queries, again = count_queries(lambda p=cached_path: client.get(p))
        timings = measure_side_by_side(
            {
                "floor": lambda i, p=floor_path: client.get(p),
                "cached": lambda i, p=cached_path: client.get(p),
            },
            plan,
        )
        entry["floor"] = timings["floor"]
        entry["cached"] = {
            **timings["cached"],
            "queries": cached_queries,
            "same_bytes_as_floor": again.body == reference.body,
        }
        results[case] = entry
        say(
            f"  item {case:28} ours {entry['uncached']['median_ms']:6.2f} ms "
            f"(p95 {entry['uncached']['p95_ms']:6.2f}, {queries} queries"
            + (f", plain item {entry['queries_plain']}" if "queries_plain" in entry else "")
            + f") | REST v2 {entry['rest_v2']['median_ms']:6.2f} ms ({rest_queries} queries)"
            f" | floor {entry['floor']['median_ms']:5.2f} | cached "
            f"{entry['cached']['median_ms']:5.2f} | {{ __typename }} "
            f"{entry['typename']['median_ms']:5.2f} ms"
        )
    return results
