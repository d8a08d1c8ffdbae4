// get_mut() on a handle of a py::frozen class: its instances are immutable.
// expect: get_mut|frozen
#include <pyowned/pyowned.h>
namespace py = pyowned;

struct Color {
    int r = 0, g = 0, b = 0;
};
template <>
inline constexpr bool pyowned::is_frozen<Color> = true;

void misuse(py::Borrowed<Color> c) {
    auto guard = c.get_mut();  // must not compile
    (void)guard;
}
