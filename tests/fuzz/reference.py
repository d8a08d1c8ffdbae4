"""Pure-Python equivalents of tests/fuzz/fuzz_ext.cpp's functions: the fuzzer's oracle.

Each function takes what its C++ twin takes and gives the same result, or raises the same
exception type, written with CPython's own conversions wherever CPython has one
(array.array's typecodes for the C integer and floating types, str.encode for UTF-8,
operator.index), and otherwise with the rule docs/modules.md states. A difference between
a function here and fuzz_ext's is either a pyowned bug or a rule this file gets wrong; the
fuzzer reports both, with the input.
"""

import array
import collections.abc
import enum
import math
import operator
import struct


class NoMatch(TypeError):
    """"Does not convert": the value is of another kind (a str for an int). Unlike an error
    raised while converting (an __index__ that raises, an int out of range), it lets a
    variant's next alternative try. Called directly, it is the TypeError pyowned raises."""


def _int_of(code):
    # array.array converts exactly as C does: operator.index's rules (its errors, such as an
    # __index__ returning a float, are raised), OverflowError out of range.
    def convert(x):
        if isinstance(x, float) or not hasattr(type(x), "__index__"):
            raise NoMatch("expected int")
        return array.array(code, [operator.index(x)])[0]

    return convert


i8, u8, i16, u16 = (_int_of(c) for c in "bBhH")
i32, u32 = _int_of("i"), _int_of("I")
i64, u64 = _int_of("q"), _int_of("Q")


def _float(x, convert=True):
    # A float (or subclass) as it is; converting, also what float() takes but str: an int,
    # an object with __float__ or __index__ (their errors raised).
    if isinstance(x, float):
        return float(x)
    if not convert or not (hasattr(type(x), "__float__") or hasattr(type(x), "__index__")):
        raise NoMatch("expected float")
    return float(x)


f64 = _float


def f32(x):
    # Unlike array.array('f') and struct.pack('f'), which give an infinity, pyowned refuses
    # a finite double too large for a float: OverflowError (docs/modules.md).
    d = _float(x)
    f = struct.unpack("f", struct.pack("f", d))[0]
    if math.isinf(f) and not math.isinf(d):
        raise OverflowError("value too large for float")
    return f


def boolean(x):
    if type(x) is not bool:
        raise NoMatch("expected bool")
    return x


def _one_character(c, limit):
    if not isinstance(c, str):
        raise NoMatch("expected str")
    if len(c) != 1:
        raise ValueError("expected one character")
    if 0xD800 <= ord(c) <= 0xDFFF and limit > 0x7F:
        c.encode("utf-8")  # UnicodeEncodeError, as for a string
    if ord(c) > limit:
        raise ValueError("character out of range")
    return str(c)


def char8(c):
    return _one_character(c, 0x7F)


def char16(c):
    return _one_character(c, 0xFFFF)


def char32(c):
    return _one_character(c, 0x10FFFF)


def string(s):
    if not isinstance(s, str):
        raise NoMatch("expected str")
    return s.encode("utf-8").decode("utf-8")  # UnicodeEncodeError for a lone surrogate


string_view = u16string = u32string = string


def byte_vector(b):
    if not isinstance(b, (bytes, bytearray)):
        raise NoMatch("expected bytes")
    return bytes(b)


def byte_array4(b):
    b = byte_vector(b)
    if len(b) != 4:
        raise ValueError("expected 4 bytes")
    return b


# --- containers ---------------------------------------------------------------------------

_TEXT = (str, bytes, bytearray)


def _items(seq):
    """A list or tuple as it is (a list is read live, as its iterator does), another
    sequence as list(seq); TypeError for text, mappings and non-sequences."""
    if isinstance(seq, (list, tuple)):
        return seq
    if isinstance(seq, _TEXT) or isinstance(seq, dict) or not _is_sequence(seq):
        raise NoMatch("expected a sequence")
    if isinstance(seq, collections.abc.Mapping):
        raise NoMatch("expected a sequence, not a mapping")
    return list(seq)


