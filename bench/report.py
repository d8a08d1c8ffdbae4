"""The benchmark's output: the Markdown tables, the target check, and the PNG chart.

The headline measure of a case is the ratio to capi from the same run. For the call cases
(Python → native and the classes) it is taken from callgrind's instruction counts with the
empty loop subtracted when those were counted (wall-clock noise here is larger than the
margins); otherwise, and for every other case, from the median time (for call cases also
with the empty loop subtracted).
"""
from __future__ import annotations

import math

from cases import CALLBACKS, CASES, SECTIONS
from timing import EMPTY

# pyowned's own columns: the peers are checked to be slower than pyowned, these are not
OURS = ("capi", "pyowned", "pyowned-abi3")


def _ratio(value, base):
    if value is None or base is None or base <= 0:
        return None
    return value / base


def headline(results: dict) -> dict:
    """{case function: {peer: ratio to capi}} by the measure the targets use."""
    timing, counted = results["timing"], results.get("callgrind") or {}
    empty = timing.get(EMPTY, {}).get("-", 0.0)
    ratios = {}
    for case in CASES:
        row = case.function
        if case.call_loop and row in counted:
            values = counted[row]
        elif row in timing:
            values = {p: (t - empty if case.call_loop else t) for p, t in timing[row].items()}
        else:
            continue
        base = values.get("capi")
        if base is None:  # no capi figure (n/a): ratios to pyowned's are meaningless
            continue
        ratios[row] = {p: _ratio(v, base) for p, v in values.items()}
    return ratios


def geomean(values) -> float:
    # a ratio of 0 or less (a call loop no slower than the empty loop, in a noisy quick run)
    # has no logarithm: left out
    values = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def check_targets(results: dict) -> list[str]:
    """The targets of benchmarks.md that are not met, one line each (empty: all met)."""
    misses = []
    ratios = headline(results)
    ours = {row: r["pyowned"] for row, r in ratios.items() if r.get("pyowned")}
    for row, r in ours.items():
        if r > 1.10:
            misses.append(f"{row}: pyowned/capi = {r:.2f} (target at most 1.10)")
    gm = geomean(ours.values())
    if gm > 1.05:
        misses.append(f"geometric mean pyowned/capi = {gm:.3f} (target at most 1.05)")
    for row, r in ratios.items():
        for peer, v in r.items():
            if peer not in OURS and v is not None and row in ours and v <= ours[row]:
                misses.append(f"{row}: {peer} ({v:.2f}) is not slower than pyowned ({ours[row]:.2f})")
    for row, r in (results.get("timing") or {}).items():
        if row not in ratios and "pyowned" in r:  # cases without a capi figure
            for peer, t in r.items():
                if peer not in OURS and t <= r["pyowned"]:
                    misses.append(f"{row}: {peer} ({t:.1f} ns) is not slower than pyowned ({r['pyowned']:.1f} ns)")
    growth = (results.get("memory") or {}).get("pyowned")
    if growth is not None and growth >= 1 << 20:
        misses.append(f"memory growth {growth} bytes (target under 1 MiB)")
    for figure, what_module in (("build", "function"), ("build_classes", "class")):
        build = results.get(figure) or {}
        if "pyowned" in build and "nanobind" in build:
            for key, what in (("full_s", "first build"), ("module_s", "rebuild"), ("bytes", "binary size")):
                if build["pyowned"][key] > build["nanobind"][key]:
                    misses.append(f"generated {what_module} module's {what}: pyowned {build['pyowned'][key]:.4g} "
                                  f"> nanobind {build['nanobind'][key]:.4g}")
    return misses


def _cell(value, ratio, unit: str) -> str:
    if value is None:
        return "n/a"
    text = f"{value:.1f}{unit}" if value < 100 else f"{value:.0f}{unit}"
    return text if ratio is None else f"{text} ({ratio:.2f})"


