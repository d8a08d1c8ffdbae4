"""Inheritance and class features (classes_inherit_ext).

A bound C++ base and subclass (py::Class<Circle, Shape>), polymorphic returns found through
RTTI, Python subclasses of bound classes (with and without the base __init__), py::final,
nested classes, py::dynamic_attr and py::weakref (and their absence), what introspection
shows (inspect.signature, __doc__, __qualname__, help()), and the reference balance of
making and destroying subclass instances.
"""

import contextlib
import gc
import inspect
import io
import pydoc
import sys
import types
import weakref

import pytest
from repeats import repeats
from conftest import assert_total_refcount_stable

import classes_inherit_ext as m

# The live C++ object counts, the global objects viewed by global_shape() and help()'s
# stdout are process-wide: never on several threads at once.
pytestmark = pytest.mark.thread_unsafe

MOD = "classes_inherit_ext"
DEBUG = hasattr(sys, "gettotalrefcount")


@pytest.fixture
def no_leaked_shapes():
    """The C++ Shape objects alive before and after the test are the same number."""
    gc.collect()
    before = m.live_shapes(), m.live_squares()
    yield
    gc.collect()
    assert (m.live_shapes(), m.live_squares()) == before


# --- a bound base and subclass ----------------------------------------------------------------------


def test_subclass_relationship():
    assert issubclass(m.Circle, m.Shape)
    assert m.Circle.__bases__ == (m.Shape,)
    assert m.Circle.__mro__ == (m.Circle, m.Shape, object)
    c = m.Circle(2.0)
    assert isinstance(c, m.Circle) and isinstance(c, m.Shape)
    assert not isinstance(m.Shape(), m.Circle)
    assert not issubclass(m.Shape, m.Circle)


def test_methods_name_the_class_that_defined_them():
    # __objclass__, as CPython's method descriptors have it: inspect and stubtest tell a class's
    # own __init__ from an inherited one by it
    assert m.Circle.__init__.__objclass__ is m.Circle
    assert m.Shape.__init__.__objclass__ is m.Shape
    assert m.Circle.kind.__objclass__ is m.Circle and m.Circle.area.__objclass__ is m.Shape
    assert vars(m.Circle)["unit"].__func__.__objclass__ is m.Circle  # a static method's too


@pytest.mark.thread_unsafe  # counts references
def test_objclass_balances_references():
    def read(n):
        for _ in range(n):
            m.Circle.__init__.__objclass__  # a new reference each time, dropped

    read(10)  # warm-up
    before = sys.getrefcount(m.Circle)
    read(1000)
    after = sys.getrefcount(m.Circle)  # (not in the assert: pytest's rewriting holds its operands)
    assert after == before


def test_derived_instance_passes_as_base(no_leaked_shapes):
    c = m.Circle(2.0, id=5)
    assert m.area_of(c) == 12.0  # const Shape&: the C++ virtual area() of the Circle
    assert m.describe(c) == "circle#5"
    assert m.kind_of(c) == "circle"  # py::Borrowed<Shape>
    m.bump(c)  # Shape&
    assert c.id == 6
    assert m.radius_of(c) == 2.0


def test_base_instance_does_not_pass_as_derived(no_leaked_shapes):
    with pytest.raises(TypeError, match=rf"radius_of\(\) argument 'circle' must be Circle, not {MOD}.Shape"):
        m.radius_of(m.Shape())
    with pytest.raises(TypeError, match=r"Circle.scale\(\) argument 'self' must be Circle"):
        m.Circle.scale(m.Shape(), 2.0)
    with pytest.raises(TypeError, match=r"Shape.area\(\) argument 'self' must be Shape, not int"):
        m.Shape.area(3)


def test_base_methods_and_fields_on_a_derived_instance(no_leaked_shapes):
    c = m.Circle(2.0, id=3)
    assert c.describe() == "circle#3"  # bound on Shape only
    assert c.area() == 12.0  # Shape's binding, the C++ virtual
    assert c.id == 3
    c.id = 4
    assert c.id == 4 and c.describe() == "circle#4"
    assert repr(c) == "<circle#4>"  # Shape's __repr__ slot, inherited
    c.r = 3.0
    assert c.r == 3.0 and c.diameter == 6.0
    c.scale(2.0)
    assert c.r == 6.0


