// extract() of a container of views: the views would point into items that nothing keeps
// alive (a generator's, or those of the list made of a non-list sequence).
// expect: cannot give views into a container's items
#include <pyowned/pyowned.h>
#include <pyowned/stl.h>
#include <string_view>
#include <vector>
namespace py = pyowned;

void misuse(py::Borrowed<py::Any> obj) {
    auto views = obj.extract<std::vector<std::string_view>>();  // must not compile
    (void)views;
}
