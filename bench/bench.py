"""pyowned's benchmark against the hand-written C API and the peers (benchmarks.md).

Run it through bench/run.sh, which makes the private environment first:

    bash bench/run.sh            # everything; writes bench/results/results.{md,json,png}
    bash bench/run.sh --quick    # few items, one round, no chart: the test suite's check

Steps: build every peer's module (peers.py), check each against the contract
(cases.check), time every case with all peers in this process (timing.py), count
instructions per call (callgrind.py), measure the size of a Point instance (instances.py)
and resident growth over a dict iteration (memory.py), build a generated many-function
module per peer (buildsize.py), then write the table (report.py). Exits non-zero when a
module that was built fails its check, or when capi or pyowned (unless --peers leaves it
out) cannot be built; a peer that cannot be installed is reported and left out.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
from pathlib import Path

import cases
import report
from buildsize import run_build_figure
from callgrind import available as callgrind_available, run_callgrind
from instances import run_instances
from memory import run_memory
from peers import BENCH, ROOT, all_peers, build_all, load_checked
from timing import run_timing

FULL = dict(n_items=100_000, n_calls=100_000, rounds=7, target_ns=20_000_000, memory_items=10_000_000,
            instances=100_000, build_functions=200, build_classes=20, callgrind=(20_000, 40_000))
QUICK = dict(n_items=1_000, n_calls=1_000, rounds=1, target_ns=0, memory_items=100_000,
             instances=1_000, build_functions=10, build_classes=2, callgrind=(200, 400))


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({model}), {platform.system()} {platform.release()}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="few items, one round, no chart (the test suite's mode)")
    ap.add_argument("--peers", help="comma-separated subset of peers, by name or module key (capi is always "
                    "included; pyowned only when named)")
    ap.add_argument("--no-callgrind", action="store_true")
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--no-build-figure", action="store_true")
    ap.add_argument("--build-dir", type=Path, default=ROOT / "build" / "bench")
    ap.add_argument("--out", type=Path, help="output directory (default bench/results, or build/bench/quick)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--report-only", type=Path, metavar="RESULTS_JSON",
                    help="rewrite the table and chart from a results.json, measuring nothing")
    args = ap.parse_args(argv)
    if args.report_only:
        results = json.loads(args.report_only.read_text())
        out = args.out or args.report_only.parent
        (out / "results.md").write_text(report.markdown(results))
        report.chart(results, out / "results.png")
        return 0
    mode = QUICK if args.quick else FULL
    out = args.out or (args.build_dir / "quick" if args.quick else BENCH / "results")
    out.mkdir(parents=True, exist_ok=True)

    peers = all_peers()
    if args.peers:
        wanted = set(args.peers.split(",")) | {"capi"}
        unknown = wanted - {p.name for p in peers} - {p.key for p in peers}
        if unknown:
            ap.error(f"unknown peers: {', '.join(sorted(unknown))}")
        peers = [p for p in peers if p.name in wanted or p.key in wanted]
    progress("building the peer modules")
    modules_dir = build_all(peers, args.build_dir, args.jobs)

    modules, failures = load_checked(peers, modules_dir, progress)
    available = [p for p in peers if not p.problem]
    progress("checked: " + ", ".join(p.name for p in available))

    results = {"meta": {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
        "machine": machine(),
        "python": f"CPython {platform.python_version()}",
        "versions": {p.name: p.version for p in available if p.version},
        "peers": [p.name for p in available],
        "unavailable": {p.name: p.problem for p in peers if p.problem},
        # (BENCH_COMMAND: the script that ran this one, when it chose the peers itself)
        "command": os.environ.get("BENCH_COMMAND")
                   or "bash bench/run.sh" + (" --quick" if args.quick else "")
                   + (f" --peers {args.peers}" if args.peers else ""),
        "mode": "quick" if args.quick else "full",
        **{k: v for k, v in mode.items() if k != "callgrind"},
    }}
    if failures:
        for f in failures:
            progress(f"FAILED: {f}")
        (out / "results.json").write_text(json.dumps(results, indent=1))
        return 1

    results["timing"] = run_timing(modules, mode["n_items"], mode["n_calls"], mode["rounds"],
                                   mode["target_ns"], progress)
    if not args.no_callgrind:
        if callgrind_available():
            # the quick mode counts a call and a class case: enough to keep both paths exercised
            results["callgrind"] = run_callgrind(modules_dir, modules, *mode["callgrind"], progress,
                                                 only=("call_noop", "obj_method") if args.quick else None)
        else:
            progress("valgrind is not installed: no instruction counts")
    results["instances"] = run_instances(modules_dir, modules, mode["instances"], progress)
    if not args.no_memory:
        results["memory"] = run_memory(modules_dir, modules, mode["memory_items"], progress)
    if not args.no_build_figure:
        results["build"] = run_build_figure(available, args.build_dir, mode["build_functions"], args.jobs,
                                            progress, fresh_cargo=not args.quick)
        results["build_classes"] = run_build_figure(available, args.build_dir, mode["build_classes"], args.jobs,
                                                    progress, fresh_cargo=not args.quick, shape="classes")
        for figure in ("build", "build_classes"):
            for peer, b in results[figure].items():
                failures += [f"{peer} generated module ({figure}): {x}" for x in b["problems"]]

    (out / "results.json").write_text(json.dumps(results, indent=1))
    text = report.markdown(results)
    (out / "results.md").write_text(text)
    if not args.quick:
        report.chart(results, out / "results.png")
    print(text)
    progress(f"wrote {out}")
    for f in failures:
        progress(f"FAILED: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
