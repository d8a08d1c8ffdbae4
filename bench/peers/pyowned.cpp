// The benchmark's pyowned peer: every function of bench/cases.py, written as a pyowned
// user writes it (typed parameters, range-for over handles, std containers by parameter
// type, names given as literals, which pyowned interns once).
#include <pyowned/pyowned.h>
#include <pyowned/stl.h>
#include <pyowned/functional.h>
#include <pyowned/ndarray.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <map>
#include <memory>
#include <ranges>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace py = pyowned;
using i64 = std::int64_t;

namespace {

// Native object API
i64 iter_dict(py::Borrowed<py::Dict> d) {
    i64 sum = 0;
    for (auto [k, v] : d) sum += k.extract<i64>() + v.extract<i64>();
    return sum;
}

i64 dict_get_item(py::Borrowed<py::Dict> d) {
    i64 sum = 0;
    for (i64 i = 0, n = d.len(); i < n; ++i) sum += d.get_item(i).extract<i64>();
    return sum;
}

i64 dict_new(py::Python py, i64 n) {
    auto d = py::Dict::empty(py);
    for (i64 i = 0; i < n; ++i) {
        auto v = py::Int::from(py, i);  // one int as key and value, as {i: i for i in ...}
        d.set_item(v, v);
    }
    return d.len();
}

i64 extract_hashmap(const std::unordered_map<i64, i64>& m) { return static_cast<i64>(m.size()); }
i64 extract_btreemap(const std::map<i64, i64>& m) { return static_cast<i64>(m.size()); }

i64 iter_list(py::Borrowed<py::List> l) {
    i64 sum = 0;
    for (auto item : l) sum += item.extract<i64>();
    return sum;
}

i64 list_get_item(py::Borrowed<py::List> l) {
    i64 sum = 0;
    for (Py_ssize_t i = 0, n = l.len(); i < n; ++i) sum += l.get_item(i).extract<i64>();
    return sum;
}

i64 list_new(py::Python py, i64 n) { return py::List::from(py, std::views::iota(i64{0}, n)).len(); }

i64 extract_vec(const std::vector<i64>& v) { return static_cast<i64>(v.size()); }

i64 iter_tuple(py::Borrowed<py::Tuple> t) {
    i64 sum = 0;
    for (auto item : t) sum += item.extract<i64>();
    return sum;
}

i64 tuple_get_item(py::Borrowed<py::Tuple> t) {
    i64 sum = 0;
    for (Py_ssize_t i = 0, n = t.len(); i < n; ++i) sum += t.get_item(i).extract<i64>();
    return sum;
}

i64 tuple_new(py::Python py, i64 n) { return py::Tuple::from(py, std::views::iota(i64{0}, n)).len(); }

i64 iter_set(py::Borrowed<py::Set> s) {
    i64 sum = 0;
    for (auto item : s) sum += item.extract<i64>();
    return sum;
}

i64 extract_hashset(const std::unordered_set<i64>& s) { return static_cast<i64>(s.size()); }

i64 set_new(py::Python py, i64 n) {
    auto s = py::Set::empty(py);
    for (i64 i = 0; i < n; ++i) s.add(i);
    return s.len();
}

i64 extract_str(py::Borrowed<py::List> l) {
    i64 total = 0;
    for (auto item : l) total += static_cast<i64>(item.extract<std::string_view>().size());
    return total;
}

double extract_float(py::Borrowed<py::List> l) {
    double sum = 0;
    for (auto item : l) sum += item.extract<double>();
    return sum;
}

// Native → Python calls
void call_0(py::Borrowed<> f, i64 n) {
    for (i64 i = 0; i < n; ++i) f.call();
}

void call_1(py::Borrowed<> f, py::Borrowed<> x, i64 n) {
    for (i64 i = 0; i < n; ++i) f.call(x);
}

// A Python callable taken as a std::function (<pyowned/functional.h>).
i64 callback_call(const std::function<i64(i64)>& f, i64 n) {
    i64 sum = 0;
    for (i64 i = 0; i < n; ++i) sum += f(i);
    return sum;
}

// A class with a virtual method that Python subclasses override (a trampoline).
struct Base {
    virtual ~Base() = default;
    virtual i64 value(i64 i) const { return i; }
};
struct PyBase : Base {
    PYOWNED_TRAMPOLINE(Base, 1);
    i64 value(i64 i) const override { PYOWNED_OVERRIDE(value, i); }
};
i64 virtual_override(const Base& obj, i64 n) {
    i64 sum = 0;
    for (i64 i = 0; i < n; ++i) sum += obj.value(i);
    return sum;
}

// Arrays: a read-only 1-D C-contiguous float64 array viewed without a copy (any buffer or
// DLPack exporter), and a new array over C++ memory handed to NumPy with its owner.
using Doubles = py::NDArray<const double, py::ndim<1>, py::c_contig>;
i64 array_call(const Doubles& a) { return a.shape(0); }
double array_sum(Doubles a) {
    double sum = 0.0;
    for (Py_ssize_t i = 0, n = a.shape(0); i < n; ++i) sum += a(i);
    return sum;
}
py::NDArray<double, py::ndim<1>> array_return(i64 n) {
    if (n < 0) py::raise<py::ValueError>("array_return() size must be >= 0");
    auto values = std::make_unique_for_overwrite<double[]>(static_cast<std::size_t>(n));
    for (i64 i = 0; i < n; ++i) values[static_cast<std::size_t>(i)] = static_cast<double>(i);
    double* data = values.get();
    return {data, {static_cast<Py_ssize_t>(n)}, std::move(values)};
}

// Names interned once, before the loop (py::intern), as every peer keeps its names.
void call_with_kwargs(py::Python py, py::Borrowed<> f, i64 n) {
    auto b = py::intern(py, "b"), c = py::intern(py, "c");
    for (i64 i = 0; i < n; ++i) f.call(1, py::arg(b) = 2, py::arg(c) = 3);
}

void call_method_0(py::Python py, py::Borrowed<> obj, i64 n) {
    auto method = py::intern(py, "method");
    for (i64 i = 0; i < n; ++i) obj.call_method(method);
}

i64 getattr_interned(py::Python py, py::Borrowed<> obj, i64 n) {
    auto value = py::intern(py, "value");
    i64 sum = 0;
    for (i64 i = 0; i < n; ++i) sum += obj.getattr(value).extract<i64>();
    return sum;
}

// Lifetime
void drop_many_objects(py::Python py, i64 n) {
    for (i64 i = 0; i < n; ++i) (void)py::Int::from(py, i);
}

void drop_detached(py::Python py, i64 n) {
    std::vector<py::Py<py::Int>> refs;
    refs.reserve(static_cast<std::size_t>(n));
    for (i64 i = 0; i < n; ++i) refs.push_back(py::Int::from(py, i).unbind());
    py.detach([&] { refs.clear(); });  // queued decrefs, drained when detach re-attaches
}

i64 err_roundtrip(py::Python py, py::Borrowed<> f, i64 n) {
    i64 failures = 0;
    for (i64 i = 0; i < n; ++i) {
        auto result = f.try_call();
        if (result) continue;
        if (!result.error().matches<py::ValueError>(py)) throw std::move(result).error();
        ++failures;
    }
    return failures;
}

i64 err_roundtrip_throwing(py::Python py, py::Borrowed<> f, i64 n) {
    i64 failures = 0;
    for (i64 i = 0; i < n; ++i) {
        try {
            f.call();
        } catch (const py::Error& e) {
            if (!e.matches<py::ValueError>(py)) throw;
            ++failures;
        }
    }
    return failures;
}

}  // namespace

