"""The benchmarks' targets and their verdicts (PASS, MISS, n.a.) from a run's results, with
the ratios they are judged on. benchmarks/report.py prints and writes them."""

from __future__ import annotations

PAGE_SIZES = (20, 100)
# Issue 19's item targets: SQL queries per item query, speed against REST v2 and the floor.
ITEM_MAX_QUERIES = 6
ITEM_OVER_REST = 3
ITEM_OVER_FLOOR = 10
# "Unaffected" publish: p95 during an outage at most this much above the normal p95.
OUTAGE_TOLERANCE = 1.5


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if not numerator or not denominator:
        return None
    return numerator / denominator


def ratios(run: dict) -> dict:
    """Ours vs REST v2 (uncached) and cached vs floor, per page size; search vs the anchor."""
    listing = run.get("listing", {})
    out: dict = {}
    for size in PAGE_SIZES:
        ours, rest_v2 = listing.get(f"graphql_{size}"), listing.get(f"rest_v2_{size}")
        cached, floor = listing.get(f"cached_{size}"), listing.get(f"floor_{size}")
        if ours and rest_v2:
            out[f"rest_over_ours_{size}"] = _ratio(rest_v2["median_ms"], ours["median_ms"])
        if cached and floor:
            out[f"cached_over_floor_{size}"] = _ratio(cached["median_ms"], floor["median_ms"])
    terms = run.get("search", {}).get("queries", {})
    speedups = {
        term: _ratio(entry["anchor"]["median_ms"], entry["ours"]["median_ms"])
        for term, entry in terms.items()
        if "ours" in entry
    }
    if speedups:
        out["search_speedups"] = speedups
        out["search_speedup_min"] = min(speedups.values())
        out["search_p95_max_ms"] = max(e["ours"]["p95_ms"] for e in terms.values() if "ours" in e)
    return out


def verdicts(results: dict) -> list[tuple[str, str, str]]:
    """(target, PASS/MISS/n.a., evidence) for each target of the issue, per database."""
    rows = []
    for db, runs in results["runs"].items():
        measured = {n: run for n, run in runs.items() if "listing" in run}
        if not measured:
            continue
        for size in PAGE_SIZES:
            counts = {
                n: run["listing"][f"graphql_{size}"]["queries"] for n, run in measured.items()
            }
            verdict = _pf(len(set(counts.values())) == 1) if len(counts) > 1 else "n.a."
            evidence = ", ".join(f"N={n}: {c}" for n, c in counts.items())
            rows.append(
                (f"[{db}] SQL queries per listing of {size} constant in N", verdict, evidence)
            )
        for size in PAGE_SIZES:
            values = {n: ratios(run).get(f"rest_over_ours_{size}") for n, run in measured.items()}
            ok = all(v is not None and v >= 3 for v in values.values())
            evidence = ", ".join(f"N={n}: {v:.2f}x" for n, v in values.items() if v)
            rows.append((f"[{db}] uncached listing of {size} >= 3x faster than REST v2",
                         _pf(ok), evidence))  # fmt: skip
        for size in PAGE_SIZES:
            values = {
                n: ratios(run).get(f"cached_over_floor_{size}") for n, run in measured.items()
            }
            active = all(
                run["listing"][f"cached_{size}"]["cache_active"] for run in measured.values()
            )
            ok = active and all(v is not None and v <= 2 for v in values.values())
            evidence = ", ".join(f"N={n}: {v:.2f}x" for n, v in values.items() if v)
            if not active:
                evidence += " (response cache not active)"
            rows.append((f"[{db}] cached listing of {size} within 2x the floor", _pf(ok), evidence))
        largest = max(measured)
        search = ratios(measured[largest])
        if "search_speedup_min" in search:
            rows.append(
                (
                    f"[{db}] search p95 < 50 ms at N={largest} (worst query)",
                    _pf(search["search_p95_max_ms"] < 50),
                    f"{search['search_p95_max_ms']:.1f} ms",
                )
            )
            rows.append(
                (
                    f"[{db}] search >= 50x faster than Wagtail's database backend at N={largest}",
                    _pf(search["search_speedup_min"] >= 50),
                    f"slowest ratio {search['search_speedup_min']:.1f}x (medians; "
                    + ", ".join(f"{t} {v:.1f}x" for t, v in search["search_speedups"].items())
                    + ")",
                )
            )
        else:
            reason = measured[largest].get("search", {}).get("skipped", "not measured")
            rows.append((f"[{db}] search targets", "n.a.", reason))
        rows.extend(item_verdicts(db, measured))
        outage = results.get("outage", {}).get(db)
        normal = measured[largest].get("publish")
        if outage and normal and "p95_ms" in outage:
            limit = normal["p95_ms"] * OUTAGE_TOLERANCE
            rows.append(
                (
                    f"[{db}] publish p95 unaffected by a search engine outage",
                    _pf(outage["p95_ms"] <= limit),
                    f"{normal['p95_ms']:.1f} ms normal, {outage['p95_ms']:.1f} ms with "
                    f"ELASTICSEARCH_URL={outage.get('elasticsearch_url')} "
                    f"(limit {OUTAGE_TOLERANCE}x)",
                )
            )
    return rows


