// Functions for reference-count and memory checks: every kind of parameter and result, and
// every error path (argument matching, conversion, C++ exceptions, Python errors through
// C++, overload resolution). test_refcount.py calls each one many times.
#include <pyowned/pyowned.h>
#include <pyowned/stl.h>

#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace py = pyowned;

PYOWNED_MODULE(refcount_ext, m) {
    py::Python py = m.py();

    // --- handles in, the same object out -------------------------------------------------------
    m.def("ident", [](py::Borrowed<py::Any> x) { return x; }, py::arg("x"));
    m.def("ident_owned", [](py::Owned<py::Any> x) { return x; }, py::arg("x"));
    m.def("ident_py", [](py::Py<py::Any> x) { return x; }, py::arg("x"));
    m.def("ident_cref", [](const py::Owned<py::Any>& x) { return x; }, py::arg("x"));
    m.def("list_len", [](py::Borrowed<py::List> xs) { return xs.len(); }, py::arg("xs"));
    m.def("nothing", [](py::Borrowed<py::Any>) {}, py::arg("x"));
    // entry points of their own (py::inline_call), as the others' shared ones
    m.def("ident_inline", [](py::Borrowed<py::Any> x) { return x; }, py::arg("x"), py::inline_call());
    m.def("concat_inline", [](std::string a, std::string_view b) { return a.append(b); }, py::inline_call());

    // --- values -------------------------------------------------------------------------------
    m.def("add", [](long long a, long long b) { return a + b; }, py::arg("a"), py::arg("b"));
    m.def("scale", [](double x, double k) { return x * k; }, py::arg("x"), py::arg("k") = 2.0);
    m.def("negate", [](bool b) { return !b; }, py::arg("b"));
    m.def("concat", [](std::string a, const std::string& b) { return a + b; }, py::arg("a"), py::arg("b"));
    m.def("view_len", [](std::string_view s) { return s.size(); }, py::arg("s"));
    m.def(
        "maybe", [](std::optional<std::string> s) { return s ? *s + "!" : std::string("none"); },
        py::arg("s") = std::nullopt);
    m.def(
        "make_list",
        [](py::Python py, long long n) {
            py::Owned<py::List> out = py::List::empty(py);
            for (long long i = 0; i < n; ++i) out.append(i * 1000003);
            return out;
        },
        py::arg("n"));
    m.def("bad_result", [] { return std::string("\xff\xfe"); });

    // --- *args, **kwargs, markers, defaults -----------------------------------------------------------
    m.def("pack", [](py::Python py, py::Args args, py::Kwargs kwargs) {
        return py::Tuple::of(py, py::Borrowed<py::Tuple>(args), py::Borrowed<py::Dict>(kwargs));
    });
    m.def(
        "posonly", [](py::Borrowed<py::Any> a, py::Borrowed<py::Any>) { return a; }, py::arg("a"), py::arg("b"),
        py::pos_only());
    m.def(
        "kwonly_default", [](py::Borrowed<py::Any>, py::Borrowed<py::Any> b) { return b; }, py::arg("a"), py::kw_only(),
        py::arg("b") = py::List::empty(py));

    // --- a Py<T> kept across calls ---------------------------------------------------------------
    auto slot = std::make_shared<std::optional<py::Py<py::Any>>>();
    m.def("store", [slot](py::Py<py::Any> x) { *slot = std::move(x); }, py::arg("x"));
    m.def("load", [slot](py::Python py) -> py::Owned<py::Any> {
        if (!*slot) return py::None::get(py);
        return (*slot)->clone_ref(py).into_bound(py);
    });
    m.def("clear", [slot] { slot->reset(); });

    // --- errors ------------------------------------------------------------------------------------
    m.def(
        "throw_cpp",
        [](std::string_view kind) {
            if (kind == "invalid_argument") throw std::invalid_argument("invalid");
            if (kind == "out_of_range") throw std::out_of_range("range");
            if (kind == "overflow_error") throw std::overflow_error("overflow");
            if (kind == "runtime_error") throw std::runtime_error("runtime");
            if (kind == "bad_alloc") throw std::bad_alloc();
            if (kind == "int") throw 42;
            if (kind == "key_error") py::raise<py::KeyError>("key");
            return 0;
        },
        py::arg("kind"));
    m.def(
        "lookup", [](py::Borrowed<py::Dict> d, py::Borrowed<py::Any> key) { return d.get_item(key); }, py::arg("d"),
        py::arg("key"));
    m.def("set_then_throw", [] {
        PyErr_SetString(PyExc_KeyError, "earlier");
        throw std::runtime_error("later");
    });

    // --- calling back into Python ------------------------------------------------------------------
    m.def("call", [](py::Borrowed<py::Any> f, py::Borrowed<py::Any> x) { return f(x); }, py::arg("f"), py::arg("x"));
    m.def(
        "call_swallow",
        [](py::Borrowed<py::Any> f, py::Borrowed<py::Any> x) -> bool {
            try {
                f(x);
                return true;
            } catch (const py::Error&) {
                return false;
            }
        },
        py::arg("f"), py::arg("x"));
    m.def(
        "call_wrap",
        [](py::Python py, py::Borrowed<py::Any> f, py::Borrowed<py::Any> x) {
            try {
                return f(x);
            } catch (const py::Error& e) {
                py::Error::of<py::RuntimeError>("wrapped").raise_from(py, e);
            }
        },
        py::arg("f"), py::arg("x"));

    // --- overloads ---------------------------------------------------------------------------------
    m.def("over", [](long long) { return "int"; }, py::arg("x"));
    m.def("over", [](double) { return "float"; }, py::arg("x"));
    m.def("over", [](py::Borrowed<py::List> xs) { return xs; }, py::arg("xs"));
    m.def("narrow", [](std::int8_t x) { return static_cast<int>(x); }, py::arg("x"));
    m.def("narrow", [](std::string s) { return static_cast<int>(s.size()); }, py::arg("s"));
}
