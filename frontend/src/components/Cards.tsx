import type { PositionCardFragment, PressReleaseCardFragment, PublicationCardFragment } from "@/gql/graphql";
import type { PageContext } from "@/lib/context";
import { formatDisplayDate, languageName } from "@/lib/format";
import { fill } from "@/lib/messages";
import { plainText } from "@/lib/context";

function Languages({ downloads, ctx }: { downloads?: { language: string }[] | null; ctx: PageContext }) {
  const codes = [...new Set((downloads ?? []).map((d) => d.language).filter(Boolean))];
  if (!codes.length) return null;
  return <span className="meta">{codes.map((c) => languageName(c, ctx.locale)).join(" · ")}</span>;
}

export function PublicationCard({ item, ctx }: { item: PublicationCardFragment; ctx: PageContext }) {
  const cover = item.coverImage?.rendition;
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
        {item.subtitle ? <p className="subtitle">{item.subtitle}</p> : null}
        <p className="meta">
          <span className="tag">{item.type}</span> {item.displayDate ? <time dateTime={item.displayDate}>{formatDisplayDate(item.displayDate, ctx.locale)}</time> : null}
        </p>
        <Languages downloads={item.downloads} ctx={ctx} />
      </div>
    </article>
  );
}

export function PositionCard({ item, ctx }: { item: PositionCardFragment; ctx: PageContext }) {
  return (
    <article className="card">
      <div>
        <h3>
          <a href={item.urlPath}>{item.title}</a>
        </h3>
        <p className="meta">
          <span className="tag">{item.kind}</span> {item.place ? `${item.place} · ` : ""}
          {item.displayDate ? <time dateTime={item.displayDate}>{formatDisplayDate(item.displayDate, ctx.locale)}</time> : null}
        </p>
        <Languages downloads={item.downloads} ctx={ctx} />
      </div>
    </article>
  );
}

export function PressReleaseCard({ item, ctx }: { item: PressReleaseCardFragment; ctx: PageContext }) {
  return (
    <article className="card">
      <div>
        <h3>
          <a href={item.urlPath}>{item.title}</a>
        </h3>
        <p className="meta">{item.displayDate ? <time dateTime={item.displayDate}>{formatDisplayDate(item.displayDate, ctx.locale)}</time> : null}</p>
        {item.summary ? <p>{plainText(item.summary, 180)}</p> : null}
      </div>
    </article>
  );
}

export function Count({ count, ctx }: { count: number; ctx: PageContext }) {
  return <p className="count" role="status">{fill(ctx.m.results, { count: new Intl.NumberFormat(ctx.locale).format(count) })}</p>;
}
