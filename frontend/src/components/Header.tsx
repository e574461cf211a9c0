import type { PageContext, Alternate } from "@/lib/context";
import { CMS_PUBLIC_URL } from "@/lib/config";
import { LOCALE_NAMES, localePath } from "@/lib/locales";
import { loadShell } from "@/lib/shell";
import SearchBox from "./SearchBox";

/** The site's name, its sections, the search box and the language switcher. */
export default async function Header({ ctx, alternates, query = "" }: { ctx: PageContext; alternates: Alternate[]; query?: string }) {
  const { m, locale, site } = ctx;
  const shell = await loadShell(site, locale);
  return (
    <header className="site-header">
      <div className="wrap header-row">
        <a className="site-name" href={localePath(locale, "/")}>
          {shell.title}
        </a>
        <nav aria-label={m.languageSwitcher} className="languages">
          <ul>
            {alternates.map((alternate) => (
              <li key={alternate.locale}>
                {alternate.locale === locale ? (
                  <span aria-current="true" lang={alternate.locale}>
                    {LOCALE_NAMES[alternate.locale]}
                  </span>
                ) : (
                  <a href={alternate.path} hrefLang={alternate.locale} lang={alternate.locale}>
                    {LOCALE_NAMES[alternate.locale]}
                  </a>
                )}
              </li>
            ))}
          </ul>
        </nav>
      </div>
      <div className="wrap header-row">
        <nav aria-label={m.mainNav} className="sections">
          <ul>
            {shell.sections.map((section) => (
              <li key={section.path}>
                <a href={section.path}>{section.title}</a>
              </li>
            ))}
            <li>
              <a href={localePath(locale, "/search/")}>{m.search}</a>
            </li>
          </ul>
        </nav>
        <SearchBox
          action={localePath(locale, "/search/")}
          apiUrl={CMS_PUBLIC_URL}
          site={site}
          locale={locale}
          defaultValue={query}
          labels={{ label: m.searchLabel, button: m.searchButton, suggestions: m.suggestions }}
        />
      </div>
    </header>
  );
}
