"""Bound classes across modules (classes_cross_*_ext).

classes_cross_a_ext binds cross::Point; classes_cross_b_ext takes and returns cross::Point
without binding it, and works once A is imported (before, its calls raise TypeError naming
the C++ type); classes_cross_bad_ext binds another struct under the same C++ name with a
different layout (ImportError naming sizeof); classes_cross_dup_ext binds the same type a
second time (ImportError); classes_cross_local_ext binds it with py::module_local, which
coexists with A's binding.

The order of imports matters, so those tests run in a fresh interpreter each.
"""

import os
import subprocess
import sys
import textwrap

import pytest

EXT_DIR = os.path.abspath(os.environ["PYOWNED_EXT_DIR"])


def run_fresh(code):
    """Runs `code` in a new interpreter with the extension directory on sys.path; returns
    its stdout (fails the test, with stderr, if it exits non-zero)."""
    prelude = f"import sys\nsys.path.insert(0, {EXT_DIR!r})\n"
    proc = subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc.stdout


# --- in this process: A, then B ------------------------------------------------------------------------

a = pytest.importorskip("classes_cross_a_ext")
import classes_cross_b_ext as b  # noqa: E402


def test_b_takes_a_point():
    p = a.Point(3.0, 4.0)
    assert b.norm(p) == 5.0
    assert b.x_of(p) == 3.0


def test_b_takes_a_pointer_parameter():
    assert hasattr(b, "is_null"), (
        "classes_cross_b_ext could not bind a `const cross::Point*` parameter: "
        "python_name<const cross::Point*>() needs FromPython<const cross::Point*>, which "
        "pyowned does not define (bind/function.h SpecOf::type_names)"
    )
    p = a.Point(3.0, 4.0)
    assert b.is_null(None) is True
    assert b.is_null(p) is False
    with pytest.raises(TypeError):
        b.is_null(1)


def test_b_returns_an_instance_of_a_point():
    p = b.make_point(1.0, 2.0)
    assert type(p) is a.Point
    assert (p.x, p.y) == (1.0, 2.0)
    q = b.shifted(p, 1.0, -1.0)
    assert type(q) is a.Point
    assert q == a.Point(2.0, 1.0)
    u = b.make_unique(5.0, 6.0)
    assert type(u) is a.Point
    assert u.norm() == pytest.approx((25 + 36) ** 0.5)


def test_b_mutates_a_point_in_place():
    p = a.Point(1.0, 2.0)
    b.scale(p, 3.0)
    assert (p.x, p.y) == (3.0, 6.0)


def test_b_borrow_rules_hold_across_modules():
    p = a.Point(1.0, 2.0)
    # B holds p exclusively while the callback uses it through A's method and field
    with pytest.raises(RuntimeError, match="Point is already mutably borrowed"):
        b.scale_with(p, 2.0, lambda: p.norm())
    with pytest.raises(RuntimeError, match="Point is already borrowed"):
        b.scale_with(p, 2.0, lambda: setattr(p, "x", 0.0))
    assert (p.x, p.y) == (4.0, 8.0)
    assert b.scale_with(p, 0.5, lambda: b.norm(a.Point(3.0, 4.0))) == 5.0


def test_b_rejects_other_types():
    with pytest.raises(TypeError):
        b.norm((3.0, 4.0))
    with pytest.raises(TypeError):
        b.scale(None, 2.0)


# one thread: CPython's `import` may hand a thread the module object of another thread's import
# that is failing at that moment (taken from sys.modules before it is removed), not an ImportError
@pytest.mark.thread_unsafe
def test_bad_layout_import_fails_after_a():
    with pytest.raises(ImportError, match="sizeof") as info:
        import classes_cross_bad_ext  # noqa: F401
    assert "cross::Point" in str(info.value)
    # A and B are unaffected
    assert b.norm(a.Point(3.0, 4.0)) == 5.0


