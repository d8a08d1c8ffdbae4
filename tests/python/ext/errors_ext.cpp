// Errors at the boundary: argument-matching and conversion errors, the translation of every
// C++ exception, and Python exceptions travelling through C++. Exercised by test_errors.py.
#include <pyowned/pyowned.h>

#include <cstdint>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <typeinfo>

namespace py = pyowned;

namespace {

// C++ exception types registered as Python exceptions (py::register_exception).
struct StorageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
struct DiskFull : StorageError {
    using StorageError::StorageError;
};
struct Quota : std::exception {  // registered with its own base class
    const char* what() const noexcept override { return "quota exceeded"; }
};

// Not derived from any std exception category beyond std::exception itself.
struct CustomError : std::exception {
    const char* what() const noexcept override { return "custom what()"; }
};

// Throws what `kind` names, with `message` where the exception type takes one.
void throw_cpp(std::string_view kind, const std::string& message) {
    if (kind == "invalid_argument") throw std::invalid_argument(message);
    if (kind == "domain_error") throw std::domain_error(message);
    if (kind == "length_error") throw std::length_error(message);
    if (kind == "out_of_range") throw std::out_of_range(message);
    if (kind == "logic_error") throw std::logic_error(message);
    if (kind == "overflow_error") throw std::overflow_error(message);
    if (kind == "underflow_error") throw std::underflow_error(message);
    if (kind == "range_error") throw std::range_error(message);
    if (kind == "runtime_error") throw std::runtime_error(message);
    if (kind == "system_error") throw std::system_error(std::make_error_code(std::errc::io_error), message);
    if (kind == "bad_alloc") throw std::bad_alloc();
    if (kind == "bad_cast") throw std::bad_cast();
    if (kind == "custom") throw CustomError();
    if (kind == "int") throw 42;
    if (kind == "string") throw message;
    if (kind == "key_error") py::raise<py::KeyError>(message);
    if (kind == "type_error") py::raise<py::TypeError>(message);
    if (kind == "zero_division") py::raise<py::ZeroDivisionError>(message);
    if (kind == "not_implemented") py::raise<py::NotImplementedError>(message);
}

}  // namespace

