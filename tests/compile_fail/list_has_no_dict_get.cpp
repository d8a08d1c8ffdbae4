// Dict's get(key) (a lookup that gives std::optional) is not available on an Owned<List>.
// expect: no member named 'get'
// expect: '(class )?pyowned::Owned<pyowned::List>'
#include <pyowned/pyowned.h>
namespace py = pyowned;

void misuse(py::Python py) {
    py::Owned<py::List> list = py::List::empty(py);
    auto value = list.get("key");  // must not compile
    (void)value;
}
