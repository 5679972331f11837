#!/usr/bin/env python3
"""Turns bench/out/raw.jsonl into the Markdown of bench/RESULTS.md: medians, min, max and ratios, and the targets.

    report.py OUT_DIR SIZES PLATFORM_COUNTS ROUNDS SEED
"""
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import zlib

out, rounds, seed = sys.argv[1], sys.argv[4], sys.argv[5]
sizes = [int(s) for s in sys.argv[2].split(",") if s]
counts = [int(n) for n in sys.argv[3].split(",")]
rows = [json.loads(l) for l in open(os.path.join(out, "raw.jsonl")) if l.strip()]
measured = [r for r in rows if r["round"] > 0]
NAN = float("nan")


def select(case, size=0, n=0):
    return [r for r in measured if r["case"] == case and r.get("size", 0) == size and r.get("platforms", 0) == n]


def values(case, size=0, n=0, key="wall"):
    return [r[key] for r in select(case, size, n) if r.get(key) is not None]


def step_values(case, size, n, step):
    return [r["steps"][step] for r in select(case, size, n) if step in r.get("steps", {})]


def med(v):
    return statistics.median(v) if v else NAN


def per_round_ratio(a, b, size, n, b_key="wall"):
    """Median over rounds of a/b, each pair measured in the same round."""
    first = {r["round"]: r["wall"] for r in select(a, size, n)}
    second = {r["round"]: (r["detail"][b_key] if b_key != "wall" else r["wall"]) for r in select(b, size, n)}
    ratios = [first[k] / second[k] for k in first if k in second and second[k]]
    return med(ratios)


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


def mb(kb_values):
    return fmt(med(kb_values) / 1024, 0) if kb_values else ""


def verdict(ok):
    return "holds" if ok else "**missed**"


lines = ["# Benchmark results", "",
         "Written by `bench/run` (do not edit by hand; run it again). Medians and ratios only: the machine is shared",
         "and noisy, so single figures and absolute times mean little; ratios are between cases run in the same rounds.",
         "", f"- Machine: {machine()}",
         f"- Rounds: {rounds} after one warm-up, cases interleaved in every round; fixtures from seed {seed}.",
         "- Every `release` runs as the README says: `java -XX:SharedArchiveFile=… -jar` with the class-data sharing "
         "archive of `deploy/cds-archive`."]
pool = os.path.join(out, f"fixtures5-{sizes[0]}-seed{seed}.pool") if sizes else ""
if pool and os.path.exists(pool):
    lines.append(f"- Fixtures: {open(pool).readline().strip()}.")
lines.append("")

# --- start-up ---
names = {"startup": "`release` to its first step, with the CDS archive",
         "startup-plain": "`release` to its first step, plain `java -jar`",
         "service": "service to ready (`/observe/health/ready` UP), with the CDS archive",
         "service-plain": "service to ready, plain `java -jar`",
         "jvm": "bound: `java -version`",
         "hello": "bound: bare camel-main + YAML DSL, one timer → log route, to its message (same jar, CDS archive)"}
