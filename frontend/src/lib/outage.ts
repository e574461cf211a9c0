/** The request's "the API is down" mark, read by server.mjs to answer 503 (also set by the
 * search page when only the search engine is down). */
import type { AsyncLocalStorage } from "node:async_hooks";

type State = { apiDown: boolean };

export function markApiDown(): void {
  const storage = (globalThis as Record<symbol, AsyncLocalStorage<State> | undefined>)[Symbol.for("efus.frontend.outage")];
  const state = storage?.getStore();
  if (state) state.apiDown = true;
}
