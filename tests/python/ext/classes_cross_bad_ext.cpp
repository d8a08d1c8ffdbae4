// Binds a cross::Point with another layout than classes_cross_point.h's (a third double):
// importing it after classes_cross_a_ext must fail with an ImportError naming sizeof.
#include <pyowned/pyowned.h>
#include <pyowned/classes.h>

#include "classes_cross_point_bad.h"

namespace py = pyowned;

PYOWNED_MODULE(classes_cross_bad_ext, m) {
    py::Class<cross::Point>(m, "Point", "An incompatible cross::Point (three doubles).")
        .def(py::init<double, double, double>(), py::arg("x") = 0.0, py::arg("y") = 0.0, py::arg("z") = 0.0)
        .def_rw("x", &cross::Point::x)
        .def_rw("y", &cross::Point::y)
        .def_rw("z", &cross::Point::z);
    m.def("z_of", [](const cross::Point& p) { return p.z; }, py::arg("p"));
}
