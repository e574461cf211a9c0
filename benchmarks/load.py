"""The load phase: gunicorn (2 sync workers) on 127.0.0.1, driven by wrk from another process.

wrk's own percentiles (--latency) are 50/75/90/99; the p95 reported here comes from the same
latency histogram, read in wrk's `done()` Lua callback (`latency:percentile(95)`). Without
wrk, a bounded Python client (threads, one keep-alive connection each) measures instead and
computes its p95 from every latency (nearest rank).
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from . import config

WORKERS = 2
CONNECTIONS = 8
THREADS = 2
NONCE = "NONCEVALUE"  # replaced per request, so every request misses the response cache
HEADERS = {"Accept": "application/json", "Host": "localhost"}

LUA = r"""
local paths = { %(paths)s }
local counter = 0
local threads = {}
local headers = { ["Accept"] = "application/json", ["Host"] = "localhost" }

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local path = paths[(counter %% #paths) + 1]
  path = (string.gsub(path, "%(nonce)s", tostring(tid) .. "x" .. tostring(counter)))
  return wrk.format("GET", path, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%%d,"duration_us":%%d,"p50_us":%%d,"p95_us":%%d,"p99_us":%%d,' ..
    '"mean_us":%%.1f,"max_us":%%d,"errors_connect":%%d,"errors_read":%%d,' ..
    '"errors_write":%%d,"errors_status":%%d,"errors_timeout":%%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.mean, latency.max, e.connect, e.read, e.write, e.status,
    e.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving the benchmark settings for one database; stop() ends it."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "cms.wsgi:application",
                f"--workers={WORKERS}",
                f"--bind=127.0.0.1:{self.port}",
                "--timeout=60",
                "--log-level=warning",
            ],
            cwd=config.BASE_DIR,
            env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "benchmarks.settings"},
        )
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                if self.get(path) == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer in time")

    def get(self, path: str) -> int:
        request = urllib.request.Request(self.base + path, headers=HEADERS)
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def run_case(server: Server, paths: list[str], seconds: int) -> dict:
    """Drive the server with CONNECTIONS concurrent clients for `seconds`; req/s and p95."""
    for path in paths[:4] * 3:  # warm every worker's caches a little
        server.get(path.replace(NONCE, f"warm{time.perf_counter_ns()}"))
    if shutil.which("wrk"):
        return _run_wrk(server, paths, seconds)
    return _run_python(server, paths, seconds)


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def _run_wrk(server: Server, paths: list[str], seconds: int) -> dict:
    script = LUA % {"paths": ", ".join(_lua_string(p) for p in paths), "nonce": NONCE}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        completed = subprocess.run(
            [
                "wrk",
                f"--threads={THREADS}",
                f"--connections={CONNECTIONS}",
                f"--duration={seconds}s",
                "--timeout=10s",
                "--latency",
                f"--script={handle.name}",
                server.base,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(handle.name)
    line = next(ln for ln in completed.stdout.splitlines() if ln.startswith("BENCHJSON "))
    raw = json.loads(line.removeprefix("BENCHJSON "))
    errors = sum(value for key, value in raw.items() if key.startswith("errors_"))
    return {
        "client": "wrk",
        "requests": raw["requests"],
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "errors": errors,
        "non_2xx": raw["errors_status"],
        "raw": raw,
    }


def _run_python(server: Server, paths: list[str], seconds: int) -> dict:
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        count = 0
        while time.monotonic() < deadline:
            count += 1
            path = paths[count % len(paths)].replace(NONCE, f"{number}x{count}")
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=HEADERS)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                failures[0] += not ok

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(i,)) for i in range(CONNECTIONS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    duration = time.perf_counter() - started
    ordered = sorted(latencies)

    def pct(fraction: float) -> float:
        return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]

    return {
        "client": "python",
        "requests": len(latencies),
        "rps": len(latencies) / duration,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "errors": failures[0],
        "non_2xx": failures[0],
    }
