// A py::Py<T> cannot be copy-constructed: copying needs a token (p.clone_ref(py)).
// expect: deleted (function 'pyowned::Py<T>::Py\(const pyowned::Py<T>&\)|constructor of '((pyowned|py)::)?Py<(pyowned|py)::Any>')
#include <pyowned/pyowned.h>
namespace py = pyowned;

void misuse(const py::Py<py::Any>& p) {
    py::Py<py::Any> copy = p;  // must not compile
    (void)copy;
}
