// Binds cross::Point a second time with the same layout and without py::module_local:
// importing it after classes_cross_a_ext must fail with an ImportError (bound twice).
#include <pyowned/pyowned.h>
#include <pyowned/classes.h>

#include "classes_cross_point.h"

namespace py = pyowned;

PYOWNED_MODULE(classes_cross_dup_ext, m) {
    py::Class<cross::Point>(m, "Point", "cross::Point bound a second time.")
        .def(py::init<double, double>(), py::arg("x") = 0.0, py::arg("y") = 0.0)
        .def_rw("x", &cross::Point::x);
}
