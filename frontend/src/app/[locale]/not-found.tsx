/** 404: said plainly, with the way back. (Rendered without the page's params: English and French.) */
import { MESSAGES } from "@/lib/messages";

export default function NotFound() {
  const { en, fr } = MESSAGES;
  return (
    <main id="main" className="wrap">
      {/* React hoists it into <head>: a 404 has a title too. */}
      <title>{`${en.notFoundTitle} / ${fr.notFoundTitle}`}</title>
      <meta name="robots" content="noindex" />
      <h1>{en.notFoundTitle}</h1>
      <p>{en.notFoundText}</p>
      <p lang="fr">{fr.notFoundText}</p>
      <p>
        <a href="/">{en.home}</a> · <a href="/search/">{en.search}</a>
      </p>
    </main>
  );
}
