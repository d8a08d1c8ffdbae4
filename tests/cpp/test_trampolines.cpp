// Virtual methods overridden in Python, from an embedding program: C++ keeps a Python
// subclass's instance in a py::Py, calls its overrides from threads Python never saw while
// the main thread is detached, and gets the same instance back.
#include "harness.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Task {
    virtual ~Task() = default;
    virtual long long run(long long x) const { return x; }
    virtual std::string name() const = 0;
};
struct PyTask : Task {
    PYOWNED_TRAMPOLINE(Task, 2);
    long long run(long long x) const override { PYOWNED_OVERRIDE(run, x); }
    std::string name() const override { PYOWNED_OVERRIDE_PURE(name); }
};

}  // namespace

template <>
inline constexpr bool pyowned::is_frozen<Task> = true;

namespace {

// The class and a Python subclass, made once per interpreter run.
py::Borrowed<py::Dict> scope(py::Python py) {
    static py::OnceCell<py::Py<py::Dict>> globals;
    return globals
        .get_or_init(py,
                     [](py::Python py) {
                         auto mod =
                             py::import(py, "types").call_method("ModuleType", "cpp_tasks").downcast_into<py::Module>();
                         py::Class<Task, PyTask>(mod, "Task", "A task.", py::frozen)
                             .def(py::init<>())
                             .def("run", &Task::run)
                             .def("name", &Task::name)
                             .def_static("same", [](const Task& t) -> const Task& { return t; }, py::rv::reference);
                         auto g = py::Dict::empty(py);
                         g.set_item("Task", mod.getattr("Task"));
                         py::run(py,
                                 "class Triple(Task):\n"
                                 "    def run(self, x):\n"
                                 "        return 3 * x\n"
                                 "    def name(self):\n"
                                 "        return 'triple'\n"
                                 "class Nameless(Task):\n"
                                 "    pass\n",
                                 g);
                         return std::move(g).unbind();
                     })
        .bind(py);
}

py::Py<Task> make(py::Python py, const char* cls) {
    return py::eval(py, (std::string(cls) + "()").c_str(), scope(py)).downcast_into<Task>().unbind();
}

PYOWNED_TEST(Trampolines, CppCallsTheOverride) {
    py::Py<Task> t = make(py, "Triple");
    EXPECT_EQ(t.get().run(14), 42);
    EXPECT_EQ(t.get().name(), "triple");
    py::Py<Task> plain = make(py, "Task");
    EXPECT_EQ(plain.get().run(14), 14);  // the class itself: no trampoline, the C++ method
}

PYOWNED_TEST(Trampolines, PureWithoutOverrideThrows) {
    py::Py<Task> t = make(py, "Nameless");
    EXPECT_EQ(t.get().run(2), 2);
    try {
        (void)t.get().name();
        ADD_FAILURE() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("Task.name() is pure virtual and 'Nameless' does not override it"),
                  std::string::npos)
            << e.what();
    }
}

// 8 threads Python never saw call the override 12,500 times each; the instance is held only
// by C++ (a py::Py), and this thread is detached meanwhile.
PYOWNED_TEST(Trampolines, OverridesFromManyThreads) {
    py::Py<Task> t = make(py, "Triple");
    const Task& task = t.get();
    std::atomic<long long> total{0};
    std::atomic<int> failures{0};
    // 12,500 calls a thread; 500 under a sanitizer or valgrind, where each costs 20 to 100 times more.
    const int threads = 8, calls = pyowned_test::sanitized() ? 500 : 12'500;
    py.detach([&] {
        std::vector<std::thread> pool;
        for (int k = 0; k < threads; ++k)
            pool.emplace_back([&, k] {
                long long sum = 0;
                for (int i = 0; i < calls; ++i) {
                    long long x = static_cast<long long>(k) * calls + i;
                    long long got = task.run(x);
                    if (got != 3 * x) ++failures;
                    sum += got;
                }
                total += sum;
            });
        for (std::thread& th : pool) th.join();
    });
    const long long n = static_cast<long long>(threads) * calls;
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(total.load(), 3 * (n * (n - 1) / 2));
}

PYOWNED_TEST(Trampolines, TheSameInstanceComesBack) {
    auto g = scope(py);
    py::Py<Task> t = make(py, "Triple");
    g.set_item("t", t.bind(py));
    EXPECT_TRUE(py::eval(py, "Task.same(t) is t", g).extract<bool>());
    g.del_item("t");
}

}  // namespace
