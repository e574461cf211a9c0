"""The embedded engine's vectors, beside the tantivy index in its folder (tantivy has no vector
field): a float32 matrix memory-mapped from `vectors-<generation>.npy`, one row per embedded
text, grouped by page, with `vectors-<generation>.json` naming each group's page, locale and
sites. `vectors.json` names the generation in use.

A rebuild writes generation 1 into its new folder before the folder is swapped in, so the
vectors move with the index in the same rename. A single page's update writes the next
generation whole (a few MB at thousands of pages) and renames `vectors.json` over the old one,
while the caller holds the tantivy index's writer, so two updates never interleave; the
generation before stays on disk for the readers that have not moved yet. A search only shows
a vector's page if the tantivy index holds it with the search's filters: a page deleted from
the index but not (yet) from the matrix is never shown.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ...embeddings import one_blas_thread

POINTER = "vectors.json"


@dataclass
class Entry:
    """One page's vectors, with what scopes a search: its locale and sites, and its type."""

    vectors: np.ndarray
    locale: str
    sites: list[str]
    type: str = ""


@dataclass
class VectorTable:
    """One generation's vectors, read-only (memory-mapped)."""

    ids: np.ndarray  # page id of each group, int64
    starts: np.ndarray  # first row of each group, int64, increasing
    matrix: np.ndarray  # (rows, dimensions) float32
    locales: np.ndarray  # locale of each group
    sites: list[list[str]]
    types: np.ndarray  # content type of each group
    embedder: str
    _scope_masks: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    _positions: dict[int, int] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def scope(self, locale: str, site: str | None) -> np.ndarray:
        """The groups of `locale` (and `site`), read-only; worked out once per scope for the
        generation (the table is), not at every search."""
        key = (locale, site or "")
        mask = self._scope_masks.get(key)
        if mask is None:
            mask = self.locales == locale
            if site:
                mask &= np.array([site in s for s in self.sites], dtype=bool)
            mask.setflags(write=False)
            self._scope_masks[key] = mask
        return mask

    def best_similarities(self, vector: np.ndarray) -> np.ndarray:
        """Each page's best cosine similarity with `vector` (rows and vector have norm 1)."""
        if not len(self.ids):
            return np.zeros(0, dtype=np.float32)
        with one_blas_thread():
            similarities = self.matrix @ vector.astype(np.float32)
        return np.maximum.reduceat(similarities, self.starts)

    def nearest(
        self,
        vector: np.ndarray,
        mask: np.ndarray,
        *,
        min_similarity: float,
        limit: int,
    ) -> list[tuple[int, float]]:
        """The pages in `mask` most similar to `vector`, at least `min_similarity`, best
        first, at most `limit` (exact: every page is compared)."""
        if limit <= 0 or not len(self.ids):
            return []
        return self._best(self.best_similarities(vector), mask, min_similarity, limit)

    def _best(
        self, best: np.ndarray, mask: np.ndarray, min_similarity: float, limit: int
    ) -> list[tuple[int, float]]:
        candidates = np.flatnonzero(mask & (best >= min_similarity))
        if len(candidates) > limit:
            top = np.argpartition(-best[candidates], limit - 1)[:limit]
            candidates = candidates[top]
        # Ties by page id: the order is stable from one run to the next.
        order = sorted(candidates, key=lambda i: (-float(best[i]), int(self.ids[i])))
        return [(int(self.ids[i]), float(best[i])) for i in order]

    def similar(
        self, page_ids: list[int], *, types: tuple[str, ...], limit: int
    ) -> dict[int, list[int]]:
        """For each page, the pages of `types` nearest its metadata vector (its title,
        subtitle, summary and topics) in its locale and on a site of its own (a page of one
        site is never suggested on another), nearest first; none for a page without vectors.
        One matrix product for all the pages (a list's items are asked together)."""
        groups = {page_id: self._group_of(page_id) for page_id in dict.fromkeys(page_ids)}
        found: dict[int, list[int]] = {page_id: [] for page_id in groups}
        asked = [(page_id, group) for page_id, group in groups.items() if group is not None]
        if not asked or limit <= 0:
            return found
        queries = np.stack([np.asarray(self.matrix[self.starts[group]]) for _, group in asked])
        with one_blas_thread():
            similarities = self.matrix @ queries.T.astype(np.float32)
        best = np.maximum.reduceat(similarities, self.starts, axis=0)  # (groups, pages)
        kinds = np.isin(self.types, list(types)) if types else np.ones(len(self.ids), bool)
        for column, (page_id, group) in enumerate(asked):
            locale = str(self.locales[group])
            mask = np.zeros(len(self.ids), dtype=bool)
            for site in self.sites[group]:
                mask |= self.scope(locale, site)
            mask &= kinds
            mask[group] = False
            found[page_id] = [i for i, _ in self._best(best[:, column], mask, -1.0, limit)]
        return found

    def _group_of(self, page_id: int) -> int | None:
        if self._positions is None:
            self._positions = {int(page_id): i for i, page_id in enumerate(self.ids)}
        return self._positions.get(page_id)

    def vectors_of(self, page_id: int) -> np.ndarray | None:
        found = np.flatnonzero(self.ids == page_id)
        if not len(found):
            return None
        index = int(found[0])
        end = int(self.starts[index + 1]) if index + 1 < len(self.starts) else len(self.matrix)
        return np.asarray(self.matrix[int(self.starts[index]) : end])

    def entries(self) -> dict[int, Entry]:
        return {
            int(page_id): Entry(self.vectors_of(int(page_id)), str(locale), list(sites), str(kind))
            for page_id, locale, sites, kind in zip(
                self.ids, self.locales, self.sites, self.types, strict=True
            )
        }