def test_derived_method_overrides_base_method_by_name(no_leaked_shapes):
    c = m.Circle(2.0)
    assert c.kind() == "circle of radius 2"  # Circle's binding
    assert m.Shape.kind(c) == "circle"  # Shape's binding: the C++ virtual
    assert m.Circle.kind is not m.Shape.kind
    assert m.Shape().kind() == "shape"


def test_static_method_of_a_subclass(no_leaked_shapes):
    u = m.Circle.unit()
    assert type(u) is m.Circle and u.r == 1.0
    assert m.Circle(5.0).unit().r == 1.0


# --- polymorphic returns ----------------------------------------------------------------------------


def test_unique_ptr_of_base_becomes_the_bound_subclass(no_leaked_shapes):
    c = m.make("circle")
    assert type(c) is m.Circle
    assert c.r == 2.0 and c.id == 1
    assert c.kind() == "circle of radius 2"
    c.scale(0.5)
    assert c.area() == 3.0


def test_unique_ptr_of_an_unbound_subclass_is_a_base_instance(no_leaked_shapes):
    s = m.make("square")
    assert type(s) is m.Shape
    assert s.area() == 9.0  # the C++ object is still a Square
    assert s.kind() == "square"
    assert m.live_squares() >= 1
    del s
    gc.collect()


def test_unique_ptr_of_the_base_and_null(no_leaked_shapes):
    assert type(m.make("shape")) is m.Shape
    assert m.make("shape").id == 7
    assert m.make("none") is None
    with pytest.raises(ValueError, match="unknown kind"):
        m.make("triangle")


def test_adopted_objects_are_destroyed_once():
    gc.collect()
    shapes, squares = m.live_shapes(), m.live_squares()
    objs = [m.make("circle"), m.make("square"), m.make("shape"), m.make_shared("circle"), m.make_shared("square")]
    assert m.live_shapes() == shapes + 5
    assert m.live_squares() == squares + 2
    del objs
    gc.collect()
    assert (m.live_shapes(), m.live_squares()) == (shapes, squares)


def test_shared_ptr_of_base_becomes_the_bound_subclass(no_leaked_shapes):
    assert type(m.make_shared("circle")) is m.Circle
    assert m.make_shared("circle").r == 2.0
    assert type(m.make_shared("square")) is m.Shape
    assert m.make_shared("square").area() == 9.0


def test_raw_pointer_with_rv_reference_becomes_the_bound_subclass(no_leaked_shapes):
    c = m.global_shape("circle")
    assert type(c) is m.Circle
    assert c.r == 5.0 and c.id == 42
    # two views of one C++ object
    other = m.global_shape("circle")
    assert other is not c
    c.id = 43
    try:
        assert other.id == 43
    finally:
        c.id = 42
    s = m.global_shape("square")
    assert type(s) is m.Shape and s.area() == 16.0
    assert m.global_shape("nothing") is None
    # dropping the views does not destroy the objects
    del c, other, s
    gc.collect()
    assert m.global_shape("circle").r == 5.0


# --- Python subclasses ------------------------------------------------------------------------------


class PyCircle(m.Circle):
    def __init__(self, r, color="red"):
        super().__init__(r)
        self.color = color

    def area(self):
        return 2 * super().area()

    def kind(self):
        return "py-" + super().kind()

    def extra(self):
        return self.r + 100


class Lazy(m.Circle):
    """Never calls the base __init__."""

    def __init__(self):
        self.ready = False


class PlainCircle(m.Circle):
    """No __init__ at all: the bound one is inherited."""


class ShapeInCircle(m.Circle):
    """Initializes the C++ object as the base class's only."""

    def __init__(self):
        m.Shape.__init__(self, 1)


class Twice(m.Circle):
    def __init__(self):
        super().__init__(1.0)
        super().__init__(2.0)


class PyShape(m.Shape):
    def __init__(self, id):
        super().__init__(id)

    def kind(self):
        return "py-shape"


