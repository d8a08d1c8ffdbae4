// Signatures of bound functions: keyword-only parameters after *args, and *args / **kwargs
// named for inspect.signature. Exercised by test_signatures.py.
#include <pyowned/pyowned.h>
#include <pyowned/stl.h>

#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace py = pyowned;

namespace {

// What the call guards saw, in order (a lock: the module runs without the GIL on 3.13t).
std::mutex guard_mutex;
std::vector<std::string> guard_log;
void log_event(std::string event) {
    std::lock_guard<std::mutex> lock(guard_mutex);
    guard_log.push_back(std::move(event));
}
template <char Name>
struct LogGuard {
    LogGuard() { log_event(std::string("enter ") + Name); }
    ~LogGuard() { log_event(std::string("exit ") + Name); }
    LogGuard(const LogGuard&) = delete;
    LogGuard& operator=(const LogGuard&) = delete;
};

struct Joiner {
    std::string prefix;
};

}  // namespace

PYOWNED_MODULE(signatures_ext, m) {
    // def after_args(a, *args, k=5, **kwargs): (a, args, k, kwargs)
    m.def(
        "after_args",
        [](py::Python py, long long a, py::Args rest, long long k, py::Kwargs kw) {
            return py::Tuple::of(py, a, rest, k, kw);
        },
        py::arg("a"), py::arg("k") = 5);
    // def required_after_args(*args, k): k must be given by keyword
    m.def("required_after_args", [](py::Args rest, long long k) { return rest.len() * k; }, py::arg("k"));
    // every variadic named
    m.def(
        "named_variadics", [](py::Args values, py::Kwargs options) { return values.len() + options.len(); },
        py::arg("values"), py::arg("options"));
    m.def(
        "named_all",
        [](py::Python py, long long a, py::Args rest, const std::string& sep, py::Kwargs extra) {
            return py::Tuple::of(py, a, rest.len(), sep, extra.len());
        },
        "Everything named.", py::arg("a"), py::arg("rest"), py::arg("sep") = ",", py::arg("extra"));
    // an explicit py::kw_only() before *args' keyword-only parameters changes nothing
    m.def(
        "marker_too", [](long long a, long long b, py::Args, long long c) { return a + b + c; }, py::arg("a"),
        py::kw_only(), py::arg("b") = 1, py::arg("c") = 2);

    // py::arg(...).noconvert(): no int for a float parameter, in any pass
    m.def("strict_float", [](double x) { return x; }, py::arg("x").noconvert());
    m.def("strict_first", [](double a, double b) { return a + b; }, py::arg("a").noconvert(), py::arg("b"));
    m.def("strict_default", [](double x) { return x; }, py::arg("x").noconvert() = 2.5);
    m.def("strict_over", [](double) { return "float"; }, py::arg("x").noconvert());
    m.def("strict_over", [](const std::string&) { return "str"; }, py::arg("x"));

    // py::call_guard<G...>(): made before the call, destroyed after it, also when it throws
    m.def(
        "guarded",
        [](bool fail) {
            log_event("call");
            if (fail) throw std::runtime_error("failed inside");
            return static_cast<long long>(guard_log.size());
        },
        py::call_guard<LogGuard<'A'>, LogGuard<'B'>>(), py::arg("fail") = false);
    m.def("take_guard_log", [] {
        std::lock_guard<std::mutex> lock(guard_mutex);
        return std::exchange(guard_log, {});
    });

    py::Class<Joiner>(m, "Joiner")
        .def(py::init<std::string>(), py::arg("prefix"))
        .def(
            "join",
            [](const Joiner& j, py::Args items, const std::string& sep) {
                std::string out = j.prefix;
                for (std::size_t i = 0; i < static_cast<std::size_t>(items.len()); ++i) {
                    if (i) out += sep;
                    out += items.get_item(static_cast<Py_ssize_t>(i)).str().to_string();
                }
                return out;
            },
            py::arg("items"), py::arg("sep") = ",")
        .def(
            "repeat", [](const Joiner& j, double times) { return j.prefix + std::to_string(times); },
            py::arg("times").noconvert())
        .def(
            "guarded_prefix",
            [](const Joiner& j) {
                log_event("call");
                return j.prefix;
            },
            py::call_guard<LogGuard<'M'>>());

    // py::arg(...).none(): for parameters that can hold None
    m.def("prefix_or", [](const Joiner* j) { return j ? j->prefix : std::string("nobody"); }, py::arg("j").none());
    m.def("maybe_int", [](std::optional<long long> v) { return v ? *v : -1; }, py::arg("v").none() = 3);
}
