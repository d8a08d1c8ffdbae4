// Fault tests of the embedding: a hundred interpreter runs with handles kept wherever a program
// keeps them; C++ and Python exceptions thrown through attach, nested attach and detach; SIGINT
// reaching a native loop (and how long it takes); and MemoryError at every allocation of a
// conversion-heavy call. Like test_lifetimes.cpp, every test makes its own interpreters.
#include <gtest/gtest.h>
#include <pyowned/pyowned.h>
#include <pyowned/stl.h>

#include "../cpp/test_support.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace py = pyowned;

namespace {

using Clock = std::chrono::steady_clock;
using pyowned_test::Watchdog;

// Up to 3.11 PyGILState_Check answers yes once Python is finalized: ask while a run goes on.
bool attached() { return PyGILState_Check() != 0; }

// sys.gettotalrefcount() after a full collection; -1 on a release interpreter.
Py_ssize_t total_refcount(py::Python py) {
    auto sys = py::import(py, "sys");
    if (!sys.hasattr("gettotalrefcount")) return -1;
    py::import(py, "gc").call_method("collect");
    return sys.call_method("gettotalrefcount").extract<Py_ssize_t>();
}

// As tests/cpp's harness: PYOWNED_LEAK_CHECK=1 (the pydebug stage) requires the debug interpreter.
bool leak_check_required() {
    const char* flag = std::getenv("PYOWNED_LEAK_CHECK");
    return flag && std::string(flag) == "1";
}

// A class that counts its live instances, made afresh in each run.
py::Owned<py::Any> tracked_class(py::Python py) {
    auto ns = py::Dict::empty(py);
    py::run(py,
            "class Tracked:\n"
            "    alive = 0\n"
            "    def __init__(self): type(self).alive += 1\n"
            "    def __del__(self): type(self).alive -= 1\n",
            ns);
    return ns.get_item("Tracked");
}

int alive(py::Borrowed<py::Any> tracked) { return tracked.getattr("alive").extract<int>(); }

// Runs `body` (which attaches as it needs) repeatedly; on a debug interpreter, fails if
// sys.gettotalrefcount() grew in every measured round, as tests/cpp's leak check does.
void expect_no_reference_leak(const std::function<void()>& body) {
    auto total = [] { return py::attach([](py::Python py) { return total_refcount(py); }); };
    if (total() < 0) {
        if (leak_check_required()) ADD_FAILURE() << "PYOWNED_LEAK_CHECK=1 needs a debug interpreter";
        return;
    }
    for (int i = 0; i < 3; ++i) body();  // warm-up: caches
    std::vector<Py_ssize_t> deltas;
    for (int round = 0; round < 5; ++round) {
        Py_ssize_t before = total();
        for (int i = 0; i < 10; ++i) body();
        deltas.push_back(total() - before);
    }
    std::string report;
    for (Py_ssize_t d : deltas) report += " " + std::to_string(d);
    EXPECT_FALSE(std::all_of(deltas.begin(), deltas.end(), [](Py_ssize_t d) { return d > 0; }))
        << "reference leak: the total refcount grew in every round:" << report;
}

// ---------------------------------------------------------------------------------------------
// 1. A hundred interpreter runs.

// A thread that runs the tasks it is given, one at a time, for as long as the object lives.
class Worker {
public:
    Worker() : thread_([this] { loop(); }) {}
    ~Worker() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stop_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }
    void run(std::function<void()> task) {  // returns when the task has run
        std::unique_lock<std::mutex> lock(mutex_);
        task_ = std::move(task);
        cv_.notify_all();
        cv_.wait(lock, [this] { return !task_; });
    }

private:
    void loop() {
        std::unique_lock<std::mutex> lock(mutex_);
        for (;;) {
            cv_.wait(lock, [this] { return stop_ || task_; });
            if (!task_) return;
            lock.unlock();
            task_();
            lock.lock();
            task_ = nullptr;
            cv_.notify_all();
        }
    }
    std::mutex mutex_;
    std::condition_variable cv_;
    std::function<void()> task_;
    bool stop_ = false;
    std::thread thread_;  // last: starts once the members above exist
};

// The worker's slot: a thread_local destroyed when the worker ends, after the last run.
std::optional<py::Py<py::Any>>& worker_slot() {
    thread_local std::optional<py::Py<py::Any>> slot;
    return slot;
}

// A function-local static made in the first run and never reset: destroyed at exit.
const py::Py<py::List>& first_run_list(py::Python py) {
    static py::Py<py::List> list = py::eval(py, "[1, 2, 3]").downcast_into<py::List>().unbind();
    return list;
}