def test_python_subclass_with_super_init(no_leaked_shapes):
    pc = PyCircle(2.0, color="blue")
    assert isinstance(pc, m.Circle) and isinstance(pc, m.Shape)
    assert issubclass(PyCircle, m.Shape)
    assert pc.color == "blue"
    assert pc.r == 2.0 and pc.id == 0
    assert pc.describe() == "circle#0"  # a C++ method of the base
    assert m.radius_of(pc) == 2.0  # passes where const Circle& is taken
    assert m.area_of(pc) == 12.0  # ... and const Shape& (the C++ object's own area)
    pc.scale(2.0)
    assert pc.r == 4.0
    assert pc.extra() == 104.0


def test_python_overrides_called_from_python(no_leaked_shapes):
    pc = PyCircle(2.0)
    assert pc.area() == 24.0
    assert pc.kind() == "py-circle of radius 2"
    assert PyShape(3).kind() == "py-shape"
    assert PyShape(3).describe() == "shape#3"
    assert m.Circle.area(pc) == 12.0


def test_python_subclass_instance_has_dict_and_weakref(no_leaked_shapes):
    pc = PyCircle(1.0)
    pc.anything = 1
    assert pc.__dict__ == {"color": "red", "anything": 1}
    r = weakref.ref(pc)
    assert r() is pc
    del pc
    gc.collect()
    assert r() is None


def test_python_subclass_without_init_inherits_the_bound_one(no_leaked_shapes):
    p = PlainCircle(2.0, id=3)
    assert type(p) is PlainCircle
    assert p.r == 2.0 and p.id == 3
    assert m.radius_of(p) == 2.0
    assert PlainCircle(r=1.5).r == 1.5
    with pytest.raises(TypeError, match=r"missing 1 required positional argument: 'r'"):
        PlainCircle()
    with pytest.raises(TypeError):
        PlainCircle("wide")


def test_python_subclass_skipping_base_init_raises_on_first_use(no_leaked_shapes):
    lz = Lazy()
    assert lz.ready is False  # the Python part works
    for use in (
        lambda: lz.area(),
        lambda: lz.r,
        lambda: lz.describe(),
        lambda: m.area_of(lz),
        lambda: m.radius_of(lz),
        lambda: m.bump(lz),
        lambda: repr(lz),
    ):
        with pytest.raises(TypeError, match="not initialized"):
            use()
    with pytest.raises(TypeError, match="not initialized"):
        lz.r = 1.0
    # the base __init__ can still be called later
    m.Circle.__init__(lz, 3.0)
    assert lz.area() == 27.0
    assert lz.ready is False


def test_uninitialized_instance_is_destroyed_without_a_cpp_destructor(no_leaked_shapes):
    for _ in range(100):
        Lazy()
    gc.collect()


def test_base_init_on_a_subclass_instance_never_crashes(no_leaked_shapes):
    # the C++ object is a Shape, not a Circle: Circle's methods must refuse it
    s = ShapeInCircle()
    assert s.describe() == "shape#1"
    with pytest.raises(TypeError):
        s.r
    with pytest.raises(TypeError):
        m.radius_of(s)
    with pytest.raises(TypeError):
        s.scale(2.0)
    assert m.area_of(s) == 0.0  # as a Shape it is fine


def test_init_twice_is_a_type_error(no_leaked_shapes):
    with pytest.raises(TypeError, match="already initialized"):
        Twice()
    c = m.Circle(1.0)
    with pytest.raises(TypeError, match="already initialized"):
        c.__init__(2.0)
    with pytest.raises(TypeError, match="already initialized"):
        m.Shape.__init__(c, 3)
    assert c.r == 1.0 and c.id == 0


def test_cycle_through_a_python_subclass_instance_is_collected(no_leaked_shapes):
    pc = PyCircle(1.0)
    pc.me = pc
    r = weakref.ref(pc)
    before = m.live_shapes()
    del pc
    gc.collect()
    assert r() is None
    assert m.live_shapes() == before - 1  # the C++ destructor ran


