"""Bound functions called from 8 threads at once (in parallel on a free-threaded build):
every result exact, every error the right one, every reference balanced at the end."""

import gc
import sys
import sysconfig
import threading

import pytest
from repeats import repeats

import refcount_ext as r

# This test makes its own threads and measures reference counts.
pytestmark = [pytest.mark.thread_unsafe, pytest.mark.threads]

THREADS = 8
CALLS = repeats(10_000 if hasattr(sys, "gettotalrefcount") else 100_000, least=100)


def run_on_threads(work):
    errors = []
    barrier = threading.Barrier(THREADS)

    def body(index):
        try:
            barrier.wait()
            work(index)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_parallel_calls_are_exact_and_balanced():
    shared_dict = {f"k{i}": object() for i in range(100)}
    shared_value = object()
    totals = [0] * THREADS
    before = (sys.getrefcount(shared_dict), sys.getrefcount(shared_value))

    def work(index):
        total = 0
        for i in range(CALLS // 10):
            total += r.add(i, index)
            assert r.lookup(shared_dict, f"k{i % 100}") is shared_dict[f"k{i % 100}"]
            assert r.ident(shared_value) is shared_value
            assert r.concat("a", str(index)) == "a" + str(index)
            assert r.over(1.5) == "float"
            assert r.call(len, "abc") == 3
            with pytest.raises(KeyError):
                r.lookup(shared_dict, "missing")
            with pytest.raises(TypeError, match="must be int, not str"):
                r.add("x", 1)
        totals[index] = total

    run_on_threads(work)
    n = CALLS // 10
    assert totals == [n * (n - 1) // 2 + index * n for index in range(THREADS)]
    gc.collect()  # merges decrefs queued for another thread (free-threaded builds)
    assert (sys.getrefcount(shared_dict), sys.getrefcount(shared_value)) == before


def test_gil_stays_disabled():
    if not sysconfig.get_config_var("Py_GIL_DISABLED"):
        pytest.skip("a GIL build: the GIL is always on")
    run_on_threads(lambda index: [r.add(i, index) for i in range(1000)])
    assert not sys._is_gil_enabled()
