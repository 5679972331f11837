#!/usr/bin/env python3
"""Turns bench/out/raw.jsonl into the Markdown of bench/RESULTS.md: medians, min, max and ratios, and the targets.

    report.py OUT_DIR SIZES ROUNDS SEED
"""
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import zlib

out, sizes, rounds, seed = sys.argv[1], [int(s) for s in sys.argv[2].split(",")], sys.argv[3], sys.argv[4]
rows = [json.loads(l) for l in open(os.path.join(out, "raw.jsonl")) if l.strip()]
measured = [r for r in rows if r["round"] > 0]


def values(case, size, key="wall"):
    return [r[key] for r in measured if r["case"] == case and r["size"] == size and key in r]


def med(case, size, key="wall"):
    v = values(case, size, key)
    return statistics.median(v) if v else float("nan")


def per_round_ratio(a, b, size):
    """Median over rounds of a/b, each pair measured in the same round."""
    by_round = {}
    for r in measured:
        if r["size"] == size and r["case"] in (a, b):
            by_round.setdefault(r["round"], {})[r["case"]] = r["wall"]
    ratios = [x[a] / x[b] for x in by_round.values() if a in x and b in x and x[b] > 0]
    return statistics.median(ratios) if ratios else float("nan")


def machine():
    mem = next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1]
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    load = [open(os.path.join(out, f)).read().strip().split("load average:")[1].strip()
            for f in ("load-start.txt", "load-end.txt") if os.path.exists(os.path.join(out, f))]
    return (f"{os.cpu_count()} cores ({cpu}), {int(mem) / 1024 / 1024:.1f} GiB memory, {java}, "
            f"zlib {zlib.ZLIB_RUNTIME_VERSION}, {platform.system()} {platform.release()}; "
            f"load average at start / end: {' / '.join(load)}")


def fmt(x, digits=2):
    return "n/a" if x != x else f"{x:.{digits}f}"


lines = ["# Benchmark results", "",
         "Written by `bench/run` (do not edit by hand; run it again). Medians and ratios only: the machine is shared",
         "and noisy, so single figures and absolute times mean little; ratios are between cases run in the same rounds.",
         "", f"- Machine: {machine()}",
         f"- Rounds: {rounds} after one warm-up, cases interleaved in every round; fixtures from seed {seed}."]
pool = os.path.join(out, f"fixtures-{sizes[0]}-seed{seed}.pool")
if os.path.exists(pool):
    lines.append(f"- Fixtures: {open(pool).readline().strip()}.")
lines.append("")

for size in sizes:
    rel = med("release", size)
    start = med("startup", size)
    lines += [f"## {size} MB per platform ({3 * size} MB of binaries)", "",
              "| case | median s | min s | max s | release ÷ case | peak RSS MB (median) |",
              "|---|---:|---:|---:|---:|---:|"]
    names = {"release": "(1) release --dry-run through the jar, JVM start-up included",
             "baseline": "    the same through the jar before issue 9 (%s)" % os.path.basename(os.environ.get("BENCH_BASELINE", "")),
             "parallelism": "    the same with RELEASE_PARALLELISM=%s" % os.environ.get("BENCH_ALSO_PARALLELISM", ""),
             "startup": "    of which start-up and shutdown (same command, no archives)",
             "bound": "(4) lower bound: inflate + deflate-6 + sha256, 2 cores",
             "floor": "(2) standard tools: tar/unzip, zip -6, sha256sum, one platform after another",
             "seed": "(3) the seed's steps: extract, copy, python3 -m build --wheel, rename, sdist"}
    for case in ("release", "baseline", "parallelism", "startup", "bound", "floor", "seed"):
        v = values(case, size)
        if not v:
            continue
        ratio = "" if case in ("release", "startup") else fmt(per_round_ratio("release", case, size))
        rss = values(case, size, "rss_kb")
        lines.append(f"| {names[case]} | {fmt(statistics.median(v))} | {fmt(min(v))} | {fmt(max(v))} | {ratio} | "
                     f"{fmt(statistics.median(rss) / 1024, 0) if rss and case != 'bound' else ''} |")
    b = [r["detail"] for r in measured if r["case"] == "bound" and r["size"] == size]
    walls = [d["parallel_wall_s"] for d in b if "parallel_wall_s" in d]
    if walls:
        by_round = {r["round"]: r["wall"] for r in measured if r["case"] == "release" and r["size"] == size}
        pr = [by_round[r["round"]] / r["detail"]["parallel_wall_s"] for r in measured
              if r["case"] == "bound" and r["size"] == size and r["round"] in by_round and "parallel_wall_s" in r["detail"]]
        lines.append(f"| (4b) the same work for real: one process per platform, all at once (zlib, OpenSSL) | "
                     f"{fmt(statistics.median(walls))} | {fmt(min(walls))} | {fmt(max(walls))} | "
                     f"{fmt(statistics.median(pr))} | |")
    if b:
        rates = {k: statistics.median([p[k] for d in b for p in d["platforms"] if p.get(k)])
                 for k in ("inflate_mbps", "deflate_mbps", "sha256_mbps")}
        lines += ["", f"Single-core throughput measured on these bytes (medians): inflate {rates['inflate_mbps']:.0f} MB/s, "
                  f"deflate-6 {rates['deflate_mbps']:.1f} MB/s, sha256 {rates['sha256_mbps']:.0f} MB/s; bound = "
                  f"max(total work / 2, largest platform) = max({statistics.median([d['total_work_s'] for d in b]) / 2:.2f}, "
                  f"{statistics.median([d['largest_s'] for d in b]):.2f}) s."]
    if start == start:
        lines += ["", f"Without start-up (release − start-up medians, {fmt(rel - start)} s): "
                  f"{fmt((rel - start) / med('bound', size))} × the lower bound, "
                  f"{fmt((rel - start) / med('floor', size))} × the floor."]
    lines.append("")

