"""Every parameter kind a bound function can have (params_ext)."""

import collections
import sys

import pytest

import params_ext as p


# --- integers -------------------------------------------------------------------------------

INT_RANGES = {
    p.i8: (-(2**7), 2**7 - 1),
    p.u8: (0, 2**8 - 1),
    p.i16: (-(2**15), 2**15 - 1),
    p.u16: (0, 2**16 - 1),
    p.i32: (-(2**31), 2**31 - 1),
    p.u32: (0, 2**32 - 1),
    p.i64: (-(2**63), 2**63 - 1),
    p.u64: (0, 2**64 - 1),
    p.c_int: (-(2**31), 2**31 - 1),
    p.c_long: (-(2**63), 2**63 - 1),
    p.c_size_t: (0, 2**64 - 1),
}


@pytest.mark.parametrize("fn", list(INT_RANGES), ids=lambda f: f.__name__)
def test_integer_limits_round_trip(fn):
    low, high = INT_RANGES[fn]
    for value in (low, low + 1, 0, 1, high - 1, high):
        assert fn(value) == value
        assert type(fn(value)) is int


@pytest.mark.parametrize("fn", list(INT_RANGES), ids=lambda f: f.__name__)
def test_integer_out_of_range_is_overflow_error(fn):
    low, high = INT_RANGES[fn]
    with pytest.raises(OverflowError):
        fn(high + 1)
    with pytest.raises(OverflowError):
        fn(low - 1)


def test_non_const_scalar_references_take_a_copy():
    # the positional entry and the keyword dispatcher (the record's invoker) both bind the
    # reference to the call's converted copy: the caller's int is untouched
    x = 5
    assert p.bump(x) == 6 and p.bump(x, 10) == 15 and p.bump(x=x, by=2) == 7 and x == 5
    assert p.scaled(1.5) == 3.0 and p.scaled(1.5, k=3.0) == 4.5
    with pytest.raises(TypeError, match="'x' must be int"):
        p.bump("5")


def test_integer_accepts_index_and_bool():
    class Index:
        def __index__(self):
            return 42

    assert p.i32(Index()) == 42
    assert p.u8(True) == 1
    assert p.i64(False) == 0


@pytest.mark.parametrize("value", [1.0, "1", b"1", [1]])
def test_integer_rejects_non_integers(value):
    with pytest.raises(TypeError, match=rf"^i32\(\) argument 'x' must be int, not {type(value).__name__}$"):
        p.i32(value)


# --- floats, bool, strings -------------------------------------------------------------------

def test_double():
    assert p.f64(1.5) == 1.5
    assert p.f64(-0.0) == 0.0 and str(p.f64(-0.0)) == "-0.0"
    assert p.f64(float("inf")) == float("inf")
    assert p.f64(3) == 3.0 and type(p.f64(3)) is float  # an int converts (a single overload)

    class HasFloat:
        def __float__(self):
            return 2.25

    assert p.f64(HasFloat()) == 2.25
    with pytest.raises(TypeError, match=r"^f64\(\) argument 'x' must be float, not str$"):
        p.f64("1.0")


def test_float32():
    assert p.f32(0.5) == 0.5
    assert p.f32(0.1) == pytest.approx(0.1, rel=1e-7)
    with pytest.raises(OverflowError):
        p.f32(1e300)


def test_bool_only_true_and_false():
    assert p.boolean(True) is True
    assert p.boolean(False) is False
    for value in (0, 1, "", []):
        with pytest.raises(TypeError, match=rf"^boolean\(\) argument 'x' must be bool, not {type(value).__name__}$"):
            p.boolean(value)


def test_std_string():
    assert p.string("hello") == "hello"
    assert p.string("") == ""
    assert p.string("h\u00e9llo \U0001f600") == "h\u00e9llo \U0001f600"
    assert p.string("a\0b") == "a\0b"  # embedded NUL kept
    with pytest.raises(TypeError, match=r"^string\(\) argument 's' must be str, not bytes$"):
        p.string(b"bytes")


def test_string_view_sees_utf8():
    assert p.string_view("h\u00e9llo") == "h\u00e9llo"
    assert p.utf8_size("abc") == 3
    assert p.utf8_size("\u00e9") == 2
    assert p.utf8_size("\U0001f600") == 4
    with pytest.raises(TypeError, match=r"^utf8_size\(\) argument 's' must be str, not int$"):
        p.utf8_size(3)


