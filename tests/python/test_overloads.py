"""Overloads (overloads_ext): the same name defined again, resolved in two passes: first with
no implicit conversions, then with them."""

import inspect

import pytest

import overloads_ext as o


def test_each_type_reaches_its_overload():
    assert o.kind(1) == "int"
    assert o.kind(1.5) == "float"
    assert o.kind("s") == "str"


def test_keywords_reach_overloads():
    assert o.kind(x=1) == "int"
    assert o.kind(x="s") == "str"
    assert o.narrow(s="ab") == 2
    assert o.narrow(x=5) == 5
    with pytest.raises(TypeError, match="incompatible function arguments"):
        o.narrow(y=5)


def test_strict_pass_first():
    # the double overload was defined first; an int still picks the int overload
    assert o.kind(0) == "int"
    assert o.kind(2**40) == "int"
    assert o.kind(True) == "int"  # bool is an int


def test_implicit_conversion_in_second_pass():
    # no int overload: int -> double is an implicit conversion, allowed in the second pass
    assert o.as_float(1) == 1.0
    assert type(o.as_float(1)) is float
    assert o.as_float("2.5") == 2.5
    assert o.as_float(0.5) == 0.5


def test_strict_pass_requires_every_argument():
    assert o.pair(1, "x") == "int, str"
    assert o.pair(1.0, 2.0) == "double, double"
    assert o.pair(1, 2) == "double, double"  # only with implicit conversions


def test_huge_int_falls_through_to_double():
    assert o.big(5) == "int64"
    assert o.big(2**63 - 1) == "int64"
    assert o.big(2**63) == "double"
    assert o.big(2**100) == "double"
    assert o.big(-(2**100)) == "double"
    assert o.big(1.5) == "double"


def test_conversion_error_does_not_stop_the_search():
    assert o.bigint(5) == "int64"
    assert o.bigint(2**100) == "object"


def test_conversion_error_kept_when_nothing_matches():
    assert o.narrow(100) == 100
    assert o.narrow("abc") == 3
    with pytest.raises(OverflowError):
        o.narrow(1000)


def test_python_error_in_conversion_during_resolution():
    class BadIndex:
        def __index__(self):
            raise ZeroDivisionError("from __index__")

    # the int overload's conversion raised; no other overload takes it: that error is raised
    with pytest.raises(ZeroDivisionError, match="from __index__"):
        o.kind(BadIndex())


def test_no_match_lists_every_overload():
    with pytest.raises(TypeError) as info:
        o.kind([])
    message = str(info.value)
    assert message.startswith("kind(): incompatible function arguments.")
    lines = message.splitlines()
    assert "    1. kind(x: float)" in lines
    assert "    2. kind(x: int)" in lines
    assert "    3. kind(x: str)" in lines
    assert message.index("1. kind(x: float)") < message.index("2. kind(x: int)") < message.index("3. kind(x: str)")


def test_no_match_for_keywords_and_arity():
    with pytest.raises(TypeError) as info:
        o.area(depth=1)
    message = str(info.value)
    for signature in ("area(w: float, h: float)", "area(side: float)", "area(*, radius: float, pi: float = 3.0)"):
        assert signature in message
    with pytest.raises(TypeError, match="incompatible function arguments"):
        o.area(1, 2, 3)
    with pytest.raises(TypeError, match="incompatible function arguments"):
        o.area()


def test_arity_and_keywords_choose():
    assert o.area(2, 3) == 6.0
    assert o.area(3) == 9.0
    assert o.area(w=2, h=3) == 6.0
    assert o.area(h=3, w=2) == 6.0
    assert o.area(side=4) == 16.0
    assert o.area(radius=1) == 3.0
    assert o.area(radius=2, pi=3.5) == 14.0
    with pytest.raises(TypeError, match="incompatible function arguments"):
        o.area(1, radius=2)  # radius is keyword-only, and (w, h) wants h


def test_keyword_only_overloads():
    assert o.scale(1.5) == 3.0
    assert o.scale(1.5, factor=3) == 4.5  # int -> double for the keyword argument too
    assert o.scale("ab") == "abab"
    assert o.scale("ab", times=3) == "ababab"
    with pytest.raises(TypeError, match="incompatible function arguments"):
        o.scale(1.5, times=2)
    with pytest.raises(TypeError, match="incompatible function arguments"):
        o.scale("ab", 3)


