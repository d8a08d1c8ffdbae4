// Overloads: one name defined several times, resolved in two passes (strict, then with
// implicit conversions). Exercised by test_overloads.py.
#include <pyowned/pyowned.h>
#include <pyowned/stl.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace py = pyowned;

PYOWNED_MODULE(overloads_ext, m) {
    // double is defined first: the strict pass still gives an int to the int overload.
    m.def("kind", [](double) { return "float"; }, py::arg("x"));
    m.def("kind", [](long long) { return "int"; }, py::arg("x"));
    m.def("kind", [](std::string) { return "str"; }, py::arg("x"));

    // The first overload takes no keywords (unnamed parameter): the overloaded function,
    // which must take them, replaces it.
    m.def("shape", [](long long x) { return x * 2; });
    m.def("shape", [](std::string s) { return static_cast<long long>(s.size()); }, py::arg("s"));

    // No int overload: an int reaches the double one in the second pass.
    m.def("as_float", [](double x) { return x; }, py::arg("x"));
    m.def("as_float", [](std::string s) { return std::stod(s); }, py::arg("s"));

    // An int too large for int64_t falls through to the double overload.
    m.def("big", [](std::int64_t) { return "int64"; }, py::arg("x"));
    m.def("big", [](double) { return "double"; }, py::arg("x"));

    // An int too large, and no overload takes it: the conversion's own error.
    m.def("narrow", [](std::int8_t x) { return static_cast<int>(x); }, py::arg("x"));
    m.def("narrow", [](std::string s) { return static_cast<int>(s.size()); }, py::arg("s"));

    // A conversion that failed does not stop the search: a later overload matches strictly.
    m.def("bigint", [](std::int64_t) { return "int64"; }, py::arg("x"));
    m.def("bigint", [](py::Owned<py::Int>) { return "object"; }, py::arg("x"));

    // Strict for every argument first: (1, 2) needs implicit conversions for the first.
    m.def("pair", [](double, double) { return "double, double"; }, py::arg("a"), py::arg("b"));
    m.def("pair", [](long long, std::string) { return "int, str"; }, py::arg("a"), py::arg("b"));

    // Arity and keywords choose.
    m.def("area", [](double w, double h) { return w * h; }, "A rectangle.", py::arg("w"), py::arg("h"));
    m.def("area", [](double side) { return side * side; }, "A square.", py::arg("side"));
    m.def(
        "area", [](double radius, double pi) { return pi * radius * radius; }, "A circle.", py::kw_only(),
        py::arg("radius"), py::arg("pi") = 3.0);

    m.def(
        "scale", [](double x, double factor) { return x * factor; }, py::arg("x"), py::kw_only(),
        py::arg("factor") = 2.0);
    m.def(
        "scale",
        [](std::string s, int times) {
            std::string out;
            for (int i = 0; i < times; ++i) out += s;
            return out;
        },
        py::arg("s"), py::kw_only(), py::arg("times") = 2);

    // Handles: type-checked, tried in order; Any last catches the rest.
    m.def("container", [](py::Borrowed<py::List>) { return "list"; }, py::arg("x"));
    m.def("container", [](py::Borrowed<py::Dict>) { return "dict"; }, py::arg("x"));
    m.def("container", [](py::Borrowed<py::Any>) { return "any"; }, py::arg("x"));

    // *args as the last resort.
    m.def("variadic", [](long long) { return "one int"; }, py::arg("x"));
    m.def("variadic", [](py::Args args) { return "args " + std::to_string(args.len()); });

    // None goes to the optional.
    m.def("maybe", [](std::string) { return "str"; }, py::arg("s"));
    m.def("maybe", [](std::optional<long long>) { return "optional"; }, py::arg("x"));

    // The overload that was called decides: its error is final, no other is tried.
    m.def(
        "checked",
        [](long long x) {
            if (x < 0) throw std::invalid_argument("negative");
            return "int";
        },
        py::arg("x"));
    m.def("checked", [](double) { return "double"; }, py::arg("x"));

    // bool is only True/False: an int never reaches the bool overload.
    m.def("flag", [](bool) { return "bool"; }, py::arg("b"));
    m.def("flag", [](long long) { return "int"; }, py::arg("i"));

    // Docstrings of each overload.
    m.def("documented", [](long long x) { return x; }, "Takes an int.", py::arg("x"));
    m.def("documented", [](std::string s) { return s; }, "Takes a str.", py::arg("s"));

    // A single definition stays a plain function (text signature, no overload listing).
    m.def("single", [](long long x) { return x; }, "Only one.", py::arg("x"));

    // A conversion that raises KeyboardInterrupt, SystemExit, MemoryError or RecursionError
    // (from __index__ here) stops resolution: the Borrowed overload would take anything.
    m.def("over", [](long long) { return "int"; }, py::arg("x"));
    m.def("over", [](py::Borrowed<py::Any>) { return "any"; }, py::arg("x"));
    // The same from inside a container's conversion.
    m.def("over_items", [](std::vector<long long>) { return "ints"; }, py::arg("xs"));
    m.def("over_items", [](py::Borrowed<py::Any>) { return "any"; }, py::arg("xs"));
    // And from a variant's alternatives (a single function).
    m.def("int_or_str", [](std::variant<long long, std::string> v) { return v.index(); }, py::arg("v"));

    // A submodule's functions overload too, apart from the parent's.
    py::Borrowed<py::Module> sub = m.add_submodule("sub");
    sub.def("kind", [](long long) { return "sub int"; }, py::arg("x"));
    sub.def("kind", [](std::string) { return "sub str"; }, py::arg("x"));
}
