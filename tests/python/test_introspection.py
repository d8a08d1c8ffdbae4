"""What Python's introspection sees of bound functions and modules (introspection_ext)."""

import importlib
import inspect
import math
import pickle
import pydoc
import sys

import pytest

import classes_inherit_ext as c  # more shared objects, for describe
import conversions_ext
import introspection_ext as m

P = inspect.Parameter


# --- signatures -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "name, signature",
    [
        ("add", "(a, b=1)"),
        ("mixed", "(x, /, y, *, z=2.0)"),
        ("variadic", "(*args, **kwargs)"),
        ("args_only", "(*args)"),
        ("kwargs_only", "(**kwargs)"),
        ("everything", "(a, *args, k=0, **kwargs)"),
        ("no_params", "()"),
        ("unnamed", "(arg0, arg1, /)"),
        ("nodoc", "(x)"),
        ("escaped", r"(s='line\nbreak\\')"),
        ("literals", "(s=\"it's\", n=None, t=True, f=-0.5, xs=[1, 2], d={'k': 1}, tup=(1, 'a'), b=b'x', "
                     "big=4611686018427387904)"),
    ],
)
def test_text_signature_and_inspect_signature(name, signature):
    fn = getattr(m, name)
    assert fn.__text_signature__ == signature
    assert str(inspect.signature(fn)) == signature


def test_parameter_kinds():
    params = inspect.signature(m.mixed).parameters
    assert [(p.name, p.kind) for p in params.values()] == [
        ("x", P.POSITIONAL_ONLY),
        ("y", P.POSITIONAL_OR_KEYWORD),
        ("z", P.KEYWORD_ONLY),
    ]
    assert params["z"].default == 2.0
    assert params["x"].default is P.empty
    params = inspect.signature(m.everything).parameters
    assert [p.kind for p in params.values()] == [
        P.POSITIONAL_OR_KEYWORD, P.VAR_POSITIONAL, P.KEYWORD_ONLY, P.VAR_KEYWORD
    ]


def test_defaults_are_real_values():
    params = inspect.signature(m.literals).parameters
    assert {k: v.default for k, v in params.items()} == {
        "s": "it's", "n": None, "t": True, "f": -0.5, "xs": [1, 2], "d": {"k": 1},
        "tup": (1, "a"), "b": b"x", "big": 1 << 62,
    }
    assert inspect.signature(m.escaped).parameters["s"].default == "line\nbreak\\"


@pytest.mark.parametrize(
    "name, signature",
    [
        ("opaque", "(x=...)"),           # a py::Owned of object()
        ("point_default", "(p=...)"),    # a C++ struct converted to a SimpleNamespace
        ("infinite", "(x=...)"),         # inf has no literal
        ("not_a_number", "(x=...)"),
        ("nested_opaque", "(x=...)"),    # a tuple holding an object()
        ("some_opaque", "(a=1, b=..., c=3)"),
    ],
)
def test_default_without_literal_renders_as_ellipsis(name, signature):
    fn = getattr(m, name)
    assert fn.__text_signature__ == signature
    sig = inspect.signature(fn)
    assert all(p.default is Ellipsis for p in sig.parameters.values() if p.name in ("x", "p", "b"))


def test_opaque_defaults_still_work():
    obj = m.opaque()
    assert type(obj) is object
    assert m.opaque() is obj  # made once
    point = m.point_default()
    assert (point.x, point.y) == (1.5, -2.0)
    assert math.isinf(m.infinite()) and math.isnan(m.not_a_number())
    assert m.some_opaque() == 5
    assert m.some_opaque(b=None) == 4


def test_signature_binds_like_the_function():
    sig = inspect.signature(m.add)
    assert sig.bind(1).arguments == {"a": 1}
    with pytest.raises(TypeError):
        sig.bind()
    with pytest.raises(TypeError):
        inspect.signature(m.mixed).bind(x=1, y=2)


# --- names and docs ------------------------------------------------------------------------------

def test_doc():
    assert m.add.__doc__ == "Add two integers."
    assert m.mixed.__doc__ == "Mixed kinds."
    assert m.no_params.__doc__ == "Takes nothing."
    assert m.multiline_doc.__doc__ == "First line.\n\nMore text,\n  indented."
    assert m.unicode_doc.__doc__ == "\u00dcn\u00efcode d\u00f6c \u2713"


def test_no_doc_is_none():
    assert m.nodoc.__doc__ is None
    assert m.variadic.__doc__ is None
    assert m.nodoc.__text_signature__ == "(x)"


@pytest.mark.parametrize("name", ["add", "mixed", "variadic", "nodoc", "opaque"])
def test_names(name):
    fn = getattr(m, name)
    assert fn.__name__ == name
    assert fn.__qualname__ == name
    assert fn.__module__ == "introspection_ext"
    assert repr(fn) == f"<built-in function {name}>"
    assert inspect.isbuiltin(fn)
    assert callable(fn)


def test_pickle_by_name():
    assert pickle.loads(pickle.dumps(m.add)) is m.add
    assert pickle.loads(pickle.dumps(m.sub.mul)) is m.sub.mul


def test_help_shows_signature_and_doc():
    text = pydoc.render_doc(m.add, renderer=pydoc.plaintext)
    assert "add(a, b=1)" in text
    assert "Add two integers." in text
    assert "method" not in text  # a module function, not a bound method
    text = pydoc.render_doc(m.mixed, renderer=pydoc.plaintext)
    assert "mixed(x, /, y, *, z=2.0)" in text


