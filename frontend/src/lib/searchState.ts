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
