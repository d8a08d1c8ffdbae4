// Borrow rules of bound classes (test_classes_borrow.py): Counter (a locked class: borrow
// flag, and a critical section on free-threaded builds) with methods that call back into
// Python while they hold a shared or exclusive borrow; Frozen (py::frozen) and Tally
// (py::unlocked), which take no borrow and may be shared with C++ as std::shared_ptr.
#include <pyowned/pyowned.h>
#include <pyowned/classes.h>
#include <pyowned/stl.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>

namespace py = pyowned;

namespace {

struct Counter {
    long long value = 0;
    long long get() const { return value; }
    void increment() { ++value; }
};

struct Frozen {
    double x = 0, y = 0;
    double sum() const { return x + y; }
};

struct Tally {
    std::atomic<long long> n{0};
    explicit Tally(long long start) : n(start) {}
    void add(long long k) { n.fetch_add(k, std::memory_order_relaxed); }
    long long get() const { return n.load(std::memory_order_relaxed); }
};

// A reference dropped by a thread Python never saw, while this one stays attached: it waits
// in pyowned's queue until a binding's call drains it.
std::optional<py::Py<py::Any>> held;
std::thread holder_thread;
std::atomic<bool> drop_now{false};

// Whether the queue holds references: a plain C function (not a pyowned binding, whose entry
// would drain the queue first).
PyObject* pending_waiting(PyObject*, PyObject*) { return PyBool_FromLong(py::detail::pending_decrefs_waiting()); }
PyMethodDef raw_methods[] = {
    {"pending_waiting", pending_waiting, METH_NOARGS, "whether dropped references wait in the queue"},
    {nullptr, nullptr, 0, nullptr},
};

// Kept by C++ beyond any call: shared_ptr parameters stored in globals.
std::shared_ptr<Frozen> kept_frozen;
std::shared_ptr<Tally> kept_tally;

// Two classes whose methods and functions have the same shapes: their entry points are
// shared (bound-class parameters erased), each definition still calls its own callable and
// borrows its own class.
struct Apple {
    long long n = 0;
};
struct Pear {
    long long n = 0;
};
// Constructors of Apple's and Pear's shape: one made from a factory (a capturing callable), one
// with entries of its own (py::inline_call).
struct Quince {
    long long n = 0;
};
struct Medlar {
    long long n = 0;
};
// Over-aligned: its object's place in an instance depends on the address, so neither the shared
// entries' fast lane nor a field's inline path applies.
struct alignas(32) Wide {
    double v = 0;
};

}  // namespace

template <>
inline constexpr bool pyowned::is_frozen<Frozen> = true;
template <>
inline constexpr bool pyowned::is_unlocked<Tally> = true;

