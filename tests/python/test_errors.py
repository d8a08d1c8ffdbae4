"""Errors at the boundary of a bound function (errors_ext): argument matching in CPython's own
words, conversion errors, every C++ exception's translation, and Python exceptions that
travel through C++ unchanged."""

import sys
import traceback

import pytest

import errors_ext as e


# --- argument matching: every message as CPython words it --------------------------------------
# (function, its signature as a Python def, args, kwargs, the message CPython gives)
MATCHING_CASES = [
    ("missing 1", e.add, "(a, b)", (1,), {},
     "add() missing 1 required positional argument: 'b'"),
    ("missing 2", e.add, "(a, b)", (), {},
     "add() missing 2 required positional arguments: 'a' and 'b'"),
    ("missing 3", e.three, "(a, b, c)", (), {},
     "three() missing 3 required positional arguments: 'a', 'b', and 'c'"),
    ("missing first, second by keyword", e.add, "(a, b)", (), {"b": 2},
     "add() missing 1 required positional argument: 'a'"),
    ("missing keyword-only", e.kw_required, "(a, *, k)", (1,), {},
     "kw_required() missing 1 required keyword-only argument: 'k'"),
    ("missing 2 keyword-only", e.kw_required2, "(*, x, y)", (), {},
     "kw_required2() missing 2 required keyword-only arguments: 'x' and 'y'"),
    ("missing positional before keyword-only", e.kw_required, "(a, *, k)", (), {},
     "kw_required() missing 1 required positional argument: 'a'"),
    ("too many: takes 1", e.one, "(a)", (1, 2), {},
     "one() takes 1 positional argument but 2 were given"),
    ("too many: takes 0", e.zero, "()", (1,), {},
     "zero() takes 0 positional arguments but 1 was given"),
    ("too many: takes 2", e.add, "(a, b)", (1, 2, 3), {},
     "add() takes 2 positional arguments but 3 were given"),
    ("too many: from N to M", e.range3, "(a, b=1, c=2)", (1, 2, 3, 4), {},
     "range3() takes from 1 to 3 positional arguments but 4 were given"),
    ("too many with keyword-only", e.kw_required, "(a, *, k)", (1, 2), {},
     "kw_required() takes 1 positional argument but 2 were given"),
    ("unexpected keyword", e.add, "(a, b)", (1, 2), {"zzz": 3},
     "add() got an unexpected keyword argument 'zzz'"),
    ("multiple values", e.add, "(a, b)", (1,), {"a": 2},
     "add() got multiple values for argument 'a'"),
    ("multiple values, second parameter", e.add, "(a, b)", (1, 2), {"b": 3},
     "add() got multiple values for argument 'b'"),
    ("positional-only as keyword", e.posonly2, "(a, b, /, c=0)", (1,), {"b": 2},
     "posonly2() got some positional-only arguments passed as keyword arguments: 'b'"),
    ("keyword before missing", e.add, "(a, b)", (), {"a": 1, "zzz": 2},
     "add() got an unexpected keyword argument 'zzz'"),
    # An unexpected keyword makes CPython look for positional-only names among all the
    # keywords first, wherever they are in the call; it lists them in parameter order.
    ("positional-only as keyword after unexpected", e.posonly2, "(a, b, /, c=0)", (0,), {"x": 1, "b": 1},
     "posonly2() got some positional-only arguments passed as keyword arguments: 'b'"),
    ("positional-only as keyword before unexpected", e.posonly2, "(a, b, /, c=0)", (0,), {"b": 1, "x": 1},
     "posonly2() got some positional-only arguments passed as keyword arguments: 'b'"),
    ("positional-only as keyword after near miss", e.posonly2, "(a, b, /, c=0)", (0,), {"cc": 1, "b": 1},
     "posonly2() got some positional-only arguments passed as keyword arguments: 'b'"),
    ("positional-only as keyword, unexpected and too many", e.posonly2, "(a, b, /, c=0)", (1, 2, 3, 4),
     {"zzz": 1, "b": 1},
     "posonly2() got some positional-only arguments passed as keyword arguments: 'b'"),
    ("several positional-only as keyword, reversed", e.posonly2, "(a, b, /, c=0)", (1,), {"b": 2, "a": 1},
     "posonly2() got some positional-only arguments passed as keyword arguments: 'a, b'"),
    ("three positional-only as keyword, shuffled", e.posonly3, "(a, b, c, /, d=0)", (), {"c": 1, "a": 1, "b": 1},
     "posonly3() got some positional-only arguments passed as keyword arguments: 'a, b, c'"),
    ("positional-only as keyword after unexpected, reversed", e.posonly3, "(a, b, c, /, d=0)", (),
     {"zzz": 1, "c": 1, "a": 1},
     "posonly3() got some positional-only arguments passed as keyword arguments: 'a, c'"),
    # with **kwargs they all go into kwargs: no error for them, only what is then missing
    ("positional-only into kwargs after unexpected", e.posonly_kwargs, "(a, b, /, c=0, **kwargs)", (0,),
     {"x": 1, "b": 1},
     "posonly_kwargs() missing 1 required positional argument: 'b'"),
    ("positional-only into kwargs before unexpected", e.posonly_kwargs, "(a, b, /, c=0, **kwargs)", (0,),
     {"b": 1, "x": 1},
     "posonly_kwargs() missing 1 required positional argument: 'b'"),
    ("positional-only into kwargs, reversed", e.posonly_kwargs, "(a, b, /, c=0, **kwargs)", (), {"b": 1, "a": 1},
     "posonly_kwargs() missing 2 required positional arguments: 'a' and 'b'"),
    ("positional-only into kwargs, multiple values", e.posonly_kwargs, "(a, b, /, c=0, **kwargs)", (1, 2, 3),
     {"b": 1, "zzz": 1, "c": 3},
     "posonly_kwargs() got multiple values for argument 'c'"),
    # a keyword given twice is reported when CPython reaches it, before a later keyword
    ("multiple values before positional-only as keyword", e.posonly2, "(a, b, /, c=0)", (1, 2, 3), {"c": 3, "a": 1},
     "posonly2() got multiple values for argument 'c'"),
    ("positional-only as keyword before multiple values", e.posonly2, "(a, b, /, c=0)", (1, 2, 3), {"a": 1, "c": 3},
     "posonly2() got some positional-only arguments passed as keyword arguments: 'a'"),
    ("multiple values before unexpected and positional-only", e.posonly2, "(a, b, /, c=0)", (1, 2, 3),
     {"c": 3, "zzz": 1, "b": 1},
     "posonly2() got multiple values for argument 'c'"),
    ("unexpected, multiple values, then positional-only", e.posonly2, "(a, b, /, c=0)", (1, 2, 3),
     {"zzz": 1, "c": 3, "b": 1},
     "posonly2() got some positional-only arguments passed as keyword arguments: 'b'"),
]


