"""Reference counts and memory over many calls (refcount_ext).

Every function of refcount_ext is called 10**5 times on its success and its error paths;
the reference counts of the argument objects (fresh objects: no small ints, no interned
strs) and of results the test holds must not change. On a debug interpreter
(sys.gettotalrefcount) the interpreter's total must also be stable. Resident memory must
stay flat over 10**6 calls mixing success and error paths.
"""

import gc
import os
import sys
from dataclasses import dataclass, field

import pytest
from repeats import UNDER_VALGRIND, repeats

import refcount_ext as r

# Reference counts and resident memory are measured per process: never on several threads.
pytestmark = pytest.mark.thread_unsafe

CALLS = repeats(10**5)
DEBUG = hasattr(sys, "gettotalrefcount")


def fresh_int():
    return int("1234567" * 2)  # a new int, beyond the small-int cache, within int64


def fresh_str(text="fresh"):
    return "".join([text, "-", "string"])  # built at run time: not interned


def fresh_float():
    return float("1.25")


def raising(exc):
    def callback(x):
        raise exc(x)

    return callback


def key_error_callback(x):
    raise KeyError(x)


@dataclass
class Case:
    fn: object
    make: object  # () -> (args, kwargs): fresh objects for each test
    raises: type = None
    holds_result: bool = False  # the result is an object that outlives the call
    id: str = field(default="")


