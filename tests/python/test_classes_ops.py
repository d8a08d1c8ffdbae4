"""Special methods of bound classes (classes_ops_ext).

Each special method defined with `.def("__x__", ...)` fills its type slot and must behave
as the same method written in a Python class: operators with their reflected and in-place
forms, NotImplemented for foreign operands, unary operators, numeric conversions, the
sequence and iterator protocols, calls, attribute fallback, comparisons and hashing, repr
and str. The reference balance of the slot paths (success, NotImplemented, errors) is
checked over many calls.
"""

import gc
import operator
import sys

import pytest

import conftest
from repeats import repeats
from conftest import assert_total_refcount_stable

import classes_ops_ext as m

Vec2 = m.Vec2
MOD = "classes_ops_ext"
DEBUG = hasattr(sys, "gettotalrefcount")


class Foreign:
    """A Python class that knows how to combine with Vec2 from either side."""

    def __add__(self, other):
        return ("Foreign.__add__", other)

    def __radd__(self, other):
        return ("Foreign.__radd__", other)

    def __eq__(self, other):
        return "Foreign.__eq__"

    def __lt__(self, other):
        return "Foreign.__lt__"

    def __gt__(self, other):
        return "Foreign.__gt__"

    __hash__ = object.__hash__


# --- binary operators ----------------------------------------------------------------------------


BINARY = [
    # (operator, a, b, expected a op b) with Vec2 and int operands in every position
    (operator.add, Vec2(1, 2), Vec2(3, 4), Vec2(4, 6)),
    (operator.add, Vec2(1, 2), 10, Vec2(11, 12)),
    (operator.add, 10, Vec2(1, 2), Vec2(11, 12)),
    (operator.sub, Vec2(1, 2), Vec2(3, 5), Vec2(-2, -3)),
    (operator.sub, Vec2(1, 2), 1, Vec2(0, 1)),
    (operator.sub, 10, Vec2(1, 2), Vec2(9, 8)),
    (operator.mul, Vec2(1, 2), 3, Vec2(3, 6)),
    (operator.mul, 3, Vec2(1, 2), Vec2(3, 6)),
    (operator.mul, Vec2(2, 3), Vec2(4, 5), Vec2(8, 15)),
    (operator.truediv, Vec2(1, 3), 2, (0.5, 1.5)),
    (operator.truediv, Vec2(1, 4), Vec2(2, 8), (0.5, 0.5)),
    (operator.truediv, 3, Vec2(2, 4), (1.5, 0.75)),
    (operator.floordiv, Vec2(7, -7), 2, Vec2(3, -4)),
    (operator.floordiv, Vec2(7, 9), Vec2(2, 4), Vec2(3, 2)),
    (operator.floordiv, 7, Vec2(2, -2), Vec2(3, -4)),
    (operator.mod, Vec2(7, -7), 3, Vec2(1, 2)),
    (operator.mod, Vec2(7, 9), Vec2(4, 5), Vec2(3, 4)),
    (operator.mod, 7, Vec2(4, -4), Vec2(3, -1)),
    (operator.pow, Vec2(2, 3), 2, Vec2(4, 9)),
    (operator.pow, Vec2(2, 3), Vec2(3, 2), Vec2(8, 9)),
    (operator.pow, 2, Vec2(3, 4), Vec2(8, 16)),
    (operator.lshift, Vec2(1, 3), 2, Vec2(4, 12)),
    (operator.lshift, Vec2(1, 1), Vec2(1, 2), Vec2(2, 4)),
    (operator.lshift, 1, Vec2(3, 4), Vec2(8, 16)),
    (operator.rshift, Vec2(8, 12), 2, Vec2(2, 3)),
    (operator.rshift, Vec2(8, 8), Vec2(1, 3), Vec2(4, 1)),
    (operator.rshift, 64, Vec2(1, 3), Vec2(32, 8)),
    (operator.and_, Vec2(6, 5), 3, Vec2(2, 1)),
    (operator.and_, Vec2(6, 5), Vec2(4, 4), Vec2(4, 4)),
    (operator.and_, 3, Vec2(6, 5), Vec2(2, 1)),
    (operator.or_, Vec2(4, 1), 2, Vec2(6, 3)),
    (operator.or_, Vec2(4, 1), Vec2(1, 4), Vec2(5, 5)),
    (operator.or_, 2, Vec2(4, 1), Vec2(6, 3)),
    (operator.xor, Vec2(6, 5), 3, Vec2(5, 6)),
    (operator.xor, Vec2(6, 5), Vec2(6, 1), Vec2(0, 4)),
    (operator.xor, 3, Vec2(6, 5), Vec2(5, 6)),
    (operator.matmul, Vec2(1, 2), Vec2(3, 4), 11),
    (operator.matmul, (3, 4), Vec2(1, 2), 11),
]


@pytest.mark.parametrize(
    "op,a,b,expected", BINARY, ids=[f"{op.__name__}-{type(a).__name__}-{type(b).__name__}" for op, a, b, _ in BINARY]
)
def test_binary_operators(op, a, b, expected):
    a_before, b_before = repr(a), repr(b)
    result = op(a, b)
    assert result == expected
    assert type(result) is type(expected)
    # operands are left as they were
    assert (repr(a), repr(b)) == (a_before, b_before)


