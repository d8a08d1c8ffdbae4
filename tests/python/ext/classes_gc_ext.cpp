// Garbage collection of bound classes (test_classes_gc.py): Node declares the members that
// hold Python references with .traverse(&Node::a, ...); Pair defines its own
// `void traverse(py::Visitor&) const` and `void clear()`, which pyowned detects. Both count
// their constructions and destructions, and call an `on_drop` callback from their C++
// destructor with the object they point to, so a test can reach an object in the middle of
// the collection that breaks its cycle (after tp_clear emptied its members).
#include <pyowned/pyowned.h>
#include <pyowned/classes.h>
#include <pyowned/stl.h>

#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace py = pyowned;

namespace {

struct Counts {
    std::atomic<long> constructed{0}, destroyed{0};
};

// Calls on_drop(target) from a destructor; a Python error becomes an unraisable exception.
template <class U>
void call_on_drop(const std::optional<py::Py<py::Any>>& on_drop, const py::Py<U>& target) noexcept {
    if (!on_drop || on_drop->is_empty() || target.is_empty()) return;
    py::attach([&](py::Python py) {
        try {
            (void)on_drop->bind(py)(target.bind(py));
        } catch (py::Error& e) {
            std::move(e).restore(py);
            PyErr_WriteUnraisable(nullptr);
        } catch (...) {
        }
    });
}

// --- Node: members named with .traverse --------------------------------------------------------
struct Node {
    static inline Counts counts;

    py::Py<py::Any> value;               // a plain Py: empty after tp_clear
    std::optional<py::Py<Node>> next;    // nullopt after tp_clear
    std::vector<py::Py<py::Any>> items;  // empty after tp_clear
    std::optional<py::Py<py::Any>> on_drop;

    Node(py::Py<py::Any> v, bool fail) : value(std::move(v)) {
        if (fail) throw std::runtime_error("Node: construction failed");
        ++counts.constructed;
    }
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;
    ~Node() {
        ++counts.destroyed;
        // the object this node points to: `next`, else its items
        if (next) call_on_drop(on_drop, *next);
        else
            for (const auto& item : items) call_on_drop(on_drop, item);
    }
};

// .traverse names every kind of member, a plain py::Py included (tp_clear moves it out,
// which leaves it empty).
constexpr bool plain_py_member_traversable = true;

template <class N, class C>
void declare_traverse(C& cls) {
    cls.traverse(&N::value, &N::next, &N::items, &N::on_drop);
}

// --- Pair: its own traverse() and clear() ---------------------------------------------------------
struct Pair {
    static inline Counts counts;

    py::Py<py::Any> ref;                   // emptied by clear()
    std::optional<py::Py<py::Any>> other;  // reset by clear()
    std::optional<py::Py<py::Any>> on_drop;

    explicit Pair(py::Py<py::Any> r) : ref(std::move(r)) { ++counts.constructed; }
    Pair(const Pair&) = delete;
    Pair& operator=(const Pair&) = delete;
    ~Pair() {
        ++counts.destroyed;
        if (other) call_on_drop(on_drop, *other);
    }

    void traverse(py::Visitor& visit) const {
        visit(ref);
        visit(other);
        visit(on_drop);
    }
    void clear() {
        // moved out first, dropped at the end (code run by the drops sees a consistent object)
        py::Py<py::Any> r = std::move(ref);
        std::optional<py::Py<py::Any>> o = std::move(other), d = std::move(on_drop);
        other.reset();
        on_drop.reset();
    }
};

// --- Made: a factory constructor that may throw ------------------------------------------------
struct Made {
    static inline Counts counts;
    py::Py<py::Any> value;
    explicit Made(py::Py<py::Any> v) : value(std::move(v)) { ++counts.constructed; }
    Made(const Made&) = delete;
    Made& operator=(const Made&) = delete;
    ~Made() { ++counts.destroyed; }
};

py::Py<py::Any> clone(const py::Py<py::Any>& p) { return p.clone_ref(py::Python::assume_attached()); }

template <class U>
std::optional<py::Py<U>> clone(const std::optional<py::Py<U>>& p) {
    if (!p) return std::nullopt;
    return p->clone_ref(py::Python::assume_attached());
}

}  // namespace

// A derived class with a dict and weak references over a base without: the base's __init__
// on a derived instance still leaves the instance the derived type's dict and list.
struct Lean {
    long long n = 0;
};
struct Rich : Lean {};

