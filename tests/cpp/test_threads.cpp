// Threads: many Py<T> dropped on detached threads (the queued decrefs), and concurrent attach doing Python work.
#include "harness.h"
#include "test_support.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kThreads = 8;

// 10^5 Py per thread; a tenth of that under the leak check, which runs every test 8 times on
// the slow debug interpreter (8 * 10^5 objects with __del__ take seconds per run there).
int per_thread() {
    const char* flag = std::getenv("PYOWNED_LEAK_CHECK");
    return flag && std::string(flag) == "1" ? 10'000 : 100'000;
}

constexpr auto kLimit = std::chrono::seconds(60);

using Batch = std::vector<py::Py<py::Any>>;

// Drops every batch on its own thread, all at once, none of the threads attached.
void drop_on_threads(std::vector<Batch>& batches) {
    std::vector<std::thread> pool;
    for (auto& batch : batches) pool.emplace_back([b = std::move(batch)]() mutable { b.clear(); });
    for (auto& t : pool) t.join();
}

}  // namespace

PYOWNED_TEST(Threads, ManyClonesDroppedDetached) {
    Watchdog dog(kLimit, "dropping clones on 8 threads");
    auto obj = pyowned_test::fresh_object(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    py::Py<py::Any> original = py::Owned<py::Any>(obj).unbind();
    std::vector<Batch> batches(kThreads);
    const int n = per_thread();
    for (auto& batch : batches) {
        batch.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) batch.push_back(original.clone_ref(py));
    }
    EXPECT_EQ(pyowned_test::refcnt(obj), base + 1 + kThreads * n);
    // This thread keeps the GIL, so none of the droppers can decref: every decref is queued.
    drop_on_threads(batches);
    EXPECT_EQ(pyowned_test::refcnt(obj), base + 1 + kThreads * n);
    py::attach([](py::Python) {});  // one attach does them all
    EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
}

PYOWNED_TEST(Threads, ManyObjectsDroppedDetachedAreFreed) {
    Watchdog dog(kLimit, "dropping distinct objects on 8 threads");
    auto ns = py::Dict::empty(py);
    py::run(py,
            "class Tracked:\n"
            "    __slots__ = ()\n"
            "    freed = 0\n"
            "    def __del__(self):\n"
            "        Tracked.freed += 1\n",
            ns);
    auto cls = ns.get_item("Tracked");
    std::vector<Batch> batches(kThreads);
    const int n = per_thread();
    for (auto& batch : batches) {
        batch.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) batch.push_back(cls.call().unbind());  // each Py is the only reference
    }
    drop_on_threads(batches);
    EXPECT_EQ(cls.getattr("freed").extract<long>(), 0);  // queued, not yet done
    py::attach([](py::Python) {});
    EXPECT_EQ(cls.getattr("freed").extract<long>(), kThreads * n);
}

PYOWNED_TEST(Threads, DropsRaceWithAttaches) {
    // Droppers queue while other threads attach (and so drain) at the same time.
    Watchdog dog(kLimit, "drops racing attaches");
    auto obj = pyowned_test::fresh_object(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    py::Py<py::Any> original = py::Owned<py::Any>(obj).unbind();
    std::vector<Batch> batches(kThreads);
    const int n = per_thread();
    for (auto& batch : batches) {
        batch.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) batch.push_back(original.clone_ref(py));
    }
    std::atomic<bool> dropping{true};
    std::atomic<int> attaches{0};
    py.detach([&] {
        std::vector<std::thread> attachers;
        for (int t = 0; t < 2; ++t) {
            attachers.emplace_back([&] {
                while (dropping.load()) {
                    py::attach([](py::Python inner) { (void)py::eval(inner, "None"); });
                    ++attaches;
                }
            });
        }
        drop_on_threads(batches);
        dropping = false;
        for (auto& t : attachers) t.join();
    });
    py::attach([](py::Python) {});
    EXPECT_GT(attaches.load(), 0);
    pyowned_test::settle(py);  // decrefs drained on the attachers' threads (free-threaded)
    EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
}

PYOWNED_TEST(Threads, ConcurrentAttachWork) {
    Watchdog dog(kLimit, "concurrent attach");
    constexpr int items = 10'000, rounds = 10;
    std::vector<long long> sums(kThreads, -1);
    std::vector<Py_ssize_t> lengths(kThreads, -1);
    py.detach([&] {
        std::vector<std::thread> pool;
        for (int t = 0; t < kThreads; ++t) {
            pool.emplace_back([&, t] {
                // its own list, kept across attaches in a Py
                auto list = py::attach([](py::Python inner) { return py::List::empty(inner).unbind(); });
                for (int r = 0; r < rounds; ++r) {
                    py::attach([&](py::Python inner) {
                        auto l = list.bind(inner);
                        for (int i = r * (items / rounds); i < (r + 1) * (items / rounds); ++i) l.append(i + t);
                    });
                }
                py::attach([&](py::Python inner) {
                    auto l = list.bind(inner);
                    lengths[static_cast<std::size_t>(t)] = l.len();
                    auto builtins = py::import(inner, "builtins");
                    sums[static_cast<std::size_t>(t)] = builtins.getattr("sum").call(l).extract<long long>();
                    py::Py<py::List> gone = std::move(list);
                });
            });
        }
        for (auto& th : pool) th.join();
    });
    for (int t = 0; t < kThreads; ++t) {
        long long expected = static_cast<long long>(items) * (items - 1) / 2 + static_cast<long long>(items) * t;
        EXPECT_EQ(lengths[static_cast<std::size_t>(t)], items) << "thread " << t;
        EXPECT_EQ(sums[static_cast<std::size_t>(t)], expected) << "thread " << t;
    }
}

PYOWNED_TEST(Threads, SharedObjectUnderAttach) {
    // Eight threads append to one shared list; attach serializes them, nothing is lost.
    Watchdog dog(kLimit, "shared list");
    // A twentieth under a sanitizer or valgrind: each attach on a thread Python never saw makes
    // and clears a thread state (PyGILState_Ensure/Release), whose mimalloc heap collection
    // takes milliseconds under TSan, so 80,000 of them outlast the watchdog.
    const int items = pyowned_test::sanitized() ? 500 : 10'000;
    auto shared = py::List::empty(py);
    py::Py<py::List> stored = py::Owned<py::List>(shared).unbind();
    py.detach([&] {
        std::vector<std::thread> pool;
        for (int t = 0; t < kThreads; ++t) {
            pool.emplace_back([&] {
                for (int i = 0; i < items; ++i) {
                    py::attach([&](py::Python inner) { stored.bind(inner).append(i); });
                }
            });
        }
        for (auto& th : pool) th.join();
    });
    EXPECT_EQ(shared.len(), kThreads * items);
    auto total = py::import(py, "builtins").getattr("sum").call(shared).extract<long long>();
    EXPECT_EQ(total, static_cast<long long>(kThreads) * items * (items - 1) / 2);
}