@pytest.mark.parametrize(
    "fn, signature, args, kwargs, message", [c[1:] for c in MATCHING_CASES], ids=[c[0] for c in MATCHING_CASES]
)
def test_argument_matching_messages(fn, signature, args, kwargs, message, cpython_error):
    # the interpreter running the tests words it so too (guards against version drift)
    assert cpython_error(fn.__name__, signature, args, kwargs) == message
    assert fn.__text_signature__ == signature
    with pytest.raises(TypeError) as info:
        fn(*args, **kwargs)
    assert str(info.value) == message


# A function that takes no keywords at all (no parameters, or only positional-only ones) is
# a METH_FASTCALL builtin, which CPython calls more cheaply; CPython itself then refuses
# keywords, in its words for builtins (as for len(x=1)).
@pytest.mark.parametrize("fn, args", [(e.zero, ()), (e.posonly_all, (1, 2))], ids=["no parameters", "positional-only"])
def test_keywordless_functions_refuse_keywords_as_builtins_do(fn, args):
    with pytest.raises(TypeError, match=rf"{fn.__name__}\(\) takes no keyword arguments$"):
        fn(*args, zzz=3)


def test_parameter_named_by_a_str_handle():
    assert e.module_with_param("size").f(size=21) == 42
    with pytest.raises(UnicodeEncodeError):
        e.module_with_param("bad\ud800")


