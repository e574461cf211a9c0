/** Where the CMS is, read from the environment once (server side only). */

/** The GraphQL API as this server reaches it (may be an internal address). */
export const CMS_API_URL = (process.env.CMS_API_URL ?? "http://127.0.0.1:8000").replace(/\/$/, "");
/** The CMS as browsers reach it: feeds, sitemaps, search-as-you-type. */
export const CMS_PUBLIC_URL = (process.env.CMS_PUBLIC_URL ?? CMS_API_URL).replace(/\/$/, "");
/** This front end's key (GRAPHQL_CLIENT_KEYS on the CMS): its own rate-limit budget. */
export const API_KEY = process.env.CMS_API_KEY ?? "";
/** The Wagtail sites this front end serves, by hostname; the first is the default. */
export const SITES = (process.env.SITES ?? "localhost,conference.localhost")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