# one thread: CPython's `import` may hand a thread the module object of another thread's import
# that is failing at that moment (taken from sys.modules before it is removed), not an ImportError
@pytest.mark.thread_unsafe
def test_duplicate_binding_import_fails_after_a():
    with pytest.raises(ImportError, match="already bound") as info:
        import classes_cross_dup_ext  # noqa: F401
    assert "cross::Point" in str(info.value)
    assert "module_local" in str(info.value)


def test_module_local_coexists():
    import classes_cross_local_ext as local

    p = local.Point(3.0, 4.0)
    assert type(p) is local.Point
    assert local.Point is not a.Point
    assert local.local_norm(p) == 5.0
    q = local.make_point(1.0, 2.0)
    assert type(q) is local.Point
    # each module's functions use its own class
    with pytest.raises(TypeError):
        local.local_norm(a.Point(3.0, 4.0))
    with pytest.raises(TypeError):
        b.norm(p)
    # and the shared class is still A's
    assert type(b.make_point(0.0, 0.0)) is a.Point


# --- import orders, each in a fresh interpreter ---------------------------------------------------------


def test_b_before_a_raises_type_error_naming_the_cpp_type():
    out = run_fresh(
        """
        import classes_cross_b_ext as b
        for call in (lambda: b.make_point(1.0, 2.0), lambda: b.norm(object())):
            try:
                call()
            except TypeError as e:
                print("TypeError:", e)
            else:
                print("no error")
        import classes_cross_a_ext as a
        print("after:", b.norm(a.Point(3.0, 4.0)), type(b.make_point(1.0, 2.0)) is a.Point)
        """
    )
    lines = out.splitlines()
    assert len(lines) == 3, out
    assert lines[0].startswith("TypeError:") and "cross::Point" in lines[0], out
    assert lines[1].startswith("TypeError:") and "cross::Point" in lines[1], out
    assert lines[2] == "after: 5.0 True", out


def test_bad_after_a_in_fresh_interpreter():
    out = run_fresh(
        """
        import classes_cross_a_ext as a
        try:
            import classes_cross_bad_ext
        except ImportError as e:
            print("ImportError:", e)
        else:
            print("imported")
        """
    )
    assert out.startswith("ImportError:"), out
    assert "sizeof" in out and "cross::Point" in out


def test_a_after_bad_raises_import_error():
    out = run_fresh(
        """
        import classes_cross_bad_ext as bad
        try:
            import classes_cross_a_ext
        except ImportError as e:
            print("ImportError:", e)
        else:
            print("imported")
        """
    )
    assert out.startswith("ImportError:"), out
    assert "sizeof" in out and "cross::Point" in out


def test_b_with_only_bad_bound_refuses_the_layout():
    out = run_fresh(
        """
        import classes_cross_bad_ext as bad
        import classes_cross_b_ext as b
        p = bad.Point(1.0, 2.0, 3.0)
        for call in (lambda: b.norm(p), lambda: b.make_point(1.0, 2.0)):
            try:
                call()
            except Exception as e:
                print(type(e).__name__ + ":", e)
            else:
                print("no error")
        print("bad still works:", bad.z_of(p))
        """
    )
    lines = out.splitlines()
    assert len(lines) == 3, out
    for line in lines[:2]:
        assert line.startswith("ImportError:") and "sizeof" in line, out
    assert lines[2] == "bad still works: 3.0", out


def test_local_before_a_then_b():
    out = run_fresh(
        """
        import classes_cross_local_ext as local
        import classes_cross_b_ext as b
        try:
            b.norm(local.Point(3.0, 4.0))
        except TypeError as e:
            print("TypeError:", "cross::Point" in str(e))
        import classes_cross_a_ext as a
        print(b.norm(a.Point(3.0, 4.0)), local.local_norm(local.Point(3.0, 4.0)))
        """
    )
    assert out.splitlines() == ["TypeError: True", "5.0 5.0"], out


def test_dup_before_a():
    out = run_fresh(
        """
        import classes_cross_dup_ext as dup
        try:
            import classes_cross_a_ext
        except ImportError as e:
            print("ImportError:", e)
        else:
            print("imported")
        """
    )
    assert out.startswith("ImportError:") and "already bound" in out, out