// A function-local static keeping one Py of every run, all dropped at exit.
void keep_until_exit(py::Py<py::Any> p) {
    static std::vector<py::Py<py::Any>> kept;
    kept.push_back(std::move(p));
}

// 100 runs, each making Owned, Py, list/dict/str handles and py::Errors; Py and Error of a run
// dropped in the next one in every way (before it starts, on a never-attached thread, detached,
// attached), in a thread_local of a thread living through all runs, in function-local statics
// dropped at exit; and within a run, Py and Error dropped on never-attached threads are
// queued and decref'd exactly once (each Tracked instance is freed, none too early).
TEST(Faults, HundredRunsWithHandlesKeptEverywhere) {
    constexpr int kCycles = 100;
    Watchdog dog(std::chrono::seconds(600), "100 interpreter runs");
    Worker worker;  // outlives every run
    std::optional<py::Py<py::Any>> before_run, on_fresh_thread, detached_main, attached_main, from_first_run;
    std::optional<py::Error> error_before_run, error_attached;
    int cycles = 0;
    auto started = Clock::now();
    for (int cycle = 0; cycle < kCycles && !HasFailure(); ++cycle, ++cycles) {
        // No interpreter at all: a fresh thread drops the last run's Py and Error.
        std::thread([&] {
            before_run.reset();
            error_before_run.reset();
        }).join();
        py::Interpreter interpreter;
        std::thread([&] { on_fresh_thread.reset(); }).join();  // never attached: an ended run's is not queued
        detached_main.reset();                                 // this thread, detached
        py::Py<py::Any> tracked = py::attach([&](py::Python py) {
            attached_main.reset();  // attached, in a later run: nothing to do
            error_attached.reset();
            if (cycle == kCycles - 1) from_first_run.reset();
            return tracked_class(py).unbind();
        });
        // The worker attaches and replaces its thread_local Py (an earlier run's: nothing to drop).
        worker.run([&] { py::attach([&](py::Python py) { worker_slot() = tracked.bind(py).call().unbind(); }); });
        if (cycle % 2) worker.run([] { worker_slot().reset(); });  // this run's, dropped detached: queued
        py::attach([&](py::Python py) {
            auto cls = tracked.bind(py);
            int base = cycle % 2 ? 0 : 1;  // the worker's instance; the queued decref ran as this attach began
            EXPECT_EQ(alive(cls), base) << "run " << cycle;

            py::Owned<py::List> list = py::List::empty(py);
            list.append(cycle);
            list.append("zwei");
            list.append(cls.call());
            py::Owned<py::Dict> dict = py::Dict::empty(py);
            dict.set_item("list", list);
            dict.set_item("cycle", cycle);
            py::Owned<py::Str> text = py::Str::from(py, "run " + std::to_string(cycle) + " ✓");
            EXPECT_EQ(dict.get_item("list").len(), 3);
            EXPECT_EQ(dict.get_item("cycle").extract<int>(), cycle);
            EXPECT_EQ(list.get_item(1).extract<std::string>(), "zwei");
            EXPECT_EQ(text.to_string(), "run " + std::to_string(cycle) + " ✓");
            if (cycle == 0) {
                EXPECT_EQ(first_run_list(py).bind(py).len(), 3);  // used only in the run that made it
                from_first_run.emplace(cls.call().unbind());
            } else {
                EXPECT_FALSE(first_run_list(py).is_empty());  // kept, never used again
            }

            // An Error of this run whose exception holds a Tracked instance.
            auto globals = py::Dict::empty(py);
            globals.set_item("Tracked", cls);
            std::optional<py::Error> error;
            try {
                py::run(py, "raise KeyError(Tracked())", globals);
            } catch (py::Error& e) {
                error.emplace(std::move(e));
            }
            ASSERT_TRUE(error);
            EXPECT_TRUE(error->matches<py::KeyError>(py));
            EXPECT_EQ(alive(cls), base + 1 + (cycle == 0) + 1);

            // Py and Error of this run dropped on a thread that never attached while this one
            // holds the GIL: queued (not decref'd there), then drained when detach re-attaches.
            std::vector<py::Py<py::Any>> doomed;
            for (int k = 0; k < 3; ++k) doomed.push_back(cls.call().unbind());
            std::thread([&] {
                doomed.clear();
                error.reset();
            }).join();
            EXPECT_EQ(alive(cls), base + 1 + (cycle == 0) + 1 + 3);
            py.detach([] {});
            EXPECT_EQ(alive(cls), base + 1 + (cycle == 0));

            // Handles of this run, kept into the next one (or to exit).
            keep_until_exit(cls.call().unbind());
            attached_main.emplace(cls.call().unbind());
            before_run.emplace(std::move(dict).unbind());
            on_fresh_thread.emplace(std::move(list).unbind());
            detached_main.emplace(std::move(text).unbind());
            try {
                (void)py::eval(py, "1 / 0");
            } catch (py::Error& e) {
                error_before_run.emplace(e);  // a copy, and the original moved
                error_attached.emplace(std::move(e));
            }
            ASSERT_TRUE(error_attached);
            EXPECT_TRUE(error_attached->matches<py::ZeroDivisionError>(py));
            EXPECT_STREQ(error_attached->what(), "ZeroDivisionError: division by zero");  // described now
            EXPECT_FALSE(PyErr_Occurred());
        });
    }
    auto elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    std::printf("[ faults   ] %d interpreter runs in %.2f s\n", cycles, elapsed);
    RecordProperty("interpreter_runs", cycles);
    EXPECT_EQ(cycles, kCycles);
    // After the last run: every kept handle is of an ended run, dropped with no interpreter.
    // An Error described during its run keeps the text; one never described is described
    // without its freed objects.
    ASSERT_TRUE(error_attached && error_before_run);
    EXPECT_STREQ(error_attached->what(), "ZeroDivisionError: division by zero");
    EXPECT_NE(std::string(error_before_run->what()).find("ended"), std::string::npos) << error_before_run->what();
    before_run.reset();
    on_fresh_thread.reset();
    detached_main.reset();
    attached_main.reset();
    error_before_run.reset();
    error_attached.reset();
    // ~Worker ends the worker: its thread_local Py of the last run is dropped then.
}

