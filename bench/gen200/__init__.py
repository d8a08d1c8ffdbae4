"""The build figure's generated modules, per peer: `count` functions of mixed signatures, and
`count` bound classes.

Function k (0 <= k < count) is named f{k}; its shape is KINDS[k % 5]. Each peer's file
in this package (capi.py, pyowned.py, ...) has `generate(count) -> dict[str, str]`: the
files (relative path → text) of a module named gen_<peer> holding those functions, written
the way that peer's users write bindings. `expected(k)` is what f{k}(*arguments(k)) returns.

The peers that bind classes (all but capi) also have `generate_classes(count)`: a module
genc_<peer> of classes C0 ... C{count-1}, each binding a C++ struct (or the peer's own class)
of an int64 `x` and a double `y` with 5 methods and 2 properties:
    Cj(x: int, y: float)                      the constructor
    x: int, y: float                          read-write properties
    get() -> int                              x + j
    mul(k: int) -> int                        x * k + j
    strlen(s: str) -> int                     the UTF-8 length of s + x + j
    scale(scale: float = 2.0) -> float        y * scale + j
    dot(other: Cj) -> float                   x * other.x + y * other.y
`check_classes` calls each once.
"""
from __future__ import annotations

KINDS = (
    # f{k}(a: int64, b: int64) -> int64: a + b + k
    "add",
    # f{k}(x: float, scale: float = 2.0) -> float: x * scale + k
    "scale",
    # f{k}(s: str) -> int64: the UTF-8 length of s + k
    "strlen",
    # f{k}(xs: list[int]) -> int64: xs converted to a vector of int64, its sum + k
    "vecsum",
    # f{k}(d: dict[str, int], *, extra: int64 = 0) -> int64: d converted to a map of
    # string → int64, its size + extra + k
    "mapsize",
)

# The C++ peers' struct Cj of the class module (a format string: {j}).
CPP_STRUCT = """\
struct C{j} {{
    C{j}(int64_t x, double y) : x(x), y(y) {{}}
    int64_t x;
    double y;
}};
"""


def kind(k: int) -> str:
    return KINDS[k % len(KINDS)]


def arguments(k: int) -> tuple[tuple, dict]:
    """A call of f{k}: positional arguments and keyword arguments."""
    return {
        "add": ((2, 3), {}),
        "scale": ((1.5,), {}),
        "strlen": (("héllo",), {}),
        "vecsum": (([1, 2, 3],), {}),
        "mapsize": (({"a": 1, "b": 2},), {"extra": 10}),
    }[kind(k)]


def expected(k: int):
    return {
        "add": 5 + k,
        "scale": 3.0 + k,
        "strlen": 6 + k,
        "vecsum": 6 + k,
        "mapsize": 12 + k,
    }[kind(k)]


def check(module, count: int) -> list[str]:
    """Calls every f{k} of a built generated module; returns the problems found."""
    problems = []
    for k in range(count):
        args, kwargs = arguments(k)
        try:
            got = getattr(module, f"f{k}")(*args, **kwargs)
        except Exception as e:  # noqa: BLE001
            problems.append(f"f{k}: raised {type(e).__name__}: {e}")
            continue
        if got != expected(k) or type(got) is not type(expected(k)):
            problems.append(f"f{k}: returned {got!r}, expected {expected(k)!r}")
    return problems


def check_classes(module, count: int) -> list[str]:
    """Makes an instance of every Cj of a built class module and calls each method and
    property once; returns the problems found."""
    problems = []
    for j in range(count):
        try:
            c = getattr(module, f"C{j}")(2, 1.5)
            got = [c.get(), c.mul(3), c.strlen("héllo"), c.scale(), c.dot(c), c.x, c.y]
            c.x, c.y = 5, 0.5
            got += [c.get(), c.y]
        except Exception as e:  # noqa: BLE001
            problems.append(f"C{j}: raised {type(e).__name__}: {e}")
            continue
        want = [2 + j, 6 + j, 8 + j, 3.0 + j, 6.25, 2, 1.5, 5 + j, 0.5]
        if got != want or [type(v) for v in got] != [type(v) for v in want]:
            problems.append(f"C{j}: got {got!r}, expected {want!r}")
    return problems
