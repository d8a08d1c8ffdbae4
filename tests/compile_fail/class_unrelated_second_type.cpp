// py::Class<T, X>: X is neither a base of T nor a trampoline deriving from T.
// expect: X must be T's bound base class or a trampoline deriving from T
#include <pyowned/pyowned.h>
namespace py = pyowned;

struct Shape {
    virtual ~Shape() = default;
};
struct Unrelated {};

PYOWNED_MODULE(misuse, m) {
    py::Class<Shape, Unrelated>(m, "Shape");  // must not compile
}
