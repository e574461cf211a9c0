/** Search: a GET form, results with highlights, facets with counts, "did you mean" and pages.
 * When the search engine is down the page says so and points to the catalogue. */
import type { Metadata } from "next";
import { cache } from "react";
import { SearchDocument } from "@/gql/graphql";
import Link from "next/link";
import { errorCode, query } from "@/lib/api";
import { allLocales, pageContext, pageMetadata, type PageContext } from "@/lib/context";
import { formatDisplayDate, formatNumber, languageName } from "@/lib/format";
import { localePath } from "@/lib/locales";
import { fill, resultCount, termLabel } from "@/lib/messages";
import { markApiDown } from "@/lib/outage";
import { loadShell } from "@/lib/shell";
import { readSearch, safeHighlight, searchCanonical, searchHref, searchIndexable, searchVariables, type SearchState } from "@/lib/searchState";
import Frame from "@/components/Frame";
import Pagination from "@/components/Pagination";
import { metadataOrUnavailable, orUnavailable } from "@/components/Unavailable";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const FACET_FIELDS: Record<string, keyof SearchState> = { type: "type", topic: "topic", language: "language", year: "year" };

// One search per request for the metadata (indexable or not) and the page; keyed by the
// state as a string (the two read their own copies of the URL's parameters).
const runSearch = cache(async (ctx: PageContext, key: string) => {
  const state = JSON.parse(key) as SearchState;
  return query(SearchDocument, { ...searchVariables(state), site: ctx.site, locale: ctx.locale });
});

function search(ctx: PageContext, state: SearchState) {
  return runSearch(ctx, JSON.stringify(state));
}

async function makeMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const ctx = await pageContext((await params).locale);
  const state = readSearch(await searchParams);
  const result = state.q ? await search(ctx, state) : null;
  const found = result?.data?.search ?? null;
  const indexable = searchIndexable(state, found ? found.total : null);
  const path = searchCanonical("/search/", state, indexable);
  // What a results page offers a search engine's reader: how many, and the first titles.
  const description = found?.total
    ? `${fill(ctx.m.results, { count: formatNumber(found.total, ctx.locale) })}: ${found.hits.slice(0, 3).map((hit) => hit.title).join(" · ")}`
    : ctx.m.searchPrompt;
  return {
    ...pageMetadata({ ctx, title: !result ? ctx.m.search : found ? fill(ctx.m.searchResults, { query: state.q }) : errorCode(result) === "SEARCH_UNAVAILABLE" ? ctx.m.searchUnavailableTitle : ctx.m.errorTitle, description, path: localePath(ctx.locale, path), alternates: allLocales(path) }),
    robots: indexable ? undefined : { index: false, follow: true },
  };
}

/** A facet value's name in the interface's language: the API labels types, kinds and languages
 * in English; topics come named in the locale, years are numbers. */
function facetLabel(facet: string, value: { value: string; label: string }, ctx: PageContext): string {
  if (value.value === "unknown") return ctx.m.unknownYear;
  if (facet === "type") return (ctx.m as Record<string, string>)[value.value] ?? value.label;
  if (facet === "kind") return termLabel(value.value, ctx.locale, value.label);
  if (facet === "language") return languageName(value.value, ctx.locale);
  return value.label;
}

function facetTitle(name: string, ctx: PageContext): string {
  const m = ctx.m;
  return ({ type: m.facetType, kind: m.facetKind, topic: m.facetTopic, year: m.facetYear, language: m.facetLanguage } as Record<string, string>)[name] ?? name;
}