// ---------------------------------------------------------------------------------------------
// 2. Exceptions thrown through attach.

// A C++ exception thrown through attach, a nested attach, and a detach inside attach reaches
// the caller; each level leaves the thread as it found it (attached inside an attach,
// detached outside); handles alive at the throw are released (a Py dropped detached by the
// unwinding is drained when detach re-attaches); a thread that never attached has no thread
// state afterwards; the total refcount does not grow.
TEST(Faults, CppExceptionsThroughAttachAndDetach) {
    py::Interpreter interpreter;
    Watchdog dog(std::chrono::seconds(300), "exceptions through attach");
    py::Py<py::Any> tracked = py::attach([](py::Python py) { return tracked_class(py).unbind(); });
    auto live = [&] { return py::attach([&](py::Python py) { return alive(tracked.bind(py)); }); };

    auto scenarios = [&] {
        EXPECT_THROW(py::attach([&](py::Python py) {
                         auto held = tracked.bind(py).call();
                         auto stored = tracked.bind(py).call().unbind();
                         throw std::runtime_error("through attach");
                     }),
                     std::runtime_error);
        EXPECT_FALSE(attached());
        EXPECT_EQ(live(), 0);

        py::attach([&](py::Python py) {
            auto outer = tracked.bind(py).call();
            EXPECT_THROW(py::attach([&](py::Python inner) {
                             auto held = tracked.bind(inner).call();
                             throw std::out_of_range("nested");
                         }),
                         std::out_of_range);
            EXPECT_TRUE(attached());
            EXPECT_EQ(alive(tracked.bind(py)), 1);  // `outer` only
        });
        EXPECT_THROW(py::attach([&](py::Python py) {
                         auto outer = tracked.bind(py).call();
                         py::attach([&](py::Python inner) {
                             auto held = tracked.bind(inner).call();
                             throw std::logic_error("through both");
                         });
                     }),
                     std::logic_error);
        EXPECT_FALSE(attached());
        EXPECT_EQ(live(), 0);

        py::attach([&](py::Python py) {
            py::Py<py::Any> held = tracked.bind(py).call().unbind();
            EXPECT_THROW(py.detach([&] {
                py::Py<py::Any> dropped_detached = std::move(held);
                throw std::runtime_error("detached");
            }),
                         std::runtime_error);
            EXPECT_TRUE(attached());
            EXPECT_EQ(alive(tracked.bind(py)), 0);  // queued by the unwinding, drained on re-attaching
            EXPECT_EQ(py::eval(py, "6 * 7").extract<int>(), 42);
        });
        EXPECT_THROW(py::attach([&](py::Python py) {
                         auto held = tracked.bind(py).call();
                         py.detach([] { throw std::runtime_error("through detach and attach"); });
                     }),
                     std::runtime_error);
        EXPECT_FALSE(attached());
        EXPECT_EQ(live(), 0);

        std::thread([&] {
            EXPECT_THROW(py::attach([&](py::Python py) {
                             auto held = tracked.bind(py).call();
                             throw std::runtime_error("on a new thread");
                         }),
                         std::runtime_error);
            EXPECT_EQ(PyGILState_GetThisThreadState(), nullptr);  // the thread state attach made is gone
        }).join();
        EXPECT_EQ(live(), 0);
        py::attach([](py::Python) { EXPECT_FALSE(PyErr_Occurred()); });
    };
    scenarios();
    expect_no_reference_leak(scenarios);
}

