// Binds cross::Point again, with py::module_local: kept out of the shared registry, so it
// coexists with classes_cross_a_ext's binding; this module's functions use its own class.
#include <pyowned/pyowned.h>
#include <pyowned/classes.h>

#include <cmath>

#include "classes_cross_point.h"

namespace py = pyowned;

PYOWNED_MODULE(classes_cross_local_ext, m) {
    py::Class<cross::Point>(m, "Point", "cross::Point, local to this module.", py::module_local)
        .def(py::init<double, double>(), py::arg("x") = 0.0, py::arg("y") = 0.0)
        .def_rw("x", &cross::Point::x)
        .def_rw("y", &cross::Point::y);
    m.def("local_norm", [](const cross::Point& p) { return std::hypot(p.x, p.y); }, py::arg("p"));
    m.def("make_point", [](double x, double y) { return cross::Point{x, y}; }, py::arg("x"), py::arg("y"));
}
