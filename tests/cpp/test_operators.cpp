// Covers Python's operators on handles (types/operators.h): binary and unary operators with a
// handle or a C++ value on either side, the in-place protocol, the named forms, and what
// each raises for operands Python refuses.
#include "harness.h"

#include <cmath>
#include <string>
#include <vector>

namespace {

py::Owned<py::Any> define(py::Python py, const char* source, const char* name) {
    auto ns = py::Dict::empty(py);
    py::run(py, source, ns);
    return ns.get_item(name);
}

long long as_int(const py::Owned<py::Any>& h) { return h.extract<long long>(); }

// An object recording the operator methods called on it: `__add__` and `__radd__` return
// tuples naming the method and the other operand.
constexpr const char* recorder_source =
    "class Recorder:\n"
    "    def __add__(self, other): return ('add', other)\n"
    "    def __radd__(self, other): return ('radd', other)\n"
    "    def __matmul__(self, other): return ('matmul', other)\n"
    "    def __iadd__(self, other): return ('iadd', other)\n"
    "    def __neg__(self): return 'neg'\n"
    "    def __pos__(self): return 'pos'\n"
    "    def __invert__(self): return 'invert'\n"
    "    def __abs__(self): return 'abs'\n"
    "r = Recorder()\n";

}  // namespace

// --- binary operators ---

PYOWNED_TEST(Operators, ArithmeticOnInts) {
    auto a = py::Int::from(py, 7);
    auto b = py::Int::from(py, 3);
    EXPECT_EQ(as_int(a + b), 10);
    EXPECT_EQ(as_int(a - b), 4);
    EXPECT_EQ(as_int(a * b), 21);
    EXPECT_DOUBLE_EQ((a / b).extract<double>(), 7.0 / 3.0);  // true division
    EXPECT_EQ(as_int(a % b), 1);
    EXPECT_EQ(as_int(-a % b), 2);  // Python's sign rule, not C++'s
    EXPECT_EQ(as_int(a << b), 56);
    EXPECT_EQ(as_int(a >> 1), 3);
    EXPECT_EQ(as_int(a & b), 3);
    EXPECT_EQ(as_int(a | 8), 15);
    EXPECT_EQ(as_int(a ^ b), 4);
    EXPECT_EQ(as_int(-a), -7);
    EXPECT_EQ(as_int(+a), 7);
    EXPECT_EQ(as_int(~a), -8);
}

PYOWNED_TEST(Operators, CppValueOnEitherSide) {
    auto x = py::Float::from(py, 1.5);
    EXPECT_DOUBLE_EQ((x * 2.5).extract<double>(), 3.75);
    EXPECT_DOUBLE_EQ((1 + x).extract<double>(), 2.5);
    EXPECT_DOUBLE_EQ((10 - x).extract<double>(), 8.5);
    auto s = py::Str::from(py, "ab");
    EXPECT_EQ((s + "cd").extract<std::string>(), "abcd");
    EXPECT_EQ((std::string("zz") + s).extract<std::string>(), "zzab");
    EXPECT_EQ((s * 3).extract<std::string>(), "ababab");
    auto big = py::Int::from(py, 1) << 100;  // no C++ overflow: Python's ints
    EXPECT_EQ(big.str().extract<std::string>(), "1267650600228229401496703205376");
}

