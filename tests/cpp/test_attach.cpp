// py::attach and py.detach: results, reentrancy, foreign threads, exceptions, the GIL, queued Py<T> decrefs.
#include "harness.h"
#include "test_support.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr auto kLimit = std::chrono::seconds(30);

bool attached() { return PyGILState_Check() == 1; }

}  // namespace

PYOWNED_TEST(Attach, ReturnsValue) {
    int n = py::attach([](py::Python) { return 42; });
    EXPECT_EQ(n, 42);
    auto list = py::attach([](py::Python inner) {
        auto l = py::List::empty(inner);
        l.append(7);
        return l;
    });
    static_assert(std::is_same_v<decltype(list), py::Owned<py::List>>);
    EXPECT_EQ(list.len(), 1);
    EXPECT_EQ(list.get_item(0).extract<int>(), 7);
}

PYOWNED_TEST(Attach, ReturnsReference) {
    int value = 0;
    int& ref = py::attach([&](py::Python) -> int& { return value; });
    EXPECT_EQ(&ref, &value);
    py::attach([](py::Python) {});  // void works too
}

PYOWNED_TEST(Attach, Reentrant) {
    int depth = py::attach([](py::Python a) {
        return py::attach([&](py::Python b) {
            return py::attach([&](py::Python c) {
                EXPECT_TRUE(attached());
                return py::eval(c, "1 + 2").extract<int>() + py::eval(b, "3").extract<int>() +
                       py::eval(a, "4").extract<int>();
            });
        });
    });
    EXPECT_EQ(depth, 10);
    EXPECT_TRUE(attached());  // the inner attaches released nothing of the outer one
    EXPECT_EQ(py::eval(py, "2 * 21").extract<int>(), 42);
}

PYOWNED_TEST(Attach, FromForeignThreads) {
    constexpr int threads = 4, rounds = 50;
    std::atomic<int> ok{0};
    Watchdog dog(kLimit, "attach from foreign threads");
    py.detach([&] {
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t) {
            pool.emplace_back([&, t] {
                for (int r = 0; r < rounds; ++r) {
                    bool before = attached();
                    long long v = py::attach([&](py::Python inner) {
                        auto ns = py::Dict::empty(inner);
                        ns.set_item("t", t);
                        ns.set_item("r", r);
                        return py::eval(inner, "sum(range(t * 100 + r))", ns).extract<long long>();
                    });
                    long long n = t * 100 + r;
                    if (!before && !attached() && v == n * (n - 1) / 2) ++ok;
                }
            });
        }
        for (auto& th : pool) th.join();
    });
    EXPECT_EQ(ok.load(), threads * rounds);
}

PYOWNED_TEST(Attach, ReleasesOnException) {
    Watchdog dog(kLimit, "attach after an exception");
    std::atomic<bool> propagated{false}, released{false}, later{false};
    py.detach([&] {
        std::thread first([&] {
            try {
                py::attach([](py::Python) -> int { throw std::runtime_error("boom"); });
            } catch (const std::runtime_error& e) {
                propagated = std::string(e.what()) == "boom";
            }
            released = !attached();
            // this thread can attach again
            later = py::attach([](py::Python inner) { return py::eval(inner, "6 * 7").extract<int>() == 42; });
        });
        first.join();
        // and so can another one: the GIL was not kept by the thread that threw
        std::thread second([&] { py::attach([](py::Python inner) { (void)py::eval(inner, "None"); }); });
        second.join();
    });
    EXPECT_TRUE(propagated);
    EXPECT_TRUE(released);
    EXPECT_TRUE(later);
}

PYOWNED_TEST(Attach, PyErrorPropagatesOut) {
    Watchdog dog(kLimit, "attach after a py::Error");
    std::atomic<bool> matched{false}, described{false};
    py.detach([&] {
        std::thread worker([&] {
            try {
                py::attach([](py::Python inner) { (void)py::eval(inner, "1 / 0"); });
            } catch (const py::Error& e) {
                described = std::string(e.what()) == "ZeroDivisionError: division by zero";  // detached
                matched = py::attach([&](py::Python inner) { return e.matches<py::ZeroDivisionError>(inner); });
            }
        });
        worker.join();
    });
    EXPECT_TRUE(matched);
    EXPECT_TRUE(described);
}

PYOWNED_TEST(Attach, NestedAttachExceptionKeepsOuter) {
    EXPECT_THROW(py::attach([](py::Python) { throw std::logic_error("inner"); }), std::logic_error);
    EXPECT_TRUE(attached());
    EXPECT_EQ(py::eval(py, "1 + 1").extract<int>(), 2);
}

PYOWNED_TEST(Attach, DetachReleasesTheGil) {
    Watchdog dog(kLimit, "attach while another thread is detached");
    std::promise<int> result;
    auto future = result.get_future();
    bool detached_inside = false;
    py.detach([&] {
        detached_inside = !attached();
        std::thread other([&] {
            // runs Python while the test's thread is inside detach; blocks forever if the
            // GIL was not released (the watchdog then aborts)
            result.set_value(
                py::attach([](py::Python inner) { return py::eval(inner, "sum(range(10))").extract<int>(); }));
        });
        EXPECT_EQ(future.get(), 45);  // waited for while still detached
        other.join();
    });
    EXPECT_TRUE(detached_inside);
    EXPECT_TRUE(attached());  // re-attached afterwards
    EXPECT_EQ(py::eval(py, "3 * 3").extract<int>(), 9);
}