def _is_sequence(o):
    # PySequence_Check: the type has __getitem__ and is not a dict.
    return hasattr(type(o), "__getitem__") and not isinstance(o, dict)


def _list_of(item):
    return lambda seq: [item(x) for x in _items(seq)]


vec_i32 = _list_of(i32)
vec_vec_i16 = _list_of(_list_of(i16))
list_str = _list_of(string)
deque_f64 = _list_of(f64)


def array3_u8(seq):
    items = _items(seq)
    if len(items) != 3:
        raise NoMatch("expected 3 items")
    out = []
    for x in items:
        if len(out) == 3:
            break
        out.append(u8(x))
    if len(out) != 3 or len(items) != 3:
        raise RuntimeError("list changed size during conversion")
    return out


def views_joined(seq):
    return "".join(string(s) + "|" for s in _items(seq))


def _set_items(s):
    if isinstance(s, (set, frozenset)):
        return s
    if isinstance(s, _TEXT) or isinstance(s, dict):
        raise NoMatch("expected a set")
    if not (hasattr(type(s), "__iter__") or _is_sequence(s)):
        raise NoMatch("expected a set")
    if isinstance(s, collections.abc.Mapping):
        raise NoMatch("expected a set, not a mapping")
    return s


def set_i64(s):
    return {i64(x) for x in _set_items(s)}


def uset_str(s):
    return {string(x) for x in _set_items(s)}


def _dict_of(key, value):
    # Two keys equal once converted (257 and an object whose __index__ gives 257): the first
    # is kept, as std::map::emplace does (docs/modules.md), not the last as a dict display.
    def convert(m):
        if isinstance(m, dict):
            out = {}
            for k, v in m.items():  # RuntimeError if m changes size
                converted = key(k)
                out.setdefault(converted, value(v))
            return out
        if isinstance(m, _TEXT) or isinstance(m, (list, tuple)):
            raise NoMatch("expected a dict")
        if not isinstance(m, collections.abc.Mapping):
            raise NoMatch("expected a mapping")
        items = m.items()
        items = items if isinstance(items, (list, tuple)) else list(items)
        out = {}
        for pair in items:
            if not isinstance(pair, tuple) or len(pair) != 2:
                raise NoMatch("items() must give (key, value) pairs")
            k = key(pair[0])  # the key first, then the value
            out.setdefault(k, value(pair[1]))
        return out

    return convert


map_str_vec = _dict_of(string, _list_of(f64))
umap_i32_str = _dict_of(i32, string)
map_str_map = _dict_of(string, _dict_of(string, i64))


def _tuple_of(*items):
    def convert(seq):
        if not isinstance(seq, tuple):
            seq = tuple(_items(seq))
        if len(seq) != len(items):
            raise NoMatch(f"expected {len(items)} items")
        return tuple(f(x) for f, x in zip(items, seq))

    return convert


pair_str_vec = _tuple_of(string, vec_i32)
tuple3 = _tuple_of(i32, string, f64)


def optional_i32(o=None):
    return None if o is None else i32(o)


def optional_vec_u8(o):
    return None if o is None else _list_of(u8)(o)


def variant(v):
    # Each alternative in order without implicit conversions, then with them; the first that
    # converts wins, and one that fails with an error (not NoMatch) ends the search. These
    # alternatives take the same values in both passes, but run twice (their side effects too).
    for _pass in ("strict", "converting"):
        for convert in (i32, string, vec_i32):
            try:
                return convert(v)
            except NoMatch:
                continue
    raise NoMatch("expected int | str | list[int]")


def complex128(z):
    if isinstance(z, str):
        raise NoMatch("expected complex")
    return complex(z) if not isinstance(z, complex) else z


# --- handles ------------------------------------------------------------------------------


