"""Did-you-mean for the embedded engine: the indexed word nearest to a word it does not know."""

from __future__ import annotations

from .analysis import fuzzy_distance


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps cost 1), or `limit + 1` once beyond it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]


def best_correction(word: str, candidates: list[tuple[str, int]]) -> str | None:
    """The candidate (term, document frequency) nearest to `word`, the most frequent on ties."""
    limit = fuzzy_distance(word)
    if not limit:
        return None
    best: tuple[int, int, str] | None = None
    for term, frequency in candidates:
        if term == word or not term.isalpha():
            continue
        distance = edit_distance(word, term, limit)
        if distance > limit:
            continue
        key = (distance, -frequency, term)
        if best is None or key < best:
            best = key
    return best[2] if best else None
