"use client";
/** Errors of a page: an outage of the API said as such, anything else as our fault; the
 * details stay in the server's log, never on the page. The words come from the layout
 * (components/ErrorWords.tsx), in the page's language. */
import { useErrorWords } from "@/components/ErrorWords";

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const m = useErrorWords();
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
