#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""report.py BENCH.TSV JSON_OUT [--plot PREFIX] [--commit REV]: the
benchmark's rows (bench/guest.sh) as markdown on stdout and as JSON.

Each (scenario, metric) is summarised by the median, min and max of its
rounds.  Ratios are taken only between scenarios of one mode, and against
the ceilings: paired by round (round r of both ran in the same pass over
the scenarios), oriented so that above 1 means the first is better, with a
bootstrap 95% interval of their median.  An interval that contains 1.0 is
printed as "no difference".  Failed runs keep their rows and are counted
in the closing line; the exit status is 1 if there are any."""
import argparse
import json
import math
import random
import statistics
import sys

# metric: (label, unit, higher is better)
METRICS = {
    "udp_pps_10k": ("UDP 64 B, 10k flows", "pkt/s", True),
    "udp_pps_1": ("UDP 64 B, 1 flow", "pkt/s", True),
    "tcp_gbps": ("TCP bulk (iperf3)", "Gbit/s", True),
    "crr": ("TCP connections, 1 request each (wrk)", "conn/s", True),
    "crr_p50_us": ("wrk request latency p50", "us", False),
    "crr_p99_us": ("wrk request latency p99", "us", False),
    "mem_bytes": ("Memory per connection (slab + buckets)", "B/conn", False),
    "http_ka": ("HTTP 1 KB, keep-alive (wrk)", "req/s", True),
    "http_ka_p50_us": ("HTTP keep-alive latency p50", "us", False),
    "http_ka_p99_us": ("HTTP keep-alive latency p99", "us", False),
    "http_close": ("HTTP 1 KB, a connection each (wrk)", "req/s", True),
    "http_close_p50_us": ("HTTP one-per-connection latency p50", "us", False),
    "http_close_p99_us": ("HTTP one-per-connection latency p99", "us", False),
    "http_bulk": ("HTTP bulk download, one connection (curl)", "Gbit/s", True),
    "offload_rules_per_s": ("Offload: rules installed", "rules/s", True),
    "offload_latency_p50_ms": ("Offload: first packet to rules p50", "ms", False),
    "offload_latency_p99_ms": ("Offload: first packet to rules p99", "ms", False),
    "offload_ready_p50_ms": ("Offload: candidate to rules p50", "ms", False),
    "offload_ready_p99_ms": ("Offload: candidate to rules p99", "ms", False),
    "offload_rules_installed": ("Offload: rules installed in the run", "rules", True),
    "offload_refused": ("Offload: flows refused", "flows", False),
}
# Only these are compared; the others are the agent's own figures.
PAIRED = ["udp_pps_10k", "udp_pps_1", "tcp_gbps", "crr", "crr_p50_us",
          "crr_p99_us", "mem_bytes", "http_ka", "http_ka_p50_us",
          "http_ka_p99_us", "http_close", "http_close_p50_us",
          "http_close_p99_us", "http_bulk"]
SIDE = {
    "offered_pps": "offered, pkt/s", "delivered_pct": "delivered, %",
    "dev_drops": "LB device drops", "softnet_drops": "backlog drops",
    "pps": "packets through the LB, pkt/s", "retransmits": "retransmits",
    "requests": "requests", "errors": "socket errors",
    "conns": "connections", "object_bytes": "object, B",
    "slab_bytes": "slab, B/conn", "table_bytes": "buckets, B/conn",
}
TABLES = ["lbnic", "rhashtable", "ipvs-hlist"]
CEILINGS = ["route", "tc-redirect"]
BOOTSTRAP = 2000
# Below this many pairs a percentile bootstrap of the median is little more
# than the pairs' range: no verdict is given.
MIN_PAIRS = 6


def load(path):
    data = {"meta": {}, "config": {}, "mode": {}, "samples": {}, "setup": []}
    with open(path) as f:
        for line in f:
            scn, metric, value, rnd = line.rstrip("\n").split("\t", 3)
            if scn == "meta":
                data["meta"][metric] = value
            elif scn == "config":
                knobs = data["config"].setdefault(metric, [])
                if value not in knobs:
                    knobs.append(value)
            elif scn == "mode":
                data["mode"][metric] = value
            elif metric == "setup":
                data["setup"].append(scn)
            elif int(rnd) <= 0:
                continue    # the warm-up round
            else:
                data["samples"].setdefault((scn, metric), []).append(
                    (int(rnd), float(value)))
    return data


def summary(samples):
    ok = [v for _, v in samples if not math.isnan(v)]
    s = {"runs": len(samples), "failed": len(samples) - len(ok),
         "samples": [None if math.isnan(v) else v for _, v in samples]}
    if ok:
        s.update(median=statistics.median(ok), min=min(ok), max=max(ok))
    return s


def interval(ratios, rng):
    """The median of RATIOS and a percentile-bootstrap 95% interval."""
    if len(ratios) < 2:
        return statistics.median(ratios), None, None
    meds = sorted(statistics.median(rng.choices(ratios, k=len(ratios)))
                  for _ in range(BOOTSTRAP))
    return (statistics.median(ratios), meds[int(0.025 * BOOTSTRAP)],
            meds[int(0.975 * BOOTSTRAP) - 1])


def paired(a, b, higher, rng):
    """Ratios of A over B by round, oriented: above 1, A is better."""
    bv = {r: v for r, v in b}
    ratios = []
    for r, v in a:
        w = bv.get(r)
        if w is None or math.isnan(v) or math.isnan(w) or v <= 0 or w <= 0:
            continue
        ratios.append(v / w if higher else w / v)
    if not ratios:
        return None
    est, lo, hi = interval(ratios, rng)
    return {"ratio": est, "lo": lo, "hi": hi, "pairs": len(ratios)}


def verdict(r):
    if r is None:
        return "failed"
    if r["lo"] is None or r["pairs"] < MIN_PAIRS:
        return "too few pairs"
    if r["lo"] > 1:
        return "better"
    if r["hi"] < 1:
        return "worse"
    return "no difference"


def fmt(v):
    if v is None:
        return "-"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.3g}" if abs(v) < 10 else f"{v:.1f}"


def fmt_ratio(r):
    if r is None:
        return "-", "-"
    ci = "-" if r["lo"] is None else f"{r['lo']:.2f}-{r['hi']:.2f}"
    return f"{r['ratio']:.2f}", ci


def comparisons(data, scenarios):
    """(first, second) pairs: each lbnic scenario against every peer of its
    mode and against the ceilings; lbnic-offload also against lbnic-nat
    (TC's software path against lbnic's own for the same flows)."""
    out = []
    for a in scenarios:
        if not a.startswith("lbnic"):
            continue
        mode = data["mode"].get(a)
        out += [(a, b) for b in scenarios
                if data["mode"].get(b) == mode and
                (not b.startswith("lbnic") or
                 (a, b) == ("lbnic-offload", "lbnic-nat"))]
        out += [(a, b) for b in CEILINGS if b in scenarios]
    return out


def plot(ratios, prefix):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in ratios if r["lo"] is not None]
    fig, ax = plt.subplots(figsize=(9, 0.24 * len(rows) + 1.2))
    for i, r in enumerate(rows):
        colour = {"better": "tab:green", "worse": "tab:red"}.get(
            r["verdict"], "tab:gray")
        ax.errorbar(r["ratio"], i, xerr=[[max(0, r["ratio"] - r["lo"])],
                                         [max(0, r["hi"] - r["ratio"])]],
                    fmt="o", color=colour, capsize=2, markersize=3)
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{r['metric']}: {r['first']} / {r['second']}"
                        for r in rows], fontsize=6)
    ax.invert_yaxis()
    ax.set_xlabel("ratio, oriented: right of 1.0 the first is better "
                  "(median of paired rounds, bootstrap 95% interval)")
    fig.tight_layout()
    for ext in ("png", "svg"):
        fig.savefig(f"{prefix}.{ext}", dpi=120)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tsv")
    ap.add_argument("json_out")
    ap.add_argument("--plot")
    ap.add_argument("--commit", default="?")
    args = ap.parse_args()
    data = load(args.tsv)
    meta = data["meta"]
    rng = random.Random(meta.get("seed", "0"))
    stats = {k: summary(v) for k, v in data["samples"].items()}
    scenarios = []
    for scn, _ in data["samples"]:
        if scn not in scenarios and not scn.startswith("table-"):
            scenarios.append(scn)

    print(f"lbnic benchmark: commit {args.commit}, kernel "
          f"{meta.get('kernel', '?')}, {meta.get('cpus', '?')} vCPUs under "
          f"QEMU TCG, {meta.get('reps', '?')} rounds of {meta.get('secs', '?')} s "
          f"runs in random order (seed {meta.get('seed', '?')})"
          f"{' after a warm-up round' if meta.get('warmup', '1') != '0' else ''}; "
          f"memory: {meta.get('mem_reps', '?')} rounds; every "
          f"table {meta.get('table_buckets', '?')} buckets; generators: "
          f"{meta.get('generator', '?')}.\n")
    print("## Figures\n")
    print("| metric | scenario | mode | median | min-max | unit | runs "
          "| beside it (medians) |")
    print("|---|---|---|---:|---:|---|---:|---|")
    rows = []
    for metric, (label, unit, _) in METRICS.items():
        for scn in scenarios:
            s = stats.get((scn, metric))
            if s is None:
                continue
            sides = []
            for key, name in SIDE.items():
                t = stats.get((scn, f"{metric}:{key}"))
                if t and "median" in t:
                    sides.append(f"{name} {fmt(t['median'])}")
            row = {"scenario": scn, "metric": metric, "label": label,
                   "unit": unit, "mode": data["mode"].get(scn), **s,
                   "beside": {k: stats[(scn, f"{metric}:{k}")]
                              for k in SIDE if (scn, f"{metric}:{k}") in stats}}
            rows.append(row)
            spread = (f"{fmt(s['min'])}-{fmt(s['max'])}" if "median" in s
                      else "failed")
            runs = f"{s['runs']}" + (f" ({s['failed']} failed)"
                                     if s["failed"] else "")
            print(f"| {label} | {scn} | {row['mode'] or '-'} "
                  f"| {fmt(s.get('median'))} | {spread} | {unit} | {runs} "
                  f"| {'; '.join(sides)} |")
    for scn in data["setup"]:
        print(f"| (setup) | {scn} | {data['mode'].get(scn, '-')} | - "
              "| setup failed | | 0 | |")

    print("\n## Ratios\n")
    print("Paired by round, oriented so that above 1 the first scenario is "
          "better (rates: first/second; latency and memory: second/first); "
          "median of the paired ratios and its bootstrap 95% interval. "
          "Only within a mode, and against the two ceilings.\n")
    print("| metric | first | second | ratio | 95% interval | pairs "
          "| verdict |")
    print("|---|---|---|---:|---:|---:|---|")
    ratios = []
    for metric in PAIRED:
        higher = METRICS[metric][2]
        for a, b in comparisons(data, scenarios):
            sa, sb = data["samples"].get((a, metric)), data["samples"].get((b, metric))
            if sa is None or sb is None:
                continue
            r = paired(sa, sb, higher, rng)
            v = verdict(r)
            ratios.append({"metric": metric, "first": a, "second": b,
                           **(r or {"ratio": None, "lo": None, "hi": None,
                                    "pairs": 0}), "verdict": v})
            est, ci = fmt_ratio(r)
            print(f"| {METRICS[metric][0]} | {a} | {b} | {est} | {ci} "
                  f"| {r['pairs'] if r else 0} | {v} |")

    table_metrics = []
    for scn, metric in data["samples"]:
        if scn.startswith("table-") and metric not in table_metrics:
            table_metrics.append(metric)
    if table_metrics:
        print("\n## Connection table\n")
        print("Millions of operations per second (lbnic_bench.ko; seed 000 "
              "Figure 5), median of the module's rounds; the three tables "
              "take turns in each round, so the ratios are paired by round "
              "as above.\n")
        print("| operation | occupancy | threads | " + " | ".join(TABLES) +
              " | lbnic/rhashtable | interval | lbnic/ipvs-hlist | interval |")
        print("|---|---:|---:|" + "---:|" * (len(TABLES) + 4))
    for metric in table_metrics:
        op, _, occ, threads = metric.split("_")
        cells = [data["samples"].get((f"table-{t}", metric), []) for t in TABLES]
        for t, c in zip(TABLES, cells):
            rows.append({"scenario": f"table-{t}", "metric": metric,
                         "label": f"{op} at {occ}", "unit": "Mops/s",
                         **summary(c)})
        line = f"| {op} | {occ.replace('pct', '%')} | {threads.rstrip('t')} | "
        line += " | ".join(fmt(summary(c).get("median")) for c in cells)
        for other in (1, 2):
            r = paired(cells[0], cells[other], True, rng)
            ratios.append({"metric": metric, "first": "table-lbnic",
                           "second": f"table-{TABLES[other]}",
                           **(r or {"ratio": None, "lo": None, "hi": None,
                                    "pairs": 0}), "verdict": verdict(r)})
            line += " | %s | %s" % fmt_ratio(r)
        print(line + " |")

    print("\n## Configuration\n")
    for scn in scenarios + [s for s in data["setup"] if s not in scenarios]:
        knobs = "; ".join(data["config"].get(scn, [])) or "-"
        print(f"- **{scn}** ({data['mode'].get(scn, '-')}): {knobs}")

    main = [s for (_, m), s in stats.items() if ":" not in m]
    runs = sum(s["runs"] for s in main)
    failed = sum(s["failed"] for s in main)
    nodiff = sum(1 for r in ratios if r["verdict"] == "no difference")
    print(f"\n{runs} runs, {failed} failed, {len(data['setup'])} scenarios "
          f"failed setup; {len(ratios)} ratios, {nodiff} without a difference.")
    with open(args.json_out, "w") as f:
        json.dump({"meta": {**meta, "commit": args.commit},
                   "config": data["config"], "mode": data["mode"],
                   "setup_failed": data["setup"], "rows": rows,
                   "ratios": ratios}, f, indent=1)
        f.write("\n")
    if args.plot:
        plot(ratios, args.plot)
    return 1 if failed or data["setup"] else 0


if __name__ == "__main__":
    sys.exit(main())
