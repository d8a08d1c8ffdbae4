// The benchmark's pybind11 peer: every function and class of bench/cases.py, written as an expert
// pybind11 user writes it for speed: typed parameters (int64_t, std::string_view, the
// py::dict/list/tuple/set wrappers), std containers taken by parameter type through
// pybind11/stl.h, py::cast<T> on borrowed items, pre-sized py::list/py::tuple filled by
// index.
//
// Names: pybind11 turns a const char* name into a new Python string on every access
// (PyObject_GetAttrString), so the attribute names are interned once into process-lifetime
// handles (pybind11's gil_safe_call_once_and_store, which deliberately leaks them so that
// no decref runs after finalization) and used through obj.attr(handle). Keyword names of a
// call go through "b"_a = 2, pybind11's only keyword form, which makes the name strings on
// each call.
//
// Arrays: py::array_t<double, c_style | forcecast> parameters (a C-contiguous float64
// NumPy array is taken as it is; anything else is converted), the sum read through
// unchecked<1>() (no bounds or dimension checks per item); the returned py::array_t is
// made over new[] memory with a py::capsule base that deletes it (no copy).
//
// Not defined (n/a): drop_detached, since pybind11 has no reference type that may be
// dropped without the GIL; err_roundtrip_throwing, since err_roundtrip already goes
// through the throwing call (pybind11 has no non-throwing call).
#include <pybind11/pybind11.h>
#include <pybind11/functional.h>
#include <pybind11/native_enum.h>
#include <pybind11/numpy.h>
#include <pybind11/operators.h>
#include <pybind11/gil_safe_call_once.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace py = pybind11;
using namespace py::literals;
using i64 = std::int64_t;

namespace {

// An interned attribute name, made on first use and kept for the process's lifetime.
template <const char* Name>
py::handle interned() {
    PYBIND11_CONSTINIT static py::gil_safe_call_once_and_store<py::str> storage;
    return storage
        .call_once_and_store_result([] { return py::reinterpret_steal<py::str>(PyUnicode_InternFromString(Name)); })
        .get_stored();
}
constexpr char kMethod[] = "method";
constexpr char kValue[] = "value";

// Python → native calls
void call_noop() {}
i64 call_add(i64 a, i64 b) { return a + b; }
i64 call_kwargs(i64 a, i64 b, i64 c) { return a + b + c; }
i64 call_str_len(std::string_view s) { return static_cast<i64>(s.size()); }

// Native object API
i64 iter_dict(const py::dict& d) {
    i64 sum = 0;
    for (auto [k, v] : d) sum += py::cast<i64>(k) + py::cast<i64>(v);
    return sum;
}

i64 dict_get_item(const py::dict& d) {
    i64 sum = 0;
    for (i64 i = 0, n = static_cast<i64>(d.size()); i < n; ++i) sum += py::cast<i64>(d[py::int_(i)]);
    return sum;
}

i64 dict_new(i64 n) {
    py::dict d;
    for (i64 i = 0; i < n; ++i) {
        py::int_ v(i);
        d[v] = v;  // {i: i}: one int object, as the comprehension makes
    }
    return static_cast<i64>(d.size());
}

i64 extract_hashmap(const std::unordered_map<i64, i64>& m) { return static_cast<i64>(m.size()); }
i64 extract_btreemap(const std::map<i64, i64>& m) { return static_cast<i64>(m.size()); }

i64 iter_list(const py::list& l) {
    i64 sum = 0;
    for (py::handle item : l) sum += py::cast<i64>(item);
    return sum;
}

i64 list_get_item(const py::list& l) {
    i64 sum = 0;
    for (size_t i = 0, n = l.size(); i < n; ++i) sum += py::cast<i64>(l[i]);
    return sum;
}

i64 list_new(i64 n) {
    py::list l(static_cast<size_t>(n));
    for (i64 i = 0; i < n; ++i) l[static_cast<size_t>(i)] = py::int_(i);
    return static_cast<i64>(l.size());
}

i64 extract_vec(const std::vector<i64>& v) { return static_cast<i64>(v.size()); }

i64 iter_tuple(const py::tuple& t) {
    i64 sum = 0;
    for (py::handle item : t) sum += py::cast<i64>(item);
    return sum;
}

i64 tuple_get_item(const py::tuple& t) {
    i64 sum = 0;
    for (size_t i = 0, n = t.size(); i < n; ++i) sum += py::cast<i64>(t[i]);
    return sum;
}

i64 tuple_new(i64 n) {
    py::tuple t(static_cast<size_t>(n));
    for (i64 i = 0; i < n; ++i) t[static_cast<size_t>(i)] = py::int_(i);
    return static_cast<i64>(t.size());
}

i64 iter_set(const py::set& s) {
    i64 sum = 0;
    for (py::handle item : s) sum += py::cast<i64>(item);
    return sum;
}

i64 extract_hashset(const std::unordered_set<i64>& s) { return static_cast<i64>(s.size()); }

i64 set_new(i64 n) {
    py::set s;
    for (i64 i = 0; i < n; ++i) s.add(py::int_(i));
    return static_cast<i64>(s.size());
}

i64 extract_str(const py::list& l) {
    i64 total = 0;
    for (py::handle item : l) total += static_cast<i64>(py::cast<std::string_view>(item).size());
    return total;
}

double extract_float(const py::list& l) {
    double sum = 0;
    for (py::handle item : l) sum += py::cast<double>(item);
    return sum;
}

// Native → Python calls
void call_0(const py::function& f, i64 n) {
    for (i64 i = 0; i < n; ++i) f();
}

void call_1(const py::function& f, const py::object& x, i64 n) {
    for (i64 i = 0; i < n; ++i) f(x);
}

// A class with a virtual method that Python subclasses override (a trampoline).
struct Base {
    virtual ~Base() = default;
    virtual i64 value(i64 i) const { return i; }
};
struct PyBase : Base {
    using Base::Base;
    i64 value(i64 i) const override { PYBIND11_OVERRIDE(i64, Base, value, i); }
};
i64 virtual_override(const Base& obj, i64 n) {
    i64 sum = 0;
    for (i64 i = 0; i < n; ++i) sum += obj.value(i);
    return sum;
}

i64 callback_call(const std::function<i64(i64)>& f, i64 n) {
    i64 sum = 0;
    for (i64 i = 0; i < n; ++i) sum += f(i);
    return sum;
}

void call_with_kwargs(const py::function& f, i64 n) {
    for (i64 i = 0; i < n; ++i) f(1, "b"_a = 2, "c"_a = 3);
}

void call_method_0(const py::object& obj, i64 n) {
    py::handle name = interned<kMethod>();
    for (i64 i = 0; i < n; ++i) obj.attr(name)();
}

i64 getattr_interned(const py::object& obj, i64 n) {
    py::handle name = interned<kValue>();
    i64 sum = 0;
    for (i64 i = 0; i < n; ++i) sum += py::cast<i64>(obj.attr(name));
    return sum;
}

// Lifetime
void drop_many_objects(i64 n) {
    for (i64 i = 0; i < n; ++i) (void)py::int_(i);
}

i64 err_roundtrip(const py::function& f, i64 n) {
    i64 failures = 0;
    for (i64 i = 0; i < n; ++i) {
        try {
            f();
        } catch (const py::error_already_set& e) {
            if (!e.matches(PyExc_ValueError)) throw;
            ++failures;  // the error is cleared when e goes out of scope
        }
    }
    return failures;
}

// Arrays
using InArray = py::array_t<double, py::array::c_style | py::array::forcecast>;

i64 array_call(const InArray& a) { return static_cast<i64>(a.size()); }

double array_sum(const InArray& a) {
    auto r = a.unchecked<1>();
    double sum = 0;
    for (py::ssize_t i = 0, n = r.shape(0); i < n; ++i) sum += r(i);
    return sum;
}

py::array_t<double> array_return(py::ssize_t n) {
    if (n < 0) throw py::value_error("array_return() size must be >= 0");
    double* data = new double[static_cast<size_t>(n)];
    for (py::ssize_t i = 0; i < n; ++i) data[i] = static_cast<double>(i);
    py::capsule owner(data, [](void* p) { delete[] static_cast<double*>(p); });
    return py::array_t<double>({n}, data, owner);
}

// Classes: plain C++ types, bound with py::class_ below.
struct Point {
    double x, y;
    double norm() const { return std::hypot(x, y); }
    void scale(double k) {
        x *= k;
        y *= k;
    }
    Point operator+(const Point& o) const { return {x + o.x, y + o.y}; }
};

double dist(const Point& p, const Point& q) { return std::hypot(p.x - q.x, p.y - q.y); }

enum class Color { red, green, blue };

struct Vec {
    std::vector<double> data;
    explicit Vec(size_t n) : data(n) {
        for (size_t i = 0; i < n; ++i) data[i] = static_cast<double>(i);
    }
    size_t size() const { return data.size(); }
    double at(Py_ssize_t i) const {  // v[i], negative i from the end, as a list
        auto n = static_cast<Py_ssize_t>(data.size());
        if (i < 0) i += n;
        if (i < 0 || i >= n) throw py::index_error("Vec index out of range");
        return data[static_cast<size_t>(i)];
    }
};

}  // namespace

