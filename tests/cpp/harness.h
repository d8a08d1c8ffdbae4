// The C++ test harness: every test body runs attached, inside the one embedded interpreter.
//
//     PYOWNED_TEST(Dict, GetMissingKey) { auto d = py::Dict::empty(py); ... }
//
// The body sees `py` (a py::Python token). After the body, no Python error may be left set.
// With PYOWNED_LEAK_CHECK=1 under a debug interpreter (sys.gettotalrefcount), each body
// also runs repeatedly and fails if the interpreter's total reference count grows on
// every measured run (CPython's regrtest -R method).
#pragma once
#include <cstdlib>
#include <gtest/gtest.h>
#include <pyowned/pyowned.h>

#include <optional>
#include <vector>

namespace py = pyowned;

namespace pyowned_test {

using Body = void (*)(py::Python);

// Runs `body` as described above; called by PYOWNED_TEST.
void run(Body body);

// The changes of sys.gettotalrefcount() over the measured runs of `body` (after warm-up
// runs), or nullopt when the interpreter is not a debug build.
std::optional<std::vector<Py_ssize_t>> refcount_deltas(Body body);
// A leak: every measured run grew the total.
bool is_leak(const std::vector<Py_ssize_t>& deltas);

// The reference count of the object behind any handle.
template <class H>
Py_ssize_t refcnt(const H& handle) {
    return Py_REFCNT(handle.ptr());
}

// A fresh object whose reference count is not shared with anything else (unlike small ints,
// interned strs or None, which are immortal from 3.12 on and so prove nothing).
inline py::Owned<py::Any> fresh_object(py::Python py) { return py::eval(py, "type('Fresh', (), {})()"); }

// Lets reference counts settle before they are compared. On a free-threaded build a decref
// made on another thread may be queued for the object's owning thread (biased reference
// counting) and only show after a merge; a collection merges every queue. No-op otherwise.
inline void settle(py::Python py) {
#ifdef Py_GIL_DISABLED
    py::import(py, "gc").call_method("collect");
#else
    (void)py;
#endif
}

// Whether memory is watched by a tool that keeps freed memory or shadow memory resident
// (AddressSanitizer's quarantine, ThreadSanitizer's shadow, valgrind, which scripts/valgrind.sh
// announces with PYOWNED_UNDER_VALGRIND): resident-memory growth says nothing about leaks
// there (memory tests skip that one assertion).
inline bool sanitized() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
    return true;
#endif
#endif
    const char* valgrind = std::getenv("PYOWNED_UNDER_VALGRIND");
    return valgrind && *valgrind;
}

// Resident set size of this process in bytes (from /proc/self/statm).
std::size_t resident_bytes();

}  // namespace pyowned_test

#define PYOWNED_TEST(suite, name)                                      \
    static void suite##_##name##_body(py::Python py);                  \
    TEST(suite, name) { ::pyowned_test::run(&suite##_##name##_body); } \
    static void suite##_##name##_body([[maybe_unused]] py::Python py)

// Asserts that `statement` throws a py::Error of Python type `tag` whose what() contains `text`,
// and that no Python error is left set afterwards.
#define EXPECT_PY_ERROR(statement, tag, text)                                             \
    do {                                                                                  \
        bool caught_ = false;                                                             \
        try {                                                                             \
            statement;                                                                    \
        } catch (const py::Error& e_) {                                                   \
            caught_ = true;                                                               \
            EXPECT_TRUE(e_.matches<tag>(py)) << "wrong exception type: " << e_.what();    \
            EXPECT_NE(std::string(e_.what()).find(text), std::string::npos) << e_.what(); \
        }                                                                                 \
        EXPECT_TRUE(caught_) << #statement " did not throw py::Error";                    \
        EXPECT_FALSE(PyErr_Occurred()) << "a Python error was left set";                  \
    } while (0)
