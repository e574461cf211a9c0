/**
 * `next start`, plus one thing it cannot do: answer 503 (with Retry-After) when a page could
 * not be made because the CMS's API is down. The pages render their "service unavailable"
 * message themselves; src/lib/outage.ts marks the request, through the AsyncLocalStorage
 * opened here around it, and its status is set as the headers go out.
 *
 * Usage: node server.mjs [--port 3000] [--host 127.0.0.1]
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import next from "next";

const { values } = parseArgs({ options: { port: { type: "string", default: process.env.PORT ?? "3000" }, host: { type: "string", default: "127.0.0.1" } } });
const port = Number(values.port);
const outage = (globalThis[Symbol.for("efus.frontend.outage")] ??= new AsyncLocalStorage());

const app = next({ dev: false, dir: import.meta.dirname, hostname: values.host, port });
const handle = app.getRequestHandler();
await app.prepare();

createServer((request, response) => {
  const state = { apiDown: false };
  const writeHead = response.writeHead;
  response.writeHead = function (status, ...rest) {
    if (state.apiDown && (status ?? response.statusCode) < 300) {
      response.setHeader("Retry-After", "30");
      response.setHeader("Cache-Control", "no-store");
      return writeHead.call(this, 503, ...rest);
    }
    return writeHead.call(this, status, ...rest);
  };
  outage.run(state, () => handle(request, response));
}).listen(port, values.host, () => {
  console.log(`Front end ready on http://${values.host}:${port}`);
});
