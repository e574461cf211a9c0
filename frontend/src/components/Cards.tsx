/** The cards lists show (home, catalogue, topic pages): one shell with the linked title, what
 * each kind of item adds inside it, and the titled section that groups them. */
import type { ReactNode } from "react";
import type { CardLinkFragment, PositionCardFragment, PressReleaseCardFragment, PublicationCardFragment } from "@/gql/graphql";
import type { PageContext } from "@/lib/context";
import { formatDisplayDate, languageName } from "@/lib/format";
import { inSentence, resultCount, termLabel } from "@/lib/messages";
import { plainText } from "@/lib/context";

type Rendition = { url: string; width: number; height: number };

function Card({ item, cover, children }: { item: CardLinkFragment; cover?: Rendition | null; children: ReactNode }) {
  return (
    <article className="card">
      {cover ? (
        // eslint-disable-next-line @next/next/no-img-element -- the CMS makes the renditions
        <img src={cover.url} width={cover.width} height={cover.height} alt="" loading="lazy" className="card-cover" />
      ) : null}
      <div>
        <h3>
          <a href={item.urlPath}>{item.title}</a>
        </h3>
        {children}
      </div>
    </article>
  );
}

function When({ date, ctx }: { date: string | null; ctx: PageContext }) {
  return date ? <time dateTime={date}>{formatDisplayDate(date, ctx.locale)}</time> : null;
}

function Languages({ downloads, ctx }: { downloads?: { language: string }[] | null; ctx: PageContext }) {
  const codes = [...new Set((downloads ?? []).map((d) => d.language).filter(Boolean))];
  if (!codes.length) return null;
  return <span className="meta">{codes.map((c) => languageName(c, ctx.locale)).join(" · ")}</span>;
}

export function PublicationCard({ item, ctx }: { item: PublicationCardFragment; ctx: PageContext }) {
  return (
    <Card item={item} cover={item.coverImage?.rendition}>
      {item.subtitle ? <p className="subtitle">{item.subtitle}</p> : null}
      <p className="meta">
        <span className="tag">{termLabel(item.type, ctx.locale)}</span> <When date={item.displayDate} ctx={ctx} />
      </p>
      <Languages downloads={item.downloads} ctx={ctx} />
    </Card>
  );
}

export function PositionCard({ item, ctx }: { item: PositionCardFragment; ctx: PageContext }) {
  return (
    <Card item={item}>
      <p className="meta">
        <span className="tag">{termLabel(item.kind, ctx.locale)}</span> {item.place ? `${item.place} · ` : ""}
        <When date={item.displayDate} ctx={ctx} />
      </p>
      <Languages downloads={item.downloads} ctx={ctx} />
    </Card>
  );
}

export function PressReleaseCard({ item, ctx }: { item: PressReleaseCardFragment; ctx: PageContext }) {
  return (
    <Card item={item}>
      <p className="meta">
        <When date={item.displayDate} ctx={ctx} />
      </p>
      {item.summary ? <p>{plainText(item.summary, 180)}</p> : null}
    </Card>
  );
}

export function Count({ count, ctx }: { count: number; ctx: PageContext }) {
  return <p className="count" role="status">{resultCount(ctx.m, count, ctx.locale)}</p>;
}

/** A titled group of cards (home, topic pages), with its count if given and a link to all of them. */
export function CardSection({ title, cards, more, count, ctx }: { title: string; cards: ReactNode[]; more?: string | null; count?: number; ctx: PageContext }) {
  return (
    <section className="home-section">
      <h2>{title}</h2>
      {count === undefined ? null : <Count count={count} ctx={ctx} />}
      <div className="cards">{cards}</div>
      {more ? (
        <p>
          <a href={more}>{ctx.m.seeAll}: {inSentence(title, ctx.locale)}</a>
        </p>
      ) : null}
    </section>
  );
}
