"use client";
/**
 * The words of the error and 404 pages (app/[locale]/error.tsx, not-found.tsx), in the page's
 * language, handed down by the layout: the error boundary runs in the browser, a 404 page gets
 * no params, and the whole table of interface strings (lib/messages.ts) is not shipped to the
 * browser for a few sentences.
 */
import { createContext, useContext, type ReactNode } from "react";

export type ErrorWordsValue = {
  errorTitle: string;
  errorText: string;
  unavailableTitle: string;
  unavailableText: string;
  tryAgain: string;
  notFoundTitle: string;
  notFoundText: string;
  home: string;
  search: string;
  /** The home and search pages' paths in the page's locale ("/de/", "/de/search/"). */
  homePath: string;
  searchPath: string;
};

const Context = createContext<ErrorWordsValue | null>(null);

export function ErrorWords({ words, children }: { words: ErrorWordsValue; children: ReactNode }) {
  return <Context value={words}>{children}</Context>;
}

/** The words; the [locale] layout always provides them (without, global-error.tsx answers). */
export function useErrorWords(): ErrorWordsValue {
  const words = useContext(Context);
  if (!words) throw new Error("ErrorWords is missing above the error boundary");
  return words;
}