PYOWNED_TEST(Operators, BorrowedAndMixedTags) {
    auto list = py::List::from(py, std::vector<int>{1, 2});
    py::Borrowed<py::List> view = list;
    auto joined = view + py::List::from(py, std::vector<int>{3});
    EXPECT_EQ(joined.extract<std::vector<int>>(), (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(list.len(), 2);  // + made a new list
    auto t = py::Tuple::of(py, 1) + py::Tuple::of(py, "x");
    EXPECT_TRUE(t.eq(py::Tuple::of(py, 1, "x")));
}

PYOWNED_TEST(Operators, ReflectedMethodsRun) {
    auto r = define(py, recorder_source, "r");
    EXPECT_TRUE((r + 1).eq(py::Tuple::of(py, "add", 1)));
    EXPECT_TRUE((5 + r).eq(py::Tuple::of(py, "radd", 5)));  // int.__add__ says NotImplemented
    EXPECT_TRUE((-r).eq(py::Str::from(py, "neg")));
    EXPECT_TRUE((+r).eq(py::Str::from(py, "pos")));
    EXPECT_TRUE((~r).eq(py::Str::from(py, "invert")));
    EXPECT_TRUE(r.abs().eq(py::Str::from(py, "abs")));
    EXPECT_TRUE(r.matmul(2).eq(py::Tuple::of(py, "matmul", 2)));
}

PYOWNED_TEST(Operators, UnsupportedOperandsAreTypeError) {
    auto i = py::Int::from(py, 1);
    auto s = py::Str::from(py, "a");
    EXPECT_PY_ERROR((void)(i + s), py::TypeError, "unsupported operand type(s) for +: 'int' and 'str'");
    EXPECT_PY_ERROR((void)(s - 1), py::TypeError, "unsupported operand type(s) for -: 'str' and 'int'");
    EXPECT_PY_ERROR((void)(2.5 << i), py::TypeError, "unsupported operand type(s) for <<: 'float' and 'int'");
    EXPECT_PY_ERROR((void)i.matmul(i), py::TypeError, "unsupported operand type(s) for @: 'int' and 'int'");
    EXPECT_PY_ERROR((void)(-s), py::TypeError, "bad operand type for unary -: 'str'");
    EXPECT_PY_ERROR((void)(~py::Float::from(py, 1.0)), py::TypeError, "bad operand type for unary ~: 'float'");
    EXPECT_PY_ERROR((void)s.abs(), py::TypeError, "bad operand type for abs(): 'str'");
}

PYOWNED_TEST(Operators, ArithmeticErrors) {
    auto i = py::Int::from(py, 1);
    EXPECT_PY_ERROR((void)(i / 0), py::ZeroDivisionError, "division by zero");
    EXPECT_PY_ERROR((void)(i % 0), py::ZeroDivisionError, "modulo by zero");
    EXPECT_PY_ERROR((void)i.floor_div(0), py::ZeroDivisionError, "by zero");
    EXPECT_PY_ERROR((void)(i << -1), py::ValueError, "negative shift count");
    EXPECT_PY_ERROR((void)i.pow(2, 0), py::ValueError, "pow() 3rd argument cannot be 0");
}

PYOWNED_TEST(Operators, NamedForms) {
    auto a = py::Int::from(py, 7);
    EXPECT_EQ(as_int(a.floor_div(2)), 3);
    EXPECT_EQ(as_int((-a).floor_div(2)), -4);  // floor, not truncation
    EXPECT_EQ(as_int(a.pow(2)), 49);
    EXPECT_EQ(as_int(a.pow(2, 5)), 4);
    EXPECT_DOUBLE_EQ(a.pow(-1).extract<double>(), 1.0 / 7.0);
    EXPECT_EQ(as_int((-a).abs()), 7);
    auto f = py::Float::from(py, 2.0);
    EXPECT_DOUBLE_EQ(f.pow(0.5).extract<double>(), std::sqrt(2.0));
}

// --- in-place operators ---

PYOWNED_TEST(Operators, InPlaceOnAListExtendsIt) {
    py::Owned<py::Any> x = py::List::from(py, std::vector<int>{1});
    py::Owned<py::Any> same = x;
    x += py::List::from(py, std::vector<int>{2, 3});
    EXPECT_TRUE(x.is(same));  // list.__iadd__ returns the list itself
    EXPECT_EQ(same.extract<std::vector<int>>(), (std::vector<int>{1, 2, 3}));
    x *= 2;
    EXPECT_TRUE(x.is(same));
    EXPECT_EQ(same.len(), 6);
}

PYOWNED_TEST(Operators, InPlaceRebindsToANewObject) {
    py::Owned<py::Any> t = py::Tuple::of(py, 1);
    py::Owned<py::Any> before = t;
    t += py::Tuple::of(py, 2);
    EXPECT_FALSE(t.is(before));  // a tuple has no __iadd__: a new tuple
    EXPECT_TRUE(t.eq(py::Tuple::of(py, 1, 2)));
    EXPECT_TRUE(before.eq(py::Tuple::of(py, 1)));

    py::Owned<py::Any> n = py::Int::from(py, 5);
    n += 1;
    n -= 10;
    n *= -3;
    n <<= 2;
    n >>= 1;
    n |= 1;
    n &= 0xff;
    n ^= 2;
    n %= 7;
    EXPECT_EQ(as_int(n), 6);  // ((((((5 + 1 - 10) * -3) << 2) >> 1) | 1) & 0xff) ^ 2 = 27; 27 % 7
    n /= 2;
    EXPECT_TRUE(n.is_instance<py::Float>());  // Python's /, even in place

    auto r = define(py, recorder_source, "r");
    py::Owned<py::Any> any = r;
    any += 4;  // another type altogether
    EXPECT_TRUE(any.eq(py::Tuple::of(py, "iadd", 4)));
}

PYOWNED_TEST(Operators, InPlaceNamedFormsOnTypedHandles) {
    auto list = py::List::from(py, std::vector<int>{1});
    auto result = list.iadd(py::List::from(py, std::vector<int>{2}));
    EXPECT_TRUE(result.is(list));
    EXPECT_EQ(list.len(), 2);
    auto i = py::Int::from(py, 6);
    EXPECT_EQ(as_int(i.isub(1)), 5);
    EXPECT_EQ(as_int(i.imul(2)), 12);
    EXPECT_DOUBLE_EQ(i.itruediv(4).extract<double>(), 1.5);
    EXPECT_EQ(as_int(i.ifloor_div(4)), 1);
    EXPECT_EQ(as_int(i.imod(4)), 2);
    EXPECT_EQ(as_int(i.ipow(2)), 36);
    EXPECT_EQ(as_int(i.ilshift(1)), 12);
    EXPECT_EQ(as_int(i.irshift(1)), 3);
    EXPECT_EQ(as_int(i.iand(3)), 2);
    EXPECT_EQ(as_int(i.ior(1)), 7);
    EXPECT_EQ(as_int(i.ixor(5)), 3);
    EXPECT_EQ(as_int(i), 6);  // an int is immutable: every result is a new object
    EXPECT_PY_ERROR((void)i.imatmul(i), py::TypeError, "unsupported operand type(s) for @=: 'int' and 'int'");
    py::Owned<py::Any> s = py::Str::from(py, "x");
    EXPECT_PY_ERROR(s -= 1, py::TypeError, "unsupported operand type(s) for -=: 'str' and 'int'");
    EXPECT_TRUE(s.eq(py::Str::from(py, "x")));  // unchanged by the failed operation
}

// --- reference balance ---

PYOWNED_TEST(Operators, ReferencesBalanced) {
    auto obj = define(py,
                      "class Adder:\n"
                      "    def __add__(self, other): return other\n"
                      "    def __sub__(self, other): raise ValueError('no')\n"
                      "    def __iadd__(self, other): return self\n"
                      "a = Adder()\n",
                      "a");
    auto operand = pyowned_test::fresh_object(py);
    const Py_ssize_t obj_before = pyowned_test::refcnt(obj);
    const Py_ssize_t operand_before = pyowned_test::refcnt(operand);
    for (int i = 0; i < 100; ++i) {
        auto r = obj + operand;
        EXPECT_TRUE(r.is(operand));
        EXPECT_PY_ERROR((void)(obj - operand), py::ValueError, "no");
        EXPECT_PY_ERROR((void)(operand * obj), py::TypeError, "unsupported operand type(s) for *");
        py::Owned<py::Any> rebound = obj;
        rebound += operand;
        EXPECT_TRUE(rebound.is(obj));
    }
    EXPECT_EQ(pyowned_test::refcnt(obj), obj_before);
    EXPECT_EQ(pyowned_test::refcnt(operand), operand_before);
}
