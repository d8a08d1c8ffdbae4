// One function, built as an abi3 module (CMakeLists.txt).
#include <pyowned/pyowned.h>

namespace py = pyowned;

PYOWNED_MODULE(pyowned_abi3_mod, m) {
    m.def("scale", [](double x, double factor) { return x * factor; }, py::arg("x"), py::arg("factor") = 2.0);
}
