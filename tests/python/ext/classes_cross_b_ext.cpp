// Module B of the cross-module tests (test_classes_cross.py): takes and returns cross::Point
// without binding it; works once a module that binds it (classes_cross_a_ext) is imported.
#include <pyowned/pyowned.h>
#include <pyowned/classes.h>

#include <cmath>
#include <memory>

#include "classes_cross_point.h"

namespace py = pyowned;

namespace {

// A `const cross::Point*` parameter (None gives nullptr) does not compile yet: the signature's
// type names (bind/function.h, SpecOf::type_names) call python_name<const cross::Point*>(),
// and there is no FromPython<T*> for a bound class T. Until there is, `is_null` is left out
// (test_classes_cross.py::test_b_takes_a_pointer_parameter fails, saying why).
template <class P>
void def_pointer_param(py::Borrowed<py::Module> m) {
    if constexpr (requires { pyowned::FromPython<std::remove_cvref_t<P>>::name; })
        m.def("is_null", [](P p) { return p == nullptr; }, py::arg("p"));
}

}  // namespace

PYOWNED_MODULE(classes_cross_b_ext, m) {
    m.def("norm", [](const cross::Point& p) { return std::hypot(p.x, p.y); }, py::arg("p"));
    m.def(
        "shifted", [](const cross::Point& p, double dx, double dy) { return cross::Point{p.x + dx, p.y + dy}; },
        py::arg("p"), py::arg("dx"), py::arg("dy"));
    m.def(
        "scale",
        [](cross::Point& p, double k) {
            p.x *= k;
            p.y *= k;
        },
        py::arg("p"), py::arg("k"));
    // f() while p is exclusively borrowed: the borrow flag is the instance's, whichever module
    // borrows it
    m.def(
        "scale_with",
        [](cross::Point& p, double k, py::Borrowed<py::Any> f) {
            p.x *= k;
            p.y *= k;
            return f();
        },
        py::arg("p"), py::arg("k"), py::arg("f"));
    m.def("x_of", [](cross::Point p) { return p.x; }, py::arg("p"));
    def_pointer_param<const cross::Point*>(m);
    m.def("make_point", [](double x, double y) { return cross::Point{x, y}; }, py::arg("x"), py::arg("y"));
    m.def(
        "make_unique", [](double x, double y) { return std::make_unique<cross::Point>(cross::Point{x, y}); },
        py::arg("x"), py::arg("y"));
}