def test_handles_in_overloads():
    assert o.container([]) == "list"
    assert o.container({}) == "dict"
    assert o.container(()) == "any"
    assert o.container(None) == "any"


def test_args_as_last_resort():
    assert o.variadic(1) == "one int"
    assert o.variadic() == "args 0"
    assert o.variadic(1, 2) == "args 2"
    assert o.variadic("x") == "args 1"


def test_none_to_optional():
    assert o.maybe(None) == "optional"
    assert o.maybe(3) == "optional"
    assert o.maybe("s") == "str"


def test_called_overload_error_is_final():
    assert o.checked(1) == "int"
    assert o.checked(-1.5) == "double"
    with pytest.raises(ValueError, match="^negative$") as info:
        o.checked(-1)  # the int overload ran and threw: the double one is not tried
    assert info.value.__context__ is None


def test_bool_overload_only_for_bools():
    assert o.flag(True) == "bool"
    assert o.flag(False) == "bool"
    assert o.flag(1) == "int"
    assert o.flag(0) == "int"


def test_doc_lists_every_signature():
    doc = o.kind.__doc__
    assert doc.splitlines()[:3] == ["kind(x: float)", "kind(x: int)", "kind(x: str)"]
    doc = o.documented.__doc__
    assert "documented(x: int)" in doc and "documented(s: str)" in doc
    assert "Takes an int." in doc and "Takes a str." in doc
    assert doc.index("Takes an int.") < doc.index("documented(s: str)", doc.index("Overloaded function"))
    assert "A rectangle." in o.area.__doc__ and "A square." in o.area.__doc__ and "A circle." in o.area.__doc__


def test_overloaded_has_no_single_text_signature():
    assert o.kind.__text_signature__ is None
    with pytest.raises(ValueError):
        inspect.signature(o.kind)
    assert o.single.__text_signature__ == "(x)"
    assert o.single.__doc__ == "Only one."


def test_overloaded_is_still_a_builtin():
    assert o.kind.__name__ == "kind"
    assert o.kind.__qualname__ == "kind"
    assert o.kind.__module__ == "overloads_ext"
    assert inspect.isbuiltin(o.kind)


def test_help_shows_every_overload():
    import pydoc

    text = pydoc.render_doc(o.documented, renderer=pydoc.plaintext)
    assert "documented(x: int)" in text
    assert "documented(s: str)" in text
    assert "Takes a str." in text


def test_submodule_overloads_are_separate():
    assert o.sub.kind(1) == "sub int"
    assert o.sub.kind("s") == "sub str"
    assert o.kind("s") == "str"
    with pytest.raises(TypeError, match="incompatible function arguments"):
        o.sub.kind(1.5)  # the parent's float overload is not the submodule's
    assert o.sub.kind.__module__ == "overloads_ext.sub"


def test_overloading_a_function_that_takes_no_keywords():
    # the first overload alone would refuse keywords; the overloaded function takes them
    assert o.shape(21) == 42
    assert o.shape("abc") == 3
    assert o.shape(s="abcd") == 4
    assert "Overloaded function" in o.shape.__doc__


class Raises:
    """An int-like whose __index__ raises the given exception."""

    def __init__(self, exc):
        self.exc = exc

    def __index__(self):
        raise self.exc


STOPPING = [KeyboardInterrupt, SystemExit, MemoryError, RecursionError]


@pytest.mark.parametrize("exc", STOPPING, ids=[e.__name__ for e in STOPPING])
def test_interrupting_errors_stop_resolution(exc):
    # A later overload would take anything: the error must still reach the caller, alone.
    with pytest.raises(exc):
        o.over(Raises(exc))
    with pytest.raises(exc):
        o.over_items([1, Raises(exc)])
    with pytest.raises(exc):
        o.int_or_str(Raises(exc))
    assert o.over(5) == "int" and o.over_items([1, 2]) == "ints"


@pytest.mark.parametrize("exc", [ValueError, OverflowError, TypeError, ZeroDivisionError])
def test_other_conversion_errors_let_the_next_overload_try(exc):
    assert o.over(Raises(exc)) == "any"
    assert o.over_items([1, Raises(exc)]) == "any"


def test_interrupting_error_keeps_its_identity():
    error = KeyboardInterrupt("stop")
    with pytest.raises(KeyboardInterrupt) as info:
        o.over(Raises(error))
    assert info.value is error
