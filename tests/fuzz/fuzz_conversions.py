#!/usr/bin/env python3
"""Coverage-guided fuzzing of pyowned's argument dispatch and conversions (atheris).

Each input picks one of fuzz_ext's functions and decodes its arguments (values.py), calls
it, and calls reference.py's pure-Python equivalent with an identical, separately decoded
copy of the arguments. The outcomes must agree: the same result, or the same exception
type. A disagreement, a crash, or a sanitizer report stops the run with the input saved.

Run through scripts/fuzz.sh (it builds fuzz_ext with clang's sanitizers and preloads
atheris' runtime); by hand:
    LD_PRELOAD=<site-packages>/asan_with_fuzzer.so PYOWNED_FUZZ_DIR=build/fuzz/modules \
        python tests/fuzz/fuzz_conversions.py tests/fuzz/corpus -max_total_time=60
A file name instead of a directory runs that one input (a crash or a corpus entry).
"""

import enum
import os
import sys

import atheris

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.environ.get("PYOWNED_FUZZ_DIR", "build/fuzz/modules"))

import fuzz_ext  # noqa: E402
import reference  # noqa: E402
from values import Decoder  # noqa: E402

# Functions with their argument counts (min, max); the names a call may give as keywords.
FUNCTIONS = {
    name: (1, 1) for name in (
        "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "f32", "f64", "boolean", "char8",
        "char16", "char32", "string", "string_view", "u16string", "u32string", "byte_vector",
        "byte_array4", "vec_i32", "vec_vec_i16", "list_str", "deque_f64", "array3_u8",
        "views_joined", "set_i64", "uset_str", "map_str_vec", "umap_i32_str", "map_str_map",
        "pair_str_vec", "tuple3", "optional_vec_u8", "variant", "complex128", "list_len",
        "dict_len", "str_handle", "int_handle", "any_py", "over", "point_xy", "points_x",
        "color_value", "array_i32")
}
FUNCTIONS.update({"optional_i32": (0, 1), "keywords": (0, 3), "positional": (0, 3), "varargs": (0, 4),
                  "Point": (0, 2), "Point.scaled": (1, 2)})
NAMES = sorted(FUNCTIONS)
KEYWORDS = ("x", "s", "v", "a", "b", "c", "d", "i", "k", "l", "o", "p", "ps", "m", "t", "z", "extra")


def resolve(lib, name):
    if name == "Point.scaled":
        return lambda p, *args, **kw: lib.Point.scaled(p, *args, **kw)
    return getattr(lib, name)


def call(data, lib):
    """Decodes the input into a call of lib's function; returns (the call, its outcome)."""
    decoder = Decoder(data, lib)
    name = decoder.pick(NAMES)
    low, high = FUNCTIONS[name]
    count = decoder.fdp.ConsumeIntInRange(low, high)
    try:
        args = [decoder.value() for _ in range(count)]
    except Exception as e:  # noqa: BLE001 - a lie told while building the value (a dict's __eq__)
        return "undecodable", ("undecodable", type(e).__name__)
    if name == "Point.scaled" and decoder.fdp.ConsumeBool():
        args[0] = lib.Point(1.0, -2.0)  # most calls get a Point as self
    kwargs = {}
    while args and decoder.fdp.ConsumeIntInRange(0, 3) == 0:
        kwargs[decoder.pick(KEYWORDS)] = args.pop()
    shown = f"{name}(*{args!r}, **{kwargs!r})"  # before the call: it may change the arguments
    try:
        return shown, ("ok", normalize(resolve(lib, name)(*args, **kwargs), lib))
    except Exception as e:  # noqa: BLE001 - the exception's type is the outcome
        return shown, ("raised", "TypeError" if isinstance(e, reference.NoMatch) else type(e).__name__)


def normalize(value, lib):
    """A comparable form of a result: floats by repr (nan, -0.0), class instances by fields."""
    if isinstance(value, float):
        return ("float", repr(value))
    if isinstance(value, complex):
        return ("complex", repr(value))
    if isinstance(value, lib.Point):
        return ("Point", normalize(value.x, lib), normalize(value.y, lib))
    if isinstance(value, enum.Enum):
        return ("enum", value.name)
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(normalize(v, lib) for v in value))
    if isinstance(value, (set, frozenset)):
        return ("set", frozenset(normalize(v, lib) for v in value))
    if isinstance(value, dict):
        return ("dict", frozenset((normalize(k, lib), normalize(v, lib)) for k, v in value.items()))
    if isinstance(value, (int, str, bytes)) or value is None:
        return (type(value).__name__, value)
    return ("object", type(value).__name__)


class Mismatch(AssertionError):
    pass


def test_one_input(data):
    shown, native = call(data, fuzz_ext)
    _, expected = call(data, reference)
    if native != expected:
        raise Mismatch(f"{shown}: pyowned gave {native}, the reference {expected}")


def main():
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