def test_str_subclass_accepted():
    class MyStr(str):
        pass

    assert p.string(MyStr("sub")) == "sub"


# --- const T& --------------------------------------------------------------------------------

def test_const_reference_parameters():
    assert p.cref_string("ab") == "abab"
    assert p.cref_int(21) == 42
    assert p.cref_double(3.0) == 1.5
    assert p.cref_handle([1, 2, 3]) == 3
    with pytest.raises(TypeError, match=r"^cref_int\(\) argument 'x' must be int, not str$"):
        p.cref_int("21")
    with pytest.raises(TypeError, match=r"^cref_handle\(\) argument 'xs' must be list, not tuple$"):
        p.cref_handle((1, 2))


# --- handles: type-checked ---------------------------------------------------------------------

def test_borrowed_dict():
    assert p.dict_len({"a": 1, "b": 2}) == 2
    assert p.dict_len(collections.OrderedDict(a=1)) == 1  # a subclass is a dict
    with pytest.raises(TypeError, match=r"^dict_len\(\) argument 'd' must be dict, not list$"):
        p.dict_len([])


def test_owned_list_is_the_callers_object():
    xs = [1]
    assert p.list_append(xs, 2) is xs
    assert xs == [1, 2]
    with pytest.raises(TypeError, match=r"^list_append\(\) argument 'xs' must be list, not tuple$"):
        p.list_append((1,), 2)


def test_py_handle():
    obj = object()
    assert p.py_any(obj) is obj
    assert p.py_list_len([1, 2, 3]) == 3
    with pytest.raises(TypeError, match=r"^py_list_len\(\) argument 'xs' must be list, not dict$"):
        p.py_list_len({})


def test_any_accepts_everything():
    for obj in (None, 1, "s", object(), p, [], type):
        assert p.borrowed_any(obj) is obj


def test_other_tags():
    assert p.owned_int(5) == 5
    assert p.owned_int(True) is True  # bool is an int subclass
    with pytest.raises(TypeError, match=r"^owned_int\(\) argument 'i' must be int, not float$"):
        p.owned_int(1.0)
    assert p.borrowed_str("abc") == 3
    with pytest.raises(TypeError, match=r"^borrowed_str\(\) argument 's' must be str, not bytes$"):
        p.borrowed_str(b"abc")
    assert p.tuple_len((1, 2)) == 2
    with pytest.raises(TypeError, match=r"^tuple_len\(\) argument 't' must be tuple, not list$"):
        p.tuple_len([1, 2])


def test_abstract_tags_use_isinstance():
    assert p.sequence_len([1, 2]) == 2
    assert p.sequence_len("abc") == 3
    assert p.sequence_len(range(4)) == 4
    assert p.mapping_len({"a": 1}) == 1
    assert p.mapping_len(collections.ChainMap({"a": 1}, {"b": 2})) == 2
    with pytest.raises(TypeError, match=r"^mapping_len\(\) argument 'm' must be Mapping, not list$"):
        p.mapping_len([1])
    with pytest.raises(TypeError, match=r"^sequence_len\(\) argument 's' must be Sequence, not dict$"):
        p.sequence_len({})


# --- the token ----------------------------------------------------------------------------------

def test_leading_token_is_not_a_parameter():
    assert p.with_token(3) == [0, 1, 2]
    assert p.with_token.__text_signature__ == "(n)"
    assert p.token_only() == "attached"
    assert p.token_only.__text_signature__ == "()"
    with pytest.raises(TypeError, match=r"^token_only\(\) takes 0 positional arguments but 1 was given$"):
        p.token_only(1)


# --- *args and **kwargs ---------------------------------------------------------------------------

def test_args():
    assert p.args_only() == ()
    assert p.args_only(1, "two", None) == (1, "two", None)
    # no keywords accepted at all: a METH_FASTCALL builtin, refused in CPython's words for builtins
    with pytest.raises(TypeError, match=r"args_only\(\) takes no keyword arguments$"):
        p.args_only(k=1)


