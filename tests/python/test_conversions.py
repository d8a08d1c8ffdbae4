"""Characters, wide strings, nullptr, std::byte data, pair/tuple from any sequence (conversions_ext)."""

import collections
import sys

import pytest

import conversions_ext as c


# --- characters -------------------------------------------------------------------------------

def test_char_is_one_ascii_character():
    assert c.char_echo("a") == "a"
    assert c.char_code("\x00") == 0
    assert c.char_code("~") == 126
    assert c.char_from_code(65) == "A"


@pytest.mark.parametrize("value, length", [("ab", 2), ("", 0)])
def test_char_of_another_length_is_value_error(value, length):
    with pytest.raises(ValueError, match=rf"^expected a str of one character for char, got a str of length {length}$"):
        c.char_echo(value)


def test_char_refuses_what_one_byte_cannot_hold():
    with pytest.raises(ValueError, match=r"^'é' is not an ASCII character and does not fit in a char; use char32_t$"):
        c.char_echo("é")
    with pytest.raises(UnicodeDecodeError):
        c.char_from_code(0xE9)  # one byte that is not ASCII is not UTF-8


@pytest.mark.parametrize("value", [1, b"a", None, ["a"]])
def test_char_wrong_type_is_type_error(value):
    name = "None" if value is None else type(value).__name__  # CPython's wording for None
    with pytest.raises(TypeError, match=rf"^char_echo\(\) argument 'c' must be str, not {name}$"):
        c.char_echo(value)


def test_char16_and_char32():
    assert c.char16_echo("é") == "é"
    assert c.char16_code("\uffff") == 0xFFFF
    assert c.char32_echo("\U0001F600") == "\U0001F600"
    assert c.char32_code("\U0010FFFF") == 0x10FFFF
    assert c.char16_from_code(0x20AC) == "€"
    assert c.char32_from_code(0x1F600) == "\U0001F600"
    assert c.wchar_echo("ж") == "ж"


def test_char16_refuses_a_character_past_the_bmp():
    with pytest.raises(ValueError, match=r"does not fit in one char16_t \(it takes a surrogate pair\); use char32_t$"):
        c.char16_echo("\U0001F600")


@pytest.mark.parametrize("fn", [c.char16_echo, c.char32_echo, c.wchar_echo])
def test_wide_characters_refuse_a_lone_surrogate(fn):
    with pytest.raises(UnicodeEncodeError, match="surrogates not allowed"):
        fn("\ud800")


def test_wide_character_out_of_range_into_python():
    with pytest.raises(UnicodeDecodeError):
        c.char32_from_code(0x110000)
    with pytest.raises(UnicodeDecodeError):
        c.char16_from_code(0xDC00)


# --- wide strings ---------------------------------------------------------------------------------

TEXTS = ["", "plain", "héllo wörld", "€ and \U0001F600", "nul\x00inside", "\ufeffbom first"]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("fn", [c.u16_echo, c.u32_echo, c.wstring_echo])
def test_wide_strings_round_trip(fn, text):
    assert fn(text) == text


def test_code_units():
    assert c.u16_units("\U0001F600") == 2  # a surrogate pair
    assert c.u32_units("\U0001F600") == 1
    assert c.u16_units("abc") == 3


@pytest.mark.parametrize("fn", [c.u16_echo, c.u32_echo, c.wstring_echo])
def test_wide_strings_refuse_a_lone_surrogate(fn):
    with pytest.raises(UnicodeEncodeError, match="surrogates not allowed"):
        fn("a\udc80b")


@pytest.mark.parametrize("fn", [c.u16_echo, c.u32_echo, c.wstring_echo])
def test_wide_strings_take_str_only(fn):
    with pytest.raises(TypeError, match=r"argument 's' must be str, not bytes$"):
        fn(b"abc")


def test_views_into_python():
    assert c.u16_view() == "h\u00e9llo"
    assert c.u32_view() == "\U0001F600!"
    assert c.wstring_view() == "wide"
    assert c.bom_first_u16() == "\ufeffx"  # the byte order is given: U+FEFF is a character
    with pytest.raises(UnicodeDecodeError):
        c.lone_surrogate_u16()


# --- nullptr ------------------------------------------------------------------------------------

def test_nullptr_is_none():
    assert c.takes_null(None) == "null"
    assert c.gives_null() is None
    with pytest.raises(TypeError, match=r"^takes_null\(\) argument 'n' must be None, not int$"):
        c.takes_null(0)


# --- std::byte data -------------------------------------------------------------------------------

