/**
 * A catalogue: an index page's items with filters (topic, type or kind, year, language),
 * sort and pages. Every state is a URL and every control a link, so it works without
 * JavaScript; Next's <Link> makes a change of filter a fetch, not a full reload (issue 15:
 * JavaScript only enhances, with no full reload on a filter change).
 */
import Link from "next/link";
import { PositionListDocument, PressReleaseListDocument, PublicationListDocument } from "@/gql/graphql";
import { queryData } from "@/lib/api";
import { facetOptions, LANGUAGES, linkTo, PER_PAGE, readState, type CatalogueState, type Option } from "@/lib/catalogue";
import type { PageContext } from "@/lib/context";
import { formatNumber, languageName } from "@/lib/format";
import { POSITION_KINDS, PUBLICATION_TYPES, termLabel } from "@/lib/messages";
import { Count, PositionCard, PressReleaseCard, PublicationCard } from "./Cards";
import Pagination from "./Pagination";

/** The page of items and the filters' counts, in one request (the list's `facets`). */
async function loadList(kind: string, ctx: PageContext, state: CatalogueState) {
  const base = { site: ctx.site, locale: ctx.locale, page: state.page, perPage: PER_PAGE, order: state.order, topic: state.topic, year: state.year };
  if (kind === "PublicationIndexPage") {
    const list = await queryData(PublicationListDocument, { ...base, language: state.language, type: state.type });
    return { list: list.publications, typeFacet: "type", languages: true };
  }
  if (kind === "PositionIndexPage") {
    const list = await queryData(PositionListDocument, { ...base, language: state.language, kind: state.type });
    return { list: list.positionPapers, typeFacet: "kind", languages: true };
  }
  const list = await queryData(PressReleaseListDocument, base);
  return { list: list.pressReleases, typeFacet: null, languages: false };
}

function Filter({ legend, options, current, field, path, state, ctx }: {
  legend: string; options: Option[]; current?: string | number; field: keyof CatalogueState; path: string; state: CatalogueState; ctx: PageContext;
}) {
  if (!options.length) return null;
  return (
    <section className="filter" aria-label={legend}>
      <h3>{legend}</h3>
      <ul>
        <li>
          {current === undefined ? <span aria-current="true">{ctx.m.anyValue}</span> : <Link prefetch={false} href={linkTo(path, state, { [field]: undefined })} scroll={false}>{ctx.m.anyValue}</Link>}
        </li>
        {options.map((option) => {
          const selected = String(current) === option.value;
          const label = (
            <>
              {option.label}
              <span className="n"> ({formatNumber(option.count, ctx.locale)})</span>
            </>
          );
          return (
            <li key={option.value}>
              {selected ? (
                <span aria-current="true">{label}</span>
              ) : option.count === 0 ? (
                <span className="empty">{label}</span>
              ) : (
                <Link prefetch={false} href={linkTo(path, state, { [field]: field === "year" ? Number(option.value) : option.value })} scroll={false} rel="nofollow">
                  {label}
                </Link>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export default async function Catalogue({ kind, path, ctx, params }: { kind: string; path: string; ctx: PageContext; params: Record<string, string | string[] | undefined> }) {
  const { m } = ctx;
  const types: readonly string[] = kind === "PublicationIndexPage" ? PUBLICATION_TYPES : kind === "PositionIndexPage" ? POSITION_KINDS : [];
  const state = readState(params, types);
  const { list, typeFacet, languages } = await loadList(kind, ctx, state);
  // Counts are the CMS's, exact, each with the other filters applied. Types and languages
  // keep a fixed list (an empty one shown, not linked; only the languages the URL state
  // takes); topics (named in this language) and years (newest first) list what has items.
  const typeOptions = typeFacet ? facetOptions(list.facets, typeFacet, { current: state.type, always: types, label: (value, apiLabel) => termLabel(value, ctx.locale, apiLabel) }) : [];
  const languageOptions = languages
    ? facetOptions(list.facets, "language", { current: state.language, always: LANGUAGES, label: (code) => languageName(code, ctx.locale) }).filter((option) =>
        (LANGUAGES as readonly string[]).includes(option.value),
      )
    : [];
  const yearOptions = facetOptions(list.facets, "year", { current: state.year });
  const topicOptions = facetOptions(list.facets, "topic", { current: state.topic });
  const filtered = state.topic || state.type || state.year || state.language;
  const items = list.items.map((item) =>
    "type" in item ? <PublicationCard key={item.id} item={item} ctx={ctx} /> : "kind" in item ? <PositionCard key={item.id} item={item} ctx={ctx} /> : <PressReleaseCard key={item.id} item={item} ctx={ctx} />,
  );
  const sorts: [CatalogueState["order"], string][] = [["-date", m.sortNewest], ["date", m.sortOldest], ["title", m.sortTitle]];
  return (
    <div className="catalogue">
      <aside className="filters" aria-label={m.filters}>
        <h2>{m.filters}</h2>
        {filtered ? <p><Link prefetch={false} href={path} scroll={false}>{m.clearFilters}</Link></p> : null}
        <Filter legend={kind === "PositionIndexPage" ? m.kind : m.type} options={typeOptions} current={state.type} field="type" path={path} state={state} ctx={ctx} />
        <Filter legend={m.topic} options={topicOptions} current={state.topic} field="topic" path={path} state={state} ctx={ctx} />
        <Filter legend={m.language} options={languageOptions} current={state.language} field="language" path={path} state={state} ctx={ctx} />
        <Filter legend={m.year} options={yearOptions} current={state.year} field="year" path={path} state={state} ctx={ctx} />
      </aside>
      <div className="results">
        <div className="results-head">
          <Count count={list.pagination.total} ctx={ctx} />
          <nav aria-label={m.sort} className="sort">
            <span>{m.sort}:</span>
            <ul>
              {sorts.map(([order, label]) => (
                <li key={order}>{order === state.order ? <span aria-current="true">{label}</span> : <Link prefetch={false} href={linkTo(path, state, { order })} scroll={false} rel="nofollow">{label}</Link>}</li>
              ))}
            </ul>
          </nav>
        </div>
        {items.length ? <div className="cards">{items}</div> : <p className="empty-state">{m.noResults}</p>}
        <Pagination current={list.pagination.currentPage} total={list.pagination.totalPages} href={(page) => linkTo(path, state, { page })} ctx={ctx} />
      </div>
    </div>
  );
}
