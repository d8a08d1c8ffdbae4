// An array of a type no buffer or DLPack tensor holds (std::string, long double, pointers).
// expect: T is bool, a fixed-width integer, float, double
#include <pyowned/ndarray.h>
#include <string>
namespace py = pyowned;

PYOWNED_MODULE(misuse, m) {
    m.def("f", [](py::NDArray<const std::string> a) { return a.size(); });  // must not compile
}
