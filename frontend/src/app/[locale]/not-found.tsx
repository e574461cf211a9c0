"use client";
/** 404: said plainly, with the way back, in the page's language. A 404 page is rendered
 * without the page's params, so its words come from the [locale] layout (components/ErrorWords.tsx). */
import { useErrorWords } from "@/components/ErrorWords";

export default function NotFound() {
  const m = useErrorWords();
  return (
    <main id="main" className="wrap">
      {/* React hoists it into <head>: a 404 has a title too. */}
      <title>{m.notFoundTitle}</title>
      <meta name="robots" content="noindex" />
      <h1>{m.notFoundTitle}</h1>
      <p>{m.notFoundText}</p>
      <p>
        <a href={m.homePath}>{m.home}</a> · <a href={m.searchPath}>{m.search}</a>
      </p>
    </main>
  );
}
