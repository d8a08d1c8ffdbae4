// Thread hammer: 8 threads at once on shared containers through pyowned (truly parallel on
// a free-threaded build, interleaved at every GIL switch otherwise): every count exact,
// every reference balanced, no crash.
#include "harness.h"

#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kThreads = 8;

// 10^5 operations per thread; a tenth under the leak check (each test runs 8 times on the
// slow debug interpreter) and under the sanitizers.
int operations() {
    if (pyowned_test::sanitized()) return 10'000;  // GCC's and clang's ASan, TSan, valgrind
    const char* flag = std::getenv("PYOWNED_LEAK_CHECK");
    return flag && std::string(flag) == "1" ? 10'000 : 100'000;
}

// Runs body(thread_index, py) on kThreads threads, each attached, with the calling thread
// detached meanwhile.
template <class F>
void on_threads(py::Python py, F body) {
    py.detach([&] {
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&, t] { py::attach([&](py::Python p) { body(t, p); }); });
        for (auto& th : threads) th.join();
    });
}

}  // namespace

PYOWNED_TEST(Parallel, DictWritersReadersAndIteratorsAgree) {
    const int n = operations();
    auto dict = py::Dict::empty(py);
    std::vector<long long> iterated(kThreads, 0), size_errors(kThreads, 0);
    on_threads(py, [&](int t, py::Python) {
        // even threads write their own keys; odd threads read and iterate while they do
        if (t % 2 == 0) {
            for (int i = 0; i < n; ++i) {
                long long key = static_cast<long long>(t) * n + i % 1000;
                auto old = dict.get(key);
                dict.set_item(key, old ? old->extract<long long>() + 1 : 1);
                if (i % 7 == 0) dict.del_item(key), dict.set_item(key, old ? old->extract<long long>() + 1 : 1);
            }
        } else {
            for (int i = 0; i < n / 100; ++i) {
                try {
                    for (auto [k, v] : dict) iterated[t] += (k.extract<long long>() >= 0 && v.extract<long long>() > 0);
                } catch (const py::Error& e) {
                    EXPECT_TRUE(e.matches<py::RuntimeError>(py::Python::assume_attached())) << e.what();
                    ++size_errors[t];
                }
                (void)dict.get(i);
            }
        }
    });
    // every writer's 1000 keys, each set n/1000 times
    long long total = 0;
    for (auto [k, v] : dict) total += v.extract<long long>();
    EXPECT_EQ(dict.len(), (kThreads / 2) * 1000);
    EXPECT_EQ(total, static_cast<long long>(kThreads / 2) * n);
}

PYOWNED_TEST(Parallel, ListAppendsAreAllKept) {
    const int n = operations();
    auto list = py::List::empty(py);
    auto item = pyowned_test::fresh_object(py);
    Py_ssize_t before = pyowned_test::refcnt(item);
    on_threads(py, [&](int t, py::Python p) {
        for (int i = 0; i < n; ++i) {
            if (t % 2 == 0) {
                list.append(item);
            } else if (list.len() > 0) {
                auto got = list.get_item(-1);  // IndexError only if the list were empty
                EXPECT_TRUE(got.is(item));
            }
            if (i % 1000 == 0) {
                long long seen = 0;
                for (auto x : list) seen += x.is(item);
                EXPECT_GE(seen, 0);
            }
        }
        (void)p;
    });
    EXPECT_EQ(list.len(), static_cast<Py_ssize_t>(kThreads / 2) * n);
    EXPECT_EQ(pyowned_test::refcnt(item), before + static_cast<Py_ssize_t>(kThreads / 2) * n);
    list.set_item(0, 0);  // one reference replaced
    EXPECT_EQ(pyowned_test::refcnt(item), before + static_cast<Py_ssize_t>(kThreads / 2) * n - 1);
}

PYOWNED_TEST(Parallel, PyHandlesMadeAndDroppedEverywhere) {
    const int n = operations();
    auto shared = pyowned_test::fresh_object(py);
    py::Py<py::Any> storable = py::Owned<py::Any>(shared).unbind();
    Py_ssize_t before = pyowned_test::refcnt(shared);
    on_threads(py, [&](int t, py::Python p) {
        std::vector<py::Py<py::Any>> kept;
        for (int i = 0; i < n; ++i) {
            kept.push_back(storable.clone_ref(p));
            if (kept.size() == 64) {
                if (t % 2 == 0) {
                    p.detach([&] { kept.clear(); });  // dropped detached: queued
                } else {
                    kept.clear();  // dropped attached: at once
                }
            }
        }
    });
    // the queue was drained when each detach re-attached and when this thread re-attached
    EXPECT_EQ(pyowned_test::refcnt(shared), before);
}

PYOWNED_TEST(Parallel, InternedNamesAndCallsFromEveryThread) {
    const int n = operations() / 10;
    auto ns = py::Dict::empty(py);
    py::run(py, "class Counter:\n    def __init__(self): self.value = 0\n    def bump(self, by=1): return by\n", ns);
    auto counter = ns.get_item("Counter").call();
    std::vector<long long> sums(kThreads, 0);
    on_threads(py, [&](int t, py::Python) {
        for (int i = 0; i < n; ++i) {
            sums[t] += counter.call_method("bump", py::arg("by") = 2).extract<long long>();
            sums[t] += counter.getattr("value").extract<long long>();
        }
    });
    for (long long s : sums) EXPECT_EQ(s, 2LL * n);
}