def test_operator_syntax_uses_the_same_slots():
    a, b = Vec2(6, 5), Vec2(1, 2)
    assert a + b == Vec2(7, 7) and 1 + a == Vec2(7, 6)
    assert a - b == Vec2(5, 3) and 1 - a == Vec2(-5, -4)
    assert a * 2 == Vec2(12, 10) and 2 * a == Vec2(12, 10)
    assert a / 2 == (3.0, 2.5) and 30 / a == (5.0, 6.0)
    assert a // 4 == Vec2(1, 1) and 30 // a == Vec2(5, 6)
    assert a % 4 == Vec2(2, 1) and 30 % a == Vec2(0, 0)
    assert a**2 == Vec2(36, 25) and 2**b == Vec2(2, 4)
    assert a << 1 == Vec2(12, 10) and 1 << b == Vec2(2, 4)
    assert a >> 1 == Vec2(3, 2) and 16 >> b == Vec2(8, 4)
    assert a & 4 == Vec2(4, 4) and 4 & a == Vec2(4, 4)
    assert a | 1 == Vec2(7, 5) and 1 | a == Vec2(7, 5)
    assert a ^ 1 == Vec2(7, 4) and 1 ^ a == Vec2(7, 4)
    assert a @ b == 16 and (1, 1) @ a == 11


def test_errors_from_the_operator_propagate():
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        Vec2(1, 2) / 0
    with pytest.raises(ZeroDivisionError, match="integer division or modulo by zero"):
        Vec2(1, 2) // 0
    with pytest.raises(ZeroDivisionError):
        7 % Vec2(0, 1)
    with pytest.raises(ValueError, match="negative exponent"):  # std::domain_error
        Vec2(1, 2) ** -1


def test_foreign_operand_is_a_type_error_worded_as_python_does():
    v = Vec2(1, 2)
    with pytest.raises(TypeError, match=rf"unsupported operand type\(s\) for \+: '{MOD}.Vec2' and 'str'"):
        v + "x"
    with pytest.raises(TypeError, match=rf"unsupported operand type\(s\) for -: 'float' and '{MOD}.Vec2'"):
        1.5 - v
    with pytest.raises(TypeError, match=rf"unsupported operand type\(s\) for @: '{MOD}.Vec2' and 'int'"):
        v @ 3
    with pytest.raises(TypeError, match=rf"unsupported operand type\(s\) for \*: '{MOD}.Vec2' and 'NoneType'"):
        v * None
    # an int too large for the C++ parameter: the conversion's error (not NotImplemented)
    with pytest.raises((OverflowError, TypeError)):
        v + 2**100


def test_foreign_operand_gives_the_other_class_its_turn():
    # NotImplemented from Vec2.__add__ lets Python call Foreign.__radd__, and the reverse
    v, f = Vec2(1, 2), Foreign()
    assert v + f == ("Foreign.__radd__", v)
    assert f + v == ("Foreign.__add__", v)


def test_three_argument_pow_is_not_supported():
    with pytest.raises(TypeError, match="unsupported operand"):
        pow(Vec2(1, 2), 2, 5)


def test_reflected_operator_missing_is_a_type_error():
    o = m.OneWay(1)
    assert o + 2 == m.OneWay(3)
    assert o - 2 == m.OneWay(-1)
    with pytest.raises(TypeError, match=rf"unsupported operand type\(s\) for \+: 'int' and '{MOD}.OneWay'"):
        2 + o
    with pytest.raises(TypeError, match=rf"unsupported operand type\(s\) for -: 'int' and '{MOD}.OneWay'"):
        2 - o
    with pytest.raises(TypeError, match=rf"unsupported operand type\(s\) for \*: '{MOD}.OneWay' and 'int'"):
        o * 2
    assert not hasattr(m.OneWay, "__radd__")


def test_same_type_operands_do_not_fall_back_to_reflected():
    # OneWay has no __add__ accepting a OneWay and no __radd__: TypeError, as in Python
    with pytest.raises(TypeError, match=rf"unsupported operand type\(s\) for \+: '{MOD}.OneWay' and '{MOD}.OneWay'"):
        m.OneWay(1) + m.OneWay(2)


# --- in-place operators ---------------------------------------------------------------------------


INPLACE_VOID = [
    # in-place methods returning void: the same object, mutated ((x, y) of the left operand)
    ("+=", operator.iadd, (1, 2), Vec2(10, 20), Vec2(11, 22)),
    ("+=", operator.iadd, (1, 2), 5, Vec2(6, 7)),
    ("*=", operator.imul, (1, 2), 3, Vec2(3, 6)),
    ("//=", operator.ifloordiv, (7, 9), 2, Vec2(3, 4)),
    ("%=", operator.imod, (7, 9), 4, Vec2(3, 1)),
    ("**=", operator.ipow, (2, 3), 3, Vec2(8, 27)),
    ("<<=", operator.ilshift, (1, 2), 3, Vec2(8, 16)),
    (">>=", operator.irshift, (8, 16), 2, Vec2(2, 4)),
    ("&=", operator.iand, (6, 5), 3, Vec2(2, 1)),
    ("|=", operator.ior, (4, 1), 2, Vec2(6, 3)),
    ("^=", operator.ixor, (6, 5), 3, Vec2(5, 6)),
]