if any(values(c) for c in names):
    lines += ["## Start-up", "",
              "Timed from the launch of the process (`bench/lib/startup.py`); CPU is user + system seconds of the whole "
              "process, which the load of a shared machine inflates less than wall time.", "",
              "| case | median s | min s | max s | CPU s (median) | whole process s | peak RSS MB |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for case, name in names.items():
        v = values(case)
        if v:
            lines.append(f"| {name} | {fmt(med(v))} | {fmt(min(v))} | {fmt(max(v))} | {fmt(med(values(case, key='cpu')))} | "
                         f"{fmt(med(values(case, key='total')))} | {mb(values(case, key='rss_kb'))} |")
    ratios = []
    for a, b, what in (("startup", "startup-plain", "`release` to its first step with ÷ without the archive"),
                       ("service", "service-plain", "service to ready with ÷ without the archive"),
                       ("startup", "hello", "`release` to its first step ÷ the bare camel-main"),
                       ("service", "hello", "service to ready ÷ the bare camel-main")):
        r = per_round_ratio(a, b, 0, 0)
        if r == r:
            ratios.append(f"{what}: {fmt(r)} ×")
    if ratios:
        lines += ["", "Per round, wall time: " + "; ".join(ratios) + "."]
    lines.append("")

# --- per size and platform count ---
case_names = {"release": "(1) full dry run: `release --dry-run`, install proof included",
              "build": "(1a) the build only: the same with `VERIFY_INSTALL=off`",
              "baseline": "    the full dry run through %s" % os.path.basename(os.environ.get("BENCH_BASELINE", "")),
              "parallelism": "    the full dry run with RELEASE_PARALLELISM=%s" % os.environ.get("BENCH_ALSO_PARALLELISM", ""),
              "bound": "(4) lower bound: inflate + deflate-6 + sha256, all cores",
              "floor": "(2) standard tools: tar/unzip, zip -6, sha256sum, one platform after another",
              "seed": "(3) the seed's steps: extract, copy, python3 -m build --wheel, rename, sdist"}
for size in sizes:
    for n in counts:
        if not values("release", size, n):
            continue
        lines += [f"## {size} MB per platform, {n} platforms ({n * size} MB of binaries)", "",
                  "| case | median s | min s | max s | full dry run ÷ case | peak RSS MB (median) |",
                  "|---|---:|---:|---:|---:|---:|"]
        for case in ("release", "build", "baseline", "parallelism"):
            v = values(case, size, n)
            if v:
                ratio = "" if case == "release" else fmt(per_round_ratio("release", case, size, n))
                lines.append(f"| {case_names[case]} | {fmt(med(v))} | {fmt(min(v))} | {fmt(max(v))} | {ratio} | "
                             f"{mb(values(case, size, n, 'rss_kb'))} |")
        for case, step, name in (("release", "install-proof", "(1b) the proof alone: (1)'s install-proof step"),
                                 ("build", "wheels", "     (1a)'s wheels step")):
            v = step_values(case, size, n, step)
            if v:
                lines.append(f"| {name} | {fmt(med(v))} | {fmt(min(v))} | {fmt(max(v))} | | |")
        b = [r["detail"] for r in select("bound", size, n)]
        walls = [d["parallel_wall_s"] for d in b if "parallel_wall_s" in d]
        if walls:
            lines.append(f"| (4b) the same work for real: one zlib/OpenSSL process per platform, all at once | "
                         f"{fmt(med(walls))} | {fmt(min(walls))} | {fmt(max(walls))} | "
                         f"{fmt(per_round_ratio('release', 'bound', size, n, 'parallel_wall_s'))} | |")
        for case in ("bound", "floor", "seed"):
            v = values(case, size, n)
            if v:
                rss = values(case, size, n, "rss_kb")
                lines.append(f"| {case_names[case]} | {fmt(med(v))} | {fmt(min(v))} | {fmt(max(v))} | "
                             f"{fmt(per_round_ratio('release', case, size, n))} | {mb(rss) if case != 'bound' else ''} |")
        if b:
            rates = {k: med([p[k] for d in b for p in d["platforms"] if p.get(k)])
                     for k in ("inflate_mbps", "deflate_mbps", "sha256_mbps")}
            lines += ["", f"Single-core throughput measured on these bytes (medians): inflate {fmt(rates['inflate_mbps'], 0)} MB/s, "
                      f"deflate-6 {fmt(rates['deflate_mbps'], 1)} MB/s, sha256 {fmt(rates['sha256_mbps'], 0)} MB/s; bound = "
                      f"max(total work / cores, largest platform) = max({med([d['total_work_s'] / d['cores'] for d in b]):.2f}, "
                      f"{med([d['largest_s'] for d in b]):.2f}) s."]
        lines.append("")

# --- targets ---
big, small = max(sizes or [0]), min(sizes or [0])
lines += [f"## Targets ({big} MB per platform unless said)" if sizes else "## Targets", "",
          "| target | measured | |", "|---|---|---|"]
for n in counts:
    r = per_round_ratio("release", "bound", big, n, "parallel_wall_s")
    if r == r:
        target = " (target at 3)" if n == 3 else " (reported)"
        lines.append(f"| full dry run ≤ 1.5 × the same work for real (4b), {n} platforms{target} | {fmt(r)} × | "
                     f"{verdict(r <= 1.5) if n == 3 else ''} |")
for n in counts:
    r = per_round_ratio("build", "bound", big, n, "parallel_wall_s")
    if r == r:
        lines.append(f"| (for the record) the build only (1a) ÷ the same work for real (4b), {n} platforms | {fmt(r)} × | |")
for n in counts:
    v = med(step_values("release", big, n, "install-proof"))
    if v == v:
        lines.append(f"| install proof ≤ 2 s at 5 platforms; {n} platforms: 5 Pythons × {n} = {5 * n} cells and the host smoke test | {fmt(v)} s | "
                     f"{verdict(v <= 2) if n == 5 else ''} |")
for case, limit, name in (("startup", 0.6, "`release` start-up to the first step ≤ 0.6 s"),
                          ("service", 1.5, "service mode to ready ≤ 1.5 s")):
    v = med(values(case))
    if v == v:
        lines.append(f"| {name} | {fmt(v)} s (plain `java -jar`: {fmt(med(values(case + '-plain')))} s) | {verdict(v <= limit)} |")
for n in counts:
    rss = {s: values("release", s, n, "rss_kb") + values("build", s, n, "rss_kb") for s in sizes}
    peak = {s: max(v) / 1024 for s, v in rss.items() if v}
    if peak:
        growth = med(rss[big]) / med(rss[small]) - 1 if big != small and rss[big] and rss[small] else NAN
        span = f"flat from {small} to {big} MB" if big != small else f"at {big} MB"
        lines.append(f"| peak RSS ≤ 300 MB, {span}, {n} platforms | "
                     + ", ".join(f"{peak[s]:.0f} MB at {s} MB" for s in sizes if s in peak)
                     + f" (max of rounds){'' if growth != growth else f'; {growth * 100:+.1f} % (medians)'} | "
                     f"{verdict(max(peak.values()) <= 300 and (growth != growth or abs(growth) <= 0.10))} |")
if 3 in counts:
    r_bound = per_round_ratio("release", "bound", big, 3)
    r_floor = per_round_ratio("release", "floor", big, 3)
    r_seed = per_round_ratio("seed", "release", big, 3)
    if r_floor == r_floor:
        lines.append(f"| (issue 9, 3 platforms) build only ÷ lower bound; full dry run ÷ floor; seed ÷ full dry run | "
                     f"{fmt(per_round_ratio('build', 'bound', big, 3))} × ; {fmt(r_floor)} × ; {fmt(r_seed, 1)} × | |")
for n in counts:
    if values("baseline", big, n):
        lines.append(f"| (before and after, {n} platforms) baseline ÷ this jar | "
                     f"{fmt(per_round_ratio('baseline', 'release', big, n))} × at {big} MB, "
                     f"{fmt(per_round_ratio('baseline', 'release', small, n))} × at {small} MB | |")
    if values("parallelism", big, n):
        lines.append(f"| (choice of default, {n} platforms) RELEASE_PARALLELISM={os.environ.get('BENCH_ALSO_PARALLELISM', '')} ÷ default | "
                     f"{fmt(per_round_ratio('parallelism', 'release', big, n))} × at {big} MB, "
                     f"{fmt(per_round_ratio('parallelism', 'release', small, n))} × at {small} MB | |")
transfer = os.path.join(out, "transfer.txt")
if os.path.exists(transfer):
    text = open(transfer).read().strip()
    m = re.search(r"peak RSS (\d+) MB", text)
    lines.append(f"| download and upload in constant memory | {text} | {verdict(bool(m) and int(m.group(1)) <= 300)} |")
lines.append("")
print("\n".join(lines))
