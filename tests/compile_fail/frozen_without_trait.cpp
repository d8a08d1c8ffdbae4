// py::frozen given to py::Class without pyowned::is_frozen<T>: the rest of the program would
// not know the class is frozen (and could borrow it mutably), so the two must agree.
// expect: must agree
#include <pyowned/pyowned.h>
namespace py = pyowned;

struct Color {
    int r = 0;
};

PYOWNED_MODULE(misuse, m) {
    py::Class<Color>(m, "Color", "doc", py::frozen);  // must not compile
}