// A py::Error thrown through a nested attach, or from an attach inside a detach inside an
// attach, reaches the detached caller with its Python exception intact: described there,
// then matched, its type, value, traceback and report inspected, and raised again, after
// the throw; no Python error is left set, and nothing leaks.
TEST(Faults, PythonErrorThroughAttachKeepsItsException) {
    py::Interpreter interpreter;
    Watchdog dog(std::chrono::seconds(300), "py::Error through attach");
    py::Py<py::Dict> ns = py::attach([](py::Python py) {
        auto globals = py::Dict::empty(py);
        py::run(py, "def divide(a, b):\n    return a / b\n", globals);
        return std::move(globals).unbind();
    });

    auto scenario = [&](bool through_detach) {
        std::optional<py::Error> caught;
        try {
            py::attach([&](py::Python py) {
                auto divide = ns.bind(py).get_item("divide");
                auto call = [&] { py::attach([&](py::Python) { (void)divide.call(1, 0); }); };
                if (through_detach) {
                    py.detach(call);
                } else {
                    call();
                }
            });
        } catch (const py::Error& e) {
            caught.emplace(e);  // copied while detached
        }
        ASSERT_TRUE(caught);
        EXPECT_FALSE(attached());
        EXPECT_STREQ(caught->what(), "ZeroDivisionError: division by zero");
        py::attach([&](py::Python py) {
            EXPECT_FALSE(PyErr_Occurred());
            EXPECT_TRUE(caught->matches<py::ZeroDivisionError>(py));
            EXPECT_TRUE(caught->matches<py::ArithmeticError>(py));
            EXPECT_TRUE(caught->type(py).is(py::eval(py, "ZeroDivisionError")));
            EXPECT_EQ(caught->value(py).getattr("args").get_item(0).extract<std::string>(), "division by zero");
            EXPECT_TRUE(caught->traceback(py).has_value());
            std::string report = caught->format(py);
            EXPECT_NE(report.find("in divide"), std::string::npos) << report;
            EXPECT_NE(report.find("ZeroDivisionError: division by zero"), std::string::npos) << report;
            py::Owned<py::Any> value = caught->value(py);
            std::move(*caught).restore(py);  // the same exception object, raised again
            ASSERT_TRUE(PyErr_ExceptionMatches(PyExc_ZeroDivisionError));
            EXPECT_TRUE(py::Error::fetch(py).value(py).is(value));
        });
    };
    scenario(false);
    scenario(true);
    expect_no_reference_leak([&] {
        scenario(false);
        scenario(true);
    });
}

// ---------------------------------------------------------------------------------------------
// 3. KeyboardInterrupt.

// Python installs its SIGINT handler only over SIG_DFL, and a shell starting a program in the
// background leaves SIGINT ignored: the tests set SIG_DFL and restore what was there after.
class DefaultSigint {
public:
    DefaultSigint() {
        struct sigaction dfl{};
        dfl.sa_handler = SIG_DFL;
        sigemptyset(&dfl.sa_mask);
        sigaction(SIGINT, &dfl, &saved_);
    }
    ~DefaultSigint() { sigaction(SIGINT, &saved_, nullptr); }

private:
    struct sigaction saved_{};
};

// py::Interpreter initializes with PyConfig_InitPythonConfig, whose install_signal_handlers
// is 1: SIGINT runs signal.default_int_handler, which raises KeyboardInterrupt.
bool python_handles_sigint(py::Python py) {
    auto signal = py::import(py, "signal");
    return signal.call_method("getsignal", static_cast<int>(SIGINT)).is(signal.getattr("default_int_handler"));
}

