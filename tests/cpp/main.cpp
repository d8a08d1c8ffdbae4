// The test program's main: one embedded interpreter for the whole run, and the test runner
// with the reference-leak check of the debug interpreter.
#include "harness.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <vector>
#include <string>
#include <unistd.h>

namespace pyowned_test {

namespace {

bool leak_check_enabled() {
    const char* flag = std::getenv("PYOWNED_LEAK_CHECK");
    return flag && std::string(flag) == "1";
}

// sys.gettotalrefcount(), after a full collection; -1 when this is not a debug interpreter.
Py_ssize_t total_refcount(py::Python py) {
    auto sys = py::import(py, "sys");
    if (!sys.hasattr("gettotalrefcount")) return -1;
    py::import(py, "gc").call_method("collect");
    return sys.call_method("gettotalrefcount").extract<Py_ssize_t>();
}

void run_once(Body body) {
    py::attach([&](py::Python py) {
        body(py);
        if (PyErr_Occurred()) {
            PyErr_Print();
            ADD_FAILURE() << "the test left a Python error set";
        }
    });
}

}  // namespace

std::optional<std::vector<Py_ssize_t>> refcount_deltas(Body body) {
    // regrtest -R: warm-up runs fill caches (interned names, type caches); the deltas of
    // the measured runs follow.
    constexpr int warmups = 3, measured = 5;
    std::vector<Py_ssize_t> deltas;
    for (int i = 0; i < warmups + measured; ++i) {
        Py_ssize_t before = py::attach([](py::Python py) { return total_refcount(py); });
        if (before < 0) return std::nullopt;
        run_once(body);
        if (::testing::Test::HasFailure()) return deltas;
        Py_ssize_t after = py::attach([](py::Python py) { return total_refcount(py); });
        if (i >= warmups) deltas.push_back(after - before);
    }
    return deltas;
}

bool is_leak(const std::vector<Py_ssize_t>& deltas) {
    if (deltas.empty()) return false;
    for (Py_ssize_t d : deltas)
        if (d <= 0) return false;
    return true;
}

void run(Body body) {
    if (!leak_check_enabled()) return run_once(body);
    auto deltas = refcount_deltas(body);
    if (!deltas) {
        ADD_FAILURE() << "PYOWNED_LEAK_CHECK=1 needs a debug interpreter (sys.gettotalrefcount)";
        return;
    }
    std::string report;
    for (Py_ssize_t d : *deltas) report += " " + std::to_string(d);
    EXPECT_FALSE(is_leak(*deltas)) << "reference leak: total refcount grew on every run:" << report;
}

std::size_t resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    std::size_t pages_total = 0, pages_resident = 0;
    statm >> pages_total >> pages_resident;
    return pages_resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace pyowned_test

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    py::Interpreter interpreter;
    return RUN_ALL_TESTS();
}
