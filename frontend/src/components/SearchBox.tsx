"use client";
/**
 * The search form: a plain GET form that works without JavaScript. With it, titles are
 * suggested as the reader types (the ARIA combobox pattern: arrows move, Enter opens,
 * Escape closes), asked of the API directly from the browser.
 */
import { useEffect, useId, useRef, useState } from "react";
import { SuggestDocument, type SuggestQuery } from "@/gql/graphql";

type Suggestion = NonNullable<SuggestQuery["suggest"]>[number];
type Props = {
  action: string;
  apiUrl: string;
  site: string;
  locale: string;
  defaultValue: string;
  labels: { label: string; button: string; suggestions: string };
};

async function sha256(text: string): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Suggestions as a persisted query over GET (the query text only when the API asks). */
async function fetchSuggestions(apiUrl: string, variables: object, signal: AbortSignal): Promise<Suggestion[]> {
  const query = SuggestDocument.toString();
  const hash = await sha256(query);
  const ask = async (withQuery: boolean) => {
    const params = new URLSearchParams({ variables: JSON.stringify(variables) });
    if (withQuery || !hash) params.set("query", query);
    if (hash) params.set("extensions", JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }));
    const response = await fetch(`${apiUrl}/graphql/?${params}`, { signal, headers: { Accept: "application/json" } });
    return (await response.json()) as { data?: SuggestQuery; errors?: { extensions?: { code?: string } }[] };
  };
  let body = await ask(false);
  if (body.errors?.some((e) => e.extensions?.code === "PERSISTED_QUERY_NOT_FOUND")) body = await ask(true);
  return body.data?.suggest ?? [];
}

export default function SearchBox({ action, apiUrl, site, locale, defaultValue, labels }: Props) {
  const id = useId();
  // Uncontrolled: words typed before the page is hydrated are kept (and submitted).
  const [value, setValue] = useState(defaultValue);
  const [items, setItems] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const typed = useRef(false);

  useEffect(() => {
    const prefix = value.trim();
    if (!typed.current || prefix.length < 2) {
      setItems([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetchSuggestions(apiUrl, { prefix, site, locale }, controller.signal)
        .then((found) => {
          setItems(found);
          setActive(-1);
          setOpen(found.length > 0);
        })
        .catch(() => setItems([])); // suggestions are a help; the form still works
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [value, apiUrl, site, locale]);

  const listId = `${id}-list`;
  const expanded = open && items.length > 0;
  const go = (item: Suggestion) => {
    window.location.assign(new URL(item.url).pathname);
  };

  return (
    <form role="search" action={action} method="get" className="search-form">
      <label htmlFor={`${id}-q`}>{labels.label}</label>
      <div className="combo">
        <input
          id={`${id}-q`}
          name="q"
          type="search"
          defaultValue={defaultValue}
          autoComplete="off"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? `${id}-opt-${active}` : undefined}
          onChange={(event) => {
            typed.current = true;
            setValue(event.target.value);
          }}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={(event) => {
            if (event.key === "ArrowDown" && items.length) {
              event.preventDefault();
              setOpen(true);
              setActive((i) => (i + 1) % items.length);
            } else if (event.key === "ArrowUp" && items.length) {
              event.preventDefault();
              setActive((i) => (i <= 0 ? items.length - 1 : i - 1));
            } else if (event.key === "Escape" && expanded) {
              event.preventDefault(); // closes the list; a second Escape clears the field
              setOpen(false);
              setActive(-1);
            } else if (event.key === "Enter" && expanded && active >= 0) {
              event.preventDefault();
              go(items[active]);
            }
          }}
        />
        <ul id={listId} role="listbox" aria-label={labels.suggestions} hidden={!expanded} className="suggestions">
          {items.map((item, index) => (
            <li
              key={item.id}
              id={`${id}-opt-${index}`}
              role="option"
              aria-selected={index === active}
              onMouseDown={(event) => {
                event.preventDefault();
                go(item);
              }}
            >
              {item.title}
            </li>
          ))}
        </ul>
      </div>
      <button type="submit">{labels.button}</button>
    </form>
  );
}
