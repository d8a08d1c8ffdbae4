// Inheritance and class features (test_classes_inherit.py): a bound C++ base and subclass,
// polymorphic returns, Python subclasses, py::final, nested classes, py::dynamic_attr,
// py::weakref, and what introspection shows of methods and constructors.
#include <pyowned/pyowned.h>
#include <pyowned/stl.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace py = pyowned;

// A named namespace: the class registry keys classes by their C++ type's name, and types in
// anonymous namespaces of two modules have the same name (see AnonToken below).
namespace classes_inherit {

// Live C++ objects, to see that every instance's object is destroyed exactly once.
long long live_shapes = 0;
long long live_squares = 0;

struct Shape {
    long long id = 0;
    explicit Shape(long long id_ = 0) : id(id_) { ++live_shapes; }
    Shape(const Shape& other) : id(other.id) { ++live_shapes; }
    Shape& operator=(const Shape&) = default;
    virtual ~Shape() { --live_shapes; }
    virtual double area() const { return 0.0; }
    virtual std::string kind() const { return "shape"; }
    std::string describe() const { return kind() + "#" + std::to_string(id); }
};

struct Circle : Shape {
    double r = 0;
    explicit Circle(double r_, long long id_ = 0) : Shape(id_), r(r_) {}
    double area() const override { return 3.0 * r * r; }  // pi = 3: exact in binary
    std::string kind() const override { return "circle"; }
    void scale(double k) { r *= k; }
};

// A subclass that is never bound: returned as a Shape.
struct Square : Shape {
    double side = 0;
    explicit Square(double s) : side(s) { ++live_squares; }
    Square(const Square& other) : Shape(other), side(other.side) { ++live_squares; }
    ~Square() override { --live_squares; }
    double area() const override { return side * side; }
    std::string kind() const override { return "square"; }
};

std::unique_ptr<Shape> make_shape(std::string_view kind) {
    if (kind == "circle") return std::make_unique<Circle>(2.0, 1);
    if (kind == "square") return std::make_unique<Square>(3.0);
    if (kind == "shape") return std::make_unique<Shape>(7);
    if (kind == "none") return nullptr;
    throw std::invalid_argument("unknown kind");
}

// Objects that outlive every Python view of them (py::rv::reference).
Circle& global_circle() {
    static Circle* c = new Circle(5.0, 42);  // never destroyed: views may outlive the module
    return *c;
}
Square& global_square() {
    static Square* s = new Square(4.0);
    return *s;
}

struct Sealed {
    long long v = 0;
};

struct Outer {
    struct Inner {
        struct Deep {
            long long d = 0;
        };
        long long v = 0;
        long long get() const { return v; }
    };
    long long n = 0;
};

struct Attrs {
    long long n = 0;
};
struct AttrsDerived : Attrs {
    long long m = 0;
};
struct Weak {
    long long n = 0;
};
struct Both {
    long long n = 0;
};
struct Bare {
    long long n = 0;
};
// Fields of unbound bases, the second base's at an offset in the object.
struct Tagged {
    long long tag = 7;
};
struct Sized {
    double size = 2.5;
};
struct Item : Tagged, Sized {
    long long id = 1;
};

struct Calc {
    long long start = 0;
};

}  // namespace classes_inherit

// Types with internal linkage named as classes_ops_ext's (which binds its own at import):
// distinct C++ types that share a type_info name. This AnonToken has AnonToken's layout
// there (sizeof 8) but holds a double; this AnonSized is larger than the one there.
namespace {
struct AnonToken {
    double w = 0;
};
struct AnonSized {
    double d[2] = {0, 0};
};
// Classes whose binding mixes a static and an instance method under one name.
struct MixedInstanceFirst {};
struct MixedStaticFirst {};
}  // namespace

using namespace classes_inherit;