def test_python_mixin_and_layout_conflicts(no_leaked_shapes):
    class Mixin:
        def hello(self):
            return "hello " + self.kind()

    class Mixed(Mixin, m.Circle):
        pass

    assert Mixed(1.0).hello() == "hello circle of radius 1"
    # two bound classes hold a C++ object each at the same place: CPython refuses
    with pytest.raises(TypeError, match="lay-out conflict"):
        type("Both", (m.Circle, m.Weak), {})


def test_subclass_of_a_python_subclass(no_leaked_shapes):
    class Deeper(PyCircle):
        def kind(self):
            return "deeper/" + super().kind()

    d = Deeper(1.0)
    assert d.kind() == "deeper/py-circle of radius 1"
    assert m.radius_of(d) == 1.0
    assert Deeper.__mro__[-3:] == (m.Circle, m.Shape, object)


# --- py::final ---------------------------------------------------------------------------------------


def test_final_class_cannot_be_subclassed():
    with pytest.raises(TypeError, match=rf"type '{MOD}.Sealed' is not an acceptable base type"):

        class Sub(m.Sealed):
            pass

    s = m.Sealed(3)
    assert s.v == 3


def test_non_final_classes_can_be_subclassed():
    for cls in (m.Shape, m.Circle, m.Bare, m.Attrs, m.Weak, m.Outer, m.Outer.Inner):
        type("Sub", (cls,), {})


# --- nested classes ------------------------------------------------------------------------------------


def test_nested_class_names():
    assert m.Outer.Inner.__name__ == "Inner"
    assert m.Outer.Inner.__qualname__ == "Outer.Inner"
    assert m.Outer.Inner.__module__ == MOD
    assert m.Outer.Inner.Deep.__qualname__ == "Outer.Inner.Deep"
    assert m.Outer.Inner.Deep.__module__ == MOD
    assert repr(m.Outer.Inner) == f"<class '{MOD}.Outer.Inner'>"
    assert m.Outer.Inner.__doc__ == "A nested class."
    assert not hasattr(m, "Inner")


def test_nested_class_instances():
    i = m.Outer.Inner(4)
    assert i.get() == 4
    assert type(m.make_inner(5)) is m.Outer.Inner and m.make_inner(5).get() == 5
    d = m.Outer.Inner.Deep()
    d.d = 2
    assert d.d == 2
    assert m.Outer().n == 0
    assert m.Outer.Inner.get.__qualname__ == "Outer.Inner.get"


def test_nested_class_error_messages_name_the_qualified_class():
    with pytest.raises(TypeError, match=r"Outer.Inner.get\(\) argument 'self' must be Outer.Inner, not int"):
        m.Outer.Inner.get(1)
    # CPython's own messages use tp_name, which the class record documents as
    # "<module>.Outer.Inner"
    with pytest.raises(TypeError, match=rf"unsupported operand type\(s\) for \+: '{MOD}.Outer.Inner' and 'int'"):
        m.Outer.Inner() + 1


# --- instance dict and weak references ------------------------------------------------------------------


def test_fields_of_bases_are_read_and_written_where_the_object_has_them():
    # def_rw of a member of each base, converted to a member of the class: the second base is
    # at an offset in the object, so a field found at the wrong place shows here
    item = m.Item()
    assert (item.tag, item.size, item.id) == (7, 2.5, 1)
    item.size = 4.25
    item.tag = -3
    item.id = 11
    assert (item.tag, item.size, item.id) == (-3, 4.25, 11)
    assert item.parts() == (-3, 4.25, 11)
    with pytest.raises(TypeError, match="must be float, not str"):
        item.size = "big"
    assert item.parts() == (-3, 4.25, 11)


def test_dynamic_attr_sets_arbitrary_attributes():
    a = m.Attrs()
    a.color = "red"
    assert a.color == "red"
    a.n = 3  # the field, not the dict
    assert a.n == 3
    del a.color
    with pytest.raises(AttributeError):
        a.color
    with pytest.raises(AttributeError):
        del a.color


def test_dynamic_attr_exposes_dict():
    a = m.Attrs()
    a.color = "red"
    assert a.__dict__ == {"color": "red"}
    assert vars(a) == {"color": "red"}
    a.__dict__["size"] = 2
    assert a.size == 2