@pytest.mark.parametrize("sym,op,xy,b,expected", INPLACE_VOID, ids=[f"{c[0]}-{type(c[3]).__name__}" for c in INPLACE_VOID])
def test_inplace_returning_void_gives_back_self(sym, op, xy, b, expected):
    a = Vec2(*xy)
    alias = a
    result = op(a, b)
    assert result is alias
    assert alias == expected


def test_inplace_statement_keeps_identity():
    a = Vec2(1, 2)
    alias = a
    a += Vec2(1, 1)
    assert a is alias and alias == Vec2(2, 3)
    a *= 2
    a <<= 1
    a ^= 1
    assert a is alias and a == Vec2(9, 13)


def test_inplace_returning_a_value_rebinds():
    a = Vec2(5, 5)
    alias = a
    a -= Vec2(1, 2)  # __isub__ returns a new Vec2
    assert a == Vec2(4, 3)
    assert a is not alias and alias == Vec2(5, 5)
    a -= 1
    assert a == Vec2(3, 2)

    b = Vec2(1, 3)
    b /= 2  # __itruediv__ returns a tuple
    assert b == (0.5, 1.5)

    c = Vec2(1, 2)
    c @= Vec2(3, 4)  # __imatmul__ returns an int
    assert c == 11


def test_inplace_missing_falls_back_to_the_binary_operator():
    o = m.OneWay(1)
    alias = o
    o += 2
    assert o == m.OneWay(3)
    assert o is not alias and alias == m.OneWay(1)
    with pytest.raises(TypeError, match=rf"unsupported operand type\(s\) for \+=: '{MOD}.OneWay' and 'str'"):
        o += "x"


def test_inplace_with_a_foreign_operand_falls_back_then_fails():
    # Vec2.__iadd__ rejects the str (NotImplemented), then __add__ and str's __radd__ do
    a = Vec2(1, 2)
    with pytest.raises(TypeError, match=rf"unsupported operand type\(s\) for \+=: '{MOD}.Vec2' and 'str'"):
        a += "x"
    assert a == Vec2(1, 2)
    # with a Foreign operand, Foreign.__radd__ gets its turn
    a += Foreign()
    assert a == ("Foreign.__radd__", Vec2(1, 2))


def test_inplace_with_itself_is_a_borrow_conflict():
    # `a += a` with a `Vec2&` self and a `const Vec2&` operand: the documented borrow rule
    # (an exclusive and a shared borrow of one object) raises instead of aliasing
    a = Vec2(1, 2)
    with pytest.raises(RuntimeError, match="already mutably borrowed"):
        a += a
    assert a == Vec2(1, 2)
    a += 1  # the borrow flag was released
    assert a == Vec2(2, 3)


# --- unary operators and conversions --------------------------------------------------------------


def test_unary_operators():
    v = Vec2(3, -4)
    assert -v == Vec2(-3, 4)
    assert +v == Vec2(3, -4) and +v is not v
    assert abs(v) == Vec2(3, 4)
    assert ~v == Vec2(-4, 3)
    assert operator.neg(v) == Vec2(-3, 4)
    assert operator.invert(v) == Vec2(-4, 3)
    assert v == Vec2(3, -4)


def test_unary_operator_missing_is_a_type_error():
    with pytest.raises(TypeError, match=rf"bad operand type for unary -: '{MOD}.OneWay'"):
        -m.OneWay(1)
    with pytest.raises(TypeError, match=rf"bad operand type for abs\(\): '{MOD}.OneWay'"):
        abs(m.OneWay(1))


def test_int_float_index():
    n = m.Num(7)
    assert int(n) == 7 and type(int(n)) is int
    assert float(n) == 7.5  # from __float__, not from __int__ or __index__
    assert operator.index(n) == 7
    assert [0, 1, 2, 3, 4, 5, 6, 7][n] == 7
    assert hex(n) == "0x7" and bin(m.Num(5)) == "0b101"
    assert list(range(m.Num(3))) == [0, 1, 2]
    assert "ab" * m.Num(2) == "abab"


def test_int_and_float_fall_back_to_index():
    i = m.IndexOnly(4)
    assert int(i) == 4
    assert float(i) == 4.0
    assert operator.index(i) == 4
    assert [10, 20, 30, 40, 50][i] == 50


def test_missing_conversions_are_type_errors():
    with pytest.raises(TypeError, match=rf"int\(\) argument must be a string, a bytes-like object or a real number, not '{MOD}.Bare'"):
        int(m.Bare())
    with pytest.raises(TypeError, match=rf"'{MOD}.Bare' object cannot be interpreted as an integer"):
        operator.index(m.Bare())
    with pytest.raises(TypeError, match=rf"float\(\) argument must be a string or a real number, not '{MOD}.Bare'"):
        float(m.Bare())


def test_bool():
    assert bool(Vec2(0, 1)) is True
    assert bool(Vec2(0, 0)) is False
    assert not Vec2()
    assert bool(m.Num(0)) is False and bool(m.Num(-1)) is True
    # no __bool__ and no __len__: always true; __len__ alone decides otherwise
    assert bool(m.Bare()) is True
    assert bool(m.Seq([])) is False and bool(m.Seq([0])) is True
    assert bool(m.Indexable(0)) is False


# --- containers -----------------------------------------------------------------------------------


