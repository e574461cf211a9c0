import type { ReactNode } from "react";
import type { Alternate, PageContext } from "@/lib/context";
import Header from "./Header";

/** Header, main content and footer: the frame of every page. */
export default function Frame({ ctx, alternates, query, banner, children }: { ctx: PageContext; alternates: Alternate[]; query?: string; banner?: ReactNode; children: ReactNode }) {
  return (
    <>
      {banner}
      <Header ctx={ctx} alternates={alternates} query={query} />
      <main id="main" className="wrap" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <div className="wrap">
          <p>European Forum for Urban Security · Efus</p>
        </div>
      </footer>
    </>
  );
}