def test_dynamic_attr_is_inherited_by_a_bound_subclass():
    d = m.AttrsDerived()
    d.color = "blue"
    assert d.color == "blue"
    d.n, d.m = 1, 2
    assert (d.n, d.m) == (1, 2)
    assert isinstance(d, m.Attrs)


def test_dynamic_attr_instances_take_part_in_gc(no_leaked_shapes):
    b = m.Both()
    b.me = b
    r = weakref.ref(b)
    del b
    gc.collect()
    assert r() is None


def test_without_dynamic_attr_unknown_attributes_are_attribute_errors():
    for obj in (m.Bare(), m.Weak(), m.Circle(1.0)):
        name = type(obj).__name__
        with pytest.raises(AttributeError, match=rf"'{MOD}.{name}' object has no attribute 'color'"):
            obj.color = "red"
        with pytest.raises(AttributeError):
            obj.__dict__
        with pytest.raises(TypeError):
            vars(obj)
    b = m.Bare()
    b.n = 4  # fields are still settable
    assert b.n == 4


def test_weakref():
    w = m.Weak()
    calls = []
    r = weakref.ref(w, lambda ref: calls.append(ref))
    assert r() is w
    assert weakref.getweakrefcount(w) == 1
    p = weakref.proxy(w)
    p.n = 5
    assert w.n == 5
    del w
    gc.collect()
    assert r() is None
    assert calls == [r]


def test_weakref_in_weak_containers():
    d = weakref.WeakValueDictionary()
    w = m.Weak()
    d["k"] = w
    assert d["k"] is w
    s = weakref.WeakSet([w])
    assert w in s
    del w
    gc.collect()
    assert "k" not in d and len(s) == 0


def test_weakref_attribute():
    w = m.Weak()
    assert w.__weakref__ is None
    r = weakref.ref(w)
    assert w.__weakref__ is r


def test_without_weakref_weak_references_are_type_errors():
    for obj in (m.Bare(), m.Attrs(), m.Shape(), m.Outer.Inner()):
        with pytest.raises(TypeError, match=rf"cannot create weak reference to '{MOD}.{type(obj).__qualname__}' object"):
            weakref.ref(obj)


# --- introspection -------------------------------------------------------------------------------------


def sig(obj):
    return str(inspect.signature(obj))


def method_sig(obj, params):
    """A method's signature: `(self, k)`, as for a Python method, or `(self, /, k)` as for
    a method of a C type (whose __text_signature__ starts with `$self`)."""
    s = sig(obj)
    with_slash = "(self, /" + (", " + params if params and not params.startswith("/") else params) + ")"
    plain = "(self" + (", " + params if params else "") + ")"
    assert s in (plain, with_slash), s
    return s


def test_signature_of_methods():
    method_sig(m.Circle.scale, "k")
    method_sig(m.Circle.area, "")
    method_sig(m.Calc.add, "a, b=2")
    method_sig(m.Calc.options, "a, *, verbose=False")
    assert sig(m.Calc.unnamed) == "(self, arg0, /)"
    assert sig(m.Circle(1.0).scale) == "(k)"
    assert sig(m.Calc().add) == "(a, b=2)"
    assert sig(m.Calc.twice) == "(x)"


def test_signature_of_constructors():
    assert sig(m.Circle) == "(r, id=0)"
    assert sig(m.Shape) == "(id=0)"
    assert sig(m.Calc) == "(start=0)"
    assert sig(m.Outer.Inner) == "(v=0)"
    assert sig(m.Outer) == "()"
    method_sig(m.Circle.__init__, "r, id=0")
    assert sig(PlainCircle) == "(r, id=0)"
    assert sig(PyCircle) == "(r, color='red')"


def test_signature_binds_arguments():
    s = inspect.signature(m.Calc.add)
    bound = s.bind(m.Calc(), 1)
    bound.apply_defaults()
    assert list(bound.arguments.items())[1:] == [("a", 1), ("b", 2)]