PYOWNED_MODULE(classes_gc_ext, m) {
    m.add("PLAIN_PY_MEMBER_TRAVERSABLE", plain_py_member_traversable);
    py::Class<Lean>(m, "Lean").def(py::init<>());
    py::Class<Rich, Lean>(m, "Rich", "A dict and weak references over a base without.", py::dynamic_attr, py::weakref)
        .def(py::init<>());

    py::Class<Node> node(m, "Node", "A node holding Python references, collected through .traverse.", py::weakref);
    node.def(py::init<py::Py<py::Any>, bool>(), py::arg("value"), py::arg("fail") = false)
        // the plain Py member: ValueError once tp_clear emptied it
        .def("get_value", [](const Node& n) { return clone(n.value); })
        .def(
            "set_value", [](Node& n, py::Py<py::Any> v) { n.value = std::move(v); }, py::arg("value"))
        .def("value_is_empty", [](const Node& n) { return n.value.is_empty(); })
        // the optional Py<Node> member, as a property and through methods
        .def_prop_rw(
            "next", [](const Node& n) { return clone(n.next); },
            [](Node& n, std::optional<py::Py<Node>> v) { n.next = std::move(v); })
        .def(
            "set_next", [](Node& n, std::optional<py::Py<Node>> v) { n.next = std::move(v); }, py::arg("next"))
        .def("get_next", [](const Node& n) { return clone(n.next); })
        // the next node's value, read through the member (a shared borrow of the next node)
        .def("next_value",
             [](const Node& n) -> py::Py<py::Any> {
                 py::Python py = py::Python::assume_attached();
                 if (!n.next) return py::None::get(py).unbind();
                 auto other = n.next->bind(py).get();
                 return clone(other->value);
             })
        // the vector member
        .def(
            "add_item", [](Node& n, py::Py<py::Any> item) { n.items.push_back(std::move(item)); }, py::arg("item"))
        .def("items",
             [](const Node& n) {
                 std::vector<py::Py<py::Any>> out;
                 for (const auto& item : n.items) out.push_back(clone(item));
                 return out;
             })
        .def("item_count", [](const Node& n) { return n.items.size(); })
        .def(
            "set_on_drop", [](Node& n, std::optional<py::Py<py::Any>> f) { n.on_drop = std::move(f); },
            py::arg("callback"))
        // calls f() while this node is exclusively borrowed (tp_traverse visits nothing then)
        .def(
            "mutate_with",
            [](Node& n, py::Borrowed<py::Any> f) {
                n.items.push_back(f.to_owned().unbind());
                return f();
            },
            py::arg("f"));
    declare_traverse<Node>(node);

    py::Class<Pair>(m, "Pair", "Python references visited by its own traverse() and clear().", py::weakref)
        .def(py::init<py::Py<py::Any>>(), py::arg("ref"))
        .def("get_ref", [](const Pair& p) { return clone(p.ref); })
        .def("ref_is_empty", [](const Pair& p) { return p.ref.is_empty(); })
        .def(
            "set_ref", [](Pair& p, py::Py<py::Any> v) { p.ref = std::move(v); }, py::arg("ref"))
        .def_prop_rw(
            "other", [](const Pair& p) { return clone(p.other); },
            [](Pair& p, std::optional<py::Py<py::Any>> v) { p.other = std::move(v); })
        .def(
            "set_on_drop", [](Pair& p, std::optional<py::Py<py::Any>> f) { p.on_drop = std::move(f); },
            py::arg("callback"));

    py::Class<Made>(m, "Made", "Made by a factory that may throw.")
        .def(py::init([](py::Py<py::Any> v, bool fail) -> std::unique_ptr<Made> {
                 auto made = std::make_unique<Made>(std::move(v));
                 if (fail) throw std::invalid_argument("Made: factory failed");
                 return made;
             }),
             py::arg("value"), py::arg("fail") = false)
        .def("get_value", [](const Made& x) { return clone(x.value); });

    // counters: (constructed, destroyed)
    m.def("node_counts", [] { return std::make_pair(Node::counts.constructed.load(), Node::counts.destroyed.load()); });
    m.def("pair_counts", [] { return std::make_pair(Pair::counts.constructed.load(), Pair::counts.destroyed.load()); });
    m.def("made_counts", [] { return std::make_pair(Made::counts.constructed.load(), Made::counts.destroyed.load()); });
}
