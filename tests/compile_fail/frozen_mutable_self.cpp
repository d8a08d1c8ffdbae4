// A method of a py::frozen class taking its object mutably (T& self).
// expect: cannot be borrowed mutably
#include <pyowned/pyowned.h>
namespace py = pyowned;

struct Color {
    int r = 0;
    void brighten() { ++r; }
};
template <>
inline constexpr bool pyowned::is_frozen<Color> = true;

PYOWNED_MODULE(misuse, m) {
    py::Class<Color>(m, "Color", "doc", py::frozen).def("brighten", &Color::brighten);  // must not compile
}
