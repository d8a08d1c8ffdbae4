// Writing through a read-only array (NDArray<const T>).
// expect-gcc: assignment of read-only location
// expect-clang: returns a const value
#include <pyowned/ndarray.h>
namespace py = pyowned;

PYOWNED_MODULE(misuse, m) {
    m.def("f", [](py::NDArray<const double, py::ndim<1>> a) { a(0) = 1.0; });  // must not compile
}
