// py::ndim<3> with a two-dimensional py::shape: no array satisfies both.
// expect: disagree on the number of dimensions
#include <pyowned/ndarray.h>
namespace py = pyowned;

PYOWNED_MODULE(misuse, m) {
    m.def("f",
          [](py::NDArray<const double, py::ndim<3>, py::shape<-1, 3>> a) { return a.size(); });  // must not compile
}