CASES = [
    # success paths
    Case(r.ident, lambda: ((object(),), {}), holds_result=True, id="ident"),
    Case(r.ident_owned, lambda: ((fresh_str(),), {}), holds_result=True, id="ident_owned"),
    Case(r.ident_py, lambda: ((fresh_int(),), {}), holds_result=True, id="ident_py"),
    Case(r.ident_cref, lambda: ((), {"x": [1, 2]}), holds_result=True, id="ident_cref"),
    Case(r.list_len, lambda: (([object()],), {}), id="list_len"),
    Case(r.nothing, lambda: ((object(),), {}), id="nothing"),
    Case(r.ident_inline, lambda: ((object(),), {}), holds_result=True, id="ident_inline"),
    Case(r.concat_inline, lambda: ((fresh_str("a"), fresh_str("b")), {}), id="concat_inline"),
    Case(r.concat_inline, lambda: ((fresh_str("a"), 1), {}), raises=TypeError, id="concat_inline_wrong_type"),
    Case(r.add, lambda: ((fresh_int(), fresh_int()), {}), id="add"),
    Case(r.scale, lambda: ((fresh_float(),), {"k": fresh_float()}), id="scale"),
    Case(r.negate, lambda: ((True,), {}), id="negate"),
    Case(r.concat, lambda: ((fresh_str("a"), fresh_str("b")), {}), id="concat"),
    Case(r.view_len, lambda: ((fresh_str("\u00e9\u00e9"),), {}), id="view_len"),
    Case(r.maybe, lambda: ((fresh_str(),), {}), id="maybe"),
    Case(r.maybe, lambda: ((None,), {}), id="maybe-none"),
    Case(r.maybe, lambda: ((), {}), id="maybe-default"),
    Case(r.make_list, lambda: ((10,), {}), id="make_list"),
    Case(r.pack, lambda: ((object(), fresh_str()), {"key": object()}), id="pack"),
    Case(r.pack, lambda: ((), {}), id="pack-empty"),
    Case(r.posonly, lambda: ((object(), object()), {}), holds_result=True, id="posonly"),
    Case(r.kwonly_default, lambda: ((object(),), {}), holds_result=True, id="kwonly_default"),
    Case(r.kwonly_default, lambda: ((object(),), {"b": object()}), holds_result=True, id="kwonly_default-given"),
    Case(r.store, lambda: ((object(),), {}), id="store"),
    Case(r.load, lambda: ((), {}), id="load"),
    Case(r.clear, lambda: ((), {}), id="clear"),
    Case(r.throw_cpp, lambda: ((fresh_str("none"),), {}), id="throw_cpp-none"),
    Case(r.lookup, lambda: (({"k": object()}, "k"), {}), holds_result=True, id="lookup"),
    Case(r.call, lambda: ((lambda x: x, object()), {}), holds_result=True, id="call"),
    Case(r.call_swallow, lambda: ((lambda x: x, object()), {}), id="call_swallow"),
    Case(r.call_wrap, lambda: ((lambda x: x, object()), {}), holds_result=True, id="call_wrap"),
    Case(r.over, lambda: ((fresh_int(),), {}), id="over-int"),
    Case(r.over, lambda: ((fresh_float(),), {}), id="over-float"),
    Case(r.over, lambda: (([object()],), {}), holds_result=True, id="over-list"),
    Case(r.narrow, lambda: ((fresh_str(),), {}), id="narrow-str"),
    # error paths: argument matching
    Case(r.add, lambda: ((fresh_int(),), {}), TypeError, id="add-missing"),
    Case(r.add, lambda: ((fresh_int(), fresh_int(), fresh_int()), {}), TypeError, id="add-too-many"),
    Case(r.add, lambda: ((fresh_int(), fresh_int()), {"c": object()}), TypeError, id="add-unexpected"),
    Case(r.add, lambda: ((fresh_int(),), {"a": fresh_int()}), TypeError, id="add-multiple"),
    Case(r.posonly, lambda: ((object(),), {"b": object()}), TypeError, id="posonly-keyword"),
    Case(r.kwonly_default, lambda: ((object(), object()), {}), TypeError, id="kwonly-positional"),
    # error paths: conversion
    Case(r.add, lambda: ((fresh_str(), fresh_int()), {}), TypeError, id="add-wrong-type"),
    Case(r.list_len, lambda: (((object(),),), {}), TypeError, id="list_len-wrong-type"),
    Case(r.ident_py, lambda: ((), {}), TypeError, id="ident_py-missing"),
    Case(r.add, lambda: ((2**70, fresh_int()), {}), OverflowError, id="add-overflow"),
    Case(r.view_len, lambda: (("\ud800" + fresh_str(),), {}), UnicodeEncodeError, id="view_len-surrogate"),
    Case(r.concat, lambda: ((fresh_str(), "\udfff" + fresh_str()), {}), UnicodeEncodeError, id="concat-surrogate"),
    Case(r.maybe, lambda: ((object(),), {}), TypeError, id="maybe-wrong-type"),
    Case(r.negate, lambda: ((fresh_int(),), {}), TypeError, id="negate-wrong-type"),
    Case(r.bad_result, lambda: ((), {}), UnicodeDecodeError, id="bad_result"),
    Case(r.make_list, lambda: ((fresh_str(),), {}), TypeError, id="make_list-wrong-type"),
    # error paths: C++ exceptions and Python errors
    Case(r.throw_cpp, lambda: (("invalid_argument",), {}), ValueError, id="throw-invalid_argument"),
    Case(r.throw_cpp, lambda: (("out_of_range",), {}), IndexError, id="throw-out_of_range"),
    Case(r.throw_cpp, lambda: (("overflow_error",), {}), OverflowError, id="throw-overflow_error"),
    Case(r.throw_cpp, lambda: (("runtime_error",), {}), RuntimeError, id="throw-runtime_error"),
    Case(r.throw_cpp, lambda: (("bad_alloc",), {}), MemoryError, id="throw-bad_alloc"),
    Case(r.throw_cpp, lambda: (("int",), {}), SystemError, id="throw-int"),
    Case(r.throw_cpp, lambda: (("key_error",), {}), KeyError, id="throw-key_error"),
    Case(r.lookup, lambda: (({}, object()), {}), KeyError, id="lookup-missing"),
    Case(r.set_then_throw, lambda: ((), {}), RuntimeError, id="set_then_throw"),
    Case(r.call, lambda: ((key_error_callback, object()), {}), KeyError, id="call-raises"),
    Case(r.call_swallow, lambda: ((key_error_callback, object()), {}), id="call_swallow-raises"),
    Case(r.call_wrap, lambda: ((key_error_callback, object()), {}), RuntimeError, id="call_wrap-raises"),
    # error paths: overloads
    Case(r.over, lambda: ((object(),), {}), TypeError, id="over-no-match"),
    Case(r.over, lambda: ((), {"y": object()}), TypeError, id="over-bad-keyword"),
    Case(r.narrow, lambda: ((fresh_int(),), {}), OverflowError, id="narrow-overflow"),
]


