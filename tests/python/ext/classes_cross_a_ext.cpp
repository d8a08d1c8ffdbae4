// Module A of the cross-module tests (test_classes_cross.py): binds cross::Point.
#include <pyowned/pyowned.h>
#include <pyowned/classes.h>

#include <cmath>
#include <string>

#include "classes_cross_point.h"

namespace py = pyowned;

PYOWNED_MODULE(classes_cross_a_ext, m) {
    py::Class<cross::Point>(m, "Point", "A point, bound by module A.")
        .def(py::init<double, double>(), py::arg("x") = 0.0, py::arg("y") = 0.0)
        .def_rw("x", &cross::Point::x)
        .def_rw("y", &cross::Point::y)
        .def("norm", [](const cross::Point& p) { return std::hypot(p.x, p.y); })
        .def("__repr__",
             [](const cross::Point& p) { return "Point(" + std::to_string(p.x) + ", " + std::to_string(p.y) + ")"; })
        .def("__eq__", [](const cross::Point& a, const cross::Point& b) { return a.x == b.x && a.y == b.y; });
    m.def("make", [](double x, double y) { return cross::Point{x, y}; }, py::arg("x"), py::arg("y"));
}
