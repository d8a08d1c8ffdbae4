// Special methods of bound classes (test_classes_ops.py): every method that fills a type
// slot, each expected to behave as the same method written in Python would.
#include <pyowned/pyowned.h>
#include <pyowned/stl.h>

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace py = pyowned;

// A named namespace: the class registry keys classes by their C++ type's name, and types in
// anonymous namespaces of two modules have the same name (see AnonToken below).
namespace classes_ops {

// --- integer arithmetic with Python's rules ---------------------------------------------------------

long long floor_div(long long a, long long b) {
    if (b == 0) py::raise<py::ZeroDivisionError>("integer division or modulo by zero");
    long long q = a / b;
    if (a % b != 0 && ((a < 0) != (b < 0))) --q;
    return q;
}
long long floor_mod(long long a, long long b) {
    if (b == 0) py::raise<py::ZeroDivisionError>("integer division or modulo by zero");
    long long r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}
long long int_pow(long long base, long long exp) {
    if (exp < 0) throw std::domain_error("negative exponent");
    long long r = 1;
    while (exp-- > 0) r *= base;
    return r;
}
double true_div(double a, double b) {
    if (b == 0) py::raise<py::ZeroDivisionError>("division by zero");
    return a / b;
}

// --- Vec2: every binary operator, its reflected and its in-place form ---------------------------------

struct Vec2 {
    long long x = 0, y = 0;
};

template <class F>
Vec2 each(const Vec2& a, const Vec2& b, F f) {
    return Vec2{f(a.x, b.x), f(a.y, b.y)};
}
template <class F>
Vec2 each(const Vec2& a, long long k, F f) {
    return Vec2{f(a.x, k), f(a.y, k)};
}
template <class F>
Vec2 each(long long k, const Vec2& a, F f) {
    return Vec2{f(k, a.x), f(k, a.y)};
}

using Pair = std::tuple<double, double>;

// "(1, 2)" (appended piecewise: GCC 12's -Wrestrict misfires on chained std::string +)
std::string pair_text(const Vec2& v) {
    std::string out = "(";
    out += std::to_string(v.x);
    out += ", ";
    out += std::to_string(v.y);
    out += ")";
    return out;
}

// Binds an operator that takes a Vec2 or an int on either side: `__op__` (vector and scalar
// overloads), `__rop__` (scalar on the left) and `__iop__` (in place, returning void).
template <class F>
void bind_elementwise(py::Class<Vec2>& c, const char* forward, const char* reflected, const char* inplace, F f) {
    c.def(forward, [f](const Vec2& a, const Vec2& b) { return each(a, b, f); });
    c.def(forward, [f](const Vec2& a, long long k) { return each(a, k, f); });
    c.def(reflected, [f](const Vec2& a, long long k) { return each(k, a, f); });
    c.def(inplace, [f](Vec2& a, long long k) { a = each(a, k, f); });
}

// --- small classes, one behaviour each ------------------------------------------------------------

// Only forward operators: `1 + o` is the TypeError Python gives, `o += 1` falls back to __add__.
struct OneWay {
    long long v = 0;
};

// int(), float(), operator.index(), bool().
struct Num {
    long long v = 0;
};
// Only __index__: int() and float() fall back to it (as for Python classes since 3.10 / 3.8).
struct IndexOnly {
    long long v = 0;
};

// The sequence protocol with a C++ iterator class.
struct Seq {
    std::vector<long long> items;
};
struct SeqIter {
    std::vector<long long> items;
    std::size_t pos = 0;
};
std::size_t seq_index(const Seq& s, long long i) {
    long long n = static_cast<long long>(s.items.size());
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw std::out_of_range("Seq index out of range");
    return static_cast<std::size_t>(i);
}

// Only __len__ and __getitem__: iteration, `in` and reversed() through the sequence protocol.
struct Indexable {
    long long n = 0;
};

// __call__ with named, defaulted and keyword-only parameters; another with *args/**kwargs.
struct Affine {
    long long a = 1, b = 0;
};
struct Recorder {};

// __getattr__: called only when normal lookup fails.
struct Dyn {
    long long real = 1;
};

// Comparisons: __eq__ alone (unhashable; != must still be the negation), __lt__ alone.
struct EqOnly {
    long long v = 0;
};
struct LtOnly {
    long long v = 0;
};
// __hash__ results Python must reduce: -1, and an unsigned value above 2**63.
struct MinusOneHash {};
struct BigHash {};
// A negative __len__, and one beyond Py_ssize_t.
struct BadLen {};
struct HugeLen {};
// One-overload operators with a reflected form defined after (Scalar) or before (Rev) the
// forward one: the slot must serve both.
struct Scalar {
    long long v = 0;
};
struct Rev {
    long long v = 0;
};
// Operators with a parameter past the operand, defaulted: the slot passes the operand alone.
struct Weighted {
    long long v = 0;
};
// Special methods whose parameters are named: their slots go through the record.
struct NamedOps {
    long long v = 0;
};
// Only __repr__; and a class with no special method at all.
struct ReprOnly {};
struct Bare {};
// A class whose special methods are replaced from Python.
struct Patch {
    long long v = 0;
};

// A trivially destructible type whose heap objects are counted (its own operator new and
// delete): held inline, adopted from a std::unique_ptr, or shared from a std::shared_ptr.
struct Tiny {
    long long v = 0;
    static inline long long heap_live = 0;
    static void* operator new(std::size_t n) {
        ++heap_live;
        return ::operator new(n);
    }
    static void operator delete(void* p) {
        --heap_live;
        ::operator delete(p);
    }
};
static_assert(std::is_trivially_destructible_v<Tiny>);

}  // namespace classes_ops