def test_help_on_module_lists_functions():
    text = pydoc.render_doc(m, renderer=pydoc.plaintext)
    assert "Introspection test module." in text
    assert "add(a, b=1)" in text
    assert "Add two integers." in text


# --- the module ----------------------------------------------------------------------------------

def test_module_doc_and_name():
    assert m.__doc__ == "Introspection test module."
    assert m.__name__ == "introspection_ext"
    assert m.__spec__.name == "introspection_ext"
    assert m.__file__ == m.__spec__.origin
    assert sys.modules["introspection_ext"] is m


def test_constants():
    assert m.VERSION == "1.0"
    assert m.ANSWER == 42 and type(m.ANSWER) is int
    assert m.RATIO == 0.5
    assert m.ENABLED is True
    assert m.NOTHING is None
    assert m.PRIMES == [2, 3, 5, 7]
    assert (m.ORIGIN.x, m.ORIGIN.y) == (0.0, 0.0)
    assert m.NAME == "introspection"


def test_dir_lists_everything():
    names = set(dir(m))
    assert {"add", "mixed", "variadic", "VERSION", "ANSWER", "sub"} <= names


# --- submodules ----------------------------------------------------------------------------------

def test_submodule_attribute():
    assert m.sub.__name__ == "introspection_ext.sub"
    assert m.sub.__doc__ == "The submodule."
    assert m.sub.LEVEL == 1
    assert sys.modules["introspection_ext.sub"] is m.sub


def test_import_submodule():
    sub = importlib.import_module("introspection_ext.sub")
    assert sub is m.sub
    import introspection_ext.sub

    assert introspection_ext.sub is m.sub
    from introspection_ext.sub import mul
    from introspection_ext import sub as sub2

    assert mul is m.sub.mul and sub2 is m.sub


def test_submodule_functions():
    assert m.sub.mul(3) == 6
    assert m.sub.mul(3, b=4) == 12
    assert m.sub.mul.__module__ == "introspection_ext.sub"
    assert m.sub.mul.__qualname__ == "mul"
    assert m.sub.mul.__doc__ == "Multiply."
    assert str(inspect.signature(m.sub.mul)) == "(a, b=2)"
    with pytest.raises(TypeError, match=r"^mul\(\) argument 'a' must be int, not str$"):
        m.sub.mul("x")


def test_nested_submodule():
    import introspection_ext.sub.deeper as deeper

    assert deeper is m.sub.deeper
    assert deeper.__name__ == "introspection_ext.sub.deeper"
    assert deeper.neg(3) == -3
    assert deeper.neg.__module__ == "introspection_ext.sub.deeper"
    assert deeper.LEVEL == 2


# --- what stub generators read: each shared object's describe builtin ------------------------------

@pytest.fixture(scope="module")
def describe():
    from pyowned.stubgen import Knowledge

    return Knowledge().describe


def test_describe_a_function(describe):
    assert describe(m.add) == {
        "kind": "function", "static": False,
        "overloads": [{"params": [("a", P.POSITIONAL_OR_KEYWORD, "int"), ("b", P.POSITIONAL_OR_KEYWORD, "int", 1)],
                       "returns": "int", "doc": "Add two integers."}],
    }
    params = describe(m.everything)["overloads"][0]["params"]
    assert [(p[0], p[1]) for p in params] == [
        ("a", P.POSITIONAL_OR_KEYWORD), ("args", P.VAR_POSITIONAL), ("k", P.KEYWORD_ONLY), ("kwargs", P.VAR_KEYWORD)
    ]
    assert describe(m.mixed)["overloads"][0]["params"][0][:2] == ("x", P.POSITIONAL_ONLY)
    assert describe(m.multiline_doc)["overloads"][0]["returns"] == "None"


def test_describe_a_class_its_methods_and_properties(describe):
    circle = describe(c.Circle)
    assert circle["kind"] == "class" and circle["cpp_name"] == "Circle"
    assert circle["properties"]["r"] == ("float", True, "The radius.")
    assert circle["properties"]["diameter"] == ("float", False, "Twice the radius.")
    unit = describe(circle["methods"]["unit"])
    assert unit["kind"] == "method" and unit["static"] is True
    assert unit["overloads"][0]["returns"] == "Circle"
    scale = describe(circle["methods"]["scale"])
    assert [p[:3] for p in scale["overloads"][0]["params"]] == [("self", P.POSITIONAL_OR_KEYWORD, "Circle"),
                                                               ("k", P.POSITIONAL_OR_KEYWORD, "float")]
    assert describe(c.make)["overloads"][0]["returns"] == "Shape"  # a std::unique_ptr<Shape>'s class


def test_describe_results_only_ever_returned(describe):
    # a wide string view converts into a str and from nothing: its IntoPython names it
    for f in (conversions_ext.u16_view, conversions_ext.u32_view, conversions_ext.wstring_view):
        assert describe(f)["overloads"][0]["returns"] == "str"


@pytest.mark.parametrize("obj", [len, object(), object, int, lambda: 0, pytest, "add", 1])
def test_describe_knows_only_what_pyowned_bound(describe, obj):
    assert describe(obj) is None


@pytest.mark.thread_unsafe  # counts references
def test_describe_balances_references(describe, total_refcount_stable):
    objects = [m.add, m.literals, m.some_opaque, c.Circle, c.Circle.__init__, c.Circle.kind, len]
    counts = [sys.getrefcount(o) for o in objects]

    def run(n):
        for _ in range(n):
            for o in objects:
                describe(o)

    run(1000)
    assert [sys.getrefcount(o) for o in objects] == counts
    total_refcount_stable(run)
