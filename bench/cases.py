"""The benchmark's cases: what every peer module exposes, with what input, and what it returns.

Every peer (bench_capi, bench_pyowned, bench_nanobind, bench_pybind11, bench_cython,
bench_pyo3, bench_pyo3_pool) exposes the functions and classes named here with these
semantics, each written in its own idiomatic best-practice style. `check(module, n)`
verifies a module against them; the benchmark runs it on every peer before timing anything.

Integers are int64 on the native side; sums fit (n is at most 10 million).
"""
from __future__ import annotations

import dataclasses
import math
from typing import Any, Callable

# Sections, in table order.
CALLS = "Python → native (per call)"
OBJECTS = "native object API (per item)"
CLASSES = "classes (per call)"
ARRAYS = "arrays"
CALLBACKS = "native → Python (per call)"
LIFETIME = "lifetime (per item)"
SECTIONS = (CALLS, CLASSES, ARRAYS, OBJECTS, CALLBACKS, LIFETIME)


@dataclasses.dataclass(frozen=True)
class Case:
    name: str  # the row label (benchmarks.md's name)
    section: str
    function: str  # the module attribute
    make_args: Callable[[int], tuple]  # n → the arguments (built once, outside the timing)
    expected: Callable[[int], Any]  # n → the result every peer must return
    items: Callable[[int], int] = lambda n: n  # how many items one call handles
    optional: bool = False  # a peer may lack it (n/a), e.g. drop_detached without Py<T>
    call_loop: str = ""  # a call case's statement timed in a loop (f: the function)
    setup: Callable[[Any], dict] | None = None  # module → the loop's names, if not just f
    probe: str = ""  # the expression checked after the statement ran once (default: itself)
    # module, n → the arguments, for a case whose arguments need the module (a Python
    # subclass of one of its classes); make_args is then unused
    args_for: Callable[[Any, int], tuple] | None = None

    def arguments(self, module, n: int) -> tuple:
        """The arguments of a call of this case's function on `module` with n items."""
        return self.args_for(module, n) if self.args_for else self.make_args(n)

    def names(self, module) -> dict | None:
        """A call case's loop names for `module` (built once, outside the timing); None when
        the module lacks what they need."""
        try:
            return self.setup(module) if self.setup else {"f": getattr(module, self.function)}
        except AttributeError:
            return None


def _overriding(module):
    """A Python subclass of the module's Base overriding its virtual value(i)."""

    class Overriding(module.Base):
        def value(self, i):
            return i + 1

    return Overriding


def _int_dict(n):
    return ({i: i for i in range(n)},)


def _int_list(n):
    return (list(range(n)),)


def _int_tuple(n):
    return (tuple(range(n)),)


def _int_set(n):
    return (set(range(n)),)


def _str_list(n):
    return ([f"item-{i}" for i in range(n)],)


def _float_list(n):
    return ([i * 0.5 for i in range(n)],)


def _tri(n):
    return n * (n - 1) // 2


def _arange(n):
    """numpy.arange(n, dtype=float64); NumPy is imported here, so that this module imports
    without it."""
    import numpy

    return numpy.arange(n, dtype=numpy.float64)


def _array_call(m) -> dict:
    return {"f": m.array_call, "a": _arange(16)}


def ndarray_facts(a):
    """What array_return's result must be: (dtype, shape, owns its data, values are
    0.0 .. size - 1) of a numpy.ndarray; a message for anything else."""
    import numpy

    if not isinstance(a, numpy.ndarray):
        return f"not a numpy.ndarray: {type(a)!r}"
    values = bool(numpy.array_equal(a, numpy.arange(a.size, dtype=numpy.float64)))
    return (str(a.dtype), a.shape, bool(a.flags.owndata), values)


ARRAY_RETURN_SIZE = 1000


class Target:
    """The object handed to call_method_0 and getattr_interned."""

    value = 1

    def method(self):
        return None


def raise_value_error():
    raise ValueError("expected failure")


def no_args():
    return None


def one_arg(x):
    return x


def increment(x):
    return x + 1


def with_kwargs(a, b=0, c=0):
    return None


