"""The size of one instance of each peer's Point.

Each peer runs in a child process of its own, which reports three figures for Point(1.0, 2.0):
- `getsizeof`: sys.getsizeof of one instance (what the type declares, with the GC header
  when the type is tracked by the collector);
- `traced`: the bytes tracemalloc traces per instance while n instances are made and kept,
  i.e. what Python's allocators hand out for them (the object, and anything the binding
  allocates with PyMem_* / PyObject_*);
- `heap`: the growth of the C heap per instance over the same n instances, made again with
  tracemalloc off (glibc's mallinfo2: memory from malloc / operator new, which tracemalloc
  does not see, such as a value held out of line or an entry in a registry of instances).
The list holding the instances is made beforehand, so neither figure includes it.

    python instances.py --child <module dir> <module> <n>
"""
from __future__ import annotations

import ctypes
import gc
import json
import subprocess
import sys
import tracemalloc


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
                 "uordblks", "fordblks", "keepcost")]


def _heap_bytes() -> int | None:
    """Bytes allocated by malloc (glibc), or None where mallinfo2 is missing."""
    try:
        mallinfo2 = ctypes.CDLL(None).mallinfo2
    except AttributeError:
        return None
    mallinfo2.restype = _MallInfo2
    info = mallinfo2()
    return info.uordblks + info.hblkhd


def child(directory: str, module: str, n: int) -> None:
    sys.path.insert(0, directory)
    P = __import__(module).Point
    objs = [None] * n
    P(1.0, 2.0)  # first-call allocations are not the instances'
    gc.collect()
    gc.disable()
    size = sys.getsizeof(P(1.0, 2.0))

    heap_before = _heap_bytes()
    for i in range(n):
        objs[i] = P(1.0, 2.0)
    heap_after = _heap_bytes()
    for i in range(n):
        objs[i] = None

    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for i in range(n):
        objs[i] = P(1.0, 2.0)
    traced = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    print(json.dumps({"getsizeof": size, "traced": traced / n,
                      "heap": None if heap_before is None else (heap_after - heap_before) / n}))


def run_instances(directory, modules: dict, n: int, progress=print) -> dict:
    """{peer: {"getsizeof": bytes, "traced": bytes per instance, "heap": bytes per
    instance}} for the peers that have a Point."""
    results = {}
    for peer, module in modules.items():
        if not hasattr(module, "Point"):
            continue
        progress(f"instances: {peer}, {n:,} Points")
        proc = subprocess.run([sys.executable, __file__, "--child", str(directory), module.__name__, str(n)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"instances child failed for {peer}:\n{proc.stderr[-2000:]}")
        results[peer] = json.loads(proc.stdout.splitlines()[-1])
    return results


if __name__ == "__main__" and sys.argv[1:2] == ["--child"]:
    child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
