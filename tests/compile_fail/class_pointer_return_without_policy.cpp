// A function returning a raw pointer to a bound class without a py::rv policy.
// expect: needs a return value policy
#include <pyowned/pyowned.h>
namespace py = pyowned;

struct Node {
    int v = 0;
};
Node* global_node();

PYOWNED_MODULE(misuse, m) {
    py::Class<Node>(m, "Node");
    m.def("node", &global_node);  // must not compile
}
