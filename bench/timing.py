"""Wall-clock timing of every case, all peers in this one process, rounds interleaved.

Each round times every case on every peer (the peer order rotates from round to round, so
none always runs first); a case's figure is the median over rounds. The garbage collector
is off while a measurement runs. Call cases time a loop of Python code that calls the
function through a local name (class cases: a statement over prepared instances, local
names too, made once per peer by the case's setup); each (case, peer) gets a loop function
of its own, so the specializing interpreter's inline caches see one callee only. The empty
loop is timed in every round too.
"""
from __future__ import annotations

import gc
import statistics
import time

from cases import CASES

EMPTY = "empty loop"


def make_loop(statement: str, names=()):
    """A fresh function loop(r, **names) running `statement` r times, the names its locals."""
    namespace: dict = {}
    exec(f"def loop({', '.join(('r', *names))}):\n    for _ in r:\n        {statement}\n",
         namespace)
    return namespace["loop"]


def _measure(run, reps: int) -> int:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        for _ in range(reps):
            run()
        return time.perf_counter_ns() - start
    finally:
        gc.enable()


def _calibrate(run, target_ns: int) -> int:
    """Repetitions of run() that take about target_ns (at least one)."""
    reps = 1
    while True:
        elapsed = _measure(run, reps)
        if elapsed >= target_ns / 4 or reps >= 1 << 20:
            return max(1, int(reps * target_ns / max(elapsed, 1)))
        reps *= 4


def run_timing(modules: dict, n_items: int, n_calls: int, rounds: int, target_ns: int,
               progress=print) -> dict:
    """{case function or EMPTY: {peer: median ns per item / per call}} (call cases include the
    loop; subtract results[EMPTY] for the binding's own cost)."""
    jobs = []  # (row, peer, run, per) with run() doing one measured unit
    r = range(n_calls)
    empty = make_loop("pass")
    jobs.append((EMPTY, "-", lambda: empty(r), n_calls))
    for case in CASES:
        row = case.function  # unique (the name call_kwargs is in two sections)
        for peer, module in modules.items():
            if case.call_loop:
                names = case.names(module)
                if names is None:
                    continue
                loop = make_loop(case.call_loop, names)
                jobs.append((row, peer, (lambda loop=loop, names=names: loop(r, **names)), n_calls))
            else:
                fn = getattr(module, case.function, None)
                if fn is None:
                    continue
                inputs = case.arguments(module, n_items)
                jobs.append((row, peer, (lambda fn=fn, a=inputs: fn(*a)), case.items(n_items)))

    reps = {}
    for row, peer, run, _ in jobs:
        run()  # warm up (and specialize the loop)
        reps[row, peer] = _calibrate(run, target_ns) if rounds > 1 else 1

    samples: dict = {}
    for k in range(rounds):
        progress(f"timing: round {k + 1} of {rounds}")
        by_row: dict = {}
        for job in jobs:
            by_row.setdefault(job[0], []).append(job)
        for row, row_jobs in by_row.items():
            shift = k % len(row_jobs)
            for row_, peer, run, per in row_jobs[shift:] + row_jobs[:shift]:
                ns = _measure(run, reps[row_, peer]) / (reps[row_, peer] * per)
                samples.setdefault(row_, {}).setdefault(peer, []).append(ns)
    return {row: {peer: statistics.median(v) for peer, v in peers.items()}
            for row, peers in samples.items()}