def test_kwargs():
    assert p.kwargs_only() == {}
    assert p.kwargs_only(a=1, b="x") == {"a": 1, "b": "x"}
    assert list(p.kwargs_only(z=1, a=2, m=3)) == ["z", "a", "m"]  # call order kept
    with pytest.raises(TypeError, match=r"^kwargs_only\(\) takes 0 positional arguments but 1 was given$"):
        p.kwargs_only(1)


def test_args_and_kwargs_together():
    assert p.args_kwargs() == ((), {})
    assert p.args_kwargs(1, 2, x=3) == ((1, 2), {"x": 3})
    assert p.args_kwargs(*range(5), **{"k": None}) == ((0, 1, 2, 3, 4), {"k": None})
    assert p.count(1, 2, 3, a=4, b=5) == 5


def test_kwargs_is_a_fresh_dict():
    d = {"a": 1}
    out = p.kwargs_only(**d)
    assert out == d and out is not d
    out["b"] = 2
    assert p.kwargs_only(**d) == {"a": 1}


def test_named_parameter_then_args():
    assert p.head_rest(1) == (1, ())
    assert p.head_rest(1, 2, 3) == (1, (2, 3))
    assert p.head_rest(head=5) == (5, ())
    with pytest.raises(TypeError, match=r"^head_rest\(\) missing 1 required positional argument: 'head'$"):
        p.head_rest()


def test_named_parameter_then_kwargs():
    assert p.named_kwargs(1) == (1, {})
    assert p.named_kwargs(a=1, b=2) == (1, {"b": 2})
    assert p.named_kwargs(1, b=2, c=3) == (1, {"b": 2, "c": 3})
    with pytest.raises(TypeError, match=r"^named_kwargs\(\) got multiple values for argument 'a'$"):
        p.named_kwargs(1, a=2)


def test_positional_only_name_goes_into_kwargs():
    # def f(a, /, **kw): f(1, a=2) puts a=2 into kw
    assert p.posonly_kwargs(1, a=2) == (1, {"a": 2})
    with pytest.raises(TypeError, match=r"^posonly_kwargs\(\) missing 1 required positional argument: 'a'$"):
        p.posonly_kwargs(a=2)


def test_keyword_only_after_args():
    assert p.args_kwonly(1) == (1, 0, ())
    assert p.args_kwonly(1, 2, 3) == (1, 0, (2, 3))
    assert p.args_kwonly(1, 2, k=9) == (1, 9, (2,))


# --- positional-or-keyword, positional-only, keyword-only ------------------------------------------

def test_positional_or_keyword():
    assert p.pos_or_kw(1, 2, 3) == (1, 2, 3)
    assert p.pos_or_kw(1, 2, c=3) == (1, 2, 3)
    assert p.pos_or_kw(c=3, b=2, a=1) == (1, 2, 3)
    assert p.pos_or_kw(1, c=3, b=2) == (1, 2, 3)


def test_positional_only():
    assert p.posonly(1, 2, 3) == (1, 2, 3)
    assert p.posonly(1, 2, c=3) == (1, 2, 3)
    with pytest.raises(
        TypeError, match=r"^posonly\(\) got some positional-only arguments passed as keyword arguments: 'b'$"
    ):
        p.posonly(1, b=2, c=3)
    assert p.all_posonly(1, 2, 3) == (1, 2, 3)
    with pytest.raises(TypeError, match=r"all_posonly\(\) takes no keyword arguments$"):
        p.all_posonly(1, 2, c=3)


def test_keyword_only():
    assert p.kwonly(1, b=2) == (1, 2, 3)
    assert p.kwonly(1, b=2, c=4) == (1, 2, 4)
    assert p.kwonly(a=1, c=4, b=2) == (1, 2, 4)
    with pytest.raises(TypeError, match=r"^kwonly\(\) takes 1 positional argument but 2 were given$"):
        p.kwonly(1, 2)
    with pytest.raises(TypeError, match=r"^kwonly\(\) missing 1 required keyword-only argument: 'b'$"):
        p.kwonly(1)
    assert p.all_kwonly(a=1, b=2, c=3) == (1, 2, 3)
    with pytest.raises(
        TypeError,
        match=r"^all_kwonly\(\) takes 0 positional arguments but 1 positional argument "
        r"\(and 2 keyword-only arguments\) were given$",
    ):
        p.all_kwonly(1, b=2, c=3)


