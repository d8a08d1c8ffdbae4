// A method returning a reference to a bound class without a py::rv policy: who owns the
// object would be a guess (a copy? a view that may dangle?), so the compiler asks.
// expect: py::rv::copy
// expect: py::rv::reference_internal
// expect: py::rv::reference
#include <pyowned/pyowned.h>
namespace py = pyowned;

struct Inner {
    double v = 0;
};
struct Outer {
    Inner inner;
    const Inner& get() const { return inner; }
};

PYOWNED_MODULE(misuse, m) {
    py::Class<Inner>(m, "Inner");
    py::Class<Outer>(m, "Outer").def("get", &Outer::get);  // must not compile
}
