// def_buffer's function must return a py::BufferInfo.
// expect: returns py::BufferInfo
#include <pyowned/pyowned.h>
#include <vector>
namespace py = pyowned;

struct Grid {
    std::vector<float> cells;
};

PYOWNED_MODULE(misuse, m) {
    py::Class<Grid>(m, "Grid").def_buffer([](Grid& g) { return g.cells.data(); });  // must not compile
}
