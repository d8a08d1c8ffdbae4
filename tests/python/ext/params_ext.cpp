// Every kind of parameter a bound function can have, and every kind of callable.
// Exercised by test_params.py.
#include <pyowned/pyowned.h>
#include <pyowned/stl.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace py = pyowned;

namespace {

template <class T>
T echo(T value) {
    return value;
}

long long add(long long a, long long b) { return a + b; }
int negate(int x) noexcept { return -x; }

// A callable object with state: each call adds `step` to the running total.
struct Accumulator {
    long long total = 0;
    long long operator()(long long step) { return total += step; }
};

// A const call operator and data fixed at construction.
struct Scaler {
    double factor;
    double operator()(double x) const { return x * factor; }
};

}  // namespace

PYOWNED_MODULE(params_ext, m) {
    py::Python py = m.py();

    // --- scalars ---------------------------------------------------------------------
    m.def("i8", &echo<std::int8_t>, py::arg("x"));
    m.def("u8", &echo<std::uint8_t>, py::arg("x"));
    m.def("i16", &echo<std::int16_t>, py::arg("x"));
    m.def("u16", &echo<std::uint16_t>, py::arg("x"));
    m.def("i32", &echo<std::int32_t>, py::arg("x"));
    m.def("u32", &echo<std::uint32_t>, py::arg("x"));
    m.def("i64", &echo<std::int64_t>, py::arg("x"));
    m.def("u64", &echo<std::uint64_t>, py::arg("x"));
    m.def("c_int", &echo<int>, py::arg("x"));
    m.def("c_long", &echo<long>, py::arg("x"));
    m.def("c_size_t", &echo<std::size_t>, py::arg("x"));
    m.def("f64", &echo<double>, py::arg("x"));
    m.def("f32", &echo<float>, py::arg("x"));
    m.def("boolean", &echo<bool>, py::arg("x"));
    m.def("string", &echo<std::string>, py::arg("s"));
    m.def("string_view", [](std::string_view s) { return s; }, py::arg("s"));
    m.def("utf8_size", [](std::string_view s) { return s.size(); }, py::arg("s"));
    // non-const references to scalars: bound to the call's own converted copy
    m.def(
        "bump",
        [](long long& x, long long by) {
            x += by;
            return x;
        },
        py::arg("x"), py::arg("by") = 1);
    m.def(
        "scaled",
        [](double& x, const double& k) {
            x *= k;
            return x;
        },
        py::arg("x"), py::kw_only(), py::arg("k") = 2.0);

    // --- const T& -----------------------------------------------------------------------
    m.def("cref_string", [](const std::string& s) { return s + s; }, py::arg("s"));
    m.def("cref_int", [](const long long& x) { return x * 2; }, py::arg("x"));
    m.def("cref_double", [](const double& x) { return x / 2; }, py::arg("x"));
    m.def("cref_handle", [](const py::Owned<py::List>& xs) { return xs.len(); }, py::arg("xs"));

    // --- handles: type-checked -------------------------------------------------------------
    m.def("dict_len", [](py::Borrowed<py::Dict> d) { return d.len(); }, py::arg("d"));
    m.def(
        "list_append",
        [](py::Owned<py::List> xs, py::Borrowed<py::Any> item) {
            xs.append(item);
            return xs;
        },
        py::arg("xs"), py::arg("item"));
    m.def("py_any", [](py::Py<py::Any> o) { return o; }, py::arg("o"));
    m.def("py_list_len", [](py::Python py, py::Py<py::List> xs) { return xs.bind(py).len(); }, py::arg("xs"));
    m.def("borrowed_any", [](py::Borrowed<py::Any> o) { return o; }, py::arg("o"));
    m.def("owned_int", [](py::Owned<py::Int> i) { return i; }, py::arg("i"));
    m.def("borrowed_str", [](py::Borrowed<py::Str> s) { return s.len(); }, py::arg("s"));
    m.def("tuple_len", [](py::Borrowed<py::Tuple> t) { return t.len(); }, py::arg("t"));
    m.def("sequence_len", [](py::Borrowed<py::Sequence> s) { return s.len(); }, py::arg("s"));
    m.def("mapping_len", [](py::Borrowed<py::Mapping> s) { return s.len(); }, py::arg("m"));

    // --- the token ----------------------------------------------------------------------
    m.def(
        "with_token",
        [](py::Python py, long long n) {
            py::Owned<py::List> out = py::List::empty(py);
            for (long long i = 0; i < n; ++i) out.append(i);
            return out;
        },
        py::arg("n"));
    m.def("token_only", [](py::Python py) { return py::Str::from(py, "attached"); });

    // --- *args and **kwargs ---------------------------------------------------------------
    m.def("args_only", [](py::Args args) { return py::Borrowed<py::Tuple>(args); });
    m.def("kwargs_only", [](py::Kwargs kwargs) { return py::Borrowed<py::Dict>(kwargs); });
    m.def("args_kwargs", [](py::Python py, py::Args args, py::Kwargs kwargs) {
        return py::Tuple::of(py, py::Borrowed<py::Tuple>(args), py::Borrowed<py::Dict>(kwargs));
    });
    m.def("count", [](py::Args args, py::Kwargs kwargs) { return args.len() + kwargs.len(); });
    m.def(
        "head_rest",
        [](py::Python py, long long head, py::Args rest) {
            return py::Tuple::of(py, head, py::Borrowed<py::Tuple>(rest));
        },
        py::arg("head"));
    m.def(
        "named_kwargs",
        [](py::Python py, long long a, py::Kwargs kw) { return py::Tuple::of(py, a, py::Borrowed<py::Dict>(kw)); },
        py::arg("a"));
    m.def(
        "posonly_kwargs",
        [](py::Python py, long long a, py::Kwargs kw) { return py::Tuple::of(py, a, py::Borrowed<py::Dict>(kw)); },
        py::arg("a"), py::pos_only());
    m.def(
        "args_kwonly",
        [](py::Python py, long long a, long long k, py::Args rest) {
            return py::Tuple::of(py, a, k, py::Borrowed<py::Tuple>(rest));
        },
        py::arg("a"), py::kw_only(), py::arg("k") = 0);

    // --- positional-or-keyword, positional-only, keyword-only -------------------------------
    auto triple = [](py::Python py, long long a, long long b, long long c) { return py::Tuple::of(py, a, b, c); };
    m.def("pos_or_kw", triple, py::arg("a"), py::arg("b"), py::arg("c"));
    m.def("posonly", triple, py::arg("a"), py::arg("b"), py::pos_only(), py::arg("c"));
    // keyword calls: the first call shape's layout is remembered (see test_keyword_layouts)
    m.def(
        "layout", [](long long a, long long b, long long c) { return a * 100 + b * 10 + c; }, py::arg("a"),
        py::arg("b") = 2, py::arg("c") = 3);
    m.def("kwonly", triple, py::arg("a"), py::kw_only(), py::arg("b"), py::arg("c") = 3);
    m.def("all_kinds", triple, py::arg("a"), py::pos_only(), py::arg("b"), py::kw_only(), py::arg("c"));
    m.def("all_posonly", triple, py::arg("a"), py::arg("b"), py::arg("c"), py::pos_only());
    m.def("all_kwonly", triple, py::kw_only(), py::arg("a"), py::arg("b"), py::arg("c"));

    // --- defaults -----------------------------------------------------------------------
    m.def(
        "defaults",
        [](py::Python py, long long i, double f, std::string s, bool flag, py::Borrowed<py::Any> none) {
            return py::Tuple::of(py, i, f, s, flag, none);
        },
        py::arg("i") = 1, py::arg("f") = 2.5, py::arg("s") = "text", py::arg("flag") = true,
        py::arg("none") = py::None::get(py));
    m.def("default_string", [](std::string s) { return s; }, py::arg("s") = std::string("from std::string"));
    m.def(
        "default_after_required", [](long long a, long long b) { return a * 10 + b; }, py::arg("a"), py::arg("b") = 7);
    // A mutable default is one object, made when the function is defined (as in Python).
    m.def(
        "append_default",
        [](py::Borrowed<py::Any> item, py::Owned<py::List> target) {
            target.append(item);
            return target;
        },
        py::arg("item"), py::arg("target") = py::List::empty(py));
    m.def(
        "default_object", [](py::Borrowed<py::Any> o) { return o; },
        py::arg("o") = py::List::from(py, std::vector<long long>{1, 2, 3}));

    // --- unnamed parameters: positional-only arg0, arg1, ... ----------------------------------
    m.def("unnamed", [](long long a, long long b) { return a - b; });
    m.def("unnamed_doc", [](long long a) { return -a; }, "Negates.");

    // --- callables --------------------------------------------------------------------------
    m.def("add", &add, py::arg("a"), py::arg("b"));     // function pointer
    m.def("add_ref", add, py::arg("a"), py::arg("b"));  // function (decays)
    m.def("negate", &negate, py::arg("x"));             // noexcept function
    long long base = 100;
    m.def("add_base", [base](long long x) { return x + base; }, py::arg("x"));  // capture by value
    auto shared_calls = std::make_shared<long long>(0);
    m.def("bump_shared", [shared_calls] { return ++*shared_calls; });
    m.def("read_shared", [shared_calls] { return *shared_calls; });  // sees bump_shared's count
    m.def("mutable_lambda", [n = 0LL]() mutable { return ++n; });
    m.def("move_only_lambda", [p = std::make_unique<long long>(7)] { return *p; });
    std::function<std::string(const std::string&, int)> repeat = [](const std::string& s, int n) {
        std::string out;
        for (int i = 0; i < n; ++i) out += s;
        return out;
    };
    m.def("repeat", repeat, py::arg("s"), py::arg("n"));      // std::function
    m.def("accumulate", Accumulator{}, py::arg("step") = 1);  // callable with state
    m.def("triple_it", Scaler{3.0}, py::arg("x"));            // const operator()

    // --- one signature, many callables: they share its entry points, each calls its own ------
    m.def("same_a", [](long long x) { return x + 1; });  // METH_O
    m.def("same_b", [](long long x) { return x + 2; });
    m.def("same_c", [base](long long x) { return x + base; });  // with a capture
    m.def("same_named_a", [](long long x) { return x * 10; }, py::arg("x"));
    m.def("same_named_b", [](long long x) { return x * 20; }, py::arg("x"));
    m.def(
        "same_named_throws",
        [](long long x) -> long long {  // raises through them
            if (x < 0) throw std::out_of_range("same_named_throws: negative");
            return x;
        },
        py::arg("x"));
    m.def("same_kw_a", [](long long x, long long y) { return x - y; }, py::arg("x"), py::kw_only(), py::arg("y") = 1);
    m.def("same_kw_b", [](long long x, long long y) { return x + y; }, py::arg("x"), py::kw_only(), py::arg("y") = 1);
    m.def("same_str_a", [](std::string_view s) { return static_cast<long long>(s.size()); }, py::arg("s"));
    m.def("same_str_b", [](std::string_view s) { return std::string(s) + "!"; }, py::arg("s"));
    m.def("same_void_a", [shared_calls](long long x) { *shared_calls += x; }, py::arg("x"));
    m.def("same_inline", [](long long x) { return x + 5; }, py::arg("x"), py::inline_call());  // its own
    m.def("same_inline_str", [](std::string_view s) { return std::string(s) + "?"; }, py::inline_call());
    m.add("same_made", py::make_function(py, "same_made", [](long long x) { return x + 3; }, py::arg("x")));

    // --- returns ----------------------------------------------------------------------------
    m.def("returns_none", [](long long) {}, py::arg("x"));
    m.def("returns_handle", [](py::Python py) { return py::Dict::empty(py); });

    // --- std::optional (None) ----------------------------------------------------------------
    m.def(
        "opt_int",
        [](std::optional<long long> x) -> std::optional<long long> {
            if (!x) return std::nullopt;
            return *x * 2;
        },
        py::arg("x"));
    m.def(
        "opt_default", [](std::optional<std::string> s) { return s ? "got " + *s : std::string("none"); },
        py::arg("s") = std::nullopt);
    m.def("opt_cref", [](const std::optional<double>& x) { return x.has_value(); }, py::arg("x"));
    m.def(
        "opt_handle", [](std::optional<py::Borrowed<py::List>> xs) -> long long { return xs ? xs->len() : -1; },
        py::arg("xs") = std::nullopt);
}
