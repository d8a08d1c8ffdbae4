// A Dict operation (keys) is not available on an Owned<List>: operations follow the type tag.
// expect: no member named 'keys'
// expect: '(class )?pyowned::Owned<pyowned::List>'
#include <pyowned/pyowned.h>
namespace py = pyowned;

void misuse(py::Python py) {
    py::Owned<py::List> list = py::List::empty(py);
    auto keys = list.keys();  // must not compile
    (void)keys;
}