// Classes: plain C++ types, bound with py::Class below.
struct Point {
    double x, y;
    double norm() const { return std::hypot(x, y); }
    void scale(double k) {
        x *= k;
        y *= k;
    }
    Point operator+(const Point& o) const { return {x + o.x, y + o.y}; }
};

// Point's twin for the pyowned-only obj_new row: its constructor has entry points of its own.
struct PointInline {
    double x, y;
};

double dist(const Point& p, const Point& q) { return std::hypot(p.x - q.x, p.y - q.y); }

enum class Color { red, green, blue };

struct Vec {
    std::vector<double> data;
    explicit Vec(std::size_t n) : data(n) {
        for (std::size_t i = 0; i < n; ++i) data[i] = static_cast<double>(i);
    }
    std::size_t size() const { return data.size(); }
    double at(Py_ssize_t i) const {  // v[i], negative i from the end, as a list
        auto n = static_cast<Py_ssize_t>(data.size());
        if (i < 0) i += n;
        if (i < 0 || i >= n) throw std::out_of_range("Vec index out of range");
        return data[static_cast<std::size_t>(i)];
    }
};

// The pyowned-abi3 peer is this source built with STABLE_ABI (bench/CMakeLists.txt).
#ifdef BENCH_PYOWNED_ABI3
#define BENCH_PYOWNED_MODULE(m) PYOWNED_MODULE(bench_pyowned_abi3, m)
#else
#define BENCH_PYOWNED_MODULE(m) PYOWNED_MODULE(bench_pyowned, m)
#endif