def test_len_and_item_access():
    s = m.Seq([10, 20, 30])
    assert len(s) == 3
    assert s[0] == 10 and s[2] == 30 and s[-1] == 30
    s[1] = 25
    assert s.tolist() == [10, 25, 30]
    s[-1] = 35
    assert s.tolist() == [10, 25, 35]
    del s[0]
    assert s.tolist() == [25, 35] and len(s) == 2
    del s[-1]
    assert s.tolist() == [25]
    assert operator.getitem(s, 0) == 25
    operator.setitem(s, 0, 1)
    operator.delitem(s, 0)
    assert len(s) == 0


def test_out_of_range_is_an_index_error():
    s = m.Seq([1, 2])
    with pytest.raises(IndexError, match="Seq index out of range"):
        s[2]
    with pytest.raises(IndexError, match="Seq index out of range"):
        s[-3]
    with pytest.raises(IndexError, match="Seq index out of range"):
        s[5] = 1
    with pytest.raises(IndexError, match="Seq index out of range"):
        del s[5]
    with pytest.raises(TypeError):
        s["a"]
    assert s.tolist() == [1, 2]


def test_item_assignment_missing():
    i = m.Indexable(3)
    with pytest.raises(TypeError, match=rf"'{MOD}.Indexable' object does not support item assignment"):
        i[0] = 1
    with pytest.raises(TypeError, match=rf"'{MOD}.Indexable' object doesn't support item deletion"):
        del i[0]
    with pytest.raises(TypeError, match=rf"'{MOD}.Bare' object is not subscriptable"):
        m.Bare()[0]
    with pytest.raises(TypeError, match=rf"object of type '{MOD}.Bare' has no len\(\)"):
        len(m.Bare())


def test_len_negative_is_a_value_error():
    with pytest.raises(ValueError, match=r"__len__\(\) should return >= 0"):
        len(m.BadLen())


def test_len_beyond_ssize_t_is_an_overflow_error():
    with pytest.raises(OverflowError, match="cannot fit 'int' into an index-sized integer"):
        len(m.HugeLen())


def test_item_access_with_a_wrong_key_type_names_the_method():
    with pytest.raises(TypeError, match=r"Seq\.__getitem__\(\) argument 'arg0' must be int, not str"):
        m.Seq([1])["a"]


def test_one_overload_operator_with_its_reflected_form():
    # the forward method alone has the slot's typed entry; a reflected one defined after or
    # before it must still be reached
    s, r = m.Scalar(5), m.Rev(5)
    assert s + 1 == 6 and 2 + s == 2005
    assert r - 1 == 4 and 2 - r == 1995
    with pytest.raises(TypeError, match="unsupported operand"):
        s + "x"
    with pytest.raises(TypeError, match="unsupported operand"):
        None + s
    assert m.OneWay(1) + 2 == m.OneWay(3)
    with pytest.raises(TypeError, match="unsupported operand"):
        2 + m.OneWay(1)


def test_operator_with_a_defaulted_parameter_past_the_operand():
    # the slot calls the method with the operand alone: the default fills the rest, and a
    # foreign operand still gives the other side its turn (once a crash: the slot's soft call
    # reached the keyword matching as if it had keywords)
    w = m.Weighted(5)
    assert w + 3 == 8 and w.__add__(3, weight=2) == 11 and w.__add__(k=3) == 8
    with pytest.raises(TypeError, match="unsupported operand"):
        w + "x"
    with pytest.raises(TypeError, match="unsupported operand"):
        None + w
    assert w == m.Weighted(5) and w != m.Weighted(6) and w.__eq__(m.Weighted(6), tolerance=1)
    assert (w == "x") is False and (w != None) is True
    assert w.__eq__("x") is NotImplemented


def test_special_methods_with_named_parameters():
    # named, so not positional-only: no typed slot entry, the slot goes through the record
    a = m.NamedOps(5)
    assert a + 3 == 8 and a.__add__(k=3) == 8 and a[4] == 20 and a.__getitem__(i=2) == 10
    with pytest.raises(TypeError, match="unsupported operand"):
        a + "x"
    with pytest.raises(TypeError, match="unsupported operand"):
        None + a
    with pytest.raises(TypeError, match="'i' must be int, not str"):
        a["x"]


def test_slots_of_an_uninitialized_instance_raise_type_error():
    # an instance made by __new__ alone holds no C++ object: every slot says so
    s, o = m.Seq.__new__(m.Seq), m.OneWay.__new__(m.OneWay)
    for use in (len, lambda x: x[0], lambda x: 1 in x):
        with pytest.raises(TypeError, match="not initialized"):
            use(s)
    with pytest.raises(TypeError, match="not initialized"):
        o + 1
    with pytest.raises(TypeError, match="not initialized"):
        o == o


def test_contains():
    s = m.Seq([1, 2, 3])
    assert 2 in s
    assert 5 not in s
    assert operator.contains(s, 3)


def test_iteration_through_a_cpp_iterator_class():
    s = m.Seq([4, 5, 6])
    it = iter(s)
    assert type(it) is m.SeqIter
    assert iter(it) is it
    assert next(it) == 4
    assert list(it) == [5, 6]
    with pytest.raises(StopIteration):
        next(it)
    assert next(it, "done") == "done"
    assert list(s) == [4, 5, 6]
    assert [x * 2 for x in s] == [8, 10, 12]
    assert sum(s) == 15
    assert sorted(m.Seq([3, 1, 2])) == [1, 2, 3]
    assert list(zip(s, "abc")) == [(4, "a"), (5, "b"), (6, "c")]
    assert list(m.Seq([])) == []


