import type { PageContext } from "@/lib/context";
import { pageWindow } from "@/lib/catalogue";
import { fill } from "@/lib/messages";

/** Links to the other pages of a list; `href(n)` is page n's URL. */
export default function Pagination({ current, total, href, ctx }: { current: number; total: number; href: (page: number) => string; ctx: PageContext }) {
  if (total <= 1) return null;
  const { m } = ctx;
  return (
    <nav aria-label={m.pagination} className="pagination">
      <p>{fill(m.pageOf, { page: current, pages: total })}</p>
      <ul>
        {current > 1 ? (
          <li>
            <a href={href(current - 1)} rel="prev">
              {m.previous}
            </a>
          </li>
        ) : null}
        {pageWindow(current, total).map((page, index) =>
          page === null ? (
            <li key={`gap-${index}`} aria-hidden="true">…</li>
          ) : (
            <li key={page}>
              {page === current ? <span aria-current="page">{page}</span> : <a href={href(page)}>{page}</a>}
            </li>
          ),
        )}
        {current < total ? (
          <li>
            <a href={href(current + 1)} rel="next">
              {m.next}
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