PYBIND11_MODULE(bench_pybind11, m) {
    m.doc() = "pybind11's peer module of the benchmark (bench/cases.py).";
    m.def("call_noop", &call_noop);
    m.def("call_add", &call_add, py::arg("a"), py::arg("b"));
    m.def("call_kwargs", &call_kwargs, py::arg("a"), py::arg("b") = 2, py::arg("c") = 3);
    m.def("call_str_len", &call_str_len, py::arg("s"));
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
    m.def("callback_call", &callback_call);
    m.def("call_1", &call_1);
    m.def("call_with_kwargs", &call_with_kwargs);
    m.def("call_method_0", &call_method_0);
    m.def("getattr_interned", &getattr_interned);
    m.def("drop_many_objects", &drop_many_objects);
    m.def("err_roundtrip", &err_roundtrip);
    m.def("array_call", &array_call, py::arg("a"));
    m.def("array_sum", &array_sum, py::arg("a"));
    m.def("array_return", &array_return, py::arg("n"));
    py::class_<Point>(m, "Point")
        .def(py::init<double, double>(), py::arg("x"), py::arg("y"))
        .def_readwrite("x", &Point::x)
        .def_readwrite("y", &Point::y)
        .def("norm", &Point::norm)
        .def("scale", &Point::scale, py::arg("k"))
        .def("scale_pos", &Point::scale, py::arg("k"), py::pos_only())
        .def(py::self + py::self);
    m.def("dist", &dist, py::arg("p"), py::arg("q"));
    // pybind11 3's native_enum makes an enum.Enum (py::enum_ is its own, older enum type)
    py::native_enum<Color>(m, "Color", "enum.Enum")
        .value("RED", Color::red)
        .value("GREEN", Color::green)
        .value("BLUE", Color::blue)
        .finalize();
    m.def("enum_arg", [](Color c) { return static_cast<int64_t>(c); });
    py::class_<Base, PyBase>(m, "Base").def(py::init<>()).def("value", &Base::value);
    m.def("virtual_override", &virtual_override);
    py::class_<Vec>(m, "Vec")
        .def(py::init<size_t>(), py::arg("n"))
        .def("__len__", &Vec::size)
        .def("__getitem__", &Vec::at);
}
