/** One catalogue item's page body: a publication, a position paper or a press release. */
import type { PositionDetailFragment, PressReleaseDetailFragment, PublicationDetailFragment } from "@/gql/graphql";
import type { PageContext } from "@/lib/context";
import { formatDisplayDate, formatNumber } from "@/lib/format";
import { localePath } from "@/lib/locales";
import { fill, termLabel } from "@/lib/messages";
import Body from "./Body";
import Downloads from "./Downloads";

export type ItemData =
  | ({ __typename?: "PublicationPage" } & PublicationDetailFragment)
  | ({ __typename?: "PositionPaperPage" } & PositionDetailFragment)
  | ({ __typename?: "PressReleasePage" } & PressReleaseDetailFragment);

function Topics({ topics, ctx }: { topics?: { name: string; slug: string }[] | null; ctx: PageContext }) {
  if (!topics?.length) return null;
  return (
    <section aria-labelledby="topics">
      <h2 id="topics">{ctx.m.topics}</h2>
      <ul className="tags">
        {topics.map((topic) => (
          <li key={topic.slug}>
            <a href={localePath(ctx.locale, `/topics/${topic.slug}/`)}>{topic.name}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Related({ title, items, ctx }: { title: string; items?: { id?: string | null; title: string; urlPath: string; displayDate?: string | null }[] | null; ctx: PageContext }) {
  if (!items?.length) return null;
  return (
    <section aria-label={title}>
      <h2>{title}</h2>
      <ul>
        {items.map((item) => (
          <li key={item.id ?? item.urlPath}>
            <a href={item.urlPath}>{item.title}</a>
            {item.displayDate ? <span className="meta"> · {formatDisplayDate(item.displayDate, ctx.locale)}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function Item({ item, ctx }: { item: ItemData; ctx: PageContext }) {
  const { m, locale } = ctx;
  const date = item.displayDate ? <time dateTime={item.displayDate}>{formatDisplayDate(item.displayDate, locale)}</time> : null;
  const lang = item.locale !== locale ? item.locale : undefined;
  if ("type" in item) {
    const cover = item.coverImage?.rendition;
    return (
      <article className="item" lang={lang}>
        <div className="item-head">
          {cover ? (
            // eslint-disable-next-line @next/next/no-img-element -- the CMS makes the renditions
            <img
              className="cover"
              src={cover.url}
              srcSet={item.coverImage?.srcSet ?? undefined}
              sizes="(min-width: 50rem) 300px, 60vw"
              width={cover.width}
              height={cover.height}
              alt={item.coverImage?.description || fill(m.coverOf, { title: item.title })}
            />
          ) : null}
          <div>
            <p className="tag" lang={lang && locale}>{termLabel(item.type, locale)}</p>
            <h1>{item.title}</h1>
            {item.subtitle ? <p className="subtitle">{item.subtitle}</p> : null}
            <dl className="facts">
              {date ? (<><dt>{m.date}</dt><dd>{date}</dd></>) : null}
              {item.authors?.length ? (<><dt>{m.authors}</dt><dd>{item.authors.map((a) => [a.name, a.affiliation].filter(Boolean).join(", ")).join("; ")}</dd></>) : null}
              {item.project ? (<><dt>{m.project}</dt><dd>{item.project.name}{item.project.acronym ? ` (${item.project.acronym})` : ""}{item.project.startYear ? `, ${item.project.startYear}–${item.project.endYear ?? ""}` : ""}</dd></>) : null}
              {item.pageCount ? (<><dt>{m.pages.replace("{count} ", "")}</dt><dd>{formatNumber(item.pageCount, locale)}</dd></>) : null}
              {item.isbn ? (<><dt>ISBN</dt><dd>{item.isbn}</dd></>) : null}
            </dl>
          </div>
        </div>
        {item.summary ? <div className="summary" dangerouslySetInnerHTML={{ __html: item.summary }} /> : null}
        <Downloads files={item.downloads} title={m.downloads} ctx={ctx} />
        <Body blocks={item.body} />
        <Topics topics={item.topics} ctx={ctx} />
        <Related title={m.related} items={item.relatedPublications} ctx={ctx} />
      </article>
    );
  }
  if ("kind" in item) {
    return (
      <article className="item" lang={lang}>
        <p className="tag" lang={lang && locale}>{termLabel(item.kind, locale)}</p>
        <h1>{item.title}</h1>
        <dl className="facts">
          {date ? (<><dt>{m.date}</dt><dd>{date}</dd></>) : null}
          {item.place ? (<><dt>{m.place}</dt><dd>{item.place}</dd></>) : null}
        </dl>
        {item.summary ? <div className="summary" dangerouslySetInnerHTML={{ __html: item.summary }} /> : null}
        <Downloads files={item.downloads} title={m.downloads} ctx={ctx} />
        <Body blocks={item.body} />
        {item.signatories?.length ? (
          <section aria-labelledby="signatories">
            <h2 id="signatories">{m.signatories}</h2>
            <ul className="columns">
              {item.signatories.map((s, i) => (
                <li key={`${s.name}-${i}`}>{s.name}{s.country ? ` (${s.country})` : ""}</li>
              ))}
            </ul>
          </section>
        ) : null}
        <Topics topics={item.topics} ctx={ctx} />
        <Related title={m.related} items={item.relatedPublications} ctx={ctx} />
      </article>
    );
  }
  return (
    <article className="item" lang={lang}>
      <p className="tag">{m.press_release}</p>
      <h1>{item.title}</h1>
      <dl className="facts">{date ? (<><dt>{m.date}</dt><dd>{date}</dd></>) : null}</dl>
      {item.summary ? <div className="summary" dangerouslySetInnerHTML={{ __html: item.summary }} /> : null}
      <Body blocks={item.body} />
      {item.mediaContactName || item.mediaContactEmail || item.mediaContactPhone ? (
        <section aria-labelledby="contact" className="contact">
          <h2 id="contact">{m.mediaContact}</h2>
          <p>
            {item.mediaContactName}
            {item.mediaContactEmail ? (<><br /><a href={`mailto:${item.mediaContactEmail}`}>{item.mediaContactEmail}</a></>) : null}
            {item.mediaContactPhone ? (<><br /><a href={`tel:${item.mediaContactPhone.replace(/\s/g, "")}`}>{item.mediaContactPhone}</a></>) : null}
          </p>
        </section>
      ) : null}
      <Downloads files={item.attachments} title={m.attachments} ctx={ctx} />
      <Topics topics={item.topics} ctx={ctx} />
      <Related title={m.relatedPositions} items={item.relatedPositions} ctx={ctx} />
      <Related title={m.related} items={item.relatedPublications} ctx={ctx} />
    </article>
  );
}
