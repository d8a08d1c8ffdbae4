// An array cannot be required to be both C- and Fortran-contiguous.
// expect: one order at most
#include <pyowned/ndarray.h>
namespace py = pyowned;

PYOWNED_MODULE(misuse, m) {
    m.def("f", [](py::NDArray<const double, py::c_contig, py::f_contig> a) { return a.size(); });  // must not compile
}