def test_byte_vector_is_bytes():
    assert c.bytes_vector(b"\x00\xffa") == b"\x00\xffa"
    assert c.bytes_vector(bytearray(b"xy")) == b"xy"
    assert c.bytes_vector(b"") == b""
    assert c.bytes_made() == b"\x00\xffa"
    with pytest.raises(TypeError, match=r"must be bytes, not list$"):
        c.bytes_vector([0, 255])
    with pytest.raises(TypeError, match=r"must be bytes, not str$"):
        c.bytes_vector("ab")


def test_byte_array_has_its_length():
    assert c.bytes_array4(b"abcd") == b"abcd"
    with pytest.raises(ValueError, match=r"^expected 4 bytes, got 3$"):
        c.bytes_array4(b"abc")


def test_byte_span_views_bytes():
    assert c.bytes_span_size(b"12345") == 5
    assert c.bytes_span_echo(b"\x01\x02") == b"\x01\x02"
    with pytest.raises(TypeError, match=r"must be bytes, not bytearray$"):
        c.bytes_span_size(bytearray(b"no"))  # resizable: no view of it
    with pytest.raises(TypeError, match=r"must be bytes, not memoryview$"):
        c.bytes_span_size(memoryview(b"no"))


# --- pair and tuple from any sequence -------------------------------------------------------------

class Seq:
    def __init__(self, *items):
        self.items = items

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        if self.items[i] == "boom":
            raise KeyError("boom")
        return self.items[i]


@pytest.mark.parametrize("value", [(1, "a"), [1, "a"], Seq(1, "a"), collections.deque([1, "a"])])
def test_pair_from_any_sequence(value):
    assert c.pair_of(value) == (1, "a")


def test_tuple_from_any_sequence():
    assert c.triple_of([1, 2.5, "x"]) == (1, 2.5, "x")
    assert c.triple_of(Seq(1, 2, "x")) == (1, 2.0, "x")


@pytest.mark.parametrize("value", [(1,), [1, "a", 2], "ab", {1: "a"}, b"xy", 5])
def test_pair_refuses_what_is_not_a_sequence_of_two(value):
    with pytest.raises(TypeError, match=r"^pair_of\(\) argument 'p' must be tuple\[int, str\], not "):
        c.pair_of(value)


def test_pair_keeps_an_item_error():
    with pytest.raises(KeyError, match="boom"):
        c.pair_of(Seq(1, "boom"))


def test_pair_item_mismatch():
    with pytest.raises(TypeError, match=r"must be tuple\[int, str\], not list$"):
        c.pair_of(["a", "a"])


# --- reference balance ------------------------------------------------------------------------------

def fresh(text):
    return "".join(list(text))  # a str built at run time: not interned, not shared


BALANCE_CASES = [
    (c.char_echo, lambda: "a", None),
    (c.char_echo, lambda: fresh("ab"), ValueError),
    (c.char_echo, lambda: "é", ValueError),
    (c.char16_echo, lambda: "\U0001F600", ValueError),
    (c.char32_echo, lambda: "\ud800", UnicodeEncodeError),
    (c.u16_echo, lambda: fresh("h\u00e9llo \U0001F600"), None),
    (c.u16_echo, lambda: fresh("a\udc80b"), UnicodeEncodeError),
    (c.u32_echo, lambda: fresh("h\u00e9llo"), None),
    (c.wstring_echo, lambda: fresh("wide text"), None),
    (c.bytes_vector, lambda: bytes(range(10)), None),
    (c.bytes_array4, lambda: bytes(range(3)), ValueError),
    (c.bytes_span_size, lambda: bytes(range(5)), None),
    (c.pair_of, lambda: [10**6, fresh("ab")], None),
    (c.pair_of, lambda: Seq(1, "boom"), KeyError),
    (c.pair_of, lambda: [fresh("ab"), fresh("cd")], TypeError),
    (c.takes_null, lambda: None, None),
    (c.takes_null, lambda: 10**6, TypeError),
]


@pytest.mark.thread_unsafe
@pytest.mark.parametrize("fn, make, exc", BALANCE_CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_references_balanced(fn, make, exc, total_refcount_stable):
    arg = make()
    parts = list(arg) if isinstance(arg, list) else []
    # None, and chars CPython caches, are shared with everything else running: only the total counts
    watched = [o for o in [arg, *parts] if o is not None and not (isinstance(o, str) and len(o) == 1)]

    def run(n):
        for _ in range(n):
            if exc is None:
                fn(arg)
            else:
                try:
                    fn(arg)
                except exc:
                    pass
                else:
                    raise AssertionError(f"{exc.__name__} not raised")

    run(10)
    before = [sys.getrefcount(o) for o in watched]
    run(10**4)
    assert [sys.getrefcount(o) for o in watched] == before
    total_refcount_stable(run)
