/** The catalogue's state, all of it in the URL: read it from the query string, and write
 * the link to each other state (a filter added or removed, another sort, another page). */

export const ORDERS = ["-date", "date", "title"] as const;
export type Order = (typeof ORDERS)[number];
export const LANGUAGES = ["en", "fr", "es", "it", "de", "pt"] as const;
export const PER_PAGE = 12;

export type CatalogueState = {
  topic?: string;
  year?: number;
  language?: string;
  type?: string;
  order: Order;
  page: number;
};

type Params = Record<string, string | string[] | undefined>;

function one(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() || undefined;
}

/** The state a query string asks for; a value the API would refuse is dropped, not sent. */
export function readState(params: Params, types: readonly string[]): CatalogueState {
  const year = Number(one(params.year));
  const page = Number(one(params.page));
  const order = one(params.order) as Order | undefined;
  const language = one(params.language);
  const type = one(params.type);
  return {
    topic: one(params.topic),
    year: Number.isInteger(year) && year > 0 && year < 10000 ? year : undefined,
    language: language && (LANGUAGES as readonly string[]).includes(language) ? language : undefined,
    type: type && types.includes(type) ? type : undefined,
    order: order && ORDERS.includes(order) ? order : "-date",
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The query string of a state, defaults left out, keys in a fixed order (one URL per state). */
export function queryString(state: CatalogueState): string {
  const params = new URLSearchParams();
  if (state.topic) params.set("topic", state.topic);
  if (state.type) params.set("type", state.type);
  if (state.year) params.set("year", String(state.year));
  if (state.language) params.set("language", state.language);
  if (state.order !== "-date") params.set("order", state.order);
  if (state.page > 1) params.set("page", String(state.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The link to `state` changed by `change`; a change of filter or sort goes back to page 1. */
export function linkTo(path: string, state: CatalogueState, change: Partial<CatalogueState>): string {
  const next = { ...state, ...change };
  if (!("page" in change)) next.page = 1;
  return path + queryString(next);
}

/** A facet of a list, as the CMS counts it: each value of a filter and the number of items
 * the list holds with it and every other filter as set (not its own). */
export type Facet = { name: string; values: readonly { value: string; label: string; count: number }[] };
export type Option = { value: string; label: string; count: number };

/** The options of the filter `name` from the list's facets. `always`: a fixed list of values
 * shown first and in its order, each at 0 where the facet has no item with it (an empty value
 * stays in place, shown but not linked); the facet's other values follow in the CMS's order.
 * The chosen value is kept even when nothing has it. `label` names a value where the CMS's
 * label is not the one to show. */
export function facetOptions(
  facets: readonly Facet[],
  name: string,
  { current, always = [], label }: { current?: string | number; always?: readonly string[]; label?: (value: string, apiLabel?: string) => string } = {},
): Option[] {
  const values = facets.find((facet) => facet.name === name)?.values ?? [];
  const counted = new Map(values.map((v) => [v.value, v]));
  const wanted = [...always, ...values.map((v) => v.value), ...(current === undefined ? [] : [String(current)])];
  return [...new Set(wanted)].map((value) => {
    const found = counted.get(value);
    return { value, label: label ? label(value, found?.label) : (found?.label ?? value), count: found?.count ?? 0 };
  });
}

/** The page numbers to show around the current one: 1 … 4 5 [6] 7 8 … 20. */
export function pageWindow(current: number, total: number, around = 2): (number | null)[] {
  const pages: (number | null)[] = [];
  for (let page = 1; page <= total; page += 1) {
    if (page === 1 || page === total || Math.abs(page - current) <= around) pages.push(page);
    else if (pages[pages.length - 1] !== null) pages.push(null);
  }
  return pages;
}