def test_iteration_through_the_sequence_protocol():
    # only __len__ and __getitem__: iteration stops at the IndexError, `in` iterates
    i = m.Indexable(4)
    assert list(i) == [0, 10, 20, 30]
    assert list(reversed(i)) == [30, 20, 10, 0]
    assert 20 in i and 25 not in i
    assert i[-1] == 30


def test_not_iterable():
    with pytest.raises(TypeError, match=rf"'{MOD}.Bare' object is not iterable"):
        iter(m.Bare())
    with pytest.raises(TypeError, match=rf"'{MOD}.Vec2' object is not an iterator"):
        next(Vec2())


# --- calls and attributes ---------------------------------------------------------------------------


def test_call_with_positional_and_keyword_arguments():
    f = m.Affine(2, 1)
    assert f(3) == (7, "none")
    assert f(3, 2) == (14, "none")
    assert f(3, scale=2) == (14, "none")
    assert f(x=3, scale=2, tag="t") == (14, "t")
    assert f(3, tag="t") == (7, "t")
    assert f(*[3], **{"tag": "k"}) == (7, "k")
    assert callable(f)
    assert not callable(Vec2())


class PyAffine:
    """The Python equivalent of Affine.__call__: the reference for argument errors."""

    def __call__(self, x, scale=1, *, tag="none"):
        pass


class PyRecorder:
    def __call__(self, *args, **kwargs):
        pass


def python_error(obj, args, kwargs):
    try:
        obj(*args, **kwargs)
    except TypeError as e:
        return str(e).replace("PyAffine", "Affine").replace("PyRecorder", "Recorder")
    raise AssertionError("no error")


@pytest.mark.parametrize(
    "args,kwargs",
    [((), {}), ((1,), {"nope": 2}), ((1, 2, "t"), {}), ((1,), {"x": 2}), ((1,), {"tag": "t", "scale": 1, "x": 1})],
    ids=["missing", "unexpected-keyword", "too-many", "multiple-values", "multiple-values-2"],
)
def test_call_argument_errors_as_python_words_them(args, kwargs):
    # a method's messages count self, as CPython's do for a Python class's __call__
    expected = python_error(PyAffine(), args, kwargs)
    with pytest.raises(TypeError) as info:
        m.Affine()(*args, **kwargs)
    assert str(info.value) == expected


def test_call_argument_errors():
    f = m.Affine()
    with pytest.raises(TypeError, match=r"missing 1 required positional argument: 'x'"):
        f()
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'nope'"):
        f(1, nope=2)
    with pytest.raises(TypeError):
        f("not an int")
    with pytest.raises(TypeError, match=rf"'{MOD}.Vec2' object is not callable"):
        Vec2()()


def test_call_with_args_and_kwargs():
    r = m.Recorder()
    assert r() == ((), {})
    assert r(1, "a", None) == ((1, "a", None), {})
    assert r(1, k=2, j=3) == ((1,), {"k": 2, "j": 3})
    # a keyword named `self` meets the method's self parameter, as in Python
    expected = python_error(PyRecorder(), (), {"self": 1})
    assert "multiple values for argument 'self'" in expected
    with pytest.raises(TypeError) as info:
        r(**{"self": 1})
    assert str(info.value) == expected


def test_getattr_is_a_fallback():
    d = m.Dyn()
    assert d.real == 1  # a field: normal lookup
    assert d.method() == 101  # a method: normal lookup
    assert d.anything == "dyn:anything"
    assert getattr(d, "other") == "dyn:other"
    assert d.__class__ is m.Dyn
    d.real = 5
    assert d.real == 5 and d.method() == 105


def test_getattr_raising_attribute_error():
    d = m.Dyn()
    with pytest.raises(AttributeError, match="missing_thing"):
        d.missing_thing
    assert getattr(d, "missing_x", 7) == 7
    assert hasattr(d, "missing_x") is False
    assert hasattr(d, "present") is True
    # setting an unknown attribute is not affected by __getattr__
    with pytest.raises(AttributeError):
        d.anything = 1


# --- comparisons and hashing ----------------------------------------------------------------------


def test_rich_comparisons():
    a, b = Vec2(1, 2), Vec2(1, 3)
    assert a == Vec2(1, 2) and not (a == b)
    assert a != b and not (a != Vec2(1, 2))
    assert a < b and a <= b and a <= Vec2(1, 2)
    assert b > a and b >= a and b >= Vec2(1, 3)
    assert not (a > b) and not (b < a)
    assert sorted([Vec2(2, 0), Vec2(1, 5), Vec2(1, 2)]) == [Vec2(1, 2), Vec2(1, 5), Vec2(2, 0)]
    assert max([Vec2(0, 9), Vec2(1, 0)]) == Vec2(1, 0)


