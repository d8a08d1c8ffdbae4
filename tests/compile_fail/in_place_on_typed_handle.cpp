// += exists only on Owned<Any>: Python's in-place protocol may rebind the handle to an object
// of another type (a tuple's += makes a new tuple), which an Owned<Int> could not hold. A typed
// handle says i.iadd(1) and keeps the result where it fits.
// expect-gcc: no match for 'operator\+='
// expect-clang: no viable overloaded '\+='
#include <pyowned/pyowned.h>
namespace py = pyowned;

void misuse(py::Python py) {
    py::Owned<py::Int> i = py::Int::from(py, 1);
    i += 1;  // must not compile
}