def test_positional_only_function():
    assert e.posonly_all(5, 3) == 2
    assert e.posonly_all.__text_signature__ == "(a, b, /)"
    with pytest.raises(TypeError, match=r"^posonly_all\(\) takes 2 positional arguments but 3 were given$"):
        e.posonly_all(1, 2, 3)
    with pytest.raises(TypeError, match=r"^posonly_all\(\) missing 1 required positional argument: 'b'$"):
        e.posonly_all(1)
    with pytest.raises(TypeError, match=r"^posonly_all\(\) argument 'a' must be int, not str$"):
        e.posonly_all("x", 1)


# Cases where pyowned's wording differed from CPython's at the time of writing: each is
# compared with what the running interpreter says.
CPYTHON_PARITY_CASES = [
    # positional arguments and keyword-only ones given together
    ("too many with keyword-only given", e.kw_default, "(a, *, k=1)", (1, 2), {"k": 3}),
    ("too many with 2 keyword-only given", e.kw_required2, "(*, x, y)", (1,), {"x": 1, "y": 2}),
    # several positional-only parameters given by keyword: CPython lists them all
    ("several positional-only as keyword", e.posonly2, "(a, b, /, c=0)", (), {"a": 1, "b": 2}),
    # CPython looks at the keywords before it counts the positional arguments
    ("unexpected keyword and too many", e.add, "(a, b)", (1, 2, 3), {"zzz": 1}),
    # 3.13 adds "Did you mean 'b'?" for a near miss
    ("unexpected keyword near miss", e.add, "(a, b)", (1,), {"bb": 2}),
]


@pytest.mark.parametrize(
    "fn, signature, args, kwargs", [c[1:] for c in CPYTHON_PARITY_CASES], ids=[c[0] for c in CPYTHON_PARITY_CASES]
)
def test_argument_matching_parity_with_cpython(fn, signature, args, kwargs, cpython_error):
    assert fn.__text_signature__ == signature
    with pytest.raises(TypeError) as info:
        fn(*args, **kwargs)
    assert str(info.value) == cpython_error(fn.__name__, signature, args, kwargs)


# --- wrong type -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: e.add("x", 1), "add() argument 'a' must be int, not str"),
        (lambda: e.add(1, "x"), "add() argument 'b' must be int, not str"),
        (lambda: e.add("x", "y"), "add() argument 'a' must be int, not str"),  # the first one
        (lambda: e.add(a=1, b=2.5), "add() argument 'b' must be int, not float"),
        (lambda: e.add(b=[], a=1), "add() argument 'b' must be int, not list"),
        (lambda: e.f64("1"), "f64() argument 'x' must be float, not str"),
        (lambda: e.utf8(b"x"), "utf8() argument 's' must be str, not bytes"),
        (lambda: e.lookup([], 1), "lookup() argument 'd' must be dict, not list"),
        (lambda: e.range3(1, c="x"), "range3() argument 'c' must be int, not str"),
    ],
)
def test_wrong_type(call, message):
    with pytest.raises(TypeError) as info:
        call()
    assert str(info.value) == message
    assert info.value.__context__ is None and info.value.__cause__ is None


def test_wrong_type_names_the_type_as_cpython_does():
    import collections

    class Mine:
        pass

    with pytest.raises(TypeError, match=r"^add\(\) argument 'a' must be int, not Mine$"):
        e.add(Mine(), 1)
    with pytest.raises(TypeError, match=r"^add\(\) argument 'a' must be int, not collections\.OrderedDict$"):
        e.add(collections.OrderedDict(), 1)


def test_wrong_type_none_is_named_none():
    # CPython says "not None" (Argument Clinic's _PyArg_BadArgument), not "not NoneType":
    # "abc".encode(None) -> encode() argument 'encoding' must be str, not None
    with pytest.raises(TypeError, match=r"^add\(\) argument 'a' must be int, not None$"):
        e.add(None, 1)


