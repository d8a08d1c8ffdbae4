"""The build figure: compile time and stripped size of a generated module, per peer.

gen200/<peer>.py writes a module of `count` functions of mixed signatures, or of `count`
classes (`shape="classes"`, for the peers that bind classes; gen200/__init__.py).
Each is built in a fresh build tree, Release, with its peer's recommended build (the CMake
functions of bench/CMakeLists.txt, cargo --release for PyO3). Two times are taken:
`full`, the first build, which includes everything the module needs that a new project
compiles too (nanobind's static library, the pyo3 crate and its dependencies); `module`,
the rebuild after touching the module's source alone. The size is that of the module after
`strip --strip-all`. Every built module is imported and each function called once.
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import subprocess
import time
from pathlib import Path

import gen200
from peers import Peer, cargo_env, cmake_configure, import_module, run


def _timed(cmd, **kw) -> float:
    log: list[str] = []
    start = time.perf_counter()
    if not run(cmd, log, **kw):
        raise RuntimeError("\n".join(log))
    return time.perf_counter() - start


def _stripped_size(path: Path) -> int:
    out = path.with_suffix(".stripped")
    subprocess.run(["strip", "--strip-all", "-o", out, path], check=True)
    size = out.stat().st_size
    out.unlink()
    return size


def run_build_figure(peers: list[Peer], build: Path, count: int, jobs: int, progress=print,
                     fresh_cargo: bool = True, shape: str = "functions", opt: str = "") -> dict:
    """{peer: {"full_s", "module_s", "bytes", "problems"}} for the available peers.
    fresh_cargo=False reuses the peers' cargo target directory (the quick mode: the pyo3
    crates are not compiled again, so `full` is then not a first build). opt="O2" builds every
    peer at -O2 (cargo's opt-level 2) instead of its own default."""
    classes = shape == "classes"
    prefix = "genc" if classes else "gen"
    # (pyowned-abi3 has no generator of its own: its build figure would be pyowned's)
    peers = [p for p in peers if importlib.util.find_spec(f"gen200.{p.key}") is not None]
    generators = {p.name: importlib.import_module(f"gen200.{p.key}") for p in peers}
    if classes:  # the peers that bind classes
        peers = [p for p in peers if hasattr(generators[p.name], "generate_classes")]
    gen = build / f"{prefix}{count}"
    shutil.rmtree(gen, ignore_errors=True)
    out = gen / "out"
    out.mkdir(parents=True)
    sources = {}
    for p in peers:
        g = generators[p.name]
        files = g.generate_classes(count) if classes else g.generate(count)
        for rel, text in files.items():
            (gen / rel).parent.mkdir(parents=True, exist_ok=True)
            (gen / rel).write_text(text)
        sources[p.name] = [gen / rel for rel in files]

    results = {}
    cargo_target = gen / "cargo-target" if fresh_cargo else build / "cargo"
    cmake_peers = [p for p in peers if p.builder == "cmake"]
    tree = gen / "cmake-build"
    log: list[str] = []
    if cmake_peers and not cmake_configure(tree, [p.key for p in cmake_peers], log,
                                           [f"-DBENCH_GENERATED_DIR={gen}", f"-DBENCH_OPT={opt}"]):
        raise RuntimeError("\n".join(log))
    for p in peers:
        progress(f"build figure: {p.name}, {count} {shape}")
        module = f"{prefix}_{p.key}"
        if p.builder == "cmake":
            cmd = ["cmake", "--build", tree, "--target", module, "-j", str(jobs)]
            kw: dict = {}
        else:
            manifest = gen / module / "Cargo.toml"
            cmd = ["cargo", "build", "--release", "--quiet", "-j", str(jobs), "--manifest-path", manifest]
            kw = {"env": cargo_env(cargo_target)}
            if opt == "O2":
                kw["env"]["CARGO_PROFILE_RELEASE_OPT_LEVEL"] = "2"
        full = _timed(cmd, **kw)
        for source in sources[p.name]:
            if source.suffix in (".c", ".cpp", ".pyx", ".rs"):
                os.utime(source)
        module_only = _timed(cmd, **kw)
        if p.builder == "cargo":
            shutil.copy2(cargo_target / "release" / f"lib{module}.so", out / f"{module}.so")
        built = next(out.glob(f"{module}.*so"))
        problems = (gen200.check_classes if classes else gen200.check)(import_module(module, out), count)
        results[p.name] = {"full_s": full, "module_s": module_only, "bytes": _stripped_size(built),
                           "problems": problems}
    return results


if __name__ == "__main__":
    # python buildsize.py [--opt O2] [--shape classes] [--count N] [--peers a b ...] BUILD_DIR
    import argparse
    import json

    from peers import all_peers

    ap = argparse.ArgumentParser(description="the build figure alone")
    ap.add_argument("build_dir", type=Path)
    ap.add_argument("--opt", default="", choices=["", "O2"])
    ap.add_argument("--shape", default="functions", choices=["functions", "classes"])
    ap.add_argument("--count", type=int)
    ap.add_argument("--peers", nargs="*")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    chosen = [p for p in all_peers() if not args.peers or p.name in args.peers]
    count = args.count or (20 if args.shape == "classes" else 200)
    import sys

    figure = run_build_figure(chosen, args.build_dir, count, args.jobs, lambda m: print(m, file=sys.stderr),
                              shape=args.shape, opt=args.opt)
    print(json.dumps(figure, indent=1))
