"""Embedders the hybrid search tests name in SEARCH_EMBEDDER.

`SessionUSEM3Embedder` is the real model, loaded once per test session and remembering each
text's vector for the session: the demo catalogue is embedded once, whichever tests index it
(the database's embedding cache is rolled back after each test). `BrokenEmbedder` fails to
load, as a model whose files are missing would.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from search.embeddings import USEM3Embedder


class SessionUSEM3Embedder(USEM3Embedder):
    _shared: ClassVar[USEM3Embedder | None] = None
    _memo: ClassVar[dict[str, np.ndarray]] = {}
    # Texts the model itself embedded: what the cache tests count.
    model_calls: ClassVar[int] = 0

    def __init__(self) -> None:
        self._model = self.shared()._model

    @classmethod
    def shared(cls) -> USEM3Embedder:
        if cls._shared is None:
            cls._shared = USEM3Embedder()
        return cls._shared

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = [text for text in dict.fromkeys(texts) if text not in self._memo]
        if missing:
            for text, vector in zip(missing, super().embed(missing), strict=True):
                self._memo[text] = vector
        type(self).model_calls += len(texts)
        return np.stack([self._memo[text] for text in texts]) if texts else super().embed([])


class BrokenEmbedder(USEM3Embedder):
    name = "broken"

    def __init__(self) -> None:
        raise FileNotFoundError("weights.npz is missing")


class FailingQueryEmbedder(USEM3Embedder):
    """Loads, then fails on every text, as a model might on an input it cannot handle."""

    name = "failing-query"

    def __init__(self) -> None:
        pass

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        raise RuntimeError("the model cannot embed this text")