def _points(m) -> dict:
    return {"P": m.Point, "p": m.Point(1.0, 2.0), "q": m.Point(4.0, 6.0)}


def _dist(m) -> dict:
    return {**_points(m), "f": m.dist}


def _vec(m) -> dict:
    return {"v": m.Vec(10)}


def _color(m) -> dict:
    return {"f": m.enum_arg, "c": m.Color.GREEN}


def _norm_by_pointer(m) -> dict:
    m.Point.norm_by_pointer  # AttributeError: the peer has no such spelling (n/a)
    return _points(m)


def _norm_inline(m) -> dict:
    m.Point.norm_inline  # AttributeError: the peer has no such spelling (n/a)
    return _points(m)


def _point_inline(m) -> dict:
    return {"P": m.PointInline}  # AttributeError: n/a


def _dist_inline(m) -> dict:
    return {**_points(m), "f": m.dist_inline}  # AttributeError: n/a


def _obj(name, statement, expected, setup=_points, probe="", optional=False):
    """A class case: `statement` runs in a loop over the names `setup` makes; the function
    field is the row's key."""
    return Case(name, CLASSES, name, lambda n: (), lambda n: expected, lambda n: 1,
                call_loop=statement, setup=setup, probe=probe, optional=optional)


def xy(o, P):
    """(o.x, o.y) when o is exactly a P; used by the class cases' probes."""
    return (o.x, o.y) if type(o) is P else f"not a Point: {o!r}"


