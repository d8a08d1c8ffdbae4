"""The peers: which exist, how each is built, where its module lands, which version it is.

C, C++ and Cython peers are targets of bench/CMakeLists.txt; the PyO3 peers are cargo
crates under peers/. A peer that cannot be built on this machine (its package failed to
install, no cargo, a compile error) is reported with the reason and left out; capi and
pyowned are never optional.
"""
from __future__ import annotations

import dataclasses
import importlib.util
import os
import platform
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import cases

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


@dataclasses.dataclass
class Peer:
    name: str  # the column name
    key: str  # module suffix: bench_<key>, gen_<key>, gen200/<key>.py
    builder: str  # "cmake" or "cargo"
    package: str = ""  # the Python package it needs (pip), if any
    required: bool = False
    version: str = ""
    problem: str = ""  # why it is unavailable, when it is

    @property
    def module(self) -> str:
        return f"bench_{self.key}"


def all_peers() -> list[Peer]:
    return [
        Peer("capi", "capi", "cmake", required=True),
        Peer("pyowned", "pyowned", "cmake", required=True),
        # the same module built with STABLE_ABI: the limited API's cost (CPython 3.12+)
        Peer("pyowned-abi3", "pyowned_abi3", "cmake", problem=stable_abi_problem()),
        Peer("nanobind", "nanobind", "cmake", package="nanobind"),
        Peer("pybind11", "pybind11", "cmake", package="pybind11"),
        Peer("cython", "cython", "cmake", package="Cython"),
        Peer("pyo3", "pyo3", "cargo"),
        Peer("pyo3-pool", "pyo3_pool", "cargo"),
    ]


def stable_abi_problem() -> str:
    """Why this interpreter cannot load an abi3 module of pyowned's (3.12's limited API), or ""."""
    if sys.version_info < (3, 12):
        return f"the stable ABI needs CPython 3.12+ (this run: {platform.python_version()}; bash bench/abi3.sh)"
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        return "free-threaded CPython has no stable ABI"
    return ""


def run(cmd, log: list[str], **kw) -> bool:
    """Runs cmd; on failure keeps the tail of its output in log. True on success."""
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    if proc.returncode != 0:
        log.append(f"$ {' '.join(map(str, cmd))}\n" + "\n".join(proc.stdout.splitlines()[-25:]))
    return proc.returncode == 0


def cargo_env(target_dir: Path) -> dict:
    env = dict(os.environ, PYO3_PYTHON=sys.executable, CARGO_TARGET_DIR=str(target_dir))
    env.pop("VIRTUAL_ENV", None)  # PYO3_PYTHON names the interpreter
    return env


def locked_version(manifest_dir: Path, crate: str) -> str:
    lock = manifest_dir / "Cargo.lock"
    if not lock.exists():
        return ""
    m = re.search(rf'name = "{crate}"\nversion = "([^"]+)"', lock.read_text())
    return m.group(1) if m else ""


def package_version(package: str) -> str:
    if importlib.util.find_spec(package) is None:
        return ""
    mod = __import__(package)
    return getattr(mod, "__version__", "") or "?"


def cmake_configure(build: Path, peers: list[str], log: list[str], extra=()) -> bool:
    return run(["cmake", "-S", BENCH, "-B", build, "-G", "Ninja", f"-DPython_EXECUTABLE={sys.executable}",
                f"-DBENCH_PEERS={';'.join(peers)}", *extra], log)


def build_all(peers: list[Peer], build: Path, jobs: int) -> Path:
    """Builds every peer's module into build/modules; marks the ones that failed."""
    modules = build / "modules"
    modules.mkdir(parents=True, exist_ok=True)
    for p in peers:
        if p.package:
            p.version = package_version(p.package)
            if not p.version:
                p.problem = f"the Python package {p.package} is not installed"
    if shutil.which("cargo") is None:
        for p in peers:
            if p.builder == "cargo":
                p.problem = "cargo is not installed"

    cmake_peers = [p for p in peers if p.builder == "cmake" and not p.problem]
    log: list[str] = []
    if not cmake_configure(build, [p.key for p in cmake_peers], log):
        # configure each alone, to find which peer breaks it
        for p in cmake_peers:
            one: list[str] = []
            if not cmake_configure(build / f"probe-{p.key}", [p.key], one):
                p.problem = "CMake configuration failed:\n" + "\n".join(one)
        cmake_peers = [p for p in cmake_peers if not p.problem]
        if not cmake_configure(build, [p.key for p in cmake_peers], log):
            raise RuntimeError("\n".join(log))
    for p in cmake_peers:
        out: list[str] = []
        if not run(["cmake", "--build", build, "--target", p.module, "-j", str(jobs)], out):
            p.problem = "build failed:\n" + "\n".join(out)

    for p in peers:
        if p.builder != "cargo" or p.problem:
            continue
        crate = BENCH / "peers" / p.key
        out = []
        if not run(["cargo", "build", "--release", "--quiet", "-j", str(jobs),
                    "--manifest-path", crate / "Cargo.toml"], out, env=cargo_env(build / "cargo")):
            p.problem = "cargo build failed:\n" + "\n".join(out)
            continue
        shutil.copy2(build / "cargo" / "release" / f"lib{p.module}.so", modules / f"{p.module}.so")
        p.version = locked_version(crate, "pyo3")
    return modules


def import_module(name: str, directory: Path):
    """Imports an extension module from a directory, without touching sys.path for good."""
    sys.path.insert(0, str(directory))
    try:
        return __import__(name)
    finally:
        sys.path.remove(str(directory))


def load_checked(peers: list[Peer], modules_dir: Path, progress) -> tuple[dict, list[str]]:
    """Imports every built peer's module and checks it against bench/cases.py: the modules by
    peer name, and the failures ("peer: why": a check that failed, a required peer missing).
    A peer whose module does not import gets its `problem` and is left out."""
    modules, failures = {}, []
    for p in peers:
        if not p.problem:
            try:
                module = import_module(p.module, modules_dir)
            except ImportError as e:
                p.problem = f"import failed: {e}"
            else:
                failures += [f"{p.name}: {x}" for x in cases.check(module, 50)]
                modules[p.name] = module
        if p.problem:
            (failures if p.required else []).append(f"{p.name}: {p.problem}")
            progress(f"PEER UNAVAILABLE: {p.name}: {p.problem}")
    return modules, failures