// SIGINT sent to the main thread by another thread, while a native loop there calls
// py::check_signals, arrives each of 30 times as a py::Error of type KeyboardInterrupt, with
// no Python error left set; the latency from sending to catching is printed (mean and worst),
// the worst under a bound generous enough for sanitizers and valgrind.
TEST(Faults, SigintReachesANativeLoop) {
    constexpr int kInterrupts = 30;
    DefaultSigint sigint;
    py::Interpreter interpreter;
    Watchdog dog(std::chrono::seconds(300), "SIGINT latency");
    std::vector<double> latencies;  // milliseconds
    py::attach([&](py::Python py) {
        ASSERT_TRUE(python_handles_sigint(py));
        const pthread_t main_thread = pthread_self();
        for (int i = 0; i < kInterrupts; ++i) {
            Clock::time_point sent;
            std::thread sender([&] {
                std::this_thread::sleep_for(std::chrono::milliseconds(1 + i % 5));  // lands mid-loop
                sent = Clock::now();
                pthread_kill(main_thread, SIGINT);
            });
            std::optional<py::Error> interrupt;
            Clock::time_point caught;
            // Long enough for a loaded machine under valgrind (which runs one thread at a time).
            const Clock::time_point give_up = Clock::now() + std::chrono::seconds(60);
            volatile double work = 0;
            try {
                while (Clock::now() < give_up) {
                    for (int k = 0; k < 1000; ++k) work = work + k * 0.5;  // the native work between checks
                    py::check_signals(py);
                }
            } catch (py::Error& e) {
                caught = Clock::now();
                interrupt.emplace(std::move(e));
            }
            sender.join();  // `sent` is read after the join
            ASSERT_TRUE(interrupt) << "interrupt " << i << " was lost";
            ASSERT_TRUE(interrupt->matches<py::KeyboardInterrupt>(py)) << interrupt->what();
            EXPECT_TRUE(interrupt->type(py).is(py::eval(py, "KeyboardInterrupt")));
            EXPECT_FALSE(PyErr_Occurred());
            latencies.push_back(std::chrono::duration<double, std::milli>(caught - sent).count());
        }
    });
    ASSERT_EQ(latencies.size(), static_cast<std::size_t>(kInterrupts));
    double mean = 0, worst = 0;
    for (double ms : latencies) {
        mean += ms / kInterrupts;
        worst = std::max(worst, ms);
    }
    std::printf(
        "[ faults   ] SIGINT -> KeyboardInterrupt in a native loop, %d interrupts: "
        "mean %.3f ms, worst %.3f ms\n",
        kInterrupts, mean, worst);
    RecordProperty("sigint_latency_mean_us", static_cast<int>(mean * 1000));
    RecordProperty("sigint_latency_worst_us", static_cast<int>(worst * 1000));
    EXPECT_LT(worst, 250.0);  // the target is < 10 ms on a plain build
}

// SIGINT handled while the main thread runs a native loop inside py.detach (no GIL) is not
// lost: the first check_signals after detach returns raises KeyboardInterrupt, and only that one.
TEST(Faults, SigintWhileDetachedIsNotLost) {
    DefaultSigint sigint;
    py::Interpreter interpreter;
    Watchdog dog(std::chrono::seconds(300), "SIGINT while detached");
    py::attach([&](py::Python py) {
        ASSERT_TRUE(python_handles_sigint(py));
        const pthread_t main_thread = pthread_self();
        for (int i = 0; i < 10; ++i) {
            py.detach([&] {
                // SIGINT is blocked here while another thread sends it, so it waits pending;
                // unblocking delivers it before pthread_sigmask returns (POSIX): Python's C
                // handler runs on this thread, detached, for certain rather than by timing.
                sigset_t set;
                sigemptyset(&set);
                sigaddset(&set, SIGINT);
                pthread_sigmask(SIG_BLOCK, &set, nullptr);
                std::thread([&] { pthread_kill(main_thread, SIGINT); }).join();
                pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
                volatile double work = 0;
                for (int k = 0; k < 100000; ++k) work = work + k * 0.5;  // the loop goes on, detached
            });
            bool interrupted = false;
            try {
                py::check_signals(py);
            } catch (const py::Error& e) {
                interrupted = e.matches<py::KeyboardInterrupt>(py);
            }
            EXPECT_TRUE(interrupted) << "interrupt " << i << " was lost";
            EXPECT_FALSE(PyErr_Occurred());
            EXPECT_NO_THROW(py::check_signals(py));  // raised once, not again
        }
    });
}

// ---------------------------------------------------------------------------------------------
// 4. MemoryError at every allocation.

