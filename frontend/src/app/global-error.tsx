"use client";
/** The last resort, when even the layout failed: plain words, never a stack trace. */
export default function GlobalError({ error }: { error: Error & { digest?: string } }) {
  const down = error.digest === "API_UNAVAILABLE";
  return (
    <html lang="en">
      <body>
        <main id="main" style={{ fontFamily: "system-ui, sans-serif", maxWidth: "40rem", margin: "4rem auto", padding: "0 1rem" }}>
          <h1>{down ? "Service unavailable" : "Something went wrong"}</h1>
          <p>
            {down
              ? "The content service is not answering, so this page cannot be shown right now. Please try again in a few minutes."
              : "This page could not be shown because of an error on our side. Please try again later."}
          </p>
        </main>
      </body>
    </html>
  );
}