PYOWNED_MODULE(errors_ext, m) {
    py::Python py = m.py();

    // --- argument matching ----------------------------------------------------------------
    m.def("add", [](long long a, long long b) { return a + b; }, py::arg("a"), py::arg("b"));
    m.def(
        "three", [](long long a, long long b, long long c) { return a + b + c; }, py::arg("a"), py::arg("b"),
        py::arg("c"));
    m.def("one", [](long long a) { return a; }, py::arg("a"));
    m.def("zero", [] { return 0; });
    m.def(
        "range3", [](long long a, long long b, long long c) { return a + b + c; }, py::arg("a"), py::arg("b") = 1,
        py::arg("c") = 2);
    m.def("kw_required", [](long long a, long long k) { return a + k; }, py::arg("a"), py::kw_only(), py::arg("k"));
    m.def("kw_required2", [](long long x, long long y) { return x + y; }, py::kw_only(), py::arg("x"), py::arg("y"));
    m.def("kw_default", [](long long a, long long k) { return a + k; }, py::arg("a"), py::kw_only(), py::arg("k") = 1);
    m.def(
        "posonly2", [](long long a, long long b, long long c) { return a + b + c; }, py::arg("a"), py::arg("b"),
        py::pos_only(), py::arg("c") = 0);
    m.def(
        "posonly3", [](long long a, long long b, long long c, long long d) { return a + b + c + d; }, py::arg("a"),
        py::arg("b"), py::arg("c"), py::pos_only(), py::arg("d") = 0);
    // with **kwargs a positional-only name given by keyword goes into kwargs (no error)
    m.def(
        "posonly_kwargs",
        [](long long a, long long b, long long c, py::Kwargs kwargs) {
            return a + b + c + static_cast<long long>(kwargs.len());
        },
        py::arg("a"), py::arg("b"), py::pos_only(), py::arg("c") = 0);
    // a parameter named by a str handle: defines f(<name>) on a new module and returns it
    m.def(
        "module_with_param",
        [](py::Python py, py::Borrowed<py::Str> name) {
            auto module = py::import(py, "types").call_method("ModuleType", "scratch").downcast_into<py::Module>();
            module.def("f", [](long long x) { return x * 2; }, py::arg(name));
            return module;
        },
        py::arg("name"));
    // every parameter positional-only: no keywords at all (a METH_FASTCALL builtin)
    m.def("posonly_all", [](long long a, long long b) { return a - b; }, py::arg("a"), py::arg("b"), py::pos_only());

    // --- conversions that fail with their own error ------------------------------------------
    m.def("i8", [](std::int8_t x) { return x; }, py::arg("x"));
    m.def("u8", [](std::uint8_t x) { return x; }, py::arg("x"));
    m.def("uint", [](unsigned x) { return x; }, py::arg("x"));
    m.def("i64", [](std::int64_t x) { return x; }, py::arg("x"));
    m.def("u64", [](std::uint64_t x) { return x; }, py::arg("x"));
    m.def("f64", [](double x) { return x; }, py::arg("x"));
    m.def("utf8", [](std::string s) { return s.size(); }, py::arg("s"));
    m.def("utf8_view", [](std::string_view s) { return s.size(); }, py::arg("s"));

    // --- C++ exceptions -------------------------------------------------------------------
    m.def("throw_cpp", &throw_cpp, py::arg("kind"), py::arg("message") = "message");
    // A result that fails to convert: bytes that are not UTF-8 as a str.
    m.def("bad_utf8_result", [] { return std::string("ok\xff"); });
    // py::Error from a failing Python operation: the KeyError dict[key] raises.
    m.def(
        "lookup", [](py::Borrowed<py::Dict> d, py::Borrowed<py::Any> key) { return d.get_item(key); }, py::arg("d"),
        py::arg("key"));
    py::Owned<py::Type> parse_error =
        py::create_exception(m, "ParseError", py::Borrowed<py::Type>::from_ptr(py, PyExc_ValueError));
    m.def(
        "raise_parse_error",
        [type = std::move(parse_error).unbind()](py::Python py, std::string message) {
            py::raise(type.bind(py), message);
        },
        py::arg("message"));

    // --- C++ exception types as registered Python exceptions -------------------------------------
    py::register_exception<StorageError>(m, "StorageError");
    py::register_exception<DiskFull>(m, "DiskFull", m.getattr("StorageError").downcast<py::Type>());
    py::register_exception<Quota>(m, "Quota", py::Borrowed<py::Type>::from_ptr(py, PyExc_OSError));
    m.def("throw_registered", [](std::string which) {
        if (which == "storage") throw StorageError("storage failed");
        if (which == "disk") throw DiskFull("disk full");
        if (which == "quota") throw Quota();
        throw std::runtime_error("plain");
    });
    // a Python exception of a registered type, seen by C++ as py::Error matching the C++ type
    m.def("catch_registered", [](py::Python py, py::Borrowed<py::Any> f) {
        try {
            f.call();
        } catch (const py::Error& e) {
            if (e.matches<DiskFull>(py)) return std::string("DiskFull");
            if (e.matches<StorageError>(py)) return std::string("StorageError");
            if (e.matches<Quota>(py)) return std::string("Quota");
            throw;
        }
        return std::string("nothing");
    });

    // --- a Python error set before a C++ exception: kept as __context__ -----------------------
    m.def("set_then_throw", [] {
        PyErr_SetString(PyExc_KeyError, "earlier");
        throw std::runtime_error("later");
    });
    m.def("set_then_raise", [] {
        PyErr_SetString(PyExc_KeyError, "earlier");
        py::raise<py::ValueError>("later");
    });

    // --- calling back into Python -------------------------------------------------------------
    // The callback's exception passes through C++ untouched.
    m.def("call", [](py::Borrowed<py::Any> f) { return f(); }, py::arg("f"));
    m.def(
        "call_with", [](py::Borrowed<py::Any> f, py::Borrowed<py::Any> x) { return f(x); }, py::arg("f"), py::arg("x"));
    m.def(
        "call_rethrow",
        [](py::Borrowed<py::Any> f) {
            try {
                return f();
            } catch (const py::Error&) {
                throw;
            }
        },
        py::arg("f"));
    m.def(
        "call_rethrow_copy",
        [](py::Borrowed<py::Any> f) {
            try {
                return f();
            } catch (const py::Error& e) {
                py::Error copy = e;
                throw copy;
            }
        },
        py::arg("f"));
    // Caught and handled in C++: nothing reaches Python.
    m.def(
        "call_swallow",
        [](py::Python py, py::Borrowed<py::Any> f) -> py::Owned<py::Any> {
            try {
                return f();
            } catch (const py::Error& e) {
                if (!e.matches<py::LookupError>(py)) throw;
                return py::Str::from(py, std::string("swallowed ") + e.what());
            }
        },
        py::arg("f"));
    // Caught and raised again as the cause of a new error (`raise RuntimeError from e`).
    m.def(
        "call_wrap",
        [](py::Python py, py::Borrowed<py::Any> f) {
            try {
                return f();
            } catch (const py::Error& e) {
                py::Error::of<py::RuntimeError>("wrapped").raise_from(py, e);
            }
        },
        py::arg("f"));
    // A C++ exception thrown after a callback's error was caught and dropped.
    m.def(
        "call_then_throw",
        [](py::Borrowed<py::Any> f) {
            try {
                f();
            } catch (const py::Error&) {
            }
            throw std::out_of_range("after the callback");
        },
        py::arg("f"));
    // A C++ exception thrown while a callback's error is in flight (during unwinding there is
    // none in C++; this is the plain case: the callback raises, C++ throws a std exception).
    m.def(
        "call_translate",
        [](py::Borrowed<py::Any> f) {
            try {
                f();
            } catch (const py::Error& e) {
                throw std::invalid_argument(std::string("callback failed: ") + e.what());
            }
            return 0;
        },
        py::arg("f"));
}
