// borrow() is unavailable on a temporary Owned: the view would outlive the object.
// expect: deleted (function 'pyowned::Borrowed<T> pyowned::Owned<T>::borrow\(\) const &&|member function 'borrow')
#include <pyowned/pyowned.h>
namespace py = pyowned;

void misuse(py::Python py) {
    auto b = py::Dict::empty(py).borrow();  // must not compile
    (void)b;
}
