// Callbacks (<pyowned/functional.h>): Python callables as std::function parameters, called
// here, on other threads and later; C++ std::function returned to Python. Exercised by
// test_callbacks.py.
#include <pyowned/pyowned.h>
#include <pyowned/functional.h>
#include <pyowned/stl.h>

#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace py = pyowned;

namespace {

std::mutex stored_mutex;
std::optional<std::function<int(int)>> stored;  // guarded by stored_mutex

// Calls f(i) for i in [0, n) on each of `threads` threads, with this thread detached; the
// sum of the results (each thread's sum, added).
long long call_from_threads(py::Python py, const std::function<int(int)>& f, int threads, int n) {
    std::atomic<long long> total{0};
    std::exception_ptr failure;  // the first thread's exception, rethrown attached
    std::mutex failure_mutex;
    py.detach([&] {
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t)
            pool.emplace_back([&] {
                long long sum = 0;
                try {
                    for (int i = 0; i < n; ++i) sum += f(i);
                } catch (...) {
                    std::lock_guard<std::mutex> lock(failure_mutex);
                    if (!failure) failure = std::current_exception();
                }
                total += sum;
            });
        for (std::thread& t : pool) t.join();
    });
    if (failure) std::rethrow_exception(failure);
    return total.load();
}

}  // namespace

PYOWNED_MODULE(callbacks_ext, m) {
    m.def("apply", [](const std::function<int(int)>& f, int x) { return f(x); }, py::arg("f"), py::arg("x"));
    m.def("apply_n", [](const std::function<long long(long long)>& f, long long n) {
        long long sum = 0;
        for (long long i = 0; i < n; ++i) sum += f(i);
        return sum;
    });
    m.def("call_void", [](const std::function<void()>& f) { f(); });
    m.def("call_string", [](const std::function<std::string(const std::string&, int)>& f) { return f("ab", 3); });
    m.def("call_list", [](const std::function<std::vector<int>(std::vector<int>)>& f) { return f({1, 2, 3}); });
    m.def("maybe_call", [](std::optional<std::function<int()>> f) { return f ? (*f)() : -1; }, py::arg("f").none());

    // kept and called later; dropped on another thread
    m.def("store", [](std::function<int(int)> f) {
        std::lock_guard<std::mutex> lock(stored_mutex);
        stored = std::move(f);
    });
    m.def("call_stored", [](int x) {
        std::function<int(int)> f;
        {
            std::lock_guard<std::mutex> lock(stored_mutex);
            if (!stored) throw py::Error::of<py::ValueError>("nothing stored");
            f = *stored;  // a copy: no token needed
        }
        return f(x);
    });
    m.def("drop_stored_on_thread", [](py::Python py) {
        std::optional<std::function<int(int)>> taken;
        {
            std::lock_guard<std::mutex> lock(stored_mutex);
            taken.swap(stored);
        }
        // the last copy dies on a thread Python never saw, while this one is detached
        py.detach([&] { std::thread([f = std::move(taken)]() mutable { f.reset(); }).join(); });
    });

    // threads
    m.def("call_from_threads", &call_from_threads, py::arg("f"), py::arg("threads"), py::arg("n"));
    m.def("call_on_new_thread", [](py::Python py, const std::function<int(int)>& f, int x) {
        int result = 0;
        std::exception_ptr failure;
        py.detach([&] {
            std::thread([&] {
                try {
                    result = f(x);
                } catch (...) {
                    failure = std::current_exception();
                }
            }).join();
        });
        if (failure) std::rethrow_exception(failure);  // a py::Error: the callback's exception
        return result;
    });

    // C++ functions returned to Python, and Python ones given back
    m.def("make_adder", [](int k) { return std::function<int(int)>([k](int x) { return x + k; }); });
    m.def("make_empty", [] { return std::function<int(int)>(); });
    m.def("roundtrip", [](std::function<int(int)> f) { return f; });
    m.def("compose", [](std::function<int(int)> f, std::function<int(int)> g) {
        return std::function<int(int)>([f, g](int x) { return f(g(x)); });
    });
    m.def("make_greeter", [](std::string greeting) {
        return std::function<std::string(const std::string&)>(
            [greeting](const std::string& name) { return greeting + ", " + name; });
    });
}
