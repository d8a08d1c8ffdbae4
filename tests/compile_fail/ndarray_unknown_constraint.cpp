// A type that is no array constraint.
// expect: each C is py::ndim<N>
#include <pyowned/ndarray.h>
namespace py = pyowned;

PYOWNED_MODULE(misuse, m) {
    m.def("f", [](py::NDArray<const double, int> a) { return a.size(); });  // must not compile
}
