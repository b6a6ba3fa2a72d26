#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""report.py BENCH.TSV JSON_OUT: the benchmark's rows as a markdown table
on stdout and as JSON.  Each (scenario, metric) is summarised by the
median, min and max of its runs, and set beside the same figure of the
baseline and of the peers, as a ratio."""
import json
import math
import statistics
import sys

# metric: (label, unit, higher is better)
METRICS = {
    "udp_pps_10k": ("UDP 64 B, 10k flows", "pkt/s", True),
    "udp_pps_1": ("UDP 64 B, 1 flow", "pkt/s", True),
    "tcp_gbps": ("TCP bulk (iperf3)", "Gbit/s", True),
    "tcp_pps": ("  packets through the LB (GSO segments)", "pkt/s", True),
    "crr": ("TCP connections, 1 request each (wrk)", "conn/s", True),
    "crr_p50_us": ("  request latency p50", "us", False),
    "crr_p99_us": ("  request latency p99", "us", False),
    "crr_errors": ("  socket errors (wrk: resets, timeouts)", "count", False),
    "mem_bytes": ("Memory per connection", "B/conn", False),
    "mem_conns": ("  connections measured", "conns", True),
    "offload_rules_per_s": ("Offload: rules installed", "rules/s", True),
    "offload_latency_p50_ms": ("  first packet to rules in place p50", "ms", False),
    "offload_latency_p99_ms": ("  first packet to rules in place p99", "ms", False),
    "offload_ready_p50_ms": ("  candidate to rules in place p50", "ms", False),
    "offload_ready_p99_ms": ("  candidate to rules in place p99", "ms", False),
    "offload_rules_installed": ("  rules installed in the run", "rules", True),
    "offload_refused": ("  flows refused", "flows", False),
}
TABLES = ["lbnic", "rhashtable", "ipvs-hlist"]


def load(path):
    meta, runs = {}, {}
    with open(path) as f:
        for line in f:
            scn, metric, value = line.rstrip("\n").split("\t", 2)
            if scn == "meta":
                meta[metric] = value
                continue
            runs.setdefault((scn, metric), []).append(float(value))
    return meta, runs


def summary(values):
    ok = [v for v in values if not math.isnan(v)]
    if not ok:
        return None
    return {"median": statistics.median(ok), "min": min(ok), "max": max(ok),
            "runs": len(values), "failed": len(values) - len(ok)}


def ratio(a, b):
    if a is None or b is None or not b["median"]:
        return None
    return a["median"] / b["median"]


def fmt(v):
    if v is None:
        return "-"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.3g}" if abs(v) < 10 else f"{v:.1f}"


def fmt_ratio(r):
    return "-" if r is None else f"{r:.2f}"


def main():
    meta, runs = load(sys.argv[1])
    stats = {k: summary(v) for k, v in runs.items()}
    scenarios = []
    for scn, _ in runs:
        if scn not in scenarios and not scn.startswith("table-"):
            scenarios.append(scn)
    rows = []
    print(f"lbnic benchmark: kernel {meta.get('kernel', '?')}, "
          f"{meta.get('cpus', '?')} vCPUs under QEMU TCG, "
          f"median of {meta.get('reps', '?')} runs (min-max); "
          f"generators: {meta.get('generator', '?')}.")
    print("Ratios are medians divided: vs baseline, and lbnic over IPVS (mh) "
          "and over nftables (jhash DNAT).\n")
    print("| metric | scenario | median | min-max | unit | vs baseline "
          "| lbnic/IPVS | lbnic/nft |")
    print("|---|---|---:|---:|---|---:|---:|---:|")
    for metric, (label, unit, _) in METRICS.items():
        for scn in scenarios:
            s = stats.get((scn, metric))
            if s is None and (scn, metric) not in runs:
                continue
            lbnic = scn.startswith("lbnic")
            row = {
                "scenario": scn, "metric": metric, "label": label.strip(),
                "unit": unit, **(s or {"median": None}),
                "ratio_baseline": ratio(s, stats.get(("baseline", metric))),
                "ratio_ipvs": ratio(s, stats.get(("ipvs", metric))) if lbnic else None,
                "ratio_nft": ratio(s, stats.get(("nft", metric))) if lbnic else None,
            }
            rows.append(row)
            spread = f"{fmt(s['min'])}-{fmt(s['max'])}" if s else "failed"
            print(f"| {label} | {scn} | {fmt(row['median'])} | {spread} | {unit} "
                  f"| {fmt_ratio(row['ratio_baseline'])} "
                  f"| {fmt_ratio(row['ratio_ipvs'])} | {fmt_ratio(row['ratio_nft'])} |")

    table_metrics = []
    for scn, metric in runs:
        if scn.startswith("table-") and metric not in table_metrics:
            table_metrics.append(metric)
    if table_metrics:
        print("\nConnection table, millions of operations per second "
              "(lbnic_bench.ko; seed 000 Figure 5):\n")
        print("| operation | occupancy | threads | " +
              " | ".join(TABLES) + " | lbnic/rhashtable | lbnic/ipvs-hlist |")
        print("|---|---:|---:|" + "---:|" * (len(TABLES) + 2))
    for metric in table_metrics:
        op, _, occ, threads = metric.split("_")
        cells = []
        for t in TABLES:
            s = stats.get((f"table-{t}", metric))
            cells.append(s)
            rows.append({"scenario": f"table-{t}", "metric": metric,
                         "label": f"{op} at {occ}", "unit": "Mops/s",
                         **(s or {"median": None}),
                         "ratio_lbnic": ratio(stats.get(("table-lbnic", metric)), s)})
        print(f"| {op} | {occ.replace('pct', '%')} | {threads.rstrip('t')} | " +
              " | ".join(fmt(c["median"]) if c else "-" for c in cells) +
              f" | {fmt_ratio(ratio(cells[0], cells[1]))} "
              f"| {fmt_ratio(ratio(cells[0], cells[2]))} |")

    with open(sys.argv[2], "w") as f:
        json.dump({"meta": meta, "rows": rows}, f, indent=1)
        f.write("\n")
    failed = sum(1 for r in rows if r["median"] is None or r.get("failed"))
    if failed:
        print(f"\n{failed} measurements failed (see the log above).")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
