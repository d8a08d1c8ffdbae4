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
