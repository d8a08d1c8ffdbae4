// What the packaging test modules bind: a docstring, a function with a keyword default and a
// class, so that they use pyowned's shared code (the compiled core that pyowned_add_module
// links, or, HEADER_ONLY, the module's own inline copy).
#pragma once
#include <pyowned/pyowned.h>

namespace packaging {

struct Counter {
    long long total = 0;
    long long add(long long k) { return total += k; }
};

inline void define(pyowned::Borrowed<pyowned::Module> m) {
    namespace py = pyowned;
    m.doc("pyowned packaging test module");
    m.def("scale", [](double x, double factor) { return x * factor; }, py::arg("x"), py::arg("factor") = 2.0);
    py::Class<Counter>(m, "Counter")
        .def(py::init<>())
        .def("add", &Counter::add, py::arg("k"))
        .def_ro("total", &Counter::total);
}

}  // namespace packaging
