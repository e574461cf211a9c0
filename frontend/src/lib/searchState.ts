/** The search page's state in its URL: ?q=...&type=...&topic=...&language=...&year=...&sort=date&page=2 */
export type SearchState = { q: string; type?: string; topic?: string; language?: string; year?: string; sort: "RELEVANCE" | "DATE"; page: number };

type Params = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

export function readSearch(params: Params): SearchState {
  const page = Number(one(params.page));
  return {
    q: (one(params.q) ?? "").slice(0, 256),
    type: one(params.type),
    topic: one(params.topic),
    language: one(params.language),
    year: one(params.year),
    sort: one(params.sort) === "date" ? "DATE" : "RELEVANCE",
    page: Number.isInteger(page) && page > 1 ? Math.min(page, 1000) : 1,
  };
}

export function searchHref(path: string, state: SearchState, change: Partial<SearchState>): string {
  const next = { ...state, ...change };
  if (!("page" in change)) next.page = 1;
  const params = new URLSearchParams();
  params.set("q", next.q);
  for (const key of ["type", "topic", "language", "year"] as const) if (next[key]) params.set(key, next[key]!);
  if (next.sort === "DATE") params.set("sort", "date");
  if (next.page > 1) params.set("page", String(next.page));
  return `${path}?${params}`;
}

/** The API's variables for a state: a year "unknown" or not a number is no filter. */
export function searchVariables(state: SearchState) {
  const year = Number(state.year);
  return {
    query: state.q,
    types: state.type ? [state.type] : undefined,
    topics: state.topic ? [state.topic] : undefined,
    languages: state.language ? [state.language] : undefined,
    years: Number.isInteger(year) && year > 0 ? { from: year, to: year } : undefined,
    sort: state.sort,
    page: state.page,
  };
}

/** Highlights are HTML-escaped by the API with <mark> around matches: keep those, nothing else. */
export function safeHighlight(fragment: string): string {
  return fragment.replace(/<(?!\/?mark>)[^>]*>/g, "");
}

/** A query as the canonical URL has it: one space between words, lower case (the search
 * ignores case), so "Police " and "police" are one page for search engines. */
export function normalizeQuery(q: string): string {
  return q.normalize("NFC").replace(/\s+/g, " ").trim().toLowerCase();
}

/** Longer queries are not offered to search engines: a plain query is a topic a reader may
 * look for ("police", "drug prevention"), a long one is a sentence someone linked to. */
export const INDEXABLE_QUERY_LENGTH = 64;

/**
 * Whether search engines may index a search page (README.md, "Search and search engines"):
 * the landing page, and the first page of a plain query that finds something, sorted by
 * relevance, without filters. Filtered, sorted, later and empty pages are `noindex` (their
 * links still followed): endless variations of the same results, or nothing.
 */
export function searchIndexable(state: SearchState, total: number | null): boolean {
  if (!state.q) return true;
  const plain = !state.type && !state.topic && !state.language && !state.year && state.sort === "RELEVANCE" && state.page === 1;
  return plain && total !== null && total > 0 && normalizeQuery(state.q).length <= INDEXABLE_QUERY_LENGTH;
}

/** A search page's canonical URL: the plain query's first page for an indexable one, the
 * page itself (with its filters and page) for one that is not. */
export function searchCanonical(path: string, state: SearchState, indexable: boolean): string {
  if (!state.q) return path;
  if (indexable) return `${path}?${new URLSearchParams({ q: normalizeQuery(state.q) })}`;
  return searchHref(path, state, { page: state.page });
}
