/**
 * A catalogue: an index page's items with filters (topic, type or kind, year, language),
 * sort and pages. Every state is a URL and every control a link, so it works without
 * JavaScript, and plain links (no client router code is shipped for them).
 */
import {
  PositionCountsDocument,
  PositionListDocument,
  PressReleaseCountsDocument,
  PressReleaseListDocument,
  PublicationCountsDocument,
  PublicationListDocument,
  TopicsDocument,
} from "@/gql/graphql";
import { queryData } from "@/lib/api";
import { LANGUAGES, linkTo, PER_PAGE, readState, yearRange, type CatalogueState } from "@/lib/catalogue";
import type { PageContext } from "@/lib/context";
import { formatNumber, languageName } from "@/lib/format";
import { Count, PositionCard, PressReleaseCard, PublicationCard } from "./Cards";
import Pagination from "./Pagination";

export const PUBLICATION_TYPES = ["guide", "report", "manifesto", "methodological tool", "policy paper", "activity report", "proceedings", "newsletter", "other"];
export const POSITION_KINDS = ["position paper", "declaration", "manifesto", "statement", "resolution"];

type Option = { value: string; label: string; count?: number };
type Counted = Record<string, { pagination: { total: number } } | { items: { year?: number | null }[] }>;

function total(data: Counted, key: string): number | undefined {
  const entry = data[key];
  return entry && "pagination" in entry ? entry.pagination.total : undefined;
}

function bound(data: Counted, key: "newest" | "oldest"): number | null {
  const entry = data[key];
  return entry && "items" in entry ? (entry.items[0]?.year ?? null) : null;
}

async function loadList(kind: string, ctx: PageContext, state: CatalogueState) {
  const base = { site: ctx.site, locale: ctx.locale, page: state.page, perPage: PER_PAGE, order: state.order, topic: state.topic, year: state.year };
  const filters = { site: ctx.site, locale: ctx.locale, topic: state.topic, year: state.year, language: state.language };
  if (kind === "PublicationIndexPage") {
    const [list, counts] = await Promise.all([
      queryData(PublicationListDocument, { ...base, language: state.language, type: state.type }),
      queryData(PublicationCountsDocument, { ...filters, type: state.type }),
    ]);
    return { list: list.publications, counts: counts as unknown as Counted, types: PUBLICATION_TYPES, languages: true };
  }
  if (kind === "PositionIndexPage") {
    const [list, counts] = await Promise.all([
      queryData(PositionListDocument, { ...base, language: state.language, kind: state.type }),
      queryData(PositionCountsDocument, { ...filters, kind: state.type }),
    ]);
    return { list: list.positionPapers, counts: counts as unknown as Counted, types: POSITION_KINDS, languages: true };
  }
  const [list, counts] = await Promise.all([
    queryData(PressReleaseListDocument, base),
    queryData(PressReleaseCountsDocument, { site: ctx.site, locale: ctx.locale }),
  ]);
  return { list: list.pressReleases, counts: counts as unknown as Counted, types: [] as string[], languages: false };
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
          {current === undefined ? <span aria-current="true">{ctx.m.anyValue}</span> : <a href={linkTo(path, state, { [field]: undefined })}>{ctx.m.anyValue}</a>}
        </li>
        {options.map((option) => {
          const selected = String(current) === option.value;
          const label = (
            <>
              {option.label}
              {option.count !== undefined ? <span className="n"> ({formatNumber(option.count, ctx.locale)})</span> : null}
            </>
          );
          return (
            <li key={option.value}>
              {selected ? (
                <span aria-current="true">{label}</span>
              ) : option.count === 0 ? (
                <span className="empty">{label}</span>
              ) : (
                <a href={linkTo(path, state, { [field]: field === "year" ? Number(option.value) : option.value })} rel="nofollow">
                  {label}
                </a>
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
  const types = kind === "PublicationIndexPage" ? PUBLICATION_TYPES : kind === "PositionIndexPage" ? POSITION_KINDS : [];
  const state = readState(params, types);
  const [{ list, counts, languages }, topics] = await Promise.all([loadList(kind, ctx, state), queryData(TopicsDocument, { locale: ctx.locale })]);
  const typeOptions: Option[] = types.map((value) => ({ value, label: value, count: total(counts, `t_${value.replace(/ /g, "_")}`) }));
  const languageOptions: Option[] = languages ? LANGUAGES.map((code) => ({ value: code, label: languageName(code, ctx.locale), count: total(counts, `l_${code}`) })) : [];
  const yearOptions: Option[] = yearRange(bound(counts, "newest"), bound(counts, "oldest")).map((year) => ({ value: String(year), label: String(year) }));
  // Topics' counts are of the whole catalogue in this language (the API counts no more finely).
  const topicOptions: Option[] = topics.topics.filter((t) => (t.liveItemCount ?? 0) > 0).map((t) => ({ value: t.slug, label: t.name, count: t.liveItemCount ?? undefined }));
  const filtered = state.topic || state.type || state.year || state.language;
  const items = list.items.map((item) =>
    "type" in item ? <PublicationCard key={item.id} item={item} ctx={ctx} /> : "kind" in item ? <PositionCard key={item.id} item={item} ctx={ctx} /> : <PressReleaseCard key={item.id} item={item} ctx={ctx} />,
  );
  const sorts: [CatalogueState["order"], string][] = [["-date", m.sortNewest], ["date", m.sortOldest], ["title", m.sortTitle]];
  return (
    <div className="catalogue">
      <aside className="filters" aria-label={m.filters}>
        <h2>{m.filters}</h2>
        {filtered ? <p><a href={path}>{m.clearFilters}</a></p> : null}
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
                <li key={order}>{order === state.order ? <span aria-current="true">{label}</span> : <a href={linkTo(path, state, { order })} rel="nofollow">{label}</a>}</li>
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