def test_all_kinds():
    assert p.all_kinds(1, 2, c=3) == (1, 2, 3)
    assert p.all_kinds(1, b=2, c=3) == (1, 2, 3)
    with pytest.raises(TypeError, match=r"positional-only arguments passed as keyword arguments: 'a'$"):
        p.all_kinds(a=1, b=2, c=3)
    with pytest.raises(TypeError, match=r"^all_kinds\(\) takes 2 positional arguments but 3 were given$"):
        p.all_kinds(1, 2, 3)


# --- defaults --------------------------------------------------------------------------------------

def test_defaults_of_several_types():
    assert p.defaults() == (1, 2.5, "text", True, None)
    assert p.defaults(5) == (5, 2.5, "text", True, None)
    assert p.defaults(flag=False, s="other") == (1, 2.5, "other", False, None)
    assert p.defaults(0, 0.0, "", False, "not none") == (0, 0.0, "", False, "not none")
    assert p.default_string() == "from std::string"
    assert p.default_after_required(1) == 17
    assert p.default_after_required(1, 2) == 12
    assert p.default_after_required(b=3, a=4) == 43


@pytest.mark.thread_unsafe  # appends to one shared default list
def test_mutable_default_is_made_once():
    first = p.append_default(1)
    second = p.append_default(2)
    assert first is second  # one list, made when the function was defined
    assert first[-2:] == [1, 2]
    mine = []
    assert p.append_default(3, mine) is mine and mine == [3]
    assert p.append_default(4) is first and first[-1] == 4


def test_default_object_identity():
    a = p.default_object()
    assert a == [1, 2, 3]
    assert p.default_object() is a
    assert p.default_object(o=None) is None


# --- unnamed parameters --------------------------------------------------------------------------

def test_unnamed_parameters_are_positional_only():
    assert p.unnamed(5, 3) == 2
    assert p.unnamed.__text_signature__ == "(arg0, arg1, /)"
    with pytest.raises(TypeError, match=r"unnamed\(\) takes no keyword arguments$"):
        p.unnamed(5, arg1=3)
    with pytest.raises(TypeError, match=r"^unnamed\(\) missing 1 required positional argument: 'arg1'$"):
        p.unnamed(5)
    assert p.unnamed_doc(4) == -4
    assert p.unnamed_doc.__doc__ == "Negates."


# --- callables -------------------------------------------------------------------------------------

def test_function_pointers():
    assert p.add(2, 3) == 5
    assert p.add_ref(2, b=3) == 5
    assert p.negate(4) == -4


@pytest.mark.thread_unsafe  # counts calls in one captured counter
def test_lambda_with_captures():
    assert p.add_base(1) == 101
    start = p.read_shared()
    assert p.bump_shared() == start + 1
    assert p.bump_shared() == start + 2
    assert p.read_shared() == start + 2  # two lambdas share one captured object


@pytest.mark.thread_unsafe  # a mutable lambda counts its own calls
def test_mutable_and_move_only_lambdas():
    n = p.mutable_lambda()
    assert p.mutable_lambda() == n + 1  # the state lives on between calls
    assert p.move_only_lambda() == 7


def test_std_function():
    assert p.repeat("ab", 3) == "ababab"
    assert p.repeat(n=2, s="x") == "xx"


@pytest.mark.thread_unsafe  # one accumulator, read back in sequence
def test_callable_object_with_state():
    total = p.accumulate(0)
    assert p.accumulate() == total + 1
    assert p.accumulate(10) == total + 11
    assert p.accumulate(step=-11) == total
    assert p.triple_it(2.0) == 6.0


