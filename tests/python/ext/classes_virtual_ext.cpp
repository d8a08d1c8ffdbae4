// Virtual methods overridden in Python: trampolines (PYOWNED_TRAMPOLINE, PYOWNED_OVERRIDE,
// PYOWNED_OVERRIDE_PURE), C++ keeping the Python object, identity on return.
// Exercised by test_classes_virtual.py.
#include <pyowned/pyowned.h>
#include <pyowned/stl.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace py = pyowned;

namespace {

// Abstract, frozen (only const methods, so C++ may share it as std::shared_ptr), with a
// virtual destructor.
struct Animal {
    virtual ~Animal() = default;
    virtual std::string sound() const = 0;
    virtual int legs() const { return 4; }
    virtual std::string greet(const std::string& who, int times) const {
        std::string s;
        for (int i = 0; i < times; ++i) s += "hello " + who + ";";
        return s;
    }
};
struct PyAnimal : Animal {
    PYOWNED_TRAMPOLINE(Animal, 3);
    std::string sound() const override { PYOWNED_OVERRIDE_PURE(sound); }
    int legs() const override { PYOWNED_OVERRIDE(legs); }
    std::string greet(const std::string& who, int times) const override { PYOWNED_OVERRIDE(greet, who, times); }
};
// The template-method pattern: the base's describe() calls the virtual sound(); a method
// bound under another Python name (PYOWNED_OVERRIDE_NAME).
struct Bird {
    virtual ~Bird() = default;
    virtual std::string sound() const { return "tweet"; }
    virtual std::string describe() const { return "a bird that says " + sound(); }
    virtual int wings() const { return 2; }
};
struct PyBird : Bird {
    PYOWNED_TRAMPOLINE(Bird, 3);
    std::string sound() const override { PYOWNED_OVERRIDE(sound); }
    std::string describe() const override { PYOWNED_OVERRIDE(describe); }
    int wings() const override { PYOWNED_OVERRIDE_NAME("wing_count", wings); }
};
// A C++ subclass, bound too: Python classes may derive from it as well.
struct Dog : Animal {
    std::string sound() const override { return "woof"; }
};

// Concrete, mutable (a borrow flag), destructor not virtual, a void virtual method.
struct Counter {
    long long total = 0;
    virtual void step(long long by) { total += by; }
    virtual long long scaled(long long x) const { return x; }
    ~Counter() { ++destroyed; }
    static inline std::atomic<int> destroyed{0};
};
struct PyCounter final : Counter {
    PYOWNED_TRAMPOLINE(Counter, 2);
    void step(long long by) override { PYOWNED_OVERRIDE(step, by); }
    long long scaled(long long x) const override { PYOWNED_OVERRIDE(scaled, x); }
    ~PyCounter() { ++destroyed; }
    static inline std::atomic<int> destroyed{0};
};

// A C++ registry: what C++ code keeps after Python lets go.
std::vector<std::shared_ptr<Animal>> kept_shared;
std::vector<py::Py<Animal>> kept_handles;

}  // namespace

template <>
inline constexpr bool pyowned::is_frozen<Animal> = true;
template <>
inline constexpr bool pyowned::is_frozen<Dog> = true;
template <>
inline constexpr bool pyowned::is_frozen<Bird> = true;