def test_comparison_with_a_foreign_operand():
    v = Vec2(1, 2)
    assert (v == 1) is False
    assert (v != 1) is True
    assert (1 == v) is False
    assert (v == None) is False  # noqa: E711
    assert v in [None, "x", Vec2(1, 2)]
    assert v not in [None, "x", 1]
    with pytest.raises(TypeError, match=rf"'<' not supported between instances of '{MOD}.Vec2' and 'int'"):
        v < 1
    with pytest.raises(TypeError, match=rf"'>=' not supported between instances of 'str' and '{MOD}.Vec2'"):
        "a" >= v
    # a foreign class gets its turn (its reflected method)
    f = Foreign()
    assert (v == f) == "Foreign.__eq__"
    assert (v < f) == "Foreign.__gt__"
    assert (v > f) == "Foreign.__lt__"


def test_comparison_missing_uses_the_reflected_method():
    assert (m.LtOnly(1) > m.LtOnly(0)) is True  # LtOnly(0) < LtOnly(1)
    assert (m.LtOnly(1) < m.LtOnly(0)) is False
    with pytest.raises(TypeError, match=rf"'<=' not supported between instances of '{MOD}.LtOnly' and '{MOD}.LtOnly'"):
        m.LtOnly(1) <= m.LtOnly(2)
    # no __eq__: identity
    x = m.LtOnly(1)
    assert x == x and not (x == m.LtOnly(1))


def test_ne_without_ne_is_the_negation_of_eq():
    # Python's default __ne__ inverts __eq__ (unless it is NotImplemented)
    assert (m.EqOnly(1) != m.EqOnly(1)) is False
    assert (m.EqOnly(1) != m.EqOnly(2)) is True
    assert (m.EqOnly(1) == m.EqOnly(1)) is True
    assert (m.EqOnly(1) != 1) is True


def test_hash_with_eq():
    a = Vec2(1, 2)
    assert hash(a) == hash(Vec2(1, 2)) == 1 * 1000003 + 2
    assert type(a).__hash__ is not None
    assert len({Vec2(1, 2), Vec2(1, 2), Vec2(2, 1)}) == 2
    d = {Vec2(1, 2): "a"}
    assert d[Vec2(1, 2)] == "a"
    assert Vec2(1, 2) in d and Vec2(2, 2) not in d


def test_eq_without_hash_is_unhashable():
    e = m.EqOnly(1)
    assert type(e).__hash__ is None
    assert m.EqOnly.__dict__["__hash__"] is None
    with pytest.raises(TypeError, match=rf"unhashable type: '{MOD}.EqOnly'"):
        hash(e)
    with pytest.raises(TypeError, match="unhashable"):
        {e}
    with pytest.raises(TypeError, match="unhashable"):
        {e: 1}


def test_no_eq_no_hash_hashes_by_identity():
    b = m.Bare()
    assert hash(b) == hash(b)
    assert {b: 1}[b] == 1
    assert m.Bare() != b


def test_hash_minus_one_becomes_minus_two():
    # as for a Python class whose __hash__ returns -1
    assert hash(m.MinusOneHash()) == -2


def test_hash_beyond_ssize_t_is_reduced_as_python_does():
    # A Python class's __hash__ may return any int: CPython hashes the int again. A C++
    # __hash__ returning std::size_t (as std::hash does) gives ints above 2**63.
    assert hash(m.BigHash()) == hash(2**64 - 5)


# --- repr and str -----------------------------------------------------------------------------------


def test_repr_and_str():
    v = Vec2(1, -2)
    assert repr(v) == "Vec2(1, -2)"
    assert str(v) == "(1, -2)"
    assert f"{v}" == "(1, -2)" and f"{v!r}" == "Vec2(1, -2)"
    assert repr([v]) == "[Vec2(1, -2)]"
    assert format(v, "") == "(1, -2)"


def test_str_falls_back_to_repr():
    assert repr(m.ReprOnly()) == "<ReprOnly>"
    assert str(m.ReprOnly()) == "<ReprOnly>"


def test_default_repr():
    b = m.Bare()
    assert repr(b).startswith(f"<{MOD}.Bare object at 0x")
    assert str(b) == repr(b)


# --- the slots are filled: the special methods are real methods too ---------------------------------


def test_special_methods_are_methods_of_the_class():
    v, w = Vec2(1, 2), Vec2(3, 4)
    for name in ("__add__", "__radd__", "__iadd__", "__matmul__", "__neg__", "__eq__", "__hash__", "__repr__"):
        assert name in Vec2.__dict__, name
    assert type(v).__add__(v, w) == Vec2(4, 6)
    assert v.__add__(w) == Vec2(4, 6)
    assert v.__radd__(1) == Vec2(2, 3)
    assert v.__neg__() == Vec2(-1, -2)
    assert v.__eq__(Vec2(1, 2)) is True
    assert v.__hash__() == hash(v)
    assert v.__repr__() == "Vec2(1, 2)" and v.__str__() == "(1, 2)"
    s = m.Seq([1, 2])
    assert s.__len__() == 2
    assert s.__getitem__(1) == 2
    assert s.__contains__(2) is True
    assert m.Num(3).__index__() == 3 and m.Num(3).__float__() == 3.5
    assert m.Affine(2, 0).__call__(3) == (6, "none")
    assert m.Dyn().__getattr__("q") == "dyn:q"