# --- conversions that keep their own error ------------------------------------------------------

@pytest.mark.parametrize(
    "call",
    [
        lambda: e.i8(200),
        lambda: e.i8(-129),
        lambda: e.u8(256),
        lambda: e.uint(2**32),
        lambda: e.i64(2**63),
        lambda: e.i64(2**64),
        lambda: e.i64(-(2**63) - 1),
        lambda: e.u64(2**64),
        lambda: e.i64(10**100),
    ],
)
def test_out_of_range_is_overflow_error(call):
    with pytest.raises(OverflowError, match="too (large|small)"):
        call()


@pytest.mark.parametrize("call", [lambda: e.uint(-1), lambda: e.u8(-1), lambda: e.u64(-(2**70))])
def test_negative_to_unsigned_is_overflow_error(call):
    with pytest.raises(OverflowError, match="negative"):
        call()


def test_overflow_error_is_not_a_type_error():
    with pytest.raises(OverflowError) as info:
        e.i8(200)
    assert not isinstance(info.value, TypeError)
    assert info.value.__context__ is None


def test_lone_surrogate_is_unicode_encode_error():
    with pytest.raises(UnicodeEncodeError) as info:
        e.utf8("\ud800")
    assert info.value.encoding == "utf-8"
    assert info.value.object == "\ud800"
    assert (info.value.start, info.value.end) == (0, 1)
    assert info.value.reason == "surrogates not allowed"
    with pytest.raises(UnicodeEncodeError):
        e.utf8_view("ok \udfff")
    assert e.utf8("ok") == 2  # and a valid str still converts


def test_index_raising_keeps_its_error():
    class BadIndex:
        def __index__(self):
            raise ZeroDivisionError("from __index__")

    with pytest.raises(ZeroDivisionError, match="from __index__"):
        e.i64(BadIndex())


def test_float_raising_keeps_its_error():
    class BadFloat:
        def __float__(self):
            raise ValueError("from __float__")

    with pytest.raises(ValueError, match="from __float__"):
        e.f64(BadFloat())


def test_result_that_fails_to_convert():
    with pytest.raises(UnicodeDecodeError):
        e.bad_utf8_result()


# --- C++ exceptions ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "kind, python_type",
    [
        ("invalid_argument", ValueError),
        ("domain_error", ValueError),
        ("length_error", ValueError),
        ("out_of_range", IndexError),
        ("overflow_error", OverflowError),
        ("runtime_error", RuntimeError),
        ("logic_error", RuntimeError),      # any other std::exception
        ("underflow_error", RuntimeError),
        ("range_error", RuntimeError),
    ],
)
def test_std_exception_mapping(kind, python_type):
    with pytest.raises(python_type) as info:
        e.throw_cpp(kind, "what() text \u00e9")
    assert type(info.value) is python_type  # exactly, not a subclass
    assert str(info.value) == "what() text \u00e9"
    assert info.value.args == ("what() text \u00e9",)
    assert info.value.__context__ is None and info.value.__cause__ is None


def test_other_std_exceptions_are_runtime_error_with_what():
    with pytest.raises(RuntimeError) as info:
        e.throw_cpp("custom")
    assert type(info.value) is RuntimeError
    assert str(info.value) == "custom what()"
    with pytest.raises(RuntimeError, match="^std::bad_cast$"):
        e.throw_cpp("bad_cast")
    with pytest.raises(RuntimeError, match="^text: "):
        e.throw_cpp("system_error", "text")


def test_bad_alloc_is_memory_error():
    with pytest.raises(MemoryError) as info:
        e.throw_cpp("bad_alloc")
    assert type(info.value) is MemoryError


@pytest.mark.parametrize("kind", ["int", "string"])
def test_non_std_throw_is_system_error(kind):
    with pytest.raises(SystemError) as info:
        e.throw_cpp(kind)
    assert type(info.value) is SystemError


@pytest.mark.parametrize(
    "kind, python_type",
    [
        ("key_error", KeyError),
        ("type_error", TypeError),
        ("zero_division", ZeroDivisionError),
        ("not_implemented", NotImplementedError),
    ],
)
def test_py_raise(kind, python_type):
    with pytest.raises(python_type) as info:
        e.throw_cpp(kind, "the message")
    assert type(info.value) is python_type
    assert info.value.args == ("the message",)