PYOWNED_MODULE(classes_virtual_ext, m) {
    py::Class<Animal, PyAnimal>(m, "Animal", "An animal; Python subclasses override sound, legs, greet.", py::frozen)
        .def(py::init<>())
        .def("sound", &Animal::sound)
        .def("legs", &Animal::legs)
        .def("greet", &Animal::greet, py::arg("who"), py::arg("times") = 1);
    py::Class<Dog, Animal>(m, "Dog", "A C++ dog.", py::frozen).def(py::init<>());
    // a factory returning an existing instance's C++ object (shared): not a new trampoline
    m.def("shared_of", [](std::shared_ptr<Animal> a) { return a; });
    py::Class<Bird, PyBird>(m, "Bird", "A bird.", py::frozen)
        .def(py::init<>())
        .def(py::init([](std::shared_ptr<Bird> other) { return other; }), py::arg("other"))
        .def("sound", &Bird::sound)
        .def("describe", &Bird::describe)
        .def("wing_count", &Bird::wings);
    m.def("bird_describe", [](const Bird& b) { return b.describe(); });
    m.def("bird_wings", [](const Bird& b) { return b.wings(); });

    // C++ calling the virtual methods
    m.def("describe", [](const Animal& a) { return a.sound() + "/" + std::to_string(a.legs()); });
    m.def("sound_of", [](const Animal& a) { return a.sound(); });
    m.def("greet_twice", [](const Animal& a, const std::string& who) { return a.greet(who, 2); });
    m.def("total_legs", [](const Animal& a, int n) {
        long long sum = 0;
        for (int i = 0; i < n; ++i) sum += a.legs();
        return sum;
    });
    // ... from threads Python never saw, while the caller is detached
    m.def("legs_from_threads", [](py::Python py, const Animal& a, int threads, int calls) {
        std::atomic<long long> sum{0};
        std::atomic<int> failures{0};
        py.detach([&] {
            std::vector<std::thread> pool;
            for (int t = 0; t < threads; ++t)
                pool.emplace_back([&] {
                    for (int i = 0; i < calls; ++i) {
                        try {
                            sum += a.legs();
                        } catch (...) {
                            ++failures;
                        }
                    }
                });
            for (auto& t : pool) t.join();
        });
        return std::make_pair(sum.load(), failures.load());
    });
    m.def("sound_from_thread", [](py::Python py, const Animal& a) {
        std::string result, error;
        py.detach([&] {
            std::thread([&] {
                try {
                    result = a.sound();
                } catch (const std::exception& e) {
                    error = e.what();
                }
            }).join();
        });
        return std::make_pair(result, error);
    });
    // the C++ error a C++ caller sees
    m.def("sound_error", [](const Animal& a) {
        try {
            return "no error: " + a.sound();
        } catch (const py::Error& e) {
            return std::string("py::Error: ") + e.what();
        } catch (const std::runtime_error& e) {
            return std::string("runtime_error: ") + e.what();
        }
    });

    // C++ keeping the object
    m.def("keep", [](std::shared_ptr<Animal> a) { kept_shared.push_back(std::move(a)); });
    m.def("keep_handle", [](py::Py<Animal> a) { kept_handles.push_back(std::move(a)); });
    m.def("kept_sounds", [] {
        std::vector<std::string> out;
        for (const auto& a : kept_shared) out.push_back(a->sound());
        for (const auto& h : kept_handles) out.push_back(h.get().sound());
        return out;
    });
    m.def("kept", [](std::size_t i) { return kept_shared.at(i); });
    m.def("kept_handle", [](py::Python py, std::size_t i) { return kept_handles.at(i).clone_ref(py); });
    m.def("clear_kept", [] {
        kept_shared.clear();
        kept_handles.clear();
    });
    // identity of a returned reference or pointer
    m.def("same", [](const Animal& a) -> const Animal& { return a; }, py::rv::reference);
    m.def("same_pointer", [](const Animal* a) { return a; }, py::rv::reference);
    m.def("shared_roundtrip", [](std::shared_ptr<Animal> a) { return a; });
    m.def("shared_base", [](std::shared_ptr<Dog> d) { return std::shared_ptr<Animal>(d); });

    py::Class<Counter, PyCounter>(m, "Counter", "A counter; Python subclasses override step and scaled.")
        .def(py::init<>())
        .def(py::init([](long long start) {
                 auto c = std::make_unique<PyCounter>();
                 c->total = start;
                 return c;
             }),
             py::arg("start"))
        .def("step", &Counter::step)
        .def("scaled", &Counter::scaled)
        .def_rw("total", &Counter::total);
    m.def("run_steps", [](Counter& c, int n) {
        for (int i = 0; i < n; ++i) c.step(i);
        return c.total;
    });
    m.def("scaled_sum", [](const Counter& c, int n) {
        long long s = 0;
        for (int i = 0; i < n; ++i) s += c.scaled(i);
        return s;
    });
    m.def("destroyed", [] { return std::make_pair(Counter::destroyed.load(), PyCounter::destroyed.load()); });
}
