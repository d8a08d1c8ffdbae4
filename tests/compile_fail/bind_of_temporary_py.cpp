// bind(py) is unavailable on an rvalue Py<T>: the view would outlive the reference
// (use std::move(p).into_bound(py) to turn a Py into an Owned).
// expect: deleted (function 'pyowned::Borrowed<T> pyowned::Py<T>::bind\(pyowned::Python\) const &&|member function 'bind')
#include <pyowned/pyowned.h>
#include <utility>
namespace py = pyowned;

void misuse(py::Python py, py::Py<py::Any> p) {
    auto b = std::move(p).bind(py);  // must not compile
    (void)b;
}
