// The benchmark's nanobind peer: every function and class of bench/cases.py, written as an expert
// nanobind user writes it for speed: typed parameters (int64_t, std::string_view, the
// nb::dict/list/tuple/set wrappers), std containers taken by parameter type through the
// stl casters, nb::cast<T> on borrowed items, nb::builder for sequences of known size.
//
// Names: the attribute names are interned once at import into process-lifetime handles
// (a deliberately leaked reference, so no decref runs after finalization) and used through
// obj.attr(handle); obj.attr(name)() is a vectorcall method call (no bound method object).
// This is the fastest form: nanobind also memoizes the string of a literal name, but
// obj.attr("value") probes that cache on every access, which callgrind counts as about a
// fifth more instructions per read of obj.value and a tenth more per obj.method() call.
// Keyword names of a call are given as "b"_a = 2, nanobind's keyword form, whose name
// strings come from that same cache.
//
// Arrays: nb::ndarray parameters (const double, 1-D, C-contiguous, CPU memory: nanobind
// takes a NumPy array through the buffer protocol or DLPack, without a copy), read through
// view(); the returned nb::ndarray<nb::numpy, ...> is made over new[] memory owned by an
// nb::capsule that deletes it, and nanobind hands it to NumPy without a copy.
//
// Not defined (n/a): drop_detached, since nanobind has no reference type that may be
// dropped while detached (nb::object's destructor needs the GIL); err_roundtrip_throwing,
// since err_roundtrip already goes through the throwing call (nanobind has no
// non-throwing call), so the two rows would be the same code.
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/operators.h>
#include <nanobind/stl/function.h>
#include <nanobind/trampoline.h>
#include <nanobind/stl/map.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/unordered_map.h>
#include <nanobind/stl/unordered_set.h>
#include <nanobind/stl/vector.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace nb = nanobind;
using namespace nb::literals;
using i64 = std::int64_t;