def markdown(results: dict) -> str:
    meta = results["meta"]
    peers = meta["peers"]
    lines = [f"Measured {meta['date']} on {meta['machine']}, {meta['python']}; "
             + ", ".join(f"{p} {v}" for p, v in meta["versions"].items() if v) + ".",
             f"Command: `{meta['command']}` ({meta['mode']}: {meta['n_items']:,} items per object "
             f"case, {meta['n_calls']:,} calls per call loop, {meta['rounds']} interleaved rounds, "
             "median).", ""]
    for peer, reason in meta.get("unavailable", {}).items():
        lines.append(f"- **{peer} unavailable**: {reason.splitlines()[0]}")
    if meta.get("unavailable"):
        lines.append("")

    timing = results["timing"]
    empty = timing.get(EMPTY, {}).get("-", 0.0)
    lines += ["### Time: ns per call or item (ratio to capi)", "",
              "Call and class cases: the time of one loop iteration that makes the call; the ratio "
              f"subtracts the empty loop ({empty:.1f} ns).", "",
              "| case | " + " | ".join(peers) + " |", "|---" * (len(peers) + 1) + "|"]
    for section in SECTIONS:
        lines.append(f"| **{section}** |" + " |" * len(peers))
        for case in (c for c in CASES if c.section == section):
            row = timing.get(case.function)
            if not row:
                continue
            sub = empty if case.call_loop else 0.0
            base = row.get("capi")
            cells = [_cell(row.get(p), _ratio(row[p] - sub, base - sub) if base and p in row else None, "")
                     for p in peers]
            lines.append(f"| {case.name} | " + " | ".join(cells) + " |")

    ratios = headline(results)
    ours = [r["pyowned"] for r in ratios.values() if r.get("pyowned")]
    lines += ["", "Geometric mean of the ratios to capi (calls by instructions where counted): "
              + ", ".join(f"{p} {geomean(r.get(p) for r in ratios.values()):.2f}" for p in peers) + "."]

    counted = results.get("callgrind")
    if counted:
        lines += ["", "### Instructions per call (callgrind; empty loop subtracted) (ratio to capi)", "",
                  f"Empty loop: {counted['empty loop']['-']:.0f} instructions per iteration.", "",
                  *callgrind_table(counted, peers)]

    instances = results.get("instances")
    if instances:
        lines += ["", "### Size of a Point instance", "",
                  f"Bytes per instance: `sys.getsizeof(Point(1.0, 2.0))`; traced by tracemalloc (Python's "
                  f"allocators) and C heap growth (malloc, which tracemalloc does not see) per instance, "
                  f"over {meta['instances']:,} instances kept alive.", "",
                  "| peer | getsizeof | traced | C heap |", "|---|---|---|---|"]
        for peer, v in instances.items():
            heap = "n/a" if v["heap"] is None else f"{v['heap']:.0f}"
            lines.append(f"| {peer} | {v['getsizeof']} | {v['traced']:.0f} | {heap} |")

    memory = results.get("memory")
    if memory:
        lines += ["", f"### Resident growth while iterating a dict of {meta['memory_items']:,} items", "",
                  "| " + " | ".join(memory) + " |", "|---" * len(memory) + "|",
                  "| " + " | ".join(_bytes(v) for v in memory.values()) + " |"]

    for figure, title in (("build", f"{meta['build_functions']} functions"),
                          ("build_classes", f"{meta.get('build_classes')} classes of 5 methods and 2 properties")):
        build = results.get(figure)
        if not build:
            continue
        lines += ["", f"### Build: a generated module of {title}", "",
                  "First build: a fresh build tree, including what a new project compiles with the "
                  "module (nanobind's library, the pyo3 crates). Rebuild: the module's source alone "
                  "after a change. Wall-clock seconds with 2 jobs.", "",
                  "| peer | first build (s) | rebuild of the module (s) | stripped size (KiB) |",
                  "|---|---|---|---|"]
        for peer, b in build.items():
            lines.append(f"| {peer} | {b['full_s']:.1f} | {b['module_s']:.1f} | {b['bytes'] / 1024:.0f} |")

    misses = check_targets(results)
    lines += ["", "### Targets (benchmarks.md)", ""]
    if "pyowned" not in peers:
        lines.append("- pyowned was not measured")
    else:
        lines += [f"- missed: {m}" for m in misses] if misses else ["- all met"]
    if ours:
        lines.append(f"- pyowned/capi: worst {max(ours):.2f}, geometric mean {geomean(ours):.3f}")
    return "\n".join(lines) + "\n"


def callgrind_table(counted: dict, peers: list[str]) -> list[str]:
    """The lines of the Markdown table of run_callgrind's counts, with the ratios to capi."""
    lines = ["| case | " + " | ".join(peers) + " |", "|---" * (len(peers) + 1) + "|"]
    for case in (c for c in CASES if c.call_loop and c.function in counted):
        row = counted[case.function]
        base = row.get("capi")
        lines.append(f"| {case.name} | " + " | ".join(
            _cell(row.get(p), _ratio(row.get(p), base), "") for p in peers) + " |")
    return lines


def _bytes(n: int) -> str:
    return f"{n / (1 << 20):.1f} MiB" if n >= 1 << 20 else f"{n / 1024:.0f} KiB"


def chart(results: dict, path) -> None:
    """A PNG of the headline ratios to capi, one group of bars per case."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ratios = headline(results)
    peers = [p for p in results["meta"]["peers"] if p != "capi"]
    rows = [c for c in CASES if c.function in ratios]
    fig, ax = plt.subplots(figsize=(10, 0.42 * len(rows) * 1.0 + 1.5))
    height = 0.8 / len(peers)
    for k, peer in enumerate(peers):
        ys = [i + k * height for i in range(len(rows))]
        xs = [ratios[c.function].get(peer) or 0 for c in rows]
        ax.barh(ys, xs, height=height, label=peer)
    names = [c.name for c in rows]
    labels = [f"{c.name} (→ Python)" if c.section == CALLBACKS and names.count(c.name) > 1 else c.name for c in rows]
    ax.set_yticks([i + 0.4 - height / 2 for i in range(len(rows))], labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_xlabel("time (calls: instructions) relative to hand-written C API; lower is better")
    ax.set_title(f"pyowned benchmark, {results['meta']['python']}, {results['meta']['date']}")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
