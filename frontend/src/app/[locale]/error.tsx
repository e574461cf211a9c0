"use client";
/** Errors of a page: an outage of the API said as such, anything else as our fault; the
 * details stay in the server's log, never on the page. */
import { isLocale } from "@/lib/locales";
import { MESSAGES } from "@/lib/messages";

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const lang = typeof document !== "undefined" ? document.documentElement.lang : "en";
  const m = MESSAGES[isLocale(lang) ? lang : "en"];
  const down = error.digest === "API_UNAVAILABLE";
  return (
    <main id="main" className="wrap">
      <h1>{down ? m.unavailableTitle : m.errorTitle}</h1>
      <p>{down ? m.unavailableText : m.errorText}</p>
      <p>
        <button type="button" onClick={reset}>
          {m.tryAgain}
        </button>
      </p>
    </main>
  );
}
