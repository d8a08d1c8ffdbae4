"""Resident-memory growth while one native call iterates a dict of n items, per peer.

Each peer runs in a child process of its own: it builds the dict {i: i for i in range(n)},
then resets the kernel's resident high-water mark (writing 5 to /proc/self/clear_refs) and
calls the peer's iter_dict once. The growth is the high-water mark after the call minus the
resident size before it, so memory taken during the call and given back before it returned
(a pool released at the end of the call) still counts.

    python memory.py --child <module dir> <module> <n>
"""
from __future__ import annotations

import gc
import json
import subprocess
import sys


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} is not in /proc/self/status")


def child(directory: str, module: str, n: int) -> None:
    sys.path.insert(0, directory)
    iter_dict = __import__(module).iter_dict
    d = {i: i for i in range(n)}
    iter_dict({0: 0})  # first-call allocations are not the iteration's
    gc.collect()
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # VmHWM := VmRSS
    before = _status_kib("VmRSS")
    total = iter_dict(d)
    peak = _status_kib("VmHWM")
    assert total == n * (n - 1), total
    print(json.dumps({"growth_bytes": (peak - before) * 1024}))


def run_memory(directory, modules: dict, n: int, progress=print) -> dict:
    """{peer: resident growth in bytes}."""
    results = {}
    for peer, module in modules.items():
        progress(f"memory: {peer}, {n:,} items")
        proc = subprocess.run([sys.executable, __file__, "--child", str(directory), module.__name__, str(n)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"memory child failed for {peer}:\n{proc.stderr[-2000:]}")
        results[peer] = json.loads(proc.stdout.splitlines()[-1])["growth_bytes"]
    return results


if __name__ == "__main__" and sys.argv[1:2] == ["--child"]:
    child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