def test_py_error_from_a_python_operation():
    key = object()
    with pytest.raises(KeyError) as info:
        e.lookup({}, key)
    assert info.value.args == (key,) and info.value.args[0] is key
    assert e.lookup({key: 1}, key) == 1


def test_key_error_for_a_tuple_key_is_keyerror_of_the_tuple():
    # as dict[key] raises: KeyError(('a', 'b')), not KeyError('a', 'b')
    key = ("a", "fresh", "key")
    with pytest.raises(KeyError) as info:
        e.lookup({}, key)
    assert info.value.args == (key,)


def test_created_exception_type():
    assert issubclass(e.ParseError, ValueError)
    assert e.ParseError.__module__ == "errors_ext"
    assert e.ParseError.__name__ == "ParseError"
    with pytest.raises(e.ParseError, match="^bad input$"):
        e.raise_parse_error("bad input")


def test_registered_cpp_exception_types():
    assert issubclass(e.StorageError, Exception) and e.StorageError.__module__ == "errors_ext"
    assert issubclass(e.DiskFull, e.StorageError)
    assert issubclass(e.Quota, OSError)
    with pytest.raises(e.StorageError, match="^storage failed$") as info:
        e.throw_registered("storage")
    assert type(info.value) is e.StorageError
    # the derived C++ type, registered later, wins over its base's translation
    with pytest.raises(e.DiskFull, match="^disk full$"):
        e.throw_registered("disk")
    with pytest.raises(OSError, match="^quota exceeded$"):
        e.throw_registered("quota")
    with pytest.raises(RuntimeError, match="^plain$"):  # unregistered: the standard table
        e.throw_registered("plain")


def test_registered_python_exceptions_match_in_cpp():
    def raiser(t):
        def f():
            raise t("x")
        return f

    assert e.catch_registered(raiser(e.DiskFull)) == "DiskFull"
    assert e.catch_registered(raiser(e.StorageError)) == "StorageError"
    assert e.catch_registered(raiser(e.Quota)) == "Quota"
    assert e.catch_registered(lambda: None) == "nothing"
    with pytest.raises(KeyError):
        e.catch_registered(raiser(KeyError))


def test_no_exception_no_error():
    assert e.throw_cpp("none") is None


# --- an error set before a C++ throw becomes __context__ ----------------------------------------

def test_error_set_before_throw_is_chained_as_context():
    with pytest.raises(RuntimeError) as info:
        e.set_then_throw()
    assert str(info.value) == "later"
    context = info.value.__context__
    assert type(context) is KeyError and context.args == ("earlier",)
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__ is False


def test_error_set_before_py_raise_is_chained_as_context():
    with pytest.raises(ValueError) as info:
        e.set_then_raise()
    assert str(info.value) == "later"
    assert type(info.value.__context__) is KeyError


# --- Python exceptions travelling through C++ ------------------------------------------------------

def _raise_chained(store):
    """A callback that raises a ValueError caused by a KeyError, and records it."""

    def callback_that_raises():
        try:
            {}["missing"]
        except KeyError as key_error:
            error = ValueError("from the callback")
            store.append(error)
            raise error from key_error

    return callback_that_raises


def _tb_names(exc):
    return [frame.name for frame in traceback.extract_tb(exc.__traceback__)]


@pytest.mark.parametrize("through", [e.call, e.call_rethrow, e.call_rethrow_copy])
def test_callback_exception_arrives_unchanged(through):
    store = []
    with pytest.raises(ValueError) as info:
        through(_raise_chained(store))
    assert info.value is store[0]  # the same object
    assert type(info.value) is ValueError
    assert info.value.args == ("from the callback",)
    assert isinstance(info.value.__cause__, KeyError)
    assert info.value.__cause__.args == ("missing",)
    assert info.value.__suppress_context__ is True
    assert info.value.__context__ is info.value.__cause__
    # the traceback still has the callback's frame, after this test's frame
    names = _tb_names(info.value)
    assert names[0] == "test_callback_exception_arrives_unchanged"
    assert names[-1] == "callback_that_raises"


