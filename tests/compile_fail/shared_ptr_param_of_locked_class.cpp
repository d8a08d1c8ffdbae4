// A std::shared_ptr parameter of a class with borrow checking: C++ could then use the object
// without borrowing it, so only py::frozen and py::unlocked classes allow it.
// expect: py::Py<T>
// expect: borrow it with get_mut
#include <pyowned/pyowned.h>
#include <memory>
namespace py = pyowned;

struct Counter {
    int n = 0;
};

PYOWNED_MODULE(misuse, m) {
    py::Class<Counter>(m, "Counter");
    m.def("keep", [](std::shared_ptr<Counter> c) { return c->n; });  // must not compile
}