def run(case, args, kwargs, n):
    fn, exc = case.fn, case.raises
    if exc is None:
        for _ in range(n):
            fn(*args, **kwargs)
    else:
        for _ in range(n):
            try:
                fn(*args, **kwargs)
            except exc:
                pass
            else:
                raise AssertionError(f"{case.id}: {exc.__name__} not raised")


def refcounts(objects):
    return [sys.getrefcount(o) for o in objects]


def test_every_function_is_covered():
    functions = {name for name, obj in vars(r).items() if callable(obj) and not name.startswith("_")}
    covered = {case.fn.__name__ for case in CASES}
    assert functions - covered == set()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_refcounts_stable(case):
    args, kwargs = case.make()
    objects = list(args) + list(kwargs.values())
    for arg in args:
        if isinstance(arg, (list, dict, tuple)):
            objects.extend(arg.values() if isinstance(arg, dict) else arg)
    held = []
    if case.holds_result:
        held.append(case.fn(*args, **kwargs))
        objects.extend(held)
    run(case, args, kwargs, 10)  # warm-up: caches, interned names; store() keeps one reference
    before = refcounts(objects)
    run(case, args, kwargs, CALLS)
    after = refcounts(objects)
    assert after == before, f"{case.id}: reference counts {before} -> {after} over {CALLS} calls"
    r.clear()


@pytest.mark.skipif(not DEBUG, reason="needs a debug interpreter (sys.gettotalrefcount)")
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_total_refcount_stable(case):
    args, kwargs = case.make()
    batch = repeats(10**4)
    run(case, args, kwargs, batch)  # warm-up
    deltas = []
    for _ in range(3):
        gc.collect()
        before = sys.gettotalrefcount()
        run(case, args, kwargs, batch)
        gc.collect()
        deltas.append(sys.gettotalrefcount() - before)
        if abs(deltas[-1]) <= 10:
            break
    else:
        pytest.fail(f"{case.id}: total refcount changed by {deltas} over batches of {batch} calls")
    r.clear()


def test_keyword_call_sites_keep_references_balanced():
    # A call site passes the same kwnames tuple every time: the function remembers that
    # layout (and keeps the tuple); the arguments' references must stay balanced, and on a
    # debug interpreter the total too.
    a, b = object(), object()
    f = r.kwonly_default

    def calls(n):
        for _ in range(n):
            assert f(a, b=b) is b

    calls(100)  # the layout is made here
    before = (sys.getrefcount(a), sys.getrefcount(b))
    total = sys.gettotalrefcount() if DEBUG else 0
    calls(CALLS)
    assert (sys.getrefcount(a), sys.getrefcount(b)) == before
    if DEBUG:
        assert abs(sys.gettotalrefcount() - total) <= 10


def test_stored_py_holds_one_reference():
    obj = object()
    base = sys.getrefcount(obj)
    for _ in range(CALLS):
        r.store(obj)
    assert sys.getrefcount(obj) == base + 1
    assert r.load() is obj
    r.clear()
    assert sys.getrefcount(obj) == base
    assert r.load() is None


def test_exception_objects_are_freed():
    import weakref

    class Tracked(Exception):
        pass

    refs = []

    def callback(x):
        e = Tracked(x)
        refs.append(weakref.ref(e))
        raise e

    for _ in range(100):
        try:
            r.call(callback, 1)
        except Tracked:
            pass
        try:
            r.call_wrap(callback, 1)
        except RuntimeError:
            pass
        assert r.call_swallow(callback, 1) is False
    gc.collect()
    assert all(ref() is None for ref in refs)


def resident_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc/self/statm")
@pytest.mark.skipif(UNDER_VALGRIND, reason="valgrind's own memory hides the interpreter's")
def test_resident_memory_flat():
    calls = [(c, *c.make()) for c in CASES]

    def run_all(total):
        rounds = total // len(calls) + 1
        for _ in range(rounds):
            for case, args, kwargs in calls:
                try:
                    case.fn(*args, **kwargs)
                except Exception:
                    pass
        return rounds * len(calls)

    run_all(10**5)  # warm-up
    gc.collect()
    before = resident_bytes()
    done = run_all(10**6)
    gc.collect()
    growth = resident_bytes() - before
    r.clear()
    assert done >= 10**6
    assert growth < 2**20, f"resident memory grew by {growth} bytes over {done} calls"
