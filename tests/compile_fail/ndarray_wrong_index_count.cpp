// Indexing a two-dimensional array with one index.
// expect: one index per dimension
#include <pyowned/ndarray.h>
namespace py = pyowned;

PYOWNED_MODULE(misuse, m) {
    m.def("f", [](py::NDArray<const double, py::ndim<2>> a) { return a(0); });  // must not compile
}
