// What Python sees of bound functions and modules: __doc__, __text_signature__ (so that
// inspect.signature and help() work), __module__, __qualname__, module docstrings, constants
// and submodules. Exercised by test_introspection.py.
#include <pyowned/pyowned.h>

#include <limits>
#include <string>
#include <vector>

namespace py = pyowned;

namespace {

// A C++ type whose Python form (a types.SimpleNamespace) has no literal syntax.
struct Point {
    double x, y;
};

}  // namespace

template <>
struct pyowned::IntoPython<Point> {
    static py::Owned<py::Any> into_python(py::Python py, const Point& p) {
        return py::import(py, "types").getattr("SimpleNamespace").call(py::arg("x") = p.x, py::arg("y") = p.y);
    }
};

PYOWNED_MODULE(introspection_ext, m) {
    py::Python py = m.py();
    m.doc("Introspection test module.");

    // --- signatures ----------------------------------------------------------------------------
    m.def("add", [](long long a, long long b) { return a + b; }, "Add two integers.", py::arg("a"), py::arg("b") = 1);
    m.def(
        "mixed", [](long long x, long long y, double z) { return x + y + z; }, "Mixed kinds.", py::arg("x"),
        py::pos_only(), py::arg("y"), py::kw_only(), py::arg("z") = 2.0);
    m.def("variadic", [](py::Args args, py::Kwargs kwargs) { return args.len() + kwargs.len(); });
    m.def("args_only", [](py::Args args) { return args.len(); });
    m.def("kwargs_only", [](py::Kwargs kwargs) { return kwargs.len(); });
    m.def(
        "everything", [](py::Python, long long a, long long k, py::Args, py::Kwargs) { return a + k; }, py::arg("a"),
        py::kw_only(), py::arg("k") = 0);
    m.def("no_params", [] { return 0; }, "Takes nothing.");
    m.def("unnamed", [](long long a, double b) { return a + b; });
    m.def("nodoc", [](long long x) { return x; }, py::arg("x"));
    m.def("multiline_doc", [] {}, "First line.\n\nMore text,\n  indented.");
    m.def("unicode_doc", [] {}, "Ünïcode döc ✓");

    // --- defaults ------------------------------------------------------------------------------
    py::Owned<py::Dict> d = py::Dict::empty(py);
    d.set_item("k", 1);
    m.def(
        "literals",
        [](std::string, py::Borrowed<py::Any>, bool, double, py::Borrowed<py::Any>, py::Borrowed<py::Any>,
           py::Borrowed<py::Any>, py::Borrowed<py::Any>, long long) { return 0; },
        py::arg("s") = "it's", py::arg("n") = py::None::get(py), py::arg("t") = true, py::arg("f") = -0.5,
        py::arg("xs") = py::List::from(py, std::vector<long long>{1, 2}), py::arg("d") = d,
        py::arg("tup") = py::Tuple::of(py, 1, "a"), py::arg("b") = py::Bytes::from(py, "x"),
        py::arg("big") = 1LL << 62);
    m.def("escaped", [](std::string s) { return s; }, py::arg("s") = "line\nbreak\\");
    // defaults with no literal form show as "..."
    m.def("opaque", [](py::Borrowed<py::Any> x) { return x; }, py::arg("x") = py::eval(py, "object()"));
    m.def("point_default", [](py::Borrowed<py::Any> p) { return p; }, py::arg("p") = Point{1.5, -2.0});
    m.def("infinite", [](double x) { return x; }, py::arg("x") = std::numeric_limits<double>::infinity());
    m.def("not_a_number", [](double x) { return x; }, py::arg("x") = std::numeric_limits<double>::quiet_NaN());
    m.def(
        "nested_opaque", [](py::Borrowed<py::Any> x) { return x; },
        py::arg("x") = py::Tuple::of(py, 1, py::eval(py, "object()")));
    m.def(
        "some_opaque", [](long long a, py::Borrowed<py::Any> b, long long c) { return a + c + (b.is_none() ? 0 : 1); },
        py::arg("a") = 1, py::arg("b") = py::eval(py, "object()"), py::arg("c") = 3);

    // --- constants -----------------------------------------------------------------------------
    m.add("VERSION", "1.0");
    m.add("ANSWER", 42);
    m.add("RATIO", 0.5);
    m.add("ENABLED", true);
    m.add("NOTHING", py::None::get(py));
    m.add("PRIMES", py::List::from(py, std::vector<long long>{2, 3, 5, 7}));
    m.add("ORIGIN", Point{0.0, 0.0});
    m.add("NAME", std::string("introspection"));

    // --- submodules ----------------------------------------------------------------------------
    py::Borrowed<py::Module> sub = m.add_submodule("sub");
    sub.doc("The submodule.");
    sub.def("mul", [](long long a, long long b) { return a * b; }, "Multiply.", py::arg("a"), py::arg("b") = 2);
    sub.add("LEVEL", 1);
    py::Borrowed<py::Module> deeper = sub.add_submodule("deeper");
    deeper.def("neg", [](long long a) { return -a; }, py::arg("a"));
    deeper.add("LEVEL", 2);
}
