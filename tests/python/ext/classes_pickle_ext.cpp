// Pickling and copying bound classes: py::pickle(get, set) and py::copyable. Exercised by
// test_classes_pickle.py.
#include <pyowned/pyowned.h>
#include <pyowned/stl.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

namespace py = pyowned;

namespace {

struct Point {
    double x = 0, y = 0;
};

// State with a check: set() rejects a negative count.
struct Counter {
    std::string name;
    int count = 0;
};

// Made by a factory returning a unique_ptr.
struct Node {
    int value = 0;
};

struct Box {
    std::vector<int> items;
};

struct Plain {
    int v = 1;
};

}  // namespace

PYOWNED_MODULE(classes_pickle_ext, m) {
    py::Class<Point>(m, "Point")
        .def(py::init<double, double>(), py::arg("x"), py::arg("y"))
        .def_rw("x", &Point::x)
        .def_rw("y", &Point::y)
        .def(py::pickle([](const Point& p) { return std::make_tuple(p.x, p.y); },
                        [](std::tuple<double, double> s) { return Point{std::get<0>(s), std::get<1>(s)}; }));

    py::Class<Counter>(m, "Counter")
        .def(py::init<std::string, int>())
        .def_ro("name", &Counter::name)
        .def_ro("count", &Counter::count)
        .def(py::pickle([](const Counter& c) { return std::make_pair(c.name, c.count); },
                        [](std::pair<std::string, int> s) {
                            if (s.second < 0) throw std::invalid_argument("a count is never negative");
                            return Counter{s.first, s.second};
                        }));

    // no constructor from Python: only unpickling makes one
    py::Class<Node>(m, "Node")
        .def_ro("value", &Node::value)
        .def(py::pickle([](const Node& n) { return n.value; }, [](int v) { return std::make_unique<Node>(Node{v}); }));
    m.def("make_node", [](int v) { return Node{v}; });

    py::Class<Box>(m, "Box", "A copyable box.", py::copyable, py::dynamic_attr)
        .def(py::init<std::vector<int>>())
        .def_prop_ro("items", [](const Box& b) { return b.items; })
        .def("push", [](Box& b, int v) { b.items.push_back(v); });

    py::Class<Plain>(m, "Plain").def(py::init<>());
}