PYOWNED_MODULE(classes_inherit_ext, m) {
    // --- a bound base and subclass -------------------------------------------------------------------
    py::Class<Shape>(m, "Shape", "A shape.")
        .def(py::init<long long>(), py::arg("id") = 0)
        .def("area", &Shape::area, "The area.")
        .def("kind", &Shape::kind)
        .def("describe", &Shape::describe, "Kind and id.")
        .def_rw("id", &Shape::id)
        .def("__repr__", [](const Shape& s) {
            std::string out = "<";  // appended piecewise: GCC 12's -Wrestrict misfires on chained +
            out += s.describe();
            out += ">";
            return out;
        });

    py::Class<Circle, Shape>(m, "Circle", "A circle.")
        .def(py::init<double, long long>(), py::arg("r"), py::arg("id") = 0)
        .def_rw("r", &Circle::r, "The radius.")
        .def_prop_ro(
            "diameter", [](const Circle& c) { return 2 * c.r; }, "Twice the radius.")
        .def("scale", &Circle::scale, "Scale the radius.", py::arg("k"))
        // the same name as Shape's: found first on a Circle
        .def("kind", [](const Circle& c) { return "circle of radius " + std::to_string(static_cast<long long>(c.r)); })
        .def_static("unit", [] { return Circle(1.0); }, "The unit circle.");

    m.def("area_of", [](const Shape& s) { return s.area(); }, py::arg("shape"));
    m.def("describe", [](const Shape& s) { return s.describe(); }, py::arg("shape"));
    // (a `const Shape*` parameter does not compile yet: python_name<const Shape*> has no FromPython)
    m.def("kind_of", [](py::Borrowed<Shape> s) { return s.get()->kind(); }, py::arg("shape"));
    m.def("bump", [](Shape& s) { s.id += 1; }, py::arg("shape"));
    m.def("radius_of", [](const Circle& c) { return c.r; }, py::arg("circle"));
    m.def("make", &make_shape, py::arg("kind"));
    m.def(
        "make_shared", [](std::string_view kind) { return std::shared_ptr<Shape>(make_shape(kind)); }, py::arg("kind"));
    global_circle(), global_square();  // made now: the live counts include them from the start
    m.def(
        "global_shape",
        [](std::string_view kind) -> Shape* {
            if (kind == "circle") return &global_circle();
            if (kind == "square") return &global_square();
            return nullptr;
        },
        py::rv::reference, py::arg("kind"));
    m.def("live_shapes", [] { return live_shapes; });
    m.def("live_squares", [] { return live_squares; });

    // --- py::final -------------------------------------------------------------------------------------
    py::Class<Sealed>(m, "Sealed", "Cannot be subclassed.", py::final)
        .def(py::init<long long>(), py::arg("v") = 0)
        .def_rw("v", &Sealed::v);

    // --- nested classes --------------------------------------------------------------------------------
    py::Class<Outer> outer(m, "Outer", "The enclosing class.");
    outer.def(py::init<>()).def_rw("n", &Outer::n);
    py::Class<Outer::Inner> inner(outer, "Inner", "A nested class.");
    inner.def(py::init<long long>(), py::arg("v") = 0).def("get", &Outer::Inner::get, "The value.");
    py::Class<Outer::Inner::Deep>(inner, "Deep").def(py::init<>()).def_rw("d", &Outer::Inner::Deep::d);
    m.def("make_inner", [](long long v) { return Outer::Inner{v}; }, py::arg("v"));

    // --- instance dict and weak references ------------------------------------------------------------
    py::Class<Attrs>(m, "Attrs", "Arbitrary attributes.", py::dynamic_attr).def(py::init<>()).def_rw("n", &Attrs::n);
    py::Class<AttrsDerived, Attrs>(m, "AttrsDerived", "Inherits the instance dict.")
        .def(py::init<>())
        .def_rw("m", &AttrsDerived::m);
    py::Class<Weak>(m, "Weak", "Weakly referenceable.", py::weakref).def(py::init<>()).def_rw("n", &Weak::n);
    py::Class<Both>(m, "Both", "Both.", py::dynamic_attr, py::weakref).def(py::init<>()).def_rw("n", &Both::n);
    py::Class<Bare>(m, "Bare", "Neither.").def(py::init<>()).def_rw("n", &Bare::n);
    py::Class<Item>(m, "Item", "Fields of its bases.")
        .def(py::init<>())
        .def_rw("tag", static_cast<long long Item::*>(&Tagged::tag))
        .def_rw("size", static_cast<double Item::*>(&Sized::size))
        .def_rw("id", &Item::id)
        .def("parts", [](const Item& i) { return std::make_tuple(i.tag, i.size, i.id); });

    // --- introspection ---------------------------------------------------------------------------------
    py::Class<Calc>(m, "Calc", "A calculator.")
        .def(py::init<long long>(), "Start from a value.", py::arg("start") = 0)
        .def(
            "add", [](const Calc& c, long long a, long long b) { return c.start + a + b; }, "Add two numbers.",
            py::arg("a"), py::arg("b") = 2)
        .def("unnamed", [](const Calc& c, long long a) { return c.start + a; })
        .def(
            "options", [](const Calc& c, long long a, bool verbose) { return verbose ? a : c.start; }, py::arg("a"),
            py::kw_only(), py::arg("verbose") = false)
        .def_static("twice", [](long long x) { return 2 * x; }, "Double it.", py::arg("x"));

    // --- types with internal linkage (bound on demand, into a scratch module) ------------------------
    m.def("anon_token_value", [](const AnonToken& t) { return t.w; }, py::arg("token"));
    m.def(
        "bind_anonymous",
        [](py::Borrowed<py::Any> scope, std::string_view which) {
            if (which == "token")
                py::Class<AnonToken>(scope, "AnonToken")
                    .def(py::init<double>(), py::arg("w"))
                    .def_ro("w", &AnonToken::w);
            else py::Class<AnonSized>(scope, "AnonSized").def(py::init<>());
        },
        py::arg("scope"), py::arg("which"));
    // a static method and an instance method cannot overload each other: the binding throws
    m.def(
        "bind_mixed_overload",
        [](py::Borrowed<py::Any> scope, bool static_first) {
            if (static_first)
                py::Class<MixedStaticFirst>(scope, "MixedStaticFirst")
                    .def_static("f", [] { return 1; })
                    .def("f", [](const MixedStaticFirst&, long long x) { return x; });
            else
                py::Class<MixedInstanceFirst>(scope, "MixedInstanceFirst")
                    .def("f", [](const MixedInstanceFirst&) { return 1; })
                    .def_static("f", [](long long x) { return x; });
        },
        py::arg("scope"), py::arg("static_first"));
}