def test_operator_module_and_builtins_use_the_slots():
    v, w = Vec2(1, 2), Vec2(3, 4)
    assert operator.add(v, w) == Vec2(4, 6)
    assert operator.iadd(Vec2(1, 1), 1) == Vec2(2, 2)
    assert operator.lt(v, w) is True
    assert operator.length_hint(m.Seq([1, 2, 3])) == 3
    assert sum([v, w], Vec2()) == Vec2(4, 6)
    assert sum([v, w]) == Vec2(4, 6)  # 0 + v through __radd__


def test_direct_call_of_a_binary_operator_with_a_foreign_operand_returns_not_implemented():
    # as for a Python class: the operator method itself returns NotImplemented
    v = Vec2(1, 2)
    assert v.__add__("x") is NotImplemented
    assert v.__eq__(1) is NotImplemented
    assert v.__lt__(None) is NotImplemented


def test_direct_call_of_an_inplace_method_returning_void_returns_self():
    # as the slot does (`a += b` keeps a), so `a.__iadd__(b)` is a, as in Python
    v = Vec2(1, 2)
    assert v.__iadd__(Vec2(1, 1)) is v
    assert v == Vec2(2, 3)


@pytest.mark.skipif(conftest.stable_abi(m), reason="a stable-ABI build's classes are mutable (limited API)")
def test_bound_classes_are_immutable_to_python_code():
    # as builtins and PyO3's classes: a method cannot be replaced or deleted (which also lets
    # CPython specialize calls of the class); a Python subclass overrides what it wants
    p = m.Patch(5)
    immutable = "cannot set '(__add__|extra)' attribute of immutable type 'classes_ops_ext.Patch'"
    with pytest.raises(TypeError, match=immutable):
        m.Patch.__add__ = lambda self, other: ("patched", other)
    with pytest.raises(TypeError, match=immutable):  # CPython words deletion the same way
        del m.Patch.__add__
    with pytest.raises(TypeError, match=immutable):
        m.Patch.extra = 1
    assert p + 1 == 6 and len(p) == 5


@pytest.mark.skipif(not conftest.stable_abi(m), reason="a regular build's classes are immutable (above)")
def test_stable_abi_classes_are_mutable_as_python_classes_are():
    # the limited API cannot write a type's slots after making it: pyowned sets the methods
    # on the type as a class statement would, and CPython's slot wrappers call them, so a
    # replaced special method takes effect as it would on a Python class
    p = m.Patch(5)
    original = m.Patch.__add__
    m.Patch.__add__ = lambda self, other: ("patched", other)
    try:
        assert p + 1 == ("patched", 1)
    finally:
        m.Patch.__add__ = original
    assert p + 1 == 6 and len(p) == 5

    class Patched(m.Patch):
        def __add__(self, other):
            return ("patched", other)

    assert Patched(5) + 1 == ("patched", 1) and len(Patched(5)) == 5
    Patched.extra = 1  # the subclass is an ordinary Python class


# --- Python subclasses of a class with special methods ---------------------------------------------


class SubVec(Vec2):
    pass


class OverridingVec(Vec2):
    def __add__(self, other):
        return "OverridingVec.__add__"

    def __len__(self):
        return 42


def test_python_subclass_inherits_operators():
    s = SubVec(1, 2)
    assert s + Vec2(1, 1) == Vec2(2, 3)
    assert 1 + s == Vec2(2, 3)
    assert -s == Vec2(-1, -2)
    assert s == Vec2(1, 2) and hash(s) == hash(Vec2(1, 2))
    assert repr(s) == "Vec2(1, 2)"
    assert OverridingVec(1, 1) + 1 == "OverridingVec.__add__"
    assert OverridingVec(1, 1) - 1 == Vec2(0, 0)
    assert len(OverridingVec()) == 42


def test_python_subclass_compares_with_foreign_operands():
    s = SubVec(1, 2)
    assert (s == 1) is False
    assert (s != "x") is True
    assert s not in [None, 1]
    with pytest.raises(TypeError, match="not supported between instances"):
        s < 1


def test_python_subclass_operator_with_a_foreign_operand():
    s = SubVec(1, 2)
    assert s + Foreign() == ("Foreign.__radd__", s)
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \+"):
        s + "x"


def test_python_subclass_inplace_returning_void_keeps_identity():
    s = SubVec(1, 2)
    alias = s
    s += Vec2(1, 1)
    assert s is alias
    assert alias == Vec2(2, 3)


# --- reference balance ---------------------------------------------------------------------------------


def fresh_int():
    return int("1234567" * 2) % 1000  # a new int object each time (beyond the small-int cache)


def fresh_str():
    return "".join(["fresh", "-", "str"])