def test_callback_traceback_object_is_kept():
    seen = []

    def callback():
        try:
            raise ValueError("tb")
        except ValueError as err:
            seen.append(err.__traceback__)  # the traceback as the callback left it
            raise

    with pytest.raises(ValueError) as info:
        e.call(callback)
    chain = []
    tb = info.value.__traceback__
    while tb is not None:
        chain.append(tb)
        tb = tb.tb_next
    assert any(t is seen[0] for t in chain)  # extended by the callers' frames, not replaced
    assert chain[-1].tb_frame.f_code.co_name == "callback"


def test_reentrant_calls():
    assert e.call(lambda: e.call(lambda: e.add(1, 2))) == 3
    with pytest.raises(IndexError, match="^inner$"):
        e.call(lambda: e.call(lambda: e.throw_cpp("out_of_range", "inner")))


def test_callback_exception_keeps_its_traceback_frames():
    def inner():
        raise LookupError("deep")

    def outer():
        inner()

    with pytest.raises(LookupError) as info:
        e.call(outer)
    names = _tb_names(info.value)
    assert names[-2:] == ["outer", "inner"]
    # printing it works and shows the chain
    text = "".join(traceback.format_exception(info.value))
    assert "LookupError: deep" in text


def test_callback_with_argument():
    def boom(x):
        raise KeyError(x)

    key = object()
    with pytest.raises(KeyError) as info:
        e.call_with(boom, key)
    assert info.value.args[0] is key


def test_base_exceptions_pass_through():
    def interrupt():
        raise KeyboardInterrupt("stop")

    with pytest.raises(KeyboardInterrupt, match="stop"):
        e.call(interrupt)

    def exit_():
        sys.exit(3)

    with pytest.raises(SystemExit) as info:
        e.call(exit_)
    assert info.value.code == 3


def test_exception_subclass_instance_passes_through():
    class MyError(Exception):
        def __init__(self, a, b):
            super().__init__(a, b)
            self.extra = {"a": a}

    def callback():
        raise MyError(1, 2)

    with pytest.raises(MyError) as info:
        e.call(callback)
    assert info.value.args == (1, 2)
    assert info.value.extra == {"a": 1}


def test_callback_error_caught_in_cpp_does_not_leak_out():
    def callback():
        raise KeyError("handled")

    assert e.call_swallow(callback) == "swallowed KeyError: 'handled'"
    # not a LookupError: rethrown
    with pytest.raises(ValueError):
        e.call_swallow(lambda: int("x"))
    # and nothing is left set afterwards
    assert e.call(lambda: 5) == 5


def test_callback_error_wrapped_with_cause():
    store = []
    with pytest.raises(RuntimeError) as info:
        e.call_wrap(_raise_chained(store))
    assert str(info.value) == "wrapped"
    assert info.value.__cause__ is store[0]
    assert info.value.__suppress_context__ is True
    # the original keeps its own traceback and cause
    assert _tb_names(store[0])[-1] == "callback_that_raises"
    assert isinstance(store[0].__cause__, KeyError)


def test_callback_error_translated_to_std_exception():
    def callback():
        raise KeyError("k")

    with pytest.raises(ValueError, match=r"^callback failed: KeyError: 'k'$"):
        e.call_translate(callback)


def test_cpp_throw_after_dropped_callback_error():
    def callback():
        raise KeyError("dropped")

    with pytest.raises(IndexError, match="^after the callback$") as info:
        e.call_then_throw(callback)
    assert info.value.__context__ is None  # the dropped error is gone, not chained


def test_errors_inside_except_block_chain_like_python():
    # Called while handling an exception: the raised error gets it as __context__, as a
    # Python function's would.
    try:
        raise KeyError("outer")
    except KeyError as outer:
        with pytest.raises(ValueError) as info:
            e.throw_cpp("invalid_argument", "inner")
        assert info.value.__context__ is outer