def test_docstrings():
    assert m.Circle.__doc__ == "A circle."
    assert m.Shape.__doc__ == "A shape."
    assert m.Circle.scale.__doc__ == "Scale the radius."
    assert m.Shape.area.__doc__ == "The area."
    assert m.Circle.r.__doc__ == "The radius."
    assert m.Circle.diameter.__doc__ == "Twice the radius."
    assert m.Calc.twice.__doc__ == "Double it."
    assert m.Calc.__init__.__doc__ == "Start from a value."
    assert m.Outer.Inner.get.__doc__ == "The value."
    assert inspect.getdoc(m.Calc.add) == "Add two numbers."
    assert m.Outer.Inner.Deep.__doc__ is None


def test_qualname_and_name_of_methods():
    assert m.Circle.scale.__qualname__ == "Circle.scale"
    assert m.Circle.scale.__name__ == "scale"
    assert m.Circle.describe.__qualname__ == "Shape.describe"  # inherited: the defining class
    assert m.Circle.kind.__qualname__ == "Circle.kind"
    assert m.Shape.kind.__qualname__ == "Shape.kind"
    assert m.Circle.__init__.__qualname__ == "Circle.__init__"
    assert m.Shape.__repr__.__qualname__ == "Shape.__repr__"
    assert m.Circle(1.0).scale.__qualname__ == "Circle.scale"
    assert m.Circle.__qualname__ == "Circle" and m.Circle.__module__ == MOD
    # static methods: named after their class, from the class or an instance
    assert m.Circle.unit.__qualname__ == "Circle.unit" and m.Circle.unit.__name__ == "unit"
    assert m.Calc.twice.__qualname__ == "Calc.twice" and m.Calc().twice.__qualname__ == "Calc.twice"
    assert isinstance(inspect.getattr_static(m.Calc, "twice"), staticmethod)
    # methods (of method objects and static methods) name their class's module
    assert m.Circle.scale.__module__ == MOD and m.Calc.twice.__module__ == MOD
    assert m.Outer.Inner.get.__module__ == MOD


def test_static_methods_take_no_self():
    assert m.Calc.twice(4) == 8 and m.Calc(1).twice(4) == 8 and m.Calc.twice(x=5) == 10
    with pytest.raises(TypeError, match=r"Calc\.twice\(\) takes 1 positional argument but 2 were given"):
        m.Calc.twice(1, 2)
    with pytest.raises(TypeError, match=r"Calc\.twice\(\) argument 'x' must be int, not str"):
        m.Calc.twice("a")


def test_methods_are_routines():
    assert inspect.isroutine(m.Circle.scale)
    assert inspect.ismethoddescriptor(m.Circle.scale)
    assert callable(m.Circle.scale)
    assert inspect.ismethod(m.Circle(1.0).scale)


def test_help_shows_signatures_and_docs():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        help(m.Circle)
    text = out.getvalue()
    assert "class Circle(Shape)" in text
    assert "Circle(r, id=0)" in text
    assert "A circle." in text
    assert "Method resolution order" in text
    for fragment in ("scale(self", "k)", "Scale the radius.", "describe(self", "Kind and id.", "unit()",
                     "The unit circle.", "diameter", "Twice the radius.", "__init__(self"):
        assert fragment in text, fragment
    rendered = pydoc.render_doc(m.Calc, renderer=pydoc.plaintext)
    assert "add(self" in rendered and "b=2)" in rendered and "Add two numbers." in rendered
    assert "unnamed(self, arg0, /)" in rendered
    assert "twice(x)" in rendered


# --- types with internal linkage in two modules ----------------------------------------------------------
# classes_ops_ext binds, at import, its own `{anonymous}::AnonToken` (a long long) and
# `{anonymous}::AnonSized` (sizeof 1). This module has different types of the same names
# (AnonToken holds a double, same size; AnonSized is sizeof 16). They are distinct C++ types
# (typeid compares them unequal) whose std::type_info::name() is the same string.


def test_anonymous_namespace_type_of_another_module_is_not_taken():
    import classes_ops_ext

    other = classes_ops_ext.AnonToken(1)
    # this module's AnonToken is another type: the other module's instance must not convert
    with pytest.raises(TypeError):
        m.anon_token_value(other)


