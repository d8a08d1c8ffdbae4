// A virtual method overridden in Python that returns a reference: the reference would point
// into the Python result, which dies when the override returns.
// expect: must return void or a value that owns itself
#include <pyowned/pyowned.h>
#include <string>
namespace py = pyowned;

struct Named {
    virtual ~Named() = default;
    virtual const std::string& name() const = 0;
};
struct PyNamed : Named {
    PYOWNED_TRAMPOLINE(Named, 1);
    const std::string& name() const override { PYOWNED_OVERRIDE_PURE(name); }  // must not compile
};

PYOWNED_MODULE(misuse, m) { py::Class<Named, PyNamed>(m, "Named").def(py::init<>()); }