// Fails one allocation of Python's MEM and OBJ domains (PyMem_Malloc, PyObject_Malloc and their
// calloc and realloc): the n-th after arm(n), counted from 0, and then no other. With one
// failure and every other allocation succeeding, whatever follows is the consequence of that
// one failure, and the error path (making, normalizing, describing the MemoryError) runs as it
// would; a failure that kept failing would mostly test that error path instead. The RAW domain
// is left alone: it is used without the GIL (thread states, the GIL itself), where CPython
// treats a failure as fatal, and pyowned's conversions do not use it.
class FailingAllocator {
public:
    explicit FailingAllocator(py::Python) {  // hooks are set and removed attached
        wrap(PYMEM_DOMAIN_MEM, mem_);
        wrap(PYMEM_DOMAIN_OBJ, obj_);
    }
    ~FailingAllocator() {
        PyMem_SetAllocator(PYMEM_DOMAIN_MEM, &mem_);
        PyMem_SetAllocator(PYMEM_DOMAIN_OBJ, &obj_);
    }
    FailingAllocator(const FailingAllocator&) = delete;
    FailingAllocator& operator=(const FailingAllocator&) = delete;

    void arm(long n) {
        countdown_ = n;
        fired_ = false;
    }
    bool disarm() {  // whether the allocation failed
        countdown_ = -1;
        return fired_;
    }

private:
    // Wraps the current allocator (pymalloc, with the debug hooks on a debug interpreter, or
    // malloc): after initialization a hook must wrap it, never replace it.
    static void wrap(PyMemAllocatorDomain domain, PyMemAllocatorEx& original) {
        PyMem_GetAllocator(domain, &original);
        PyMemAllocatorEx hook{&original, &hook_malloc, &hook_calloc, &hook_realloc, &hook_free};
        PyMem_SetAllocator(domain, &hook);
    }
    // The MEM and OBJ domains are used only by a thread holding the GIL: plain variables do.
    static bool fail_now() {
        if (countdown_ < 0 || countdown_-- > 0) return false;
        fired_ = true;  // countdown_ is -1 now: disarmed
        return true;
    }
    static void* hook_malloc(void* ctx, size_t size) {
        auto* a = static_cast<PyMemAllocatorEx*>(ctx);
        return fail_now() ? nullptr : a->malloc(a->ctx, size);
    }
    static void* hook_calloc(void* ctx, size_t n, size_t size) {
        auto* a = static_cast<PyMemAllocatorEx*>(ctx);
        return fail_now() ? nullptr : a->calloc(a->ctx, n, size);
    }
    static void* hook_realloc(void* ctx, void* p, size_t size) {
        auto* a = static_cast<PyMemAllocatorEx*>(ctx);
        return fail_now() ? nullptr : a->realloc(a->ctx, p, size);  // a failed realloc keeps p
    }
    static void hook_free(void* ctx, void* p) {
        auto* a = static_cast<PyMemAllocatorEx*>(ctx);
        a->free(a->ctx, p);
    }

    PyMemAllocatorEx mem_{}, obj_{};
    static inline long countdown_ = -1;
    static inline bool fired_ = false;
};

using Table = std::map<std::string, std::vector<std::pair<int, std::string>>>;

const Table& table() {
    static const Table t = {
        {"alpha", {{1, "one"}, {2, "two"}, {3, "three"}}},
        {"βήτα", {{4, "τέσσερα"}, {5, "πέντε"}}},
        {"gamma", {}},
        {"delta-" + std::string(40, 'x'), {{6, std::string(100, 'y')}, {-7, ""}}},
    };
    return t;
}

// The bound C++ function of the sweep.
std::vector<std::string> flatten(const Table& t, int limit) {
    std::vector<std::string> out;
    for (const auto& [key, rows] : t)
        for (const auto& [n, word] : rows)
            if (static_cast<int>(out.size()) < limit) out.push_back(key + "/" + std::to_string(n) + "=" + word);
    return out;
}

// A bound class, and a bound function taking and returning its instances.
struct Point {
    double x = 0, y = 0;
    bool operator==(const Point&) const = default;
};

Point centroid(const std::vector<Point>& points) {
    Point c;
    for (const Point& p : points) {
        c.x += p.x / static_cast<double>(points.size());
        c.y += p.y / static_cast<double>(points.size());
    }
    return c;
}

struct Outcome {
    Table table;                    // the table after a round trip through Python
    std::vector<std::string> flat;  // what the bound C++ function made of it
    std::string summary;            // what the Python function made of it
    std::vector<std::string> keys;  // the keys of a dict built in C++, read back
    Point middle;                   // the centroid of instances of the bound class
    bool operator==(const Outcome&) const = default;
};

Outcome expected_outcome() {
    Outcome out{table(), flatten(table(), 100), {}, {"separator", "keys"}, {1.0, 2.0}};
    for (const auto& [key, rows] : table())
        out.summary += (out.summary.empty() ? "" : " · ") + key + ":" + std::to_string(rows.size() * 3);
    return out;
}