def _instance(kind):
    def check(o):
        if not isinstance(o, kind):
            raise NoMatch(f"expected {kind.__name__}")
        return o

    return check


def list_len(lst):
    return len(_instance(list)(lst))


def dict_len(d):
    return len(_instance(dict)(d))


str_handle = _instance(str)
int_handle = _instance(int)


def any_py(o):
    return o


# --- overloads, defaults, keywords ----------------------------------------------------------


_OVER = (("int", i64), ("str", string), ("list", vec_i32))


def _first_of(x, alternatives):
    """Overload resolution: alternatives in order, first without implicit conversions, then
    with them; an error other than NoMatch lets the next one try, and the first such error is
    raised if none accepts."""
    error = None
    for convert in (False, True):
        for name, alternative in alternatives + (("float", lambda v: _float(v, convert)),):
            try:
                return name, alternative(x)
            except NoMatch:
                continue
            except (KeyboardInterrupt, SystemExit, MemoryError, RecursionError):
                raise
            except Exception as e:  # noqa: BLE001 - any failure lets the next one try
                error = error or e
    raise error or NoMatch("incompatible function arguments")


def over(x):
    return _first_of(x, _OVER)


def keywords(a, b=2, *, c="c"):
    return (i32(a), i32(b), string(c))


def positional(a, /, b=7):
    return (i32(a), i32(b))


def varargs(a, *rest, **kw):
    return (i32(a), rest, kw)


# --- a class, an enum, an array ---------------------------------------------------------------


class Point:
    def __init__(self, x=0.0, y=0.0):
        self.x, self.y = f64(x), f64(y)

    def scaled(self, k):
        _instance(Point)(self)  # a method descriptor checks its self
        return Point(self.x * f64(k), self.y * f64(k))


def point_xy(p):
    p = _instance(Point)(p)
    return (p.x, p.y)


def points_x(ps):
    return [_instance(Point)(p).x for p in _items(ps)]


Color = enum.Enum("Color", [("RED", 1), ("GREEN", 2), ("BLUE", 4)])


def color_value(c):
    return _instance(Color)(c).value


# NumPy's safe casts to int32: bool and the integers of fewer bits (or unsigned of 16 or fewer).
_SAFE_FOR_I32 = {"?", "b", "B", "h", "H", "i"}


def array_i32(a):
    try:
        view = memoryview(a)
    except TypeError:
        raise NoMatch("expected a buffer") from None
    fmt = view.format.lstrip("@=")
    code = fmt if len(fmt) == 1 else None
    if code in ("l", "q") and view.itemsize == 4:
        code = "i"
    if code not in _SAFE_FOR_I32 or view.ndim != 1:
        raise NoMatch("expected a 1-d array of int32")
    return [int(x) for x in view.tolist()]


# --- parameter names ----------------------------------------------------------------------
# A call may pass arguments by keyword: each function above of one parameter takes it under
# the name its C++ binding gives (py::arg).


def _one_parameter(param, convert):
    scope = {"convert": convert}
    exec(f"def call({param}):\n    return convert({param})", scope)  # noqa: S102 - a fixed name
    return scope["call"]


for _param, _names in {
    "x": "i8 u8 i16 u16 i32 u32 i64 u64 f32 f64 boolean over",
    "c": "char8 char16 char32 color_value",
    "s": "string string_view u16string u32string set_i64 uset_str str_handle",
    "b": "byte_vector byte_array4",
    "v": "vec_i32 vec_vec_i16 list_str deque_f64 array3_u8 views_joined variant",
    "m": "map_str_vec umap_i32_str map_str_map",
    "p": "pair_str_vec point_xy",
    "t": "tuple3",
    "o": "optional_vec_u8 any_py",
    "z": "complex128",
    "l": "list_len",
    "d": "dict_len",
    "i": "int_handle",
    "ps": "points_x",
    "a": "array_i32",
}.items():
    for _name in _names.split():
        globals()[_name] = _one_parameter(_param, globals()[_name])
