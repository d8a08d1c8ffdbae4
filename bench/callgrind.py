"""Instructions per call from Python into each peer, counted by valgrind's callgrind.

callgrind counts instructions, which does not vary with the machine's load. A child
process imports one peer module and runs a call case's loop N times; it runs at two
values of N, and the difference divided by the difference of N is the cost of one loop
iteration, with the start-up, import and warm-up cancelled out. The empty loop is counted
the same way and subtracted, leaving the call itself (the interpreter's CALL instruction,
the binding's argument handling, the function body, the result). A class case's names are
made by its setup in the child, before either loop runs, so they cancel out too (so does
array_call's array, and the import of NumPy).

    python callgrind.py --child <module dir> <module> <case function> <N>
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

from cases import CASES
from timing import make_loop


def child(directory: str, module: str, function: str, n: int) -> None:
    """Runs the loop of the call case `function` on `module` 100 times, then n times;
    module "-" runs the empty loop."""
    statement, names = "pass", {}
    if module != "-":
        sys.path.insert(0, directory)
        case = next(c for c in CASES if c.function == function and c.call_loop)
        statement, names = case.call_loop, case.names(__import__(module))
    loop = make_loop(statement, names)
    loop(range(100), **names)  # specialize first
    loop(range(n), **names)


def _instructions(args: list[str]) -> int:
    # One BLAS thread: NumPy (imported by the array cases and the Cython peer) starts
    # OpenBLAS's worker threads otherwise, whose waiting callgrind counts as it happens to
    # fall, which makes the difference of two runs noise.
    env = dict(os.environ, PYTHONHASHSEED="0", OPENBLAS_NUM_THREADS="1")
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
         os.path.abspath(__file__), "--child", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, check=False)
    m = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or not m:
        raise RuntimeError(f"callgrind failed for {args}:\n{proc.stderr[-2000:]}")
    return int(m.group(1))


def per_iteration(args: list[str], n1: int, n2: int) -> float:
    return (_instructions([*args, str(n2)]) - _instructions([*args, str(n1)])) / (n2 - n1)


def available() -> bool:
    return shutil.which("valgrind") is not None


def run_callgrind(directory, modules: dict, n1: int, n2: int, progress=print, only=None, jobs=1) -> dict:
    """{case function: {peer: instructions per call, empty loop subtracted}, "empty loop":
    {"-": instructions per empty iteration}}; `only` limits the cases; `jobs` callgrind
    processes run at once (instruction counts do not depend on the machine's load)."""
    from concurrent.futures import ThreadPoolExecutor  # not at the top: the child does not need it

    work = [("empty loop", "-", "-", "-")]
    for case in CASES:
        if not case.call_loop or (only and case.function not in only):
            continue
        for peer, module in modules.items():
            if case.names(module) is not None:
                work.append((case.name, peer, module.__name__, case.function))

    def count(item):
        name, peer, module, function = item
        if module != "-":
            progress(f"callgrind: {name} on {peer}")
        return per_iteration([str(directory), module, function], n1, n2)

    with ThreadPoolExecutor(max(1, jobs)) as pool:
        totals = list(pool.map(count, work))
    empty = totals[0]
    results: dict = {"empty loop": {"-": empty}}
    for (_, peer, _, function), total in zip(work[1:], totals[1:]):
        results.setdefault(function, {})[peer] = total - empty
    return results


if __name__ == "__main__" and sys.argv[1:2] == ["--child"]:
    child(*sys.argv[2:5], int(sys.argv[5]))