// The callables the sweep calls, made before the allocator is armed.
struct Callables {
    py::Owned<py::Any> flatten;    // a bound C++ function
    py::Owned<py::Any> summarize;  // a Python function
    py::Owned<py::Any> point;      // a bound class
    py::Owned<py::Any> centroid;   // a bound C++ function of its instances
};

Callables make_callables(py::Python py) {
    auto mod = py::import(py, "types").call_method("ModuleType", "faults").downcast_into<py::Module>();
    mod.def("flatten", &flatten, py::arg("table"), py::kw_only(), py::arg("limit"));
    py::Class<Point>(mod, "Point").def(py::init<double, double>()).def_ro("x", &Point::x).def_ro("y", &Point::y);
    mod.def("centroid", &centroid);
    // No closure, generator expression or lambda in it: CPython cannot take a failed allocation
    // while making a nested function (3.11 leaks the frame's arguments, 3.12 and 3.13 crash
    // in PyFunction_NewWithQualName), with or without pyowned.
    auto ns = py::Dict::empty(py);
    py::run(py,
            "def summarize(table, keys, *, scale, options):\n"
            "    parts = []\n"
            "    for k in keys:\n"
            "        parts.append(f'{k}:{len(table[k]) * scale}')\n"
            "    return options['separator'].join(parts)\n",
            ns);
    return {mod.getattr("flatten"), ns.get_item("summarize"), mod.getattr("Point"), mod.getattr("centroid")};
}

// The conversion-heavy call: a nested std container into Python and back, the bound C++
// function and the Python function called with keyword arguments, a list, a dict and a str
// built in C++, the dict iterated, instances of a bound class made, passed and returned.
Outcome convert_and_call(py::Python py, const Callables& c) {
    py::Owned<py::Any> converted = py::into_py(py, table());
    Outcome out;
    out.table = converted.extract<Table>();
    out.flat = c.flatten.call(converted, py::arg("limit") = 100).extract<std::vector<std::string>>();
    py::Owned<py::List> keys = py::List::empty(py);
    for (const auto& entry : table()) keys.append(entry.first);
    py::Owned<py::Dict> options = py::Dict::empty(py);
    options.set_item("separator", py::Str::from(py, " · "));
    options.set_item("keys", keys);
    out.summary =
        c.summarize.call(converted, keys, py::arg("scale") = 3, py::arg("options") = options).extract<std::string>();
    for (auto [key, value] : options) out.keys.push_back(key.extract<std::string>());
    py::Owned<py::List> points = py::List::empty(py);
    for (int i = 0; i < 3; ++i) points.append(c.point.call(i, 2 * i));
    out.middle = c.centroid.call(points).extract<Point>();
    return out;
}

// What a leak would change: the total refcount (debug interpreter; else -1) and the number of
// objects the GC tracks (the containers), after a full collection.
struct Census {
    Py_ssize_t refs = 0, containers = 0;
    Census operator-(const Census& o) const { return {refs - o.refs, containers - o.containers}; }
    // Fewer is no leak: 3.13 may drop a cached container while a sweep runs.
    bool at_most(const Census& o) const { return refs <= o.refs && containers <= o.containers; }
};

Census census(py::Python py) {
    Py_ssize_t refs = total_refcount(py);
    auto gc = py::import(py, "gc");
    gc.call_method("collect");
    return {refs, gc.call_method("get_objects").len()};
}

struct SweepCount {
    int points = 0, memory_errors = 0;
};

// Calls convert_and_call with its n-th allocation failed; false when it made fewer (nothing
// failed, and the call must then give the expected outcome). With allocation n failed the
// call gives the expected outcome or throws one py::Error, a MemoryError with no other
// exception chained to it; either way no Python error is left set.
bool call_failing(py::Python py, FailingAllocator& allocator, long n, const Callables& c, const Outcome& expected,
                  SweepCount& count) {
    std::optional<Outcome> outcome;
    std::optional<py::Error> error;
    std::string other;
    allocator.arm(n);
    try {
        outcome = convert_and_call(py, c);
    } catch (py::Error& e) {
        error.emplace(std::move(e));
    } catch (const std::exception& e) {
        other = e.what();
    }
    if (!allocator.disarm()) {
        EXPECT_TRUE(outcome && *outcome == expected) << "the call in which nothing failed: " << other;
        return false;
    }
    ++count.points;
    EXPECT_FALSE(PyErr_Occurred()) << "allocation " << n << ": a Python error was left set";
    PyErr_Clear();
    if (error) {
        ++count.memory_errors;
        EXPECT_TRUE(error->matches<py::MemoryError>(py)) << "allocation " << n << ": " << error->what();
        // Read with the C API: an attribute lookup would fill CPython's type cache (references).
        auto value = error->value(py);
        PyObject* context = PyException_GetContext(value.ptr());
        PyObject* cause = PyException_GetCause(value.ptr());
        EXPECT_TRUE(!context && !cause) << "allocation " << n << ": " << error->format(py);
        Py_XDECREF(context);
        Py_XDECREF(cause);
    } else if (outcome) {  // CPython absorbed the failure (a cache left unfilled)
        EXPECT_TRUE(*outcome == expected) << "allocation " << n << ": a wrong result";
    } else {
        ADD_FAILURE() << "allocation " << n << ": not a py::Error: " << other;
    }
    return true;
}