@pytest.mark.parametrize("static_first", [False, True])
def test_static_and_instance_methods_cannot_overload_each_other(static_first):
    scratch = types.ModuleType("scratch")
    name = "MixedStaticFirst" if static_first else "MixedInstanceFirst"
    with pytest.raises(TypeError, match=f"{name}.f: a static method and an instance method cannot overload each other"):
        m.bind_mixed_overload(scratch, static_first)
    # the first definition stays as it was
    cls = getattr(scratch, name)
    if static_first:
        assert cls.f() == 1
    else:
        assert not isinstance(inspect.getattr_static(cls, "f"), staticmethod)


def test_anonymous_namespace_types_of_two_modules_bind_independently():
    import classes_ops_ext

    scratch = types.ModuleType("scratch")
    m.bind_anonymous(scratch, "token")  # the same layout as classes_ops_ext's
    m.bind_anonymous(scratch, "sized")  # a different layout
    assert scratch.AnonToken(2.5).w == 2.5
    assert m.anon_token_value(scratch.AnonToken(1.5)) == 1.5
    assert classes_ops_ext.AnonToken(3).v == 3
    scratch.AnonSized()
    classes_ops_ext.AnonSized()


# --- reference balance -----------------------------------------------------------------------------------


def fresh_float():
    return float("1.25")


def subclass_cases():
    def py_subclass():
        pc = PyCircle(fresh_float(), "c")
        pc.extra()

    def plain_subclass():
        PlainCircle(fresh_float(), id=2).area()

    def lazy_subclass():
        lz = Lazy()
        try:
            lz.area()
        except TypeError:
            pass

    def late_init():
        lz = Lazy()
        m.Circle.__init__(lz, 1.0)

    def twice():
        try:
            Twice()
        except TypeError:
            pass

    def cycle():
        pc = PyCircle(1.0)
        pc.me = pc

    def weak():
        w = m.Weak()
        r = weakref.ref(w)
        del w
        assert r() is None

    def weak_subclass():
        pc = PlainCircle(1.0)
        weakref.ref(pc)

    def attrs():
        a = m.Attrs()
        a.x = object()

    def polymorphic():
        m.make("circle").r
        m.make("square").area()
        m.make_shared("circle")

    def view():
        m.global_shape("circle").r

    return {
        "py-subclass": py_subclass,
        "plain-subclass": plain_subclass,
        "uninitialized-subclass": lazy_subclass,
        "late-init": late_init,
        "init-twice": twice,
        "subclass-cycle": cycle,
        "weakref": weak,
        "weakref-subclass": weak_subclass,
        "dynamic-attr": attrs,
        "polymorphic-return": polymorphic,
        "reference-view": view,
    }


SUBCLASS_CASE_NAMES = list(subclass_cases())


@pytest.mark.thread_unsafe
@pytest.mark.parametrize("name", SUBCLASS_CASE_NAMES)
def test_refcounts_stable_making_and_destroying_instances(name):
    fn = subclass_cases()[name]
    tracked = (m.Shape, m.Circle, PyCircle, PlainCircle, Lazy, Twice, m.Weak, m.Attrs)
    for _ in range(100):
        fn()
    gc.collect()
    before = [sys.getrefcount(o) for o in tracked]
    shapes, squares = m.live_shapes(), m.live_squares()
    for _ in range(repeats(10000)):
        fn()
    gc.collect()
    after = [sys.getrefcount(o) for o in tracked]
    assert after == before, f"{name}: reference counts {before} -> {after}"
    assert (m.live_shapes(), m.live_squares()) == (shapes, squares), f"{name}: C++ objects leaked or freed twice"


@pytest.mark.thread_unsafe
@pytest.mark.skipif(not DEBUG, reason="needs a debug interpreter (sys.gettotalrefcount)")
@pytest.mark.parametrize("name", SUBCLASS_CASE_NAMES)
def test_total_refcount_stable(name):
    fn = subclass_cases()[name]
    assert_total_refcount_stable(name, fn)