def item_verdicts(db: str, measured: dict) -> list[tuple[str, str, str]]:
    """Issue 19's targets for the item queries, over every N measured."""
    runs = {n: run["items"] for n, run in measured.items() if run.get("items")}
    if not runs:
        return []
    cases = list(next(iter(runs.values())))
    counts = {
        case: sorted({v for items in runs.values() for v in _item_counts(items[case])})
        for case in cases
    }
    flat = {c for values in counts.values() for c in values}
    ok = all(len(values) == 1 for values in counts.values()) and max(flat) <= ITEM_MAX_QUERIES
    rows = [
        (
            f"[{db}] SQL queries per item query constant (rich or plain item, any N) and "
            f"<= {ITEM_MAX_QUERIES}",
            _pf(ok),
            "; ".join(f"{case}: {'/'.join(map(str, v))}" for case, v in counts.items()),
        )
    ]
    for label, key, limit, better in (
        (f">= {ITEM_OVER_REST}x faster than REST v2's detail", "rest_v2", ITEM_OVER_REST, True),
        (f"within {ITEM_OVER_FLOOR}x the floor", "floor", ITEM_OVER_FLOOR, False),
    ):
        ratios_ = {
            (n, case): _ratio(items[case][key]["median_ms"], items[case]["uncached"]["median_ms"])
            if better
            else _ratio(items[case]["uncached"]["median_ms"], items[case][key]["median_ms"])
            for n, items in runs.items()
            for case in cases
        }
        ok = all(v is not None and (v >= limit if better else v <= limit) for v in ratios_.values())
        worst = (min if better else max)(ratios_.items(), key=lambda kv: kv[1] or 0)
        evidence = f"worst {worst[1]:.2f}x ({worst[0][1]}, N={worst[0][0]}); " + ", ".join(
            f"{case} {min(v for (n, c), v in ratios_.items() if c == case):.2f}"
            f"-{max(v for (n, c), v in ratios_.items() if c == case):.2f}x"
            for case in cases
        )
        rows.append((f"[{db}] uncached item query {label}", _pf(ok), evidence))
    for n, items in runs.items():
        typename = [e["typename"]["median_ms"] for e in items.values()]
        shares = [e["typename"]["median_ms"] / e["uncached"]["median_ms"] for e in items.values()]
        rows.append(
            (
                f"[{db}] fixed cost of a GraphQL request (`{{ __typename }}`, uncached), N={n}",
                "info",
                f"median {min(typename):.2f}-{max(typename):.2f} ms, "
                f"{min(shares):.0%}-{max(shares):.0%} of an uncached item query",
            )
        )
    return rows


def _item_counts(entry: dict) -> list[int]:
    return [entry["queries"], *([entry["queries_plain"]] if "queries_plain" in entry else [])]


def _pf(ok: bool) -> str:
    return "PASS" if ok else "MISS"