PYOWNED_TEST(Attach, DetachHandshake) {
    // Both directions: the other thread holds the GIL while this one waits detached, and
    // this one's detach returns only after the other thread let go.
    Watchdog dog(kLimit, "detach handshake");
    std::promise<void> other_attached, may_finish;
    std::thread other;
    py.detach([&] {
        other = std::thread([&] {
            py::attach([&](py::Python inner) {
                other_attached.set_value();
                may_finish.get_future().wait();  // holds the GIL until told
                (void)py::eval(inner, "None");
            });
        });
        other_attached.get_future().wait();
        may_finish.set_value();
    });
    // Re-attaching waited for the other thread to release the GIL.
    EXPECT_TRUE(attached());
    py.detach([&] { other.join(); });
}

PYOWNED_TEST(Attach, DetachReturnsValue) {
    int v = py.detach([] { return 5; });
    EXPECT_EQ(v, 5);
    py.detach([] {});
    EXPECT_TRUE(attached());
}

PYOWNED_TEST(Attach, DetachReattachesOnException) {
    EXPECT_THROW(py.detach([]() -> int { throw std::runtime_error("detached boom"); }), std::runtime_error);
    EXPECT_TRUE(attached());
    EXPECT_EQ(py::eval(py, "5 + 5").extract<int>(), 10);
}

PYOWNED_TEST(Attach, AttachInsideDetach) {
    int v = py.detach([] {
        EXPECT_FALSE(attached());
        return py::attach([](py::Python inner) { return py::eval(inner, "8 * 8").extract<int>(); });
    });
    EXPECT_EQ(v, 64);
    EXPECT_TRUE(attached());
}

PYOWNED_TEST(Attach, PyDroppedAttachedDecrefsNow) {
    auto obj = pyowned_test::fresh_object(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    for (int i = 0; i < 1000; ++i) {
        {
            py::Py<py::Any> stored = py::Owned<py::Any>(obj).unbind();
            EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
        }
        EXPECT_EQ(pyowned_test::refcnt(obj), base);  // immediately, no attach needed
    }
}

PYOWNED_TEST(Attach, PyDroppedOnForeignThreadIsQueued) {
    auto obj = pyowned_test::fresh_object(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    py::Py<py::Any> stored = py::Owned<py::Any>(obj).unbind();
    // This thread keeps the GIL: the other thread cannot decref, so it must queue.
    std::thread dropper([p = std::move(stored)]() mutable { py::Py<py::Any> gone = std::move(p); });
    dropper.join();
    EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
    py::attach([](py::Python) {});  // the next attach drains the queue
    EXPECT_EQ(pyowned_test::refcnt(obj), base);
}

PYOWNED_TEST(Attach, PyDroppedWhileDetachedIsDrained) {
    auto obj = pyowned_test::fresh_object(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    for (int i = 0; i < 100; ++i) {
        py::Py<py::Any> stored = py::Owned<py::Any>(obj).unbind();
        py.detach([&] { py::Py<py::Any> gone = std::move(stored); });  // dropped detached: queued
        py::attach([](py::Python) {});
        EXPECT_EQ(pyowned_test::refcnt(obj), base);
    }
}

PYOWNED_TEST(Attach, PyDroppedWhileDetachedFreesObject) {
    auto ns = py::Dict::empty(py);
    py::run(py, "import weakref\nclass C: pass\nobj = C()\nref = weakref.ref(obj)\n", ns);
    py::Py<py::Any> stored = ns.get_item("obj").unbind();
    ns.del_item("obj");  // the Py is now the only reference
    py.detach([&] { py::Py<py::Any> gone = std::move(stored); });
    py::attach([](py::Python) {});
    EXPECT_TRUE(py::eval(py, "ref() is None", ns).is_truthy());
}

PYOWNED_TEST(Attach, PyMovedAcrossThreads) {
    Watchdog dog(kLimit, "Py moved across threads");
    auto list = py::List::empty(py);
    Py_ssize_t base = pyowned_test::refcnt(list);
    py::Py<py::List> stored = py::Owned<py::List>(list).unbind();
    py.detach([&] {
        std::thread worker([p = std::move(stored)]() mutable {
            py::attach([&](py::Python inner) {
                p.bind(inner).append(1);
                py::Py<py::List> gone = std::move(p);  // dropped attached
            });
        });
        worker.join();
    });
    EXPECT_EQ(list.len(), 1);
    pyowned_test::settle(py);  // the worker's decref may wait for this thread (free-threaded)
    EXPECT_EQ(pyowned_test::refcnt(list), base);
}

PYOWNED_TEST(Attach, AssumeAttached) {
    py::Python token = py::Python::assume_attached();
    auto list = py::List::empty(token);
    list.append(3);
    list.append(4);
    EXPECT_EQ(py::eval(token, "7").extract<int>(), 7);
    EXPECT_EQ(list.len(), 2);
    int nested = py::attach([](py::Python) {
        py::Python again = py::Python::assume_attached();
        return py::eval(again, "40 + 2").extract<int>();
    });
    EXPECT_EQ(nested, 42);
}

PYOWNED_TEST(Attach, PyOutlivesInterpreter) {
    // Destroyed at exit, after main's Interpreter has finalized: it must do nothing (a decref
    // then would crash the program on its way out).
    static py::Py<py::Any> survivor = py::eval(py, "object()").unbind();
    survivor = pyowned_test::fresh_object(py).unbind();
    EXPECT_EQ(pyowned_test::refcnt(survivor.bind(py)), 1);
}