PYOWNED_MODULE(classes_borrow_ext, m) {
    py::Class<Counter>(m, "Counter", "A counter guarded by its borrow flag.")
        .def(py::init<long long>(), py::arg("value") = 0)
        .def_rw("value", &Counter::value)
        .def_prop_ro("doubled", [](const Counter& c) { return c.value * 2; })
        .def("get", &Counter::get)
        .def("increment", &Counter::increment)
        .def(
            "add", [](Counter& c, long long k) { c.value += k; }, py::arg("k"))
        // one positional-only parameter (named, or unnamed): METH_O methods
        .def(
            "add_pos", [](Counter& c, long long k) { c.value += k; }, py::arg("k"), py::pos_only())
        .def("add_from_pos", [](Counter& self, const Counter& other) { self.value += other.value; })
        .def("add_checked",
             [](Counter& c, long long k) {
                 if (k < 0) throw std::invalid_argument("negative step");
                 c.value += k;
             })
        .def("scaled", [](const Counter& c, double f) { return static_cast<double>(c.value) * f; })
        .def("is_positive", [](const Counter& c) { return c.value > 0; })
        // positional-only but with a default: not METH_O
        .def(
            "add_default", [](Counter& c, long long k) { c.value += k; }, py::arg("k") = 1, py::pos_only())
        // f() while `c` is exclusively borrowed (counts 1 before and 1 after the call)
        .def(
            "mutate_with",
            [](Counter& c, py::Borrowed<py::Any> f) {
                c.value += 1;
                py::Owned<py::Any> r = f();
                c.value += 1;
                return r;
            },
            py::arg("f"))
        // f() while `c` is borrowed shared
        .def(
            "read_with",
            [](const Counter& c, py::Borrowed<py::Any> f) {
                (void)c.value;
                return f();
            },
            py::arg("f"))
        // two instances at once: self exclusive and other shared / exclusive
        .def(
            "add_from", [](Counter& self, const Counter& other) { self.value += other.value; }, py::arg("other"))
        .def(
            "swap_with", [](Counter& self, Counter& other) { std::swap(self.value, other.value); }, py::arg("other"))
        .def(
            "sum_with", [](const Counter& self, const Counter& other) { return self.value + other.value; },
            py::arg("other"))
        // increments while detached (the GIL released), still holding the exclusive borrow
        .def("increment_detached", [](Counter& c) {
            py::Python::assume_attached().detach([&] {
                long long v = c.value;
                std::this_thread::yield();
                c.value = v + 1;
            });
        });
    // handles: h.get() and h.get_mut() borrow as parameters do
    m.def("peek", [](py::Borrowed<Counter> h) { return h.get()->value; }, py::arg("counter"));
    m.def("bump", [](py::Borrowed<Counter> h) { ++h.get_mut()->value; }, py::arg("counter"));
    m.def(
        "bump_with",
        [](py::Borrowed<Counter> h, py::Borrowed<py::Any> f) {
            auto guard = h.get_mut();
            ++guard->value;
            return f();
        },
        py::arg("counter"), py::arg("f"));

    py::Class<Frozen>(m, "Frozen", "Immutable after construction: no borrow flag.", py::frozen, py::weakref)
        .def(py::init<double, double>(), py::arg("x") = 0.0, py::arg("y") = 0.0)
        .def_ro("x", &Frozen::x)
        .def_ro("y", &Frozen::y)
        .def("sum", &Frozen::sum)
        .def(
            "read_with",
            [](const Frozen& f, py::Borrowed<py::Any> cb) {
                (void)f.x;
                return cb();
            },
            py::arg("f"));
    m.def("frozen_sum_via_py", [](py::Py<Frozen> p) { return p.get().sum(); }, py::arg("p"));
    m.def("keep_frozen", [](std::shared_ptr<Frozen> p) { kept_frozen = std::move(p); }, py::arg("p"));
    m.def("kept_frozen_sum", [] { return kept_frozen ? kept_frozen->sum() : -1.0; });
    m.def("release_frozen", [] { kept_frozen.reset(); });
    m.def(
        "frozen_shared_sum", [](std::shared_ptr<Frozen> a, std::shared_ptr<Frozen> b) { return a->sum() + b->sum(); },
        py::arg("a"), py::arg("b"));

    py::Class<Tally>(m, "Tally", "Synchronizes itself (an atomic): no borrow flag, no lock.", py::unlocked, py::weakref)
        .def(py::init<long long>(), py::arg("start") = 0)
        .def("add", &Tally::add, py::arg("k") = 1)
        .def("get", &Tally::get)
        .def(
            "mutate_with",
            [](Tally& t, py::Borrowed<py::Any> f) {
                t.add(1);
                return f();
            },
            py::arg("f"))
        .def(
            "read_with",
            [](const Tally& t, py::Borrowed<py::Any> f) {
                (void)t.get();
                return f();
            },
            py::arg("f"));
    m.def("hold_for_drop", [](py::Borrowed<py::Any> o) {
        held.emplace(o.to_owned().unbind());
        drop_now = false;
        holder_thread = std::thread([] {
            while (!drop_now) std::this_thread::yield();
            held.reset();  // not attached: queued
        });
    });
    m.def("drop_held_and_join", [] {  // attached throughout: nothing drains meanwhile
        drop_now = true;
        holder_thread.join();
    });
    if (PyModule_AddFunctions(m.ptr(), raw_methods) < 0) throw py::Error::fetch(py::Python::assume_attached());
    m.def("keep_tally", [](std::shared_ptr<Tally> p) { kept_tally = std::move(p); }, py::arg("p"));
    m.def(
        "kept_tally_add",
        [](long long k) {
            if (kept_tally) kept_tally->add(k);
        },
        py::arg("k"));
    m.def("kept_tally_use_count", [] { return kept_tally.use_count(); });
    m.def("release_tally", [] { kept_tally.reset(); });
    // the last shared_ptr dropped on a detached thread: the Python reference is released later
    m.def("release_tally_detached",
          [](py::Python py) { py.detach([] { std::thread([] { kept_tally.reset(); }).join(); }); });

    // --- methods and functions sharing their erased signature's entries --------------------
    long long apple_offset = 100, pear_offset = 200;  // (not constants: the lambdas capture them)
    py::Class<Apple>(m, "Apple")
        .def(py::init<long long>(), py::arg("n"))
        .def_rw("n", &Apple::n)
        .def("get", [](const Apple& a) { return a.n + 1; })
        .def(
            "add", [](Apple& a, long long k) { return a.n += k; }, py::arg("k"))
        .def("plus", [](const Apple& a, long long k) { return a.n + k + 1; })
        .def("offset", [apple_offset](const Apple& a) { return a.n + apple_offset; })
        .def(
            "own", [](const Apple& a) { return a.n + 3; }, py::inline_call())
        .def("__len__", [](const Apple& a) { return a.n + 4; })
        .def("__getitem__", [](const Apple& a, long long i) { return a.n * i; })
        .def("__add__", [](const Apple& a, const Apple& b) { return Apple{a.n + b.n}; });
    py::Class<Pear>(m, "Pear")
        .def(py::init<long long>(), py::arg("n"))
        .def_rw("n", &Pear::n)
        .def("get", [](const Pear& p) { return p.n + 2; })
        .def(
            "add", [](Pear& p, long long k) { return p.n -= k; }, py::arg("k"))
        .def("plus", [](const Pear& p, long long k) { return p.n + k + 2; })
        .def("offset", [pear_offset](const Pear& p) { return p.n + pear_offset; })
        .def(
            "own", [](const Pear& p) { return p.n + 6; }, py::inline_call())
        .def("__len__", [](const Pear& p) { return p.n + 8; })
        .def("__getitem__", [](const Pear& p, long long i) { return p.n * i * 2; })
        .def("__add__", [](const Pear& a, const Pear& b) { return Pear{a.n * b.n}; });
    m.def("apple_n", [](const Apple& a) { return a.n; });
    m.def("pear_n", [](const Pear& p) { return p.n * 10; });
    m.def("pair", [](const Apple& a, const Pear& p) { return a.n * 1000 + p.n; });
    m.def("pair_own", [](const Apple& a, const Pear& p) { return a.n * 1000 + p.n + 1; }, py::inline_call());
    m.def("maybe_pear", [](const Pear* p) { return p ? p->n : -1; });
    py::Class<Quince>(m, "Quince")
        .def(py::init([](long long n) { return Quince{n * 10}; }), py::arg("n"))
        .def_rw("n", &Quince::n);
    py::Class<Medlar>(m, "Medlar").def(py::init<long long>(), py::arg("n"), py::inline_call()).def_rw("n", &Medlar::n);
    py::Class<Wide>(m, "Wide")
        .def(py::init<double>(), py::arg("v"))
        .def_rw("v", &Wide::v)
        .def("twice", [](const Wide& w) { return w.v * 2; })
        .def("aligned", [](const Wide& w) { return reinterpret_cast<std::uintptr_t>(&w) % alignof(Wide) == 0; });
    m.def("wide_v", [](const Wide& w) { return w.v; });
    // objects on the heap of classes with no destructor to run, one over-aligned: freed by the
    // record's size and alignment (destroy_trivial)
    m.def("apple_unique", [](long long n) { return std::unique_ptr<Apple>(new Apple{n}); });
    m.def("apple_shared", [](long long n) { return std::make_shared<Apple>(Apple{n}); });
    m.def("wide_unique", [](double v) { return std::unique_ptr<Wide>(new Wide{v}); });
}
