"""Keyword-only parameters after *args, and named *args / **kwargs (signatures_ext)."""

import inspect

import pytest

import signatures_ext as s


@pytest.mark.parametrize(
    "fn, signature",
    [
        (s.after_args, "(a, *args, k=5, **kwargs)"),
        (s.required_after_args, "(*args, k)"),
        (s.named_variadics, "(*values, **options)"),
        (s.named_all, "(a, *rest, sep=',', **extra)"),
        (s.marker_too, "(a, *args, b=1, c=2)"),
        (s.Joiner.join, "(self, /, *items, sep=',')"),  # self as in a method of a C type
    ],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_signature(fn, signature):
    assert str(inspect.signature(fn)) == signature


def test_parameters_after_args_are_keyword_only():
    assert s.after_args(1) == (1, (), 5, {})
    assert s.after_args(1, 2, 3) == (1, (2, 3), 5, {})  # extra positionals go to *args, not to k
    assert s.after_args(1, 2, k=7, z=8) == (1, (2,), 7, {"z": 8})
    assert s.after_args(a=1, k=2) == (1, (), 2, {})


def test_required_keyword_only_after_args():
    assert s.required_after_args(1, 2, k=3) == 6
    with pytest.raises(TypeError, match=r"^required_after_args\(\) missing 1 required keyword-only argument: 'k'$"):
        s.required_after_args(1, 2)


def test_named_variadics_take_what_they_took():
    assert s.named_variadics(1, 2, x=3) == 3
    assert s.named_all(1, 2, 3, sep="-", q=1) == (1, 2, "-", 1)
    assert s.named_all.__doc__.endswith("Everything named.")


def test_explicit_marker_too():
    assert s.marker_too(1, 9, 9, b=10, c=20) == 31
    with pytest.raises(TypeError):
        s.marker_too()


def test_method_with_args_and_keyword_only():
    j = s.Joiner(">")
    assert j.join(1, 2, 3) == ">1,2,3"
    assert j.join("a", "b", sep="+") == ">a+b"
    assert j.join() == ">"
    with pytest.raises(TypeError, match=r"^Joiner.join\(\) got an unexpected keyword argument 'x'$"):
        j.join(1, x=2)


# --- py::arg(...).noconvert() -----------------------------------------------------------------------

def test_noconvert_refuses_an_implicit_conversion():
    assert s.strict_float(1.5) == 1.5
    with pytest.raises(TypeError, match=r"^strict_float\(\) argument 'x' must be float, not int$"):
        s.strict_float(1)
    assert s.strict_first(1.0, 2) == 3.0  # only the marked parameter is strict
    with pytest.raises(TypeError, match=r"^strict_first\(\) argument 'a' must be float, not int$"):
        s.strict_first(1, 2.0)
    assert s.strict_default() == 2.5
    assert s.strict_default(x=0.5) == 0.5
    assert str(inspect.signature(s.strict_float)) == "(x)"


def test_noconvert_in_overload_resolution():
    assert s.strict_over(1.0) == "float"
    assert s.strict_over("a") == "str"
    with pytest.raises(TypeError, match=r"incompatible function arguments"):
        s.strict_over(1)  # the float overload does not take an int in the converting pass either


def test_noconvert_on_a_method():
    j = s.Joiner("x")
    assert j.repeat(2.0) == "x2.000000"
    with pytest.raises(TypeError, match=r"^Joiner.repeat\(\) argument 'times' must be float, not int$"):
        j.repeat(2)


# --- py::call_guard ---------------------------------------------------------------------------------

@pytest.mark.thread_unsafe  # one log shared by the module
def test_call_guards_around_the_call():
    s.take_guard_log()
    assert s.guarded() == 3  # enter A, enter B, call
    assert s.take_guard_log() == ["enter A", "enter B", "call", "exit B", "exit A"]


@pytest.mark.thread_unsafe  # one log shared by the module
def test_call_guards_end_when_the_call_throws():
    s.take_guard_log()
    with pytest.raises(RuntimeError, match="^failed inside$"):
        s.guarded(True)
    assert s.take_guard_log() == ["enter A", "enter B", "call", "exit B", "exit A"]


@pytest.mark.thread_unsafe  # one log shared by the module
def test_call_guards_not_run_when_arguments_do_not_convert():
    s.take_guard_log()
    with pytest.raises(TypeError):
        s.guarded("not a bool")
    assert s.take_guard_log() == []


@pytest.mark.thread_unsafe  # one log shared by the module
def test_call_guard_on_a_method():
    s.take_guard_log()
    assert s.Joiner("p").guarded_prefix() == "p"
    assert s.take_guard_log() == ["enter M", "call", "exit M"]


@pytest.mark.thread_unsafe
def test_references_balanced(total_refcount_stable):
    import sys

    value, text = int("123456789012"), "".join(["a", "b"])

    def run(n):
        for _ in range(n):
            for call in (lambda: s.strict_float(value), lambda: s.strict_over(value), lambda: s.guarded(text)):
                try:
                    call()
                except TypeError:
                    pass
                else:
                    raise AssertionError("no TypeError")
            s.after_args(value, text, k=value, z=text)
        s.take_guard_log()

    run(10)
    before = [sys.getrefcount(value), sys.getrefcount(text)]
    run(10**4)
    assert [sys.getrefcount(value), sys.getrefcount(text)] == before
    total_refcount_stable(run)


def test_none_for_parameters_that_hold_it():
    assert s.prefix_or(None) == "nobody"
    assert s.prefix_or(s.Joiner("q")) == "q"
    assert s.maybe_int(None) == -1
    assert s.maybe_int() == 3
    assert s.maybe_int(7) == 7
    with pytest.raises(TypeError, match=r"^maybe_int\(\) argument 'v' must be int \| None, not str$"):
        s.maybe_int("x")