CASES: tuple[Case, ...] = (
    # Python → native: f is called in a loop of Python code; n is unused.
    Case("call_noop", CALLS, "call_noop", lambda n: (), lambda n: None, lambda n: 1,
         call_loop="f()"),
    Case("call_add", CALLS, "call_add", lambda n: (1, 2), lambda n: 3, lambda n: 1,
         call_loop="f(1, 2)"),
    Case("call_kwargs", CALLS, "call_kwargs", lambda n: (1,), lambda n: 6, lambda n: 1,
         call_loop="f(1, b=2, c=3)"),
    Case("call_str_len", CALLS, "call_str_len", lambda n: ("hello",), lambda n: 5, lambda n: 1,
         call_loop='f("hello")'),
    # pyowned only: the same functions with entry points of their own (py::inline_call())
    Case("call_noop (py::inline_call)", CALLS, "call_noop_inline", lambda n: (), lambda n: None,
         lambda n: 1, call_loop="f()", optional=True),
    Case("call_str_len (py::inline_call)", CALLS, "call_str_len_inline", lambda n: ("hello",),
         lambda n: 5, lambda n: 1, call_loop='f("hello")', optional=True),
    # Classes: the statement runs in a loop over prepared instances (p = Point(1.0, 2.0),
    # q = Point(4.0, 6.0), v = Vec(10); P the class, f the function dist).
    _obj("obj_new", "P(1.0, 2.0)", (1.0, 2.0), probe="xy(P(1.0, 2.0), P)"),
    # pyowned only: a constructor with entry points of its own (py::inline_call()) instead of
    # those its erased signature shares
    _obj("obj_new (py::inline_call)", "P(1.0, 2.0)", (1.0, 2.0), setup=_point_inline,
         probe="xy(P(1.0, 2.0), P)", optional=True),
    _obj("obj_method", "p.norm()", math.hypot(1.0, 2.0)),
    # pyowned only: the method given as a member function pointer value (&Point::norm), known
    # at run time, instead of at compile time (py::method<&Point::norm>, as obj_method)
    _obj("obj_method (&Point::norm)", "p.norm_by_pointer()", math.hypot(1.0, 2.0),
         setup=_norm_by_pointer, optional=True),
    # pyowned only: the same method, and obj_arg's function below, with entry points of their
    # own (py::inline_call()) instead of those their erased signature shares
    _obj("obj_method (py::inline_call)", "p.norm_inline()", math.hypot(1.0, 2.0), setup=_norm_inline,
         optional=True),
    _obj("obj_method_arg", "p.scale(1.0)", None),
    # the same method with k positional-only, as the C API's METH_O method takes it
    _obj("obj_method_arg (positional-only)", "p.scale_pos(1.0)", None),
    _obj("obj_get", "p.x", 1.0),
    _obj("obj_set", "p.x = 3.0", 3.0, probe="p.x"),
    _obj("obj_arg", "f(p, q)", 5.0, setup=_dist),
    _obj("obj_arg (py::inline_call)", "f(p, q)", 5.0, setup=_dist_inline, optional=True),
    _obj("obj_return", "p + q", (5.0, 8.0), probe="xy(p + q, P)"),
    _obj("obj_len", "len(v)", 10, setup=_vec),
    _obj("obj_getitem", "v[3]", 3.0, setup=_vec),
    _obj("obj_isinstance", "isinstance(p, P)", True),
    # passing a member of a bound enum (c = Color.GREEN) to a function taking the C++ enum
    _obj("enum_arg", "f(c)", 1, setup=_color, optional=True),
    # Arrays (NumPy): float64 arrays passed in, read natively, and made natively.
    # array_call: f(a), a = numpy.arange(16.0), made once; returns a.size (per call)
    Case("array_call", ARRAYS, "array_call", lambda n: (_arange(16),), lambda n: 16,
         lambda n: 1, optional=True, call_loop="f(a)", setup=_array_call),
    # array_sum: one call sums numpy.arange(n, dtype=float64) natively (per element)
    Case("array_sum", ARRAYS, "array_sum", lambda n: (_arange(n),), lambda n: float(_tri(n)),
         optional=True),
    # array_return: f(1000) makes a new float64 array natively and hands it over (per call)
    Case("array_return", ARRAYS, "array_return", lambda n: (ARRAY_RETURN_SIZE,),
         lambda n: ("float64", (ARRAY_RETURN_SIZE,), False, True), lambda n: 1, optional=True,
         call_loop=f"f({ARRAY_RETURN_SIZE})", probe=f"ndarray_facts(f({ARRAY_RETURN_SIZE}))"),
    # Native object API: one call loops over a prepared input of n items.
    Case("iter_dict", OBJECTS, "iter_dict", _int_dict, lambda n: 2 * _tri(n)),
    Case("dict_get_item", OBJECTS, "dict_get_item", _int_dict, _tri),
    Case("dict_new", OBJECTS, "dict_new", lambda n: (n,), lambda n: n),
    Case("extract_hashmap", OBJECTS, "extract_hashmap", _int_dict, lambda n: n),
    Case("extract_btreemap", OBJECTS, "extract_btreemap", _int_dict, lambda n: n),
    Case("iter_list", OBJECTS, "iter_list", _int_list, _tri),
    Case("list_get_item", OBJECTS, "list_get_item", _int_list, _tri),
    Case("list_new", OBJECTS, "list_new", lambda n: (n,), lambda n: n),
    Case("extract_vec", OBJECTS, "extract_vec", _int_list, lambda n: n),
    Case("iter_tuple", OBJECTS, "iter_tuple", _int_tuple, _tri),
    Case("tuple_get_item", OBJECTS, "tuple_get_item", _int_tuple, _tri),
    Case("tuple_new", OBJECTS, "tuple_new", lambda n: (n,), lambda n: n),
    Case("iter_set", OBJECTS, "iter_set", _int_set, _tri),
    Case("extract_hashset", OBJECTS, "extract_hashset", _int_set, lambda n: n),
    Case("set_new", OBJECTS, "set_new", lambda n: (n,), lambda n: n),
    Case("extract_str", OBJECTS, "extract_str", _str_list,
         lambda n: sum(len(f"item-{i}") for i in range(n))),
    Case("extract_float", OBJECTS, "extract_float", _float_list, lambda n: _tri(n) * 0.5),
    # Native → Python: one call makes n calls of a Python callable (or attribute reads).
    Case("call_0", CALLBACKS, "call_0", lambda n: (no_args, n), lambda n: None),
    Case("call_1", CALLBACKS, "call_1", lambda n: (one_arg, "x", n), lambda n: None),
    Case("call_kwargs", CALLBACKS, "call_with_kwargs", lambda n: (with_kwargs, n),
         lambda n: None),
    # f(i) for i in range(n), through the peer's callback type (std::function where the peer
    # converts to one), each int64 result summed
    Case("callback_call", CALLBACKS, "callback_call", lambda n: (increment, n),
         lambda n: n * (n + 1) // 2, optional=True),
    # obj.value(i) for i in range(n), called by native code on a Python subclass's instance
    # whose override returns i + 1: the peer's mechanism for virtual methods overridden in
    # Python (a trampoline; capi and PyO3: the method called by name)
    Case("virtual_override", CALLBACKS, "virtual_override", lambda n: (), lambda n: n * (n + 1) // 2,
         optional=True, args_for=lambda module, n: (_overriding(module)(), n)),
    Case("call_method_0", CALLBACKS, "call_method_0", lambda n: (Target(), n), lambda n: None),
    Case("getattr_interned", CALLBACKS, "getattr_interned", lambda n: (Target(), n),
         lambda n: n),
    # Lifetime.
    Case("drop_many_objects", LIFETIME, "drop_many_objects", lambda n: (n,), lambda n: None),
    Case("drop_detached", LIFETIME, "drop_detached", lambda n: (n,), lambda n: None,
         optional=True),
    Case("err_roundtrip", LIFETIME, "err_roundtrip", lambda n: (raise_value_error, n),
         lambda n: n),
    Case("err_roundtrip (throwing)", LIFETIME, "err_roundtrip_throwing",
         lambda n: (raise_value_error, n), lambda n: n, optional=True),
)

# The semantics, one line each (the reference for every peer's implementation).
SEMANTICS = {
    "call_noop": "call_noop() -> None",
    "call_add": "call_add(a: int64, b: int64) -> int64: a + b",
    "call_kwargs": "call_kwargs(a: int64, b: int64 = 2, c: int64 = 3) -> int64: a + b + c; "
                   "called as call_kwargs(1, b=2, c=3)",
    "call_str_len": "call_str_len(s: str) -> int64: the length of s in UTF-8 bytes, "
                    "read through a view (no copy)",
    "call_noop_inline": "call_noop_inline() -> None: as call_noop, the binding's fastest form "
                        "where it has one",
    "call_str_len_inline": "call_str_len_inline(s: str) -> int64: as call_str_len, the "
                           "binding's fastest form where it has one",
    "array_call": "array_call(a) -> int64: the number of elements of a, a 1-D C-contiguous "
                  "numpy.ndarray of float64 taken as the peer's array type, read-only (capi: "
                  "the buffer protocol; nanobind: nb::ndarray; pybind11: py::array_t; Cython: a "
                  "typed memoryview; PyO3: the numpy crate's PyReadonlyArray1<f64>)",
    "array_sum": "array_sum(a) -> float: the sum of a's elements (a as in array_call), read "
                 "natively through the peer's array type in a plain loop over the data, in "
                 "order (no NumPy call)",
    "array_return": "array_return(n) -> numpy.ndarray: a new 1-D float64 array of n elements "
                    "v[i] = i, whose memory is allocated natively (malloc, new[], "
                    "std::vector, Vec), filled, and handed to NumPy without a copy, with an "
                    "owner (a capsule or the peer's equivalent) that frees it when the array "
                    "goes: the array does not own its data (flags.owndata is False)",
    "iter_dict": "iter_dict(d: dict[int, int]) -> int64: the sum of every key and value, "
                 "iterating the dict",
    "dict_get_item": "dict_get_item(d) -> int64: sum of d[i] for i in range(len(d)), the key "
                     "made from the native integer i each time",
    "dict_new": "dict_new(n) -> int64: builds {i: i for i in range(n)} natively, returns its "
                "length (the dict is dropped natively)",
    "extract_hashmap": "extract_hashmap(d) -> int64: converts d to std::unordered_map<int64, "
                       "int64> (or the peer's equivalent), returns its size",
    "extract_btreemap": "extract_btreemap(d) -> int64: converts d to std::map<int64, int64> "
                        "(Rust BTreeMap), returns its size",
    "iter_list": "iter_list(l: list[int]) -> int64: the sum, iterating",
    "list_get_item": "list_get_item(l) -> int64: the sum of l[i] for i in range(len(l))",
    "list_new": "list_new(n) -> int64: builds list(range(n)) natively, returns its length",
    "extract_vec": "extract_vec(l) -> int64: converts l to std::vector<int64> (Rust Vec<i64>), "
                   "returns its size",
    "iter_tuple": "iter_tuple(t: tuple[int, ...]) -> int64: the sum, iterating",
    "tuple_get_item": "tuple_get_item(t) -> int64: the sum of t[i] for i in range(len(t))",
    "tuple_new": "tuple_new(n) -> int64: builds tuple(range(n)) natively, returns its length",
    "iter_set": "iter_set(s: set[int]) -> int64: the sum, iterating",
    "extract_hashset": "extract_hashset(s) -> int64: converts s to std::unordered_set<int64> "
                       "(Rust HashSet<i64>), returns its size",
    "set_new": "set_new(n) -> int64: builds set(range(n)) natively, returns its length",
    "extract_str": "extract_str(l: list[str]) -> int64: the sum of the UTF-8 lengths, each "
                   "read through a view (no copy)",
    "extract_float": "extract_float(l: list[float]) -> float: the sum",
    "call_0": "call_0(f, n) -> None: calls f() n times, dropping each result",
    "call_1": "call_1(f, x, n) -> None: calls f(x) n times",
    "call_with_kwargs": "call_with_kwargs(f, n) -> None: calls f(1, b=2, c=3) n times, the "
                        "arguments made from native integers on each call, the keyword names "
                        "interned once",
    "call_method_0": "call_method_0(obj, n) -> None: calls obj.method() n times, the name "
                     "interned once",
    "getattr_interned": "getattr_interned(obj, n) -> int64: reads obj.value n times (the name "
                        "interned once), returns the sum of the values as int64",
    "drop_many_objects": "drop_many_objects(n) -> None: for i in range(n), creates the Python "
                         "int i and drops it",
    "drop_detached": "drop_detached(n) -> None: makes n storable references (Py<T>) to new "
                     "ints, drops them all on this thread while detached (GIL released), "
                     "re-attaches, and the pending decrefs are drained before it returns; "
                     "absent where the peer has no reference that may be dropped detached",
    "err_roundtrip": "err_roundtrip(f, n) -> int64: calls f() n times, f raises ValueError; "
                     "each failure is handled natively (checked to be a ValueError, then "
                     "cleared); returns the number of failures (pyowned: try_call)",
    "err_roundtrip_throwing": "err_roundtrip_throwing(f, n) -> int64: as err_roundtrip, "
                              "through the throwing call and a catch (pyowned only)",
    # The classes, each bound in the peer's own idiom (capi: a static type with the fields
    # inline, PyMemberDef, slot functions).
    "Point": "class Point(x: float, y: float): read/write float attributes x and y (C++ "
             "struct Point {double x, y;}, stored in the instance where the peer allows); "
             "norm() -> float: hypot(x, y); scale(k: float) -> None: multiplies x and y by k "
             "in place; p + q -> a new Point(p.x + q.x, p.y + q.y) (the number slot / __add__)",
    "dist": "dist(p: Point, q: Point) -> float: hypot(p.x - q.x, p.y - q.y), both taken by "
            "const reference (borrowed, not copied, where the peer allows)",
    "callback_call": "callback_call(f, n) -> int64: the sum of f(i) for i in range(n), f taken as "
                     "the peer's callback type (std::function<int64(int64)> in C++ where the peer "
                     "converts it; capi: PyObject_CallOneArg and PyLong_AsLongLong; Cython, PyO3: "
                     "the object called)",
    "virtual_override": "virtual_override(obj, n) -> int64: the sum of obj.value(i) for i in "
                        "range(n), called natively on obj (an instance of a Python subclass of the "
                        "module's class Base overriding value to return i + 1; Base.value(i) is a "
                        "C++ virtual method returning i) through the peer's override mechanism "
                        "(a trampoline: NB_OVERRIDE, PYBIND11_OVERRIDE, PYOWNED_OVERRIDE; Cython: "
                        "a cpdef method; capi, PyO3: obj.value(i) called by name)",
    "Color": "the C++ enum Color {RED, GREEN, BLUE} (values 0, 1, 2) bound as a Python enum: "
             "an enum.Enum where the peer makes one (capi: enum.Enum('Color', ...) made at "
             "import), else the peer's own enum type (PyO3's #[pyclass] enum, Cython's cpdef "
             "enum); enum_arg(c: Color) -> int64: the C++ value of the member",
    "Vec": "class Vec(n: int): wraps std::vector<double> (Rust Vec<f64>; Cython a libcpp "
           "vector) holding float(i) for i in range(n); len(v) -> n; v[i] -> float, negative "
           "i counting from the end as a list's, IndexError outside",
}


def _index_error(v, i) -> str:
    try:
        v[i]
    except IndexError:
        return "IndexError"
    return "no error"


def _class_problems(m) -> list[str]:
    """The classes' semantics beyond what the cases run (scale, setters, indices, dist)."""
    P = m.Point
    p = P(1.0, 2.0)
    p.scale(2.0)
    p.y = -1.5
    v = m.Vec(5)
    checks = (  # (what, got, expected)
        ("Point(3.0, 4.0).norm()", P(3.0, 4.0).norm(), 5.0),
        ("(x, y) after scale(2.0), y = -1.5", (p.x, p.y), (2.0, -1.5)),
        ("dist(Point(0, 0), Point(3, 4))", m.dist(P(0.0, 0.0), P(3.0, 4.0)), 5.0),
        ("Point(1, 2) + Point(0.5, 0.5)", xy(P(1.0, 2.0) + P(0.5, 0.5), P), (1.5, 2.5)),
        ("Vec(5) items", (len(v), [v[i] for i in range(5)]), (5, [0.0, 1.0, 2.0, 3.0, 4.0])),
        ("Vec(5)[-1], [-5]", (v[-1], v[-5]), (4.0, 0.0)),
        ("Vec(5)[5], [-6]", (_index_error(v, 5), _index_error(v, -6)), ("IndexError",) * 2),
        ("Vec(0)", len(m.Vec(0)), 0),
    )
    return [f"classes: {what} is {got!r}, expected {want!r}"
            for what, got, want in checks if got != want or type(got) is not type(want)]


# The helpers a case's probe may call (its globals).
PROBE_HELPERS = {"xy": xy, "ndarray_facts": ndarray_facts}


def check(module, n: int = 50) -> list[str]:
    """Calls every case of `module` once with n items; returns the problems found."""
    problems = []
    for case in CASES:
        try:
            if case.setup:
                names = case.setup(module)
            else:
                fn = getattr(module, case.function)
                names = {"f": fn}
        except AttributeError as e:
            if not case.optional:
                problems.append(f"{case.function}: missing ({e})")
            continue
        except Exception as e:  # noqa: BLE001 - e.g. the array cases without NumPy
            problems.append(f"{case.function}: setup raised {type(e).__name__}: {e}")
            continue
        try:
            if case.call_loop:
                if not case.setup:
                    fn(*case.arguments(module, n))  # also check the loop statement's call shape
                exec(case.call_loop, {}, names)
                got = eval(case.probe or case.call_loop, PROBE_HELPERS, names)
            else:
                got = fn(*case.arguments(module, n))
        except Exception as e:  # noqa: BLE001 - report, don't stop
            problems.append(f"{case.function}: raised {type(e).__name__}: {e}")
            continue
        want = case.expected(n)
        if got != want or type(got) is not type(want):
            problems.append(f"{case.function}: returned {got!r}, expected {want!r}")
    if hasattr(module, "Point") and hasattr(module, "Vec") and hasattr(module, "dist"):
        try:
            problems += _class_problems(module)
        except Exception as e:  # noqa: BLE001
            problems.append(f"classes: raised {type(e).__name__}: {e}")
    return problems
