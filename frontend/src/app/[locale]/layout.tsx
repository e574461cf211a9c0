import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { isLocale, localePath, LOCALES } from "@/lib/locales";
import { messages } from "@/lib/messages";
import { ErrorWords } from "@/components/ErrorWords";
import "../site.css";

export function generateStaticParams() {
  return LOCALES.map((locale) => ({ locale }));
}

export default async function LocaleLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  if (!isLocale(locale)) notFound();
  const m = messages(locale);
  return (
    <html lang={locale}>
      <body>
        <a className="skip-link" href="#main">
          {m.skipToContent}
        </a>
        <ErrorWords
          words={{
            errorTitle: m.errorTitle,
            errorText: m.errorText,
            unavailableTitle: m.unavailableTitle,
            unavailableText: m.unavailableText,
            tryAgain: m.tryAgain,
            notFoundTitle: m.notFoundTitle,
            notFoundText: m.notFoundText,
            home: m.home,
            search: m.search,
            homePath: localePath(locale, "/"),
            searchPath: localePath(locale, "/search/"),
          }}
        >
          {children}
        </ErrorWords>
      </body>
    </html>
  );
}
