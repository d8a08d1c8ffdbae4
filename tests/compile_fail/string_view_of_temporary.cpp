// to_string_view() is unavailable on a temporary Owned<Str>: the view would dangle at the ';'.
// expect: deleted (function '[^']*to_string_view\(\) const &&|member function 'to_string_view')
#include <pyowned/pyowned.h>
#include <string_view>
namespace py = pyowned;

void misuse(py::Python py) {
    std::string_view v = py::Str::from(py, "x").to_string_view();  // must not compile
    (void)v;
}