def refcount_cases():
    v, w = Vec2(1, 2), Vec2(3, 4)
    k = int("12345678901")
    text = fresh_str()
    f = Foreign()
    s = m.Seq([1, 2, 3])
    num = m.Num(int("7000000001"))
    aff = m.Affine(2, 3)
    d = m.Dyn()
    one = m.OneWay(1)
    fresh = m.OneWay.__new__(m.OneWay)
    scalar = m.Scalar(3)
    huge = m.HugeLen()
    eq = m.EqOnly(1)
    name = "".join(["some", "_attr"])
    missing = "".join(["missing", "_attr"])
    weighted = m.Weighted(5)
    named = m.NamedOps(5)

    def expect(exc, fn):
        def run():
            try:
                fn()
            except exc:
                return
            raise AssertionError("no exception")

        return run

    def inplace():
        a = v
        a += w  # void: a stays v
        assert a is v

    def inplace_rebind():
        a = v
        a -= w

    def iterate():
        for _ in s:
            pass

    return {
        "add": ((v, w), lambda: v + w),
        "add-int": ((v, k), lambda: v + k),
        "radd": ((v, k), lambda: k + v),
        "rmatmul-tuple": ((v,), lambda: (1, 2) @ v),
        "truediv-tuple": ((v, k), lambda: v / k),
        "add-foreign-class": ((v, f), lambda: v + f),
        "add-not-implemented": ((v, text), expect(TypeError, lambda: v + text)),
        "radd-missing": ((one, k), expect(TypeError, lambda: k + one)),
        "add-one-overload": ((one, k), lambda: one + k),
        "add-uninitialized": ((fresh, k), expect(TypeError, lambda: fresh + k)),
        "radd-after-add": ((scalar, k), lambda: (k + scalar, scalar + k)),
        "iadd-void": ((v, w), inplace),
        "isub-rebind": ((v, w), inplace_rebind),
        "neg": ((v,), lambda: -v),
        "eq": ((v, w), lambda: v == w),
        "eq-not-implemented": ((v, text), lambda: v == text),
        "ne-eq-only": ((eq,), lambda: eq != eq),
        "lt-type-error": ((v, text), expect(TypeError, lambda: v < text)),
        "hash": ((v,), lambda: hash(v)),
        "unhashable": ((eq,), expect(TypeError, lambda: hash(eq))),
        "len": ((s,), lambda: len(s)),
        "getitem": ((s,), lambda: s[1]),
        "getitem-index-error": ((s, k), expect(IndexError, lambda: s[k])),
        "getitem-wrong-type": ((s, text), expect(TypeError, lambda: s[text])),
        "len-overflow": ((huge,), expect(OverflowError, lambda: len(huge))),
        "contains": ((s, k), lambda: k in s),
        "iterate": ((s,), iterate),
        "int-float-index": ((num,), lambda: (int(num), float(num), operator.index(num))),
        "call-keywords": ((aff, k, text), lambda: aff(k, scale=2, tag=text)),
        "call-error": ((aff, text), expect(TypeError, lambda: aff(text))),
        "getattr-fallback": ((d, name), lambda: getattr(d, name)),
        "getattr-missing": ((d, missing), lambda: getattr(d, missing, None)),
        "repr": ((v,), lambda: repr(v)),
        "bool": ((v,), lambda: bool(v)),
        # an operator with a defaulted parameter past the operand: the slot's soft call
        "defaulted-operator": ((weighted, k), lambda: (weighted + k, weighted.__add__(k, weight=2))),
        "defaulted-operator-foreign": ((weighted, text), expect(TypeError, lambda: weighted + text)),
        "defaulted-eq-foreign": ((weighted, text), lambda: weighted == text),
        # special methods with named parameters: their slots through the record
        "named-operator": ((named, k), lambda: (named + k, named[k], named.__add__(k=k))),
        "named-operator-foreign": ((named, text), expect(TypeError, lambda: named + text)),
        "named-subscript-error": ((named, text), expect(TypeError, lambda: named[text])),
    }


CASE_NAMES = list(refcount_cases())


@pytest.mark.thread_unsafe
@pytest.mark.parametrize("name", CASE_NAMES)
def test_refcounts_stable(name):
    objects, fn = refcount_cases()[name]
    tracked = (*objects, Vec2, m.Seq, m.SeqIter, m.OneWay, m.EqOnly)
    for _ in range(100):
        fn()  # warm-up (caches, interned names)
    gc.collect()
    before = [sys.getrefcount(o) for o in tracked]
    for _ in range(repeats(20000)):
        fn()
    gc.collect()
    after = [sys.getrefcount(o) for o in tracked]
    assert after == before, f"{name}: reference counts {before} -> {after}"


@pytest.mark.thread_unsafe
@pytest.mark.skipif(not DEBUG, reason="needs a debug interpreter (sys.gettotalrefcount)")
@pytest.mark.parametrize("name", CASE_NAMES)
def test_total_refcount_stable(name):
    fn = refcount_cases()[name][1]
    assert_total_refcount_stable(name, fn)


# --- a trivially destructible type: its instances skip the destructor, never a heap object -----------


@pytest.mark.thread_unsafe
def test_trivially_destructible_instances_free_what_they_hold():
    for i in range(100):  # warm-up: caches filled once
        m.Tiny(i), m.tiny_unique(i), m.tiny_shared(i)
    gc.collect()
    live = m.tiny_heap_live()
    before = sys.getrefcount(m.Tiny)
    for i in range(repeats(10000)):
        # held inline (nothing on the heap), adopted (deleted with the instance), shared (the
        # last shared_ptr deletes it); plain ints compared, so no instance outlives its line
        values = (m.Tiny(i).v, m.tiny_unique(i).v, m.tiny_shared(i).v)
        assert values == (i, i, i)
        assert m.tiny_heap_live() == live
    gc.collect()
    after = sys.getrefcount(m.Tiny)  # (pytest's assert would hold m.Tiny once more)
    assert m.tiny_heap_live() == live
    assert after == before
    if DEBUG:
        assert_total_refcount_stable("tiny", lambda: (m.Tiny(1), m.tiny_unique(2), m.tiny_shared(3)))

