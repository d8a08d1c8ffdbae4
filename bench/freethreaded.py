"""The class cases on free-threaded CPython (3.13t), counted by callgrind, for every peer
that builds there. Run it through bench/freethreaded.sh, which makes the 3.13t environment
and sets PYTHON_GIL=0 (a module that does not declare free-threading support would
otherwise turn the GIL back on when imported; the output says which modules declare it).

Builds the peers with peers.build_all for this interpreter (default build/bench-3.13t),
checks each against cases.check, then prints the Markdown table of instructions per call
(empty loop subtracted) with the ratio to capi. Exits non-zero when capi or pyowned does
not build or fails its check; another peer that does not build is named with the reason.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import cases
from callgrind import run_callgrind
from peers import ROOT, all_peers, build_all, load_checked
from report import callgrind_table


def progress(message: str) -> None:
    print(f"[freethreaded] {message}", file=sys.stderr, flush=True)


def declares_free_threading(directory: Path, module: str) -> bool:
    """Whether importing the module keeps the GIL off without PYTHON_GIL=0 (Py_mod_gil)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_GIL"}
    code = f"import sys; sys.path.insert(0, {str(directory)!r}); import {module}; print(sys._is_gil_enabled())"
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    return out[-1] == "False"


def short(problem: str) -> str:
    """The reason a peer did not build, in one line: the last of cargo's or rustc's
    "error:" lines (the build script's own message), else the first line naming an error."""
    lines = [x.strip() for x in problem.splitlines() if x.strip() and not x.startswith("$")]
    errors = [x for x in lines if re.match(r"error(\[\w+\])?:", x)]
    if errors:
        return errors[-1]
    return next((x for x in lines if "error" in x.lower()), lines[0] if lines else "?")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", type=Path, default=ROOT / "build" / "bench-3.13t")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--n", type=int, nargs=2, default=(20_000, 40_000), metavar=("N1", "N2"),
                    help="the two loop lengths callgrind counts")
    args = ap.parse_args(argv)
    if not sysconfig.get_config_var("Py_GIL_DISABLED"):
        ap.error(f"{sys.executable} is not a free-threaded build")
    if os.environ.get("PYTHON_GIL") != "0":
        ap.error("run with PYTHON_GIL=0 (bench/freethreaded.sh sets it)")

    peers = all_peers()
    progress(f"building the peer modules into {args.build_dir}")
    modules_dir = build_all(peers, args.build_dir, args.jobs)
    modules, failures = load_checked(peers, modules_dir, progress)
    for f in failures:
        progress(f"FAILED: {f}")
    declared = {name: declares_free_threading(modules_dir, m.__name__) for name, m in modules.items()}
    if sys._is_gil_enabled():
        progress("the GIL is enabled after importing the modules")
        return 1
    if failures:
        return 1

    only = [c.function for c in cases.CASES if c.section == cases.CLASSES and c.call_loop]
    counted = run_callgrind(modules_dir, modules, *args.n, progress, only=only, jobs=args.jobs)
    print(f"CPython {platform.python_version()} free-threaded ({sys.executable}), PYTHON_GIL=0; "
          "callgrind instructions per call, empty loop subtracted "
          f"({counted['empty loop']['-']:.0f} per iteration), N = {args.n[0]:,} and {args.n[1]:,}.\n")
    print("Peers: " + "; ".join(
        f"{p.name}{' ' + p.version if p.version else ''} "
        f"({'declares' if declared[p.name] else 'does not declare'} free-threading support)"
        for p in peers if p.name in modules) + ".\n")
    for p in peers:
        if p.problem:
            print(f"- **{p.name} does not build**: {short(p.problem)}")
    if any(p.problem for p in peers):
        print()
    print("\n".join(callgrind_table(counted, list(modules))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
