// A py::Py<T> cannot be copy-assigned: copying needs a token (p.clone_ref(py)).
// expect: deleted (function 'pyowned::Py<T>& pyowned::Py<T>::operator=\(const pyowned::Py<T>&\)|operator '=')
// expect-clang: py.h:[0-9]+:[0-9]+: note: candidate function has been explicitly deleted
#include <pyowned/pyowned.h>
namespace py = pyowned;

void misuse(py::Py<py::Any>& target, const py::Py<py::Any>& source) {
    target = source;  // must not compile
}