async function renderSearchPage({ params, searchParams }: Props) {
  const ctx = await pageContext((await params).locale);
  const { m, locale } = ctx;
  const state = readSearch(await searchParams);
  const path = localePath(locale, "/search/");
  if (!state.q) {
    return (
      <Frame ctx={ctx} alternates={allLocales("/search/")}>
        <h1>{m.search}</h1>
        <p>{m.searchPrompt}</p>
      </Frame>
    );
  }
  const [result, shell] = await Promise.all([search(ctx, state), loadShell(ctx.site, locale)]);
  const catalogue = shell.sections[0]?.path ?? localePath(locale, "/");
  const found = result.data?.search;
  const code = errorCode(result);
  // The engine is down: the page says so and points to the catalogue, answered 503 with
  // Retry-After (server.mjs) so that no cache keeps it and crawlers come back.
  if (code === "SEARCH_UNAVAILABLE") markApiDown();
  return (
    <Frame ctx={ctx} alternates={allLocales("/search/")} query={state.q}>
      <h1>{found ? fill(m.searchResults, { query: state.q }) : code === "SEARCH_UNAVAILABLE" ? m.searchUnavailableTitle : m.errorTitle}</h1>
      {!found ? (
        <div className="notice" role="alert">
          <p>{code === "SEARCH_UNAVAILABLE" ? m.searchUnavailable : result.errors[0]?.message ?? m.errorText}</p>
          <p>
            <a href={catalogue}>{m.browseCatalogue}</a>
          </p>
        </div>
      ) : (
        <>
          {found.suggestion ? (
            <p className="did-you-mean">
              {m.didYouMean} <a href={searchHref(path, state, { q: found.suggestion })}>{found.suggestion}</a>?
            </p>
          ) : null}
          <div className="catalogue">
            <aside className="filters" aria-label={m.filters}>
              <h2>{m.filters}</h2>
              {found.facets.map((facet) => {
                const field = FACET_FIELDS[facet.name];
                if (!field || !facet.values.length) return null;
                const current = state[field];
                return (
                  <section className="filter" key={facet.name} aria-label={facetTitle(facet.name, ctx)}>
                    <h3>{facetTitle(facet.name, ctx)}</h3>
                    <ul>
                      <li>{current ? <Link prefetch={false} href={searchHref(path, state, { [field]: undefined })} scroll={false}>{m.anyValue}</Link> : <span aria-current="true">{m.anyValue}</span>}</li>
                      {facet.values.map((value) => {
                        const label = (
                          <>
                            {facetLabel(facet.name, value, ctx)} <span className="n">({formatNumber(value.count, locale)})</span>
                          </>
                        );
                        return (
                          <li key={value.value}>
                            {current === value.value ? <span aria-current="true">{label}</span> : value.value === "unknown" ? <span>{label}</span> : <Link prefetch={false} href={searchHref(path, state, { [field]: value.value })} scroll={false} rel="nofollow">{label}</Link>}
                          </li>
                        );
                      })}
                    </ul>
                  </section>
                );
              })}
            </aside>
            <div className="results">
              <div className="results-head">
                <p className="count" role="status">{found.total ? resultCount(m, found.total, locale) : fill(m.noSearchResults, { query: state.q })}</p>
                <nav aria-label={m.sort} className="sort">
                  <span>{m.sort}:</span>
                  <ul>
                    <li>{state.sort === "RELEVANCE" ? <span aria-current="true">{m.sortRelevance}</span> : <Link prefetch={false} href={searchHref(path, state, { sort: "RELEVANCE" })} scroll={false}>{m.sortRelevance}</Link>}</li>
                    <li>{state.sort === "DATE" ? <span aria-current="true">{m.sortNewest}</span> : <Link prefetch={false} href={searchHref(path, state, { sort: "DATE" })} scroll={false}>{m.sortNewest}</Link>}</li>
                  </ul>
                </nav>
              </div>
              <ol className="hits">
                {found.hits.map((hit) => (
                  <li key={hit.id}>
                    <h2>
                      <a href={hit.item?.urlPath ?? new URL(hit.url).pathname}>{hit.title}</a>
                    </h2>
                    <p className="meta">
                      <span className="tag">{(m as Record<string, string>)[hit.type] ?? hit.type}</span>
                      {hit.item && "displayDate" in hit.item && hit.item.displayDate ? <> · {formatDisplayDate(hit.item.displayDate, locale)}</> : null}
                    </p>
                    {hit.highlights
                      .filter((h) => h.field !== "title")
                      .slice(0, 2)
                      .map((h) => (
                        <p key={h.field} className="highlight" dangerouslySetInnerHTML={{ __html: h.fragments.map(safeHighlight).join(" … ") }} />
                      ))}
                  </li>
                ))}
              </ol>
              <Pagination current={found.page} total={found.totalPages} href={(page) => searchHref(path, state, { page })} ctx={ctx} />
            </div>
          </div>
        </>
      )}
    </Frame>
  );
}

export default async function SearchPage(props: Props) {
  return orUnavailable((await props.params).locale, () => renderSearchPage(props));
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  return metadataOrUnavailable((await props.params).locale, () => makeMetadata(props));
}
