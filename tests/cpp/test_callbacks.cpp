// Callbacks (<pyowned/functional.h>) from an embedding program: a Python callable taken as a
// std::function, called on threads Python never saw while the caller is detached, copied and
// dropped there; a C++ std::function handed to Python.
#include "harness.h"

#include <pyowned/functional.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kThreads = 8;

template <class F>
F callback(py::Python py, const char* source) {
    return py::eval(py, source).extract<F>();
}

}  // namespace

PYOWNED_TEST(Callbacks, CalledWithConvertedArguments) {
    auto join = callback<std::function<std::string(const std::string&, int)>>(py, "lambda s, n: '-'.join([s] * n)");
    EXPECT_EQ(join("ab", 3), "ab-ab-ab");
    auto sum = callback<std::function<long long(std::vector<long long>)>>(py, "sum");
    EXPECT_EQ(sum({1, 2, 3}), 6);
    auto nothing = callback<std::function<void()>>(py, "lambda: None");
    nothing();
}

PYOWNED_TEST(Callbacks, NotCallableIsRefused) {
    EXPECT_PY_ERROR((void)py::eval(py, "42").extract<std::function<int(int)>>(), py::TypeError, "Callable");
}

PYOWNED_TEST(Callbacks, PythonExceptionIsAnError) {
    auto f = callback<std::function<int(int)>>(py, "lambda x: {}[x]");
    EXPECT_PY_ERROR(f(7), py::KeyError, "7");
    auto wrong = callback<std::function<int(int)>>(py, "lambda x: 'text'");
    EXPECT_PY_ERROR(wrong(1), py::TypeError, "'str' object cannot be converted to 'int'");
}

// 8 threads Python never saw call one callback 12,500 times each (500 under a sanitizer or
// valgrind, where a call costs 20 to 100 times more) while this thread is detached: every
// call attaches, and every result is exact.
PYOWNED_TEST(Callbacks, ManyThreadsAtOnce) {
    const int calls = (pyowned_test::sanitized() ? 4'000 : 100'000) / kThreads;
    auto f = callback<std::function<long long(long long)>>(py, "lambda i: i * 3 + 1");
    std::atomic<long long> total{0};
    std::atomic<int> failures{0};
    py.detach([&] {
        std::vector<std::thread> pool;
        for (int t = 0; t < kThreads; ++t)
            pool.emplace_back([&, t] {
                std::function<long long(long long)> mine = f;  // a copy: no token needed
                long long sum = 0;
                for (int i = 0; i < calls; ++i) {
                    long long x = t * calls + i;
                    long long got = mine(x);
                    if (got != x * 3 + 1) ++failures;
                    sum += got;
                }
                total += sum;
            });
        for (std::thread& t : pool) t.join();
    });
    const long long n = static_cast<long long>(kThreads) * calls;
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(total.load(), 3 * (n * (n - 1) / 2) + n);
}

// The last copy dies on a detached thread: its reference is queued, released at the next attach.
PYOWNED_TEST(Callbacks, DroppedOnADetachedThread) {
    py::Owned<py::Any> target = pyowned_test::fresh_object(py);
    py::Owned<py::Any> method = target.getattr("__eq__");
    const Py_ssize_t before = pyowned_test::refcnt(method);
    auto f = method.extract<std::function<bool(py::Borrowed<py::Any>)>>();
    EXPECT_EQ(pyowned_test::refcnt(method), before + 1);
    py.detach([&] { std::thread([g = std::move(f)]() mutable { g = nullptr; }).join(); });
    py::attach([](py::Python) {});  // drains the queue
    EXPECT_EQ(pyowned_test::refcnt(method), before);
}

PYOWNED_TEST(Callbacks, CppFunctionToPythonAndBack) {
    std::function<int(int, int)> add = [](int a, int b) { return a + b; };
    py::Owned<py::Any> f = py::into_py(py, add);
    EXPECT_EQ(f.call(2, 3).extract<int>(), 5);
    EXPECT_PY_ERROR((void)f.call("x", 3), py::TypeError, "function");
    py::Owned<py::Any> lambda = py::eval(py, "lambda a, b: a * b");
    auto wrapped = lambda.extract<std::function<int(int, int)>>();
    EXPECT_TRUE(py::into_py(py, wrapped).is(lambda));  // no double wrapping
    EXPECT_TRUE(py::into_py(py, std::function<int(int, int)>()).is_none());
}