class VectorFiles:
    """The vector files of one index folder; readers cache the generation they opened."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._cached: tuple[int, VectorTable] | None = None

    def generation(self) -> int | None:
        try:
            return int(json.loads((self.folder / POINTER).read_text())["generation"])
        except FileNotFoundError:
            return None

    def table(self) -> VectorTable | None:
        """The generation in use, or None when the index has no vectors."""
        generation = self.generation()
        if generation is None:
            return None
        with self._lock:
            if self._cached is None or self._cached[0] != generation:
                self._cached = (generation, self._read(generation))
            return self._cached[1]

    def _read(self, generation: int) -> VectorTable:
        meta = json.loads((self.folder / f"vectors-{generation}.json").read_text())
        matrix = np.load(self.folder / f"vectors-{generation}.npy", mmap_mode="r")
        return VectorTable(
            ids=np.asarray(meta["ids"], dtype=np.int64),
            starts=np.asarray(meta["starts"], dtype=np.int64),
            matrix=matrix,
            locales=np.asarray(meta["locales"], dtype=object),
            sites=meta["sites"],
            types=np.asarray(meta["types"], dtype=object),
            embedder=meta["embedder"],
        )

    def write(self, entries: dict[int, Entry], embedder: str) -> None:
        """Write `entries` as the next generation and put it in use (one rename)."""
        current = self.generation() or 0
        generation = current + 1
        ids = sorted(page_id for page_id, entry in entries.items() if len(entry.vectors))
        starts, blocks, row = [], [], 0
        for page_id in ids:
            starts.append(row)
            blocks.append(np.asarray(entries[page_id].vectors, dtype=np.float32))
            row += len(blocks[-1])
        dimensions = blocks[0].shape[1] if blocks else 0
        matrix = np.concatenate(blocks) if blocks else np.zeros((0, dimensions), np.float32)
        with open(self.folder / f"vectors-{generation}.npy", "wb") as handle:
            np.save(handle, matrix)
            handle.flush()
            os.fsync(handle.fileno())
        meta = {
            "embedder": embedder,
            "ids": ids,
            "starts": starts,
            "locales": [entries[i].locale for i in ids],
            "sites": [entries[i].sites for i in ids],
            "types": [entries[i].type for i in ids],
        }
        (self.folder / f"vectors-{generation}.json").write_text(json.dumps(meta))
        temporary = self.folder / f".{POINTER}-{os.getpid()}-{threading.get_ident()}"
        temporary.write_text(json.dumps({"generation": generation, "embedder": embedder}))
        os.replace(temporary, self.folder / POINTER)
        # Readers may still be on the generation before: keep it, drop the older ones.
        for old in range(max(current - 1, 0), 0, -1):
            for suffix in ("npy", "json"):
                with contextlib.suppress(FileNotFoundError):
                    (self.folder / f"vectors-{old}.{suffix}").unlink()

    def update(
        self, changed: dict[int, Entry | None], embedder: str, removed: Iterable[int] = ()
    ) -> None:
        """The next generation: this one with `changed` pages replaced (None: no vectors any
        more, the page was indexed without) and `removed` pages dropped."""
        table = self.table()
        entries = table.entries() if table is not None else {}
        for page_id in removed:
            entries.pop(page_id, None)
        for page_id, entry in changed.items():
            if entry is None:
                entries.pop(page_id, None)
            else:
                entries[page_id] = entry
        if embedder and table is not None and table.embedder and table.embedder != embedder:
            # Vectors of two models cannot be compared: keep the new model's only.
            entries = {i: e for i, e in changed.items() if e is not None}
        self.write(entries, embedder or (table.embedder if table else ""))
