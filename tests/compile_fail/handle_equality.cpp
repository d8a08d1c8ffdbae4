// == between handles is refused: identity (a.is(b)) or Python's equality (a.eq(b)) would be a
// guess, and the message says which to write.
// expect: == is not defined for handles: use a.is\(b\) for identity
#include <pyowned/pyowned.h>
namespace py = pyowned;

bool misuse(py::Python py) {
    auto a = py::Int::from(py, 1);
    auto b = py::Int::from(py, 1);
    return a == b;  // must not compile
}