namespace {

nb::handle name_method, name_value;  // interned at import, never released

// Python → native calls
void call_noop() {}
i64 call_add(i64 a, i64 b) { return a + b; }
i64 call_kwargs(i64 a, i64 b, i64 c) { return a + b + c; }
i64 call_str_len(std::string_view s) { return static_cast<i64>(s.size()); }

// Native object API
i64 iter_dict(nb::dict d) {
    i64 sum = 0;
    for (auto [k, v] : d) sum += nb::cast<i64>(k) + nb::cast<i64>(v);
    return sum;
}

i64 dict_get_item(nb::dict d) {
    i64 sum = 0;
    for (i64 i = 0, n = static_cast<i64>(d.size()); i < n; ++i) sum += nb::cast<i64>(d[nb::int_(i)]);
    return sum;
}

i64 dict_new(i64 n) {
    nb::dict d;
    for (i64 i = 0; i < n; ++i) {
        nb::int_ v(i);
        d[v] = v;  // {i: i}: one int object, as the comprehension makes
    }
    return static_cast<i64>(d.size());
}

i64 extract_hashmap(const std::unordered_map<i64, i64>& m) { return static_cast<i64>(m.size()); }
i64 extract_btreemap(const std::map<i64, i64>& m) { return static_cast<i64>(m.size()); }

i64 iter_list(nb::list l) {
    i64 sum = 0;
    for (nb::handle item : l) sum += nb::cast<i64>(item);
    return sum;
}

i64 list_get_item(nb::list l) {
    i64 sum = 0;
    for (size_t i = 0, n = l.size(); i < n; ++i) sum += nb::cast<i64>(l[i]);
    return sum;
}

i64 list_new(i64 n) {
    nb::list_builder b(static_cast<size_t>(n));
    for (i64 i = 0; i < n; ++i) b.put(i);
    return static_cast<i64>(b.commit().size());
}

i64 extract_vec(const std::vector<i64>& v) { return static_cast<i64>(v.size()); }

i64 iter_tuple(nb::tuple t) {
    i64 sum = 0;
    for (nb::handle item : t) sum += nb::cast<i64>(item);
    return sum;
}

i64 tuple_get_item(nb::tuple t) {
    i64 sum = 0;
    for (size_t i = 0, n = t.size(); i < n; ++i) sum += nb::cast<i64>(t[i]);
    return sum;
}

i64 tuple_new(i64 n) {
    nb::tuple_builder b(static_cast<size_t>(n));
    for (i64 i = 0; i < n; ++i) b.put(i);
    return static_cast<i64>(b.commit().size());
}

i64 iter_set(nb::set s) {
    i64 sum = 0;
    for (nb::handle item : s) sum += nb::cast<i64>(item);
    return sum;
}

i64 extract_hashset(const std::unordered_set<i64>& s) { return static_cast<i64>(s.size()); }

i64 set_new(i64 n) {
    nb::set s;
    for (i64 i = 0; i < n; ++i) s.add(i);
    return static_cast<i64>(s.size());
}

i64 extract_str(nb::list l) {
    i64 total = 0;
    for (nb::handle item : l) total += static_cast<i64>(nb::cast<std::string_view>(item).size());
    return total;
}

double extract_float(nb::list l) {
    double sum = 0;
    for (nb::handle item : l) sum += nb::cast<double>(item);
    return sum;
}

// Native → Python calls
void call_0(nb::callable f, i64 n) {
    for (i64 i = 0; i < n; ++i) f();
}

void call_1(nb::callable f, nb::object x, i64 n) {
    for (i64 i = 0; i < n; ++i) f(x);
}

// A class with a virtual method that Python subclasses override (a trampoline).
struct Base {
    virtual ~Base() = default;
    virtual i64 value(i64 i) const { return i; }
};
struct PyBase : Base {
    NB_TRAMPOLINE(Base, 1);
    i64 value(i64 i) const override { NB_OVERRIDE(value, i); }
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

void call_with_kwargs(nb::callable f, i64 n) {
    for (i64 i = 0; i < n; ++i) f(1, "b"_a = 2, "c"_a = 3);
}

void call_method_0(nb::object obj, i64 n) {
    for (i64 i = 0; i < n; ++i) obj.attr(name_method)();
}

i64 getattr_interned(nb::object obj, i64 n) {
    i64 sum = 0;
    for (i64 i = 0; i < n; ++i) sum += nb::cast<i64>(obj.attr(name_value));
    return sum;
}

// Lifetime
void drop_many_objects(i64 n) {
    for (i64 i = 0; i < n; ++i) (void)nb::int_(i);
}

i64 err_roundtrip(nb::callable f, i64 n) {
    i64 failures = 0;
    for (i64 i = 0; i < n; ++i) {
        try {
            f();
        } catch (const nb::python_error& e) {
            if (!e.matches(PyExc_ValueError)) throw;
            ++failures;  // the error is cleared when e goes out of scope
        }
    }
    return failures;
}

// Arrays
using InArray = nb::ndarray<const double, nb::ndim<1>, nb::c_contig, nb::device::cpu>;
using OutArray = nb::ndarray<nb::numpy, double, nb::ndim<1>>;

i64 array_call(const InArray& a) { return static_cast<i64>(a.shape(0)); }

double array_sum(const InArray& a) {
    auto v = a.view();  // the data pointer and a compile-time unit stride (c_contig)
    double sum = 0;
    for (size_t i = 0, n = v.shape(0); i < n; ++i) sum += v(i);
    return sum;
}

OutArray array_return(size_t n) {
    double* data = new double[n];
    for (size_t i = 0; i < n; ++i) data[i] = static_cast<double>(i);
    nb::capsule owner(data, [](void* p) noexcept { delete[] static_cast<double*>(p); });
    return OutArray(data, {n}, owner);
}

// Classes: plain C++ types, bound with nb::class_ below.
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
        if (i < 0 || i >= n) throw nb::index_error("Vec index out of range");
        return data[static_cast<size_t>(i)];
    }
};

}  // namespace

NB_MODULE(bench_nanobind, m) {
    m.doc() = "nanobind's peer module of the benchmark (bench/cases.py).";
    name_method = PyUnicode_InternFromString("method");
    name_value = PyUnicode_InternFromString("value");
    if (!name_method.is_valid() || !name_value.is_valid()) throw nb::python_error();
    m.def("call_noop", &call_noop);
    m.def("call_add", &call_add, "a"_a, "b"_a);
    m.def("call_kwargs", &call_kwargs, "a"_a, "b"_a = 2, "c"_a = 3);
    m.def("call_str_len", &call_str_len, "s"_a);
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
    m.def("err_roundtrip", &err_roundtrip);
    m.def("array_call", &array_call, "a"_a);
    m.def("array_sum", &array_sum, "a"_a);
    m.def("array_return", &array_return, "n"_a);
    nb::class_<Point>(m, "Point")
        .def(nb::init<double, double>(), "x"_a, "y"_a)
        .def_rw("x", &Point::x)
        .def_rw("y", &Point::y)
        .def("norm", &Point::norm)
        .def("scale", &Point::scale, "k"_a)
        .def("scale_pos", &Point::scale)  // no name: positional-only
        .def(nb::self + nb::self);
    m.def("dist", &dist, "p"_a, "q"_a);
    nb::enum_<Color>(m, "Color").value("RED", Color::red).value("GREEN", Color::green).value("BLUE", Color::blue);
    m.def("enum_arg", [](Color c) { return static_cast<int64_t>(c); });
    nb::class_<Base, PyBase>(m, "Base").def(nb::init<>()).def("value", &Base::value);
    m.def("virtual_override", &virtual_override);
    nb::class_<Vec>(m, "Vec").def(nb::init<size_t>(), "n"_a).def("__len__", &Vec::size).def("__getitem__", &Vec::at);
}