// In 3.11 a collection can start inside any allocation of a GC object, and would report an
// injected failure there as unraisable: the sweeps fail the call's own allocations, with the
// GC off (census still collects).
Callables prepare(py::Python py) {
    py::import(py, "gc").call_method("disable");
    (void)census(py);  // imports what census needs
    return make_callables(py);
}

std::string describe(const Census& c) {
    return "refs " + std::to_string(c.refs) + ", containers " + std::to_string(c.containers);
}

// Every allocation of a conversion-heavy call fails in turn: no crash; the call succeeds or
// throws exactly one MemoryError; no Python error is left set; nothing leaks. Cold: the first
// call of a fresh run (pyowned's and CPython's caches empty), one run per allocation, which
// after the failure and one successful call holds what a successful first call leaves (its
// caches) and no more. Warm: all in one run, which holds no more after the sweep than before.
// "Holds": the total refcount (debug interpreter) and the number of containers the GC tracks.
TEST(Faults, MemoryErrorAtEveryAllocation) {
#ifdef Py_GIL_DISABLED
    // Free-threaded CPython (3.13.5t) cannot survive a failed allocation of a list's items:
    // PyList_New then decrefs the new list, whose item pointer is a stale one from the list
    // freelist, and list_dealloc crashes (python/cpython#152125), with or without pyowned.
    GTEST_SKIP() << "free-threaded CPython crashes in PyList_New when its item array cannot be allocated";
#endif
    const Outcome expected = expected_outcome();
    Census cache_growth;
    {
        py::Interpreter interpreter;
        py::attach([&](py::Python py) {
            Callables c = prepare(py);
            Census before = census(py);
            EXPECT_TRUE(convert_and_call(py, c) == expected);
            cache_growth = census(py) - before;
            if (before.refs < 0 && leak_check_required())
                ADD_FAILURE() << "PYOWNED_LEAK_CHECK=1 needs a debug interpreter";
        });
    }
    SweepCount cold;
    bool fired = true;
    for (long n = 0; fired && !HasFailure(); ++n) {
        py::Interpreter interpreter;
        py::attach([&](py::Python py) {
            Callables c = prepare(py);
            Census before = census(py);
            {
                FailingAllocator allocator(py);
                fired = call_failing(py, allocator, n, c, expected, cold);
            }
            EXPECT_TRUE(convert_and_call(py, c) == expected) << "allocation " << n << " failed before";
            Census growth = census(py) - before;
            EXPECT_TRUE(growth.at_most(cache_growth)) << "allocation " << n << " failed: " << describe(growth)
                                                      << "; one successful call: " << describe(cache_growth);
        });
    }
    SweepCount warm;
    py::Interpreter interpreter;
    py::attach([&](py::Python py) {
        Callables c = prepare(py);
        EXPECT_TRUE(convert_and_call(py, c) == expected);  // fills the caches
        Census before = census(py);
        {
            FailingAllocator allocator(py);
            for (long n = 0; call_failing(py, allocator, n, c, expected, warm) && !HasFailure(); ++n) {
            }
        }
        Census growth = census(py) - before;
        EXPECT_TRUE(growth.at_most(Census{})) << "the warm sweep: " << describe(growth);
        py::import(py, "gc").call_method("enable");
    });
    std::printf(
        "[ faults   ] MemoryError injection: %d allocations failed one at a time in fresh runs (%d raised "
        "MemoryError), %d in a warm run (%d raised MemoryError)\n",
        cold.points, cold.memory_errors, warm.points, warm.memory_errors);
    RecordProperty("injection_points_cold", cold.points);
    RecordProperty("memory_errors_cold", cold.memory_errors);
    RecordProperty("injection_points_warm", warm.points);
    RecordProperty("memory_errors_warm", warm.memory_errors);
    EXPECT_GT(cold.points, warm.points);  // the caches' allocations were failed too
    EXPECT_GT(warm.memory_errors, 0);
}

}  // namespace