BENCH_PYOWNED_MODULE(m) {
    m.doc("pyowned's peer module of the benchmark (bench/cases.py).");
    // Python → native calls, bound the default way: the functions of one signature share
    // its entry points, which call the callable through the function's record.
    // Positional-only, as in the C peer: a function that takes no keywords is a
    // METH_FASTCALL builtin, which CPython calls more cheaply.
    m.def("call_noop", [] {});
    m.def("call_add", [](i64 a, i64 b) { return a + b; }, py::arg("a"), py::arg("b"), py::pos_only());
    m.def(
        "call_kwargs", [](i64 a, i64 b, i64 c) { return a + b + c; }, py::arg("a"), py::arg("b") = 2, py::arg("c") = 3);
    m.def("call_str_len", [](std::string_view s) { return static_cast<i64>(s.size()); }, py::arg("s"), py::pos_only());
    // pyowned only: the same with entry points of their own, the lambda inlined in them
    m.def("call_noop_inline", [] {}, py::inline_call());
    m.def(
        "call_str_len_inline", [](std::string_view s) { return static_cast<i64>(s.size()); }, py::arg("s"),
        py::pos_only(), py::inline_call());
    m.def("iter_dict", &iter_dict);
    m.def("dict_get_item", &dict_get_item);
    m.def("dict_new", &dict_new);
    m.def("extract_hashmap", &extract_hashmap);
    m.def("extract_btreemap", &extract_btreemap);
    m.def("iter_list", &iter_list);
    m.def("list_get_item", &list_get_item);
    m.def("list_new", &list_new);
    m.def("extract_vec", &extract_vec);
    m.def("iter_tuple", &iter_tuple);
    m.def("tuple_get_item", &tuple_get_item);
    m.def("tuple_new", &tuple_new);
    m.def("iter_set", &iter_set);
    m.def("extract_hashset", &extract_hashset);
    m.def("set_new", &set_new);
    m.def("extract_str", &extract_str);
    m.def("extract_float", &extract_float);
    m.def("call_0", &call_0);
    m.def("call_1", &call_1);
    m.def("call_with_kwargs", &call_with_kwargs);
    m.def("callback_call", &callback_call);
    m.def("call_method_0", &call_method_0);
    m.def("getattr_interned", &getattr_interned);
    m.def("drop_many_objects", &drop_many_objects);
    m.def("drop_detached", &drop_detached);
    m.def("err_roundtrip", &err_roundtrip);
    m.def("err_roundtrip_throwing", &err_roundtrip_throwing);

    // Classes. Methods named at compile time (py::method, or a lambda without captures) are
    // CPython method descriptors, which the specializing interpreter calls directly;
    // norm_by_pointer shows the member function pointer passed as a value (a method object
    // called through the generic path), for the table's second obj_method row; norm_inline
    // and dist_inline have entry points of their own (py::inline_call()), as PointInline's
    // constructor has, for the pyowned-only rows that show what sharing their signature's costs.
    py::Class<Point>(m, "Point")
        .def(py::init<double, double>(), py::arg("x"), py::arg("y"))
        .def_rw("x", &Point::x)
        .def_rw("y", &Point::y)
        .def("norm", py::method<&Point::norm>)
        .def("norm_by_pointer", &Point::norm)
        .def("norm_inline", py::method<&Point::norm>, py::inline_call())
        .def("scale", py::method<&Point::scale>, py::arg("k"))
        // a lambda: py::method<&Point::scale> has one method descriptor per run, scale's
        .def(
            "scale_pos", [](Point& p, double k) { p.scale(k); }, py::arg("k"), py::pos_only())
        .def("__add__", py::method<&Point::operator+ >);
    py::Class<PointInline>(m, "PointInline")
        .def(py::init<double, double>(), py::arg("x"), py::arg("y"), py::inline_call())
        .def_rw("x", &PointInline::x)
        .def_rw("y", &PointInline::y);
    m.def("dist", [](const Point& p, const Point& q) { return dist(p, q); });
    m.def("dist_inline", [](const Point& p, const Point& q) { return dist(p, q); }, py::inline_call());
    py::Class<Vec>(m, "Vec")
        .def(py::init<std::size_t>(), py::arg("n"))
        .def("__len__", py::method<&Vec::size>)
        .def("__getitem__", py::method<&Vec::at>);
    py::Enum<Color>(m, "Color").value("RED", Color::red).value("GREEN", Color::green).value("BLUE", Color::blue);
    m.def("enum_arg", [](Color c) { return static_cast<std::int64_t>(c); });
    py::Class<Base, PyBase>(m, "Base").def(py::init<>()).def("value", py::method<&Base::value>);
    m.def("virtual_override", &virtual_override);
    m.def("array_call", &array_call);
    m.def("array_sum", &array_sum);
    m.def("array_return", &array_return);
}
