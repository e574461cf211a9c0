/**
 * The one way this site reads the CMS: its public GraphQL endpoint, over HTTP.
 *
 * Queries go as automatic persisted queries over GET (the hash first, the query text only
 * when the API does not know it yet), so the API's response cache and any HTTP cache in
 * between can keep the answers. Server-side requests carry the front end's key.
 */
import { createHash } from "node:crypto";
import type { TypedDocumentString } from "@/gql/graphql";
import { API_KEY, CMS_API_URL } from "./config";
import { markApiDown } from "./outage";

export type GraphQLError = { message: string; path?: (string | number)[]; extensions?: { code?: string } };
export type Result<R> = { data: R | null; errors: GraphQLError[] };

/** The API did not answer, or answered that it cannot (5xx, 429): the page says so (503). */
export class ApiUnavailable extends Error {
  // Next.js passes a digest it finds on a server error to the error page unchanged: the page
  // can tell this case from a bug without the message, which production builds hide.
  digest = "API_UNAVAILABLE";
  constructor(reason: string) {
    super(`The content service is not answering: ${reason}`);
    markApiDown();
  }
}

/** A request error the site itself caused (a bad query or variable): a bug, not an outage. */
export class ApiRequestError extends Error {}

const hashes = new Map<string, string>();

export function sha256(text: string): string {
  let hash = hashes.get(text);
  if (!hash) {
    hash = createHash("sha256").update(text, "utf8").digest("hex");
    hashes.set(text, hash);
  }
  return hash;
}

/** The GET URL of a persisted query, with the query text when `withQuery`. */
export function persistedUrl(base: string, query: string, variables: object, withQuery: boolean): string {
  const params = new URLSearchParams();
  if (withQuery) params.set("query", query);
  params.set("variables", JSON.stringify(variables));
  params.set("extensions", JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256(query) } }));
  return `${base}/graphql/?${params}`;
}

async function get(url: string, preview: boolean): Promise<Result<unknown>> {
  const headers: Record<string, string> = {
    Accept: "application/graphql-response+json, application/json;q=0.9",
  };
  if (API_KEY) headers["X-Api-Key"] = API_KEY;
  let response: Response;
  try {
    response = await fetch(url, { headers, cache: "no-store", signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new ApiUnavailable(error instanceof Error ? (error.cause as Error)?.message ?? error.message : String(error));
  }
  if (response.status >= 500 || response.status === 429) {
    throw new ApiUnavailable(`HTTP ${response.status} from the API`);
  }
  let body: Result<unknown>;
  try {
    body = (await response.json()) as Result<unknown>;
  } catch {
    throw new ApiUnavailable(`HTTP ${response.status}, not JSON`);
  }
  if (response.status >= 400 && !preview) {
    throw new ApiRequestError(body.errors?.map((e) => e.message).join("; ") || `HTTP ${response.status}`);
  }
  return { data: body.data ?? null, errors: body.errors ?? [] };
}

/** Run a query; field errors come back in `errors` for the caller to act on. */
export async function query<R, V extends object>(
  document: TypedDocumentString<R, V>,
  variables: V,
  { preview = false }: { preview?: boolean } = {},
): Promise<Result<R>> {
  const text = document.toString();
  let result = await get(persistedUrl(CMS_API_URL, text, variables, false), preview);
  if (result.errors.some((e) => e.extensions?.code === "PERSISTED_QUERY_NOT_FOUND")) {
    result = await get(persistedUrl(CMS_API_URL, text, variables, true), preview);
  }
  return result as Result<R>;
}

/** Run a query whose every error is a failure of the page (all but SEARCH_UNAVAILABLE, ...). */
export async function queryData<R, V extends object>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  const { data, errors } = await query(document, variables);
  if (errors.length || data === null) {
    throw new ApiRequestError(errors.map((e) => `${e.extensions?.code}: ${e.message}`).join("; "));
  }
  return data;
}

export function errorCode(result: Result<unknown>): string | undefined {
  return result.errors.find((e) => e.extensions?.code)?.extensions?.code;
}