big, small = max(sizes), min(sizes)
rss_big = max(values("release", big, "rss_kb") or [0]) / 1024
rss_small = max(values("release", small, "rss_kb") or [0]) / 1024
rss_growth = med("release", big, "rss_kb") / med("release", small, "rss_kb") - 1 if big != small else float("nan")


def verdict(ok):
    return "holds" if ok else "**missed**"


lines += [f"## Targets ({big} MB per platform)", "", "| target | measured | |", "|---|---|---|"]
r_bound = per_round_ratio("release", "bound", big)
r_floor = per_round_ratio("release", "floor", big)
r_seed = per_round_ratio("seed", "release", big)
lines.append(f"| release ≤ 1.25 × lower bound | {fmt(r_bound)} × | {verdict(r_bound <= 1.25)} |")
lines.append(f"| release ≤ 0.75 × standard-tools floor | {fmt(r_floor)} × | {verdict(r_floor <= 0.75)} |")
lines.append(f"| release ≥ 7 × faster than the seed's steps | {fmt(r_seed, 1)} × | {verdict(r_seed >= 7)} |")
lines.append(f"| peak RSS ≤ 300 MB (default -Xmx) | {rss_big:.0f} MB at {big} MB, {rss_small:.0f} MB at {small} MB (max of rounds) | "
             f"{verdict(max(rss_big, rss_small) <= 300)} |")
if big != small:
    lines.append(f"| RSS at {big} MB within 10 % of RSS at {small} MB | {rss_growth * 100:+.1f} % (medians) | {verdict(abs(rss_growth) <= 0.10)} |")
if small != big:
    rb = per_round_ratio("release", "bound", small)
    rf = per_round_ratio("release", "floor", small)
    rs = per_round_ratio("seed", "release", small)
    lines.append(f"| at {small} MB, with start-up: bound / floor / seed | {fmt(rb)} × / {fmt(rf)} × / {fmt(rs, 1)} × faster | |")
if values("baseline", big):
    lines.append(f"| (before and after) the jar before issue 9 ÷ this one | {fmt(per_round_ratio('baseline', 'release', big))} × "
                 f"at {big} MB, {fmt(per_round_ratio('baseline', 'release', small))} × at {small} MB | |")
if values("parallelism", big):
    lines.append(f"| (choice of default) RELEASE_PARALLELISM={os.environ.get('BENCH_ALSO_PARALLELISM', '')} ÷ default | "
                 f"{fmt(per_round_ratio('parallelism', 'release', big))} × at {big} MB, "
                 f"{fmt(per_round_ratio('parallelism', 'release', small))} × at {small} MB | |")
transfer = os.path.join(out, "transfer.txt")
if os.path.exists(transfer):
    text = open(transfer).read().strip()
    m = re.search(r"peak RSS (\d+) MB", text)
    lines.append(f"| download and upload in constant memory | {text} | {verdict(m and int(m.group(1)) <= 300)} |")
lines.append("")
print("\n".join(lines))