def test_callables_of_one_signature_each_call_their_own():
    # lambdas of one signature share its entry points (the record's invoker tells them apart)
    assert [p.same_a(1), p.same_b(1), p.same_c(1), p.same_made(1)] == [2, 3, 101, 4]
    assert [p.same_named_a(2), p.same_named_b(x=2), p.same_named_throws(2)] == [20, 40, 2]
    assert [p.same_kw_a(5), p.same_kw_b(5), p.same_kw_a(5, y=3), p.same_kw_b(x=5, y=3)] == [4, 6, 2, 8]
    assert [p.same_str_a("h\u00e9"), p.same_str_b("h\u00e9")] == [3, "h\u00e9!"]
    assert [p.same_a(True), p.same_named_a(x=False)] == [2, 0]  # through the full path
    # py::inline_call(): entry points of its own, the same behaviour
    assert [p.same_inline(1), p.same_inline(x=True), p.same_inline_str("a")] == [6, 6, "a?"]
    with pytest.raises(TypeError, match=r"^same_inline\(\) argument 'x' must be int, not float$"):
        p.same_inline(1.0)
    assert p.same_inline.__text_signature__ == "(x)"
    with pytest.raises(IndexError, match=r"^same_named_throws: negative$"):
        p.same_named_throws(-1)
    with pytest.raises(TypeError, match=r"^same_b\(\) argument 'arg0' must be int, not str$"):
        p.same_b("1")
    with pytest.raises(TypeError, match=r"^same_kw_b\(\) takes 1 positional argument but 2 were given$"):
        p.same_kw_b(1, 2)
    with pytest.raises(TypeError, match=r"^same_str_b\(\) argument 's' must be str, not bytes$"):
        p.same_str_b(b"x")


@pytest.mark.thread_unsafe  # adds to one captured counter
def test_void_callable_with_state_of_a_shared_signature():
    start = p.read_shared()
    assert p.same_void_a(5) is None
    assert p.read_shared() == start + 5


# --- returns ----------------------------------------------------------------------------------------

def test_void_returns_none():
    assert p.returns_none(1) is None


def test_handle_return():
    d = p.returns_handle()
    assert d == {} and type(d) is dict
    assert p.returns_handle() is not d


# --- std::optional ---------------------------------------------------------------------------------

def test_optional_accepts_none():
    assert p.opt_int(None) is None
    assert p.opt_int(21) == 42
    with pytest.raises(TypeError, match=r"^opt_int\(\) argument 'x' must be int \| None, not str$"):
        p.opt_int("21")
    with pytest.raises(OverflowError):
        p.opt_int(2**70)


def test_optional_default_none():
    assert p.opt_default() == "none"
    assert p.opt_default(None) == "none"
    assert p.opt_default("x") == "got x"
    assert p.opt_default.__text_signature__ == "(s=None)"


def test_optional_by_const_reference_and_handles():
    assert p.opt_cref(None) is False
    assert p.opt_cref(1.5) is True
    assert p.opt_handle() == -1
    assert p.opt_handle([1, 2]) == 2
    with pytest.raises(TypeError, match=r"^opt_handle\(\) argument 'xs' must be list \| None, not tuple$"):
        p.opt_handle((1, 2))


# --- calls through every protocol -------------------------------------------------------------------

def test_called_through_every_path():
    import functools

    assert functools.partial(p.pos_or_kw, 1, c=3)(2) == (1, 2, 3)
    assert p.pos_or_kw(*[1, 2], **{"c": 3}) == (1, 2, 3)
    assert list(map(p.negate, [1, 2])) == [-1, -2]
    assert sorted([3, 1, 2], key=p.negate) == [3, 2, 1]
    args = (1, 2, 3)
    assert p.pos_or_kw.__call__(*args) == args


def test_keyword_names_that_are_not_interned():
    name = "".join(["fl", "ag"])  # equal to "flag", a different object
    assert name is not sys.intern("flag")
    assert p.defaults(**{name: False}) == (1, 2.5, "text", False, None)
    with pytest.raises(TypeError, match=r"^defaults\(\) got multiple values for argument 'flag'$"):
        p.defaults(1, 2.5, "s", True, None, **{name: False})


def test_keyword_layouts():
    # The first keyword call shape is remembered; a default that is the same object as an
    # argument (the int 2 here) must not be taken for it in later calls of that shape.
    f = p.layout
    for b in (2, 7, 2, 9):
        assert f(1, b=b) == 100 + 10 * b + 3
    for c in (5, 2):
        assert f(1, c=c) == 100 + 20 + c
    assert f(a=4, c=1, b=5) == 451
    assert f(c=1, b=5, a=4) == 451
    assert f(1, 5) == 153
    assert f(1, b=7) == 173
    with pytest.raises(TypeError, match=r"^layout\(\) got multiple values for argument 'b'$"):
        f(1, 2, b=3)
    with pytest.raises(TypeError, match=r"^layout\(\) got an unexpected keyword argument 'd'$"):
        f(1, d=3)
    # keyword names that are equal strings but not the interned ones
    name = "".join(["b"])
    assert f(1, **{name: 6}) == 163
