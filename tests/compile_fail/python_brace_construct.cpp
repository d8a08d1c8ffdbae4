// A py::Python token cannot be value-initialized either: py::Python{} is rejected.
// expect: (pyowned::Python::Python\(\)' is private|calling a private constructor of class 'pyowned::Python')
#include <pyowned/pyowned.h>
namespace py = pyowned;

void use(py::Python);

void misuse() {
    use(py::Python{});  // must not compile
}