// Types with internal linkage whose names classes_inherit_ext uses too, for its own,
// different types (test_classes_inherit.py: the two must not be taken for one another).
namespace {
struct AnonToken {
    long long v = 0;
};
struct AnonSized {
    char c = 0;
};
}  // namespace

using namespace classes_ops;

PYOWNED_MODULE(classes_ops_ext, m) {
    // --- Vec2 ------------------------------------------------------------------------------------------
    py::Class<Vec2> vec(m, "Vec2", "An integer vector with every operator.");
    vec.def(py::init<long long, long long>(), py::arg("x") = 0, py::arg("y") = 0)
        .def_rw("x", &Vec2::x)
        .def_rw("y", &Vec2::y)
        .def("__repr__", [](const Vec2& v) { return "Vec2" + pair_text(v); })
        .def("__str__", [](const Vec2& v) { return pair_text(v); })
        // __eq__ before __hash__: the class stays hashable
        .def("__eq__", [](const Vec2& a, const Vec2& b) { return a.x == b.x && a.y == b.y; })
        .def("__ne__", [](const Vec2& a, const Vec2& b) { return a.x != b.x || a.y != b.y; })
        .def("__lt__", [](const Vec2& a, const Vec2& b) { return std::tie(a.x, a.y) < std::tie(b.x, b.y); })
        .def("__le__", [](const Vec2& a, const Vec2& b) { return std::tie(a.x, a.y) <= std::tie(b.x, b.y); })
        .def("__gt__", [](const Vec2& a, const Vec2& b) { return std::tie(a.x, a.y) > std::tie(b.x, b.y); })
        .def("__ge__", [](const Vec2& a, const Vec2& b) { return std::tie(a.x, a.y) >= std::tie(b.x, b.y); })
        .def("__hash__", [](const Vec2& v) { return v.x * 1000003 + v.y; })
        .def("__bool__", [](const Vec2& v) { return v.x != 0 || v.y != 0; })
        .def("__neg__", [](const Vec2& v) { return Vec2{-v.x, -v.y}; })
        .def("__pos__", [](const Vec2& v) { return Vec2{v.x, v.y}; })
        .def("__abs__", [](const Vec2& v) { return Vec2{v.x < 0 ? -v.x : v.x, v.y < 0 ? -v.y : v.y}; })
        .def("__invert__", [](const Vec2& v) { return Vec2{~v.x, ~v.y}; });

    // + : the in-place form mutates (returns void), for a vector or a scalar
    vec.def("__add__", [](const Vec2& a, const Vec2& b) { return Vec2{a.x + b.x, a.y + b.y}; })
        .def("__add__", [](const Vec2& a, long long k) { return Vec2{a.x + k, a.y + k}; })
        .def("__radd__", [](const Vec2& a, long long k) { return Vec2{k + a.x, k + a.y}; })
        .def("__iadd__", [](Vec2& a, const Vec2& b) { a.x += b.x, a.y += b.y; })
        .def("__iadd__", [](Vec2& a, long long k) { a.x += k, a.y += k; });
    // - : the in-place form returns a new vector (the name is rebound, the object unchanged)
    vec.def("__sub__", [](const Vec2& a, const Vec2& b) { return Vec2{a.x - b.x, a.y - b.y}; })
        .def("__sub__", [](const Vec2& a, long long k) { return Vec2{a.x - k, a.y - k}; })
        .def("__rsub__", [](const Vec2& a, long long k) { return Vec2{k - a.x, k - a.y}; })
        .def("__isub__", [](const Vec2& a, const Vec2& b) { return Vec2{a.x - b.x, a.y - b.y}; })
        .def("__isub__", [](const Vec2& a, long long k) { return Vec2{a.x - k, a.y - k}; });
    // * : scalar and elementwise
    vec.def("__mul__", [](const Vec2& a, long long k) { return Vec2{a.x * k, a.y * k}; })
        .def("__mul__", [](const Vec2& a, const Vec2& b) { return Vec2{a.x * b.x, a.y * b.y}; })
        .def("__rmul__", [](const Vec2& a, long long k) { return Vec2{k * a.x, k * a.y}; })
        .def("__imul__", [](Vec2& a, long long k) { a.x *= k, a.y *= k; });
    // / : a tuple of floats; the in-place form returns one too (so `v /= 2` rebinds v to a tuple)
    vec.def("__truediv__",
            [](const Vec2& a, long long k) {
                return Pair{true_div(double(a.x), double(k)), true_div(double(a.y), double(k))};
            })
        .def("__truediv__",
             [](const Vec2& a, const Vec2& b) {
                 return Pair{true_div(double(a.x), double(b.x)), true_div(double(a.y), double(b.y))};
             })
        .def("__rtruediv__",
             [](const Vec2& a, long long k) {
                 return Pair{true_div(double(k), double(a.x)), true_div(double(k), double(a.y))};
             })
        .def("__itruediv__", [](const Vec2& a, long long k) {
            return Pair{true_div(double(a.x), double(k)), true_div(double(a.y), double(k))};
        });
    bind_elementwise(vec, "__floordiv__", "__rfloordiv__", "__ifloordiv__", floor_div);
    bind_elementwise(vec, "__mod__", "__rmod__", "__imod__", floor_mod);
    bind_elementwise(vec, "__pow__", "__rpow__", "__ipow__", int_pow);
    bind_elementwise(vec, "__lshift__", "__rlshift__", "__ilshift__", [](long long a, long long b) { return a << b; });
    bind_elementwise(vec, "__rshift__", "__rrshift__", "__irshift__", [](long long a, long long b) { return a >> b; });
    bind_elementwise(vec, "__and__", "__rand__", "__iand__", [](long long a, long long b) { return a & b; });
    bind_elementwise(vec, "__or__", "__ror__", "__ior__", [](long long a, long long b) { return a | b; });
    bind_elementwise(vec, "__xor__", "__rxor__", "__ixor__", [](long long a, long long b) { return a ^ b; });
    // @ : the dot product; reflected with a tuple on the left; in place returns an int
    vec.def("__matmul__", [](const Vec2& a, const Vec2& b) { return a.x * b.x + a.y * b.y; })
        .def("__rmatmul__",
             [](const Vec2& a, std::tuple<long long, long long> t) {
                 return std::get<0>(t) * a.x + std::get<1>(t) * a.y;
             })
        .def("__imatmul__", [](const Vec2& a, const Vec2& b) { return a.x * b.x + a.y * b.y; });
    vec.def("norm2", [](const Vec2& v) { return v.x * v.x + v.y * v.y; });

    // --- OneWay ----------------------------------------------------------------------------------------
    py::Class<OneWay>(m, "OneWay", "Forward operators only.")
        .def(py::init<long long>(), py::arg("v"))
        .def_ro("v", &OneWay::v)
        .def("__add__", [](const OneWay& a, long long k) { return OneWay{a.v + k}; })
        .def("__sub__", [](const OneWay& a, long long k) { return OneWay{a.v - k}; })
        .def("__eq__", [](const OneWay& a, const OneWay& b) { return a.v == b.v; })
        .def("__repr__", [](const OneWay& a) { return "OneWay(" + std::to_string(a.v) + ")"; });

    // --- numbers ---------------------------------------------------------------------------------------
    py::Class<Num>(m, "Num", "int(), float(), index(), bool().")
        .def(py::init<long long>(), py::arg("v"))
        .def("__int__", [](const Num& n) { return n.v; })
        .def("__float__", [](const Num& n) { return double(n.v) + 0.5; })  // + 0.5: float() used __float__
        .def("__index__", [](const Num& n) { return n.v; })
        .def("__bool__", [](const Num& n) { return n.v != 0; })
        .def("__repr__", [](const Num& n) { return "Num(" + std::to_string(n.v) + ")"; });
    py::Class<IndexOnly>(m, "IndexOnly")
        .def(py::init<long long>(), py::arg("v"))
        .def("__index__", [](const IndexOnly& n) { return n.v; });

    // --- containers ------------------------------------------------------------------------------------
    py::Class<SeqIter>(m, "SeqIter", "An iterator over a Seq's items.")
        .def("__iter__", [](py::Borrowed<SeqIter> self) { return self; })
        .def("__next__", [](SeqIter& it) -> long long {
            if (it.pos >= it.items.size()) throw py::Error::of<py::StopIteration>("");
            return it.items[it.pos++];
        });
    py::Class<Seq>(m, "Seq", "A list of ints.")
        .def(py::init<std::vector<long long>>(), py::arg("items"))
        .def("__len__", [](const Seq& s) { return s.items.size(); })
        .def("__getitem__", [](const Seq& s, long long i) { return s.items[seq_index(s, i)]; })
        .def("__setitem__", [](Seq& s, long long i, long long v) { s.items[seq_index(s, i)] = v; })
        .def("__delitem__",
             [](Seq& s, long long i) { s.items.erase(s.items.begin() + static_cast<std::ptrdiff_t>(seq_index(s, i))); })
        .def("__contains__",
             [](const Seq& s, long long v) {
                 for (long long x : s.items)
                     if (x == v) return true;
                 return false;
             })
        .def("__iter__", [](const Seq& s) { return SeqIter{s.items, 0}; })
        .def("tolist", [](const Seq& s) { return s.items; })
        .def("__repr__", [](const Seq& s) {
            std::string out = "Seq([";
            for (std::size_t i = 0; i < s.items.size(); ++i) out += (i ? ", " : "") + std::to_string(s.items[i]);
            return out + "])";
        });
    py::Class<Indexable>(m, "Indexable", "0, 10, 20, ... (n items).")
        .def(py::init<long long>(), py::arg("n"))
        .def("__len__", [](const Indexable& s) { return s.n; })
        .def("__getitem__", [](const Indexable& s, long long i) {
            if (i < 0) i += s.n;
            if (i < 0 || i >= s.n) throw std::out_of_range("Indexable index out of range");
            return 10 * i;
        });

    // --- calls -----------------------------------------------------------------------------------------
    py::Class<Affine>(m, "Affine", "x -> a * x + b.")
        .def(py::init<long long, long long>(), py::arg("a") = 1, py::arg("b") = 0)
        .def(
            "__call__",
            [](const Affine& f, long long x, long long scale, std::string tag) {
                return std::make_tuple((f.a * x + f.b) * scale, tag);
            },
            py::arg("x"), py::arg("scale") = 1, py::kw_only(), py::arg("tag") = std::string("none"));
    py::Class<Recorder>(m, "Recorder", "Calls give back (args, kwargs).")
        .def(py::init<>())
        .def("__call__", [](const Recorder&, py::Args args, py::Kwargs kwargs) {
            // (a method cannot take py::Python: it must lead, and self must be first)
            return py::Tuple::of(args.py(), py::Borrowed<py::Tuple>(args), py::Borrowed<py::Dict>(kwargs));
        });

    // --- attribute fallback ----------------------------------------------------------------------------
    py::Class<Dyn>(m, "Dyn", "Unknown attributes come from __getattr__.")
        .def(py::init<>())
        .def_rw("real", &Dyn::real)
        .def("method", [](const Dyn& d) { return d.real + 100; })
        .def("__getattr__", [](const Dyn&, std::string name) {
            if (name.rfind("missing", 0) == 0) py::raise<py::AttributeError>("Dyn has no attribute '" + name + "'");
            return "dyn:" + name;
        });

    // --- comparisons and hashing -----------------------------------------------------------------------
    py::Class<EqOnly>(m, "EqOnly", "__eq__ without __hash__.")
        .def(py::init<long long>(), py::arg("v"))
        .def("__eq__", [](const EqOnly& a, const EqOnly& b) { return a.v == b.v; });
    py::Class<LtOnly>(m, "LtOnly", "__lt__ alone.")
        .def(py::init<long long>(), py::arg("v"))
        .def("__lt__", [](const LtOnly& a, const LtOnly& b) { return a.v < b.v; });
    py::Class<MinusOneHash>(m, "MinusOneHash").def(py::init<>()).def("__hash__", [](const MinusOneHash&) {
        return -1LL;
    });
    py::Class<BigHash>(m, "BigHash").def(py::init<>()).def("__hash__", [](const BigHash&) {
        return static_cast<std::size_t>(-5);
    });  // 2**64 - 5
    py::Class<BadLen>(m, "BadLen").def(py::init<>()).def("__len__", [](const BadLen&) { return -1LL; });
    py::Class<HugeLen>(m, "HugeLen").def(py::init<>()).def("__len__", [](const HugeLen&) { return ~std::size_t{0}; });
    py::Class<Scalar>(m, "Scalar")
        .def(py::init<long long>(), py::arg("v"))
        .def_ro("v", &Scalar::v)
        .def("__add__", [](const Scalar& a, long long k) { return a.v + k; })
        .def("__radd__", [](const Scalar& a, long long k) { return 1000 * k + a.v; });
    py::Class<Rev>(m, "Rev")
        .def(py::init<long long>(), py::arg("v"))
        .def("__rsub__", [](const Rev& a, long long k) { return 1000 * k - a.v; })
        .def("__sub__", [](const Rev& a, long long k) { return a.v - k; });
    py::Class<Weighted>(m, "Weighted", "a + k is v + k * weight (weight=1); a == b compares v within tolerance=0.")
        .def(py::init<long long>(), py::arg("v"))
        .def(
            "__add__", [](const Weighted& a, long long k, long long weight) { return a.v + k * weight; }, py::arg("k"),
            py::arg("weight") = 1)
        .def(
            "__eq__",
            [](const Weighted& a, const Weighted& b, long long tolerance) {
                return (a.v > b.v ? a.v - b.v : b.v - a.v) <= tolerance;
            },
            py::arg("other"), py::arg("tolerance") = 0)
        .def("__hash__", [](const Weighted& a) { return a.v; });
    py::Class<NamedOps>(m, "NamedOps", "a + k is v + k; a[i] is v * i; both with named parameters.")
        .def(py::init<long long>(), py::arg("v"))
        .def(
            "__add__", [](const NamedOps& a, long long k) { return a.v + k; }, py::arg("k"))
        .def("__getitem__", [](const NamedOps& a, long long i) { return a.v * i; }, py::arg("i"));
    py::Class<ReprOnly>(m, "ReprOnly").def(py::init<>()).def("__repr__", [](const ReprOnly&) {
        return std::string("<ReprOnly>");
    });
    py::Class<Bare>(m, "Bare").def(py::init<>());
    py::Class<Patch>(m, "Patch", "Its special methods are replaced by the tests.")
        .def(py::init<long long>(), py::arg("v"))
        .def("__add__", [](const Patch& a, long long k) { return a.v + k; })
        .def("__len__", [](const Patch& a) { return a.v; });

    py::Class<AnonToken>(m, "AnonToken", "An anonymous-namespace type (sizeof 8).")
        .def(py::init<long long>(), py::arg("v"))
        .def_ro("v", &AnonToken::v);
    py::Class<AnonSized>(m, "AnonSized", "An anonymous-namespace type (sizeof 1).").def(py::init<>());

    py::Class<Tiny>(m, "Tiny", "A trivially destructible type.")
        .def(py::init<long long>(), py::arg("v"))
        .def_ro("v", &Tiny::v);
    m.def("tiny_unique", [](long long v) { return std::unique_ptr<Tiny>(new Tiny{v}); }, py::arg("v"));
    m.def("tiny_shared", [](long long v) { return std::shared_ptr<Tiny>(new Tiny{v}); }, py::arg("v"));
    m.def("tiny_heap_live", [] { return Tiny::heap_live; });
}
