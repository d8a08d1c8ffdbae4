// Covers the built-in conversions (api.md section 4): integers, floating point, bool, strings, handles.
#include "harness.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>

using namespace std::string_view_literals;

namespace {

// Runs `source` in a fresh namespace and returns the global `name` it defines.
py::Owned<py::Any> define(py::Python py, const char* source, const char* name) {
    auto ns = py::Dict::empty(py);
    py::run(py, source, ns);
    return ns.get_item(name);
}

py::Owned<py::Any> eval(py::Python py, const std::string& expression) { return py::eval(py, expression.c_str()); }

// A class whose instances convert through __index__ to the int they were made with.
py::Owned<py::Any> index_class(py::Python py) {
    return define(py,
                  "class Idx:\n"
                  "    def __init__(self, v): self.v = v\n"
                  "    def __index__(self): return self.v\n",
                  "Idx");
}

// The fixed-width C type name a conversion error names for T.
template <class T>
std::string c_name() {
    std::string bits = std::to_string(sizeof(T) * 8);
    return (std::is_signed_v<T> ? "int" : "uint") + bits + "_t";
}

std::uint64_t bits_of(double d) {
    std::uint64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    return bits;
}

double from_bits(std::uint64_t bits) {
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
}

// Everything the integer conversions promise, for one C++ integer type.
template <class T>
void check_integer_type(py::Python py) {
    using L = std::numeric_limits<T>;
    const std::string min = std::to_string(L::min()), max = std::to_string(L::max());
    const std::string too_large = "Python int too large to convert to C " + c_name<T>();
    const std::string too_small = "Python int too small to convert to C " + c_name<T>();
    const std::string negative = "can't convert negative int to unsigned";

    // C++ -> Python gives the right int; Python -> C++ gives it back.
    for (T v : std::initializer_list<T>{L::min(), L::max(), T{0}, T{1}}) {
        const std::string text = std::to_string(v);
        py::Owned<py::Any> obj = py::into_py(py, v);
        py::Owned<py::Int> made = py::Int::from(py, v);
        py::Owned<py::Any> from_python = eval(py, text);
        EXPECT_TRUE(obj.is_instance<py::Int>());
        EXPECT_TRUE(obj.eq(from_python)) << obj.repr().to_string() << " != " << text;
        EXPECT_TRUE(made.eq(from_python));
        EXPECT_EQ(obj.extract<T>(), v);
        EXPECT_EQ(made.extract<T>(), v);
        EXPECT_EQ(from_python.extract<T>(), v);
    }

    // One past either end.
    EXPECT_PY_ERROR((void)eval(py, max + " + 1").extract<T>(), py::OverflowError, too_large);
    if constexpr (std::is_signed_v<T>) {
        EXPECT_PY_ERROR((void)eval(py, min + " - 1").extract<T>(), py::OverflowError, too_small);
        EXPECT_PY_ERROR((void)eval(py, "-10**100").extract<T>(), py::OverflowError, too_small);
    } else {
        EXPECT_PY_ERROR((void)eval(py, "-1").extract<T>(), py::OverflowError, negative);
        EXPECT_PY_ERROR((void)eval(py, "-10**100").extract<T>(), py::OverflowError, negative);
    }
    EXPECT_PY_ERROR((void)eval(py, "10**100").extract<T>(), py::OverflowError, too_large);
    EXPECT_EQ(eval(py, max + " + 1").try_extract<T>(), std::nullopt);
    EXPECT_FALSE(PyErr_Occurred());

    // Not an int: TypeError, and the try_ form says "no" without an error.
    EXPECT_PY_ERROR((void)py::Float::from(py, 1.0).extract<T>(), py::TypeError,
                    "'float' object cannot be converted to 'int'");
    EXPECT_PY_ERROR((void)py::Str::from(py, "1").extract<T>(), py::TypeError,
                    "'str' object cannot be converted to 'int'");
    EXPECT_PY_ERROR((void)py::None::get(py).extract<T>(), py::TypeError,
                    "'NoneType' object cannot be converted to 'int'");
    EXPECT_EQ(py::Float::from(py, 1.0).try_extract<T>(), std::nullopt);

    // bool is an int.
    EXPECT_EQ(py::Bool::get(py, true).extract<T>(), T{1});
    EXPECT_EQ(py::Bool::get(py, false).extract<T>(), T{0});

    // __index__ converts, with the same range checks.
    auto idx = index_class(py);
    EXPECT_EQ(idx(L::max()).template extract<T>(), L::max());
    EXPECT_EQ(idx(L::min()).template extract<T>(), L::min());
    EXPECT_PY_ERROR((void)idx(eval(py, max + " + 1")).template extract<T>(), py::OverflowError, too_large);
    if constexpr (!std::is_signed_v<T>)
        EXPECT_PY_ERROR((void)idx(-1).template extract<T>(), py::OverflowError, negative);
}

// Whether extract<T>() can be called on a temporary handle of type H.
template <class H, class T>
concept ExtractableFromTemporary = requires(H&& h) { std::move(h).template extract<T>(); };

}  // namespace

// --- integers: every type ---

PYOWNED_TEST(ConvertInt, Int8) { check_integer_type<std::int8_t>(py); }
PYOWNED_TEST(ConvertInt, Int16) { check_integer_type<std::int16_t>(py); }
PYOWNED_TEST(ConvertInt, Int32) { check_integer_type<std::int32_t>(py); }
PYOWNED_TEST(ConvertInt, Int64) { check_integer_type<std::int64_t>(py); }
PYOWNED_TEST(ConvertInt, UInt8) { check_integer_type<std::uint8_t>(py); }
PYOWNED_TEST(ConvertInt, UInt16) { check_integer_type<std::uint16_t>(py); }
PYOWNED_TEST(ConvertInt, UInt32) { check_integer_type<std::uint32_t>(py); }
PYOWNED_TEST(ConvertInt, UInt64) { check_integer_type<std::uint64_t>(py); }
PYOWNED_TEST(ConvertInt, SignedChar) { check_integer_type<signed char>(py); }
PYOWNED_TEST(ConvertInt, UnsignedChar) { check_integer_type<unsigned char>(py); }
PYOWNED_TEST(ConvertInt, Short) { check_integer_type<short>(py); }
PYOWNED_TEST(ConvertInt, UnsignedShort) { check_integer_type<unsigned short>(py); }
PYOWNED_TEST(ConvertInt, Int) { check_integer_type<int>(py); }
PYOWNED_TEST(ConvertInt, Unsigned) { check_integer_type<unsigned>(py); }
PYOWNED_TEST(ConvertInt, Long) { check_integer_type<long>(py); }
PYOWNED_TEST(ConvertInt, UnsignedLong) { check_integer_type<unsigned long>(py); }
PYOWNED_TEST(ConvertInt, LongLong) { check_integer_type<long long>(py); }
PYOWNED_TEST(ConvertInt, UnsignedLongLong) { check_integer_type<unsigned long long>(py); }
PYOWNED_TEST(ConvertInt, SizeT) { check_integer_type<std::size_t>(py); }
PYOWNED_TEST(ConvertInt, PySsizeT) { check_integer_type<Py_ssize_t>(py); }

// --- integers: specific paths ---

PYOWNED_TEST(ConvertInt, ExactMessages) {
    EXPECT_PY_ERROR((void)py::into_py(py, 128).extract<std::int8_t>(), py::OverflowError,
                    "OverflowError: Python int too large to convert to C int8_t");
    EXPECT_PY_ERROR((void)py::into_py(py, -129).extract<std::int8_t>(), py::OverflowError,
                    "OverflowError: Python int too small to convert to C int8_t");
    EXPECT_PY_ERROR((void)py::into_py(py, -1).extract<std::uint32_t>(), py::OverflowError,
                    "OverflowError: can't convert negative int to unsigned");
    EXPECT_PY_ERROR((void)eval(py, "2**64").extract<std::uint64_t>(), py::OverflowError,
                    "OverflowError: Python int too large to convert to C uint64_t");
}

PYOWNED_TEST(ConvertInt, IntSubclassConverts) {
    auto sub = define(py, "class MyInt(int): pass\n", "MyInt");
    EXPECT_EQ(sub(41).extract<int>(), 41);
    EXPECT_EQ(eval(py, "__import__('enum').IntEnum('E', 'A B')(2)").extract<int>(), 2);
}

PYOWNED_TEST(ConvertInt, IndexRaisingPropagates) {
    auto cls = define(py, "class Bad:\n    def __index__(self): raise ValueError('bad index')\n", "Bad");
    EXPECT_PY_ERROR((void)cls().extract<int>(), py::ValueError, "bad index");
    EXPECT_EQ(cls().try_extract<int>(), std::nullopt);
    EXPECT_FALSE(PyErr_Occurred());
}

// KeyboardInterrupt, SystemExit, MemoryError and RecursionError are never "does not
// convert": try_extract throws them (any other error it clears).
PYOWNED_TEST(ConvertInt, TryExtractPassesInterruptsOn) {
    auto cls = define(py, "class Stop:\n    def __init__(self, e): self.e = e\n    def __index__(self): raise self.e\n",
                      "Stop");
    auto builtins = py::import(py, "builtins");
    for (const char* name : {"KeyboardInterrupt", "SystemExit", "MemoryError", "RecursionError"}) {
        auto type = builtins.getattr(name);
        auto stop = cls(type);
        bool thrown = false;
        try {
            (void)stop.try_extract<int>();
        } catch (const py::Error& e) {
            thrown = true;
            EXPECT_TRUE(e.matches(py, type)) << name << ": " << e.what();
        }
        EXPECT_TRUE(thrown) << name << " was swallowed";
        EXPECT_FALSE(PyErr_Occurred());
    }
    EXPECT_EQ(cls(builtins.getattr("ArithmeticError")).try_extract<int>(), std::nullopt);
    EXPECT_FALSE(PyErr_Occurred());
}

PYOWNED_TEST(ConvertInt, IndexReturningNonIntIsTypeError) {
    auto idx = index_class(py);
    EXPECT_PY_ERROR((void)idx("3").extract<int>(), py::TypeError, "__index__ returned non-int (type str)");
}

PYOWNED_TEST(ConvertInt, ObjectWithOnlyIntIsNotAnInt) {
    // __int__ alone is not __index__: Python's operator.index refuses it too.
    auto cls = define(py, "class OnlyInt:\n    def __int__(self): return 3\n", "OnlyInt");
    EXPECT_PY_ERROR((void)cls().extract<int>(), py::TypeError, "'OnlyInt' object cannot be converted to 'int'");
}

PYOWNED_TEST(ConvertInt, DecimalAndFractionAreNotInts) {
    EXPECT_PY_ERROR((void)eval(py, "__import__('decimal').Decimal(1)").extract<int>(), py::TypeError,
                    "'decimal.Decimal' object cannot be converted to 'int'");
    EXPECT_PY_ERROR((void)eval(py, "__import__('fractions').Fraction(1)").extract<long>(), py::TypeError,
                    "cannot be converted to 'int'");
}

PYOWNED_TEST(ConvertInt, ReferenceBalance) {
    auto big = eval(py, "10**30 + 7");         // too large for every C type
    auto negative = eval(py, "-(2**40) - 5");  // fits int64, not int32, not unsigned
    auto idx = index_class(py);
    auto via_index = idx(negative);
    auto flt = eval(py, "float(10**10) + 0.5");
    const auto big_before = pyowned_test::refcnt(big), neg_before = pyowned_test::refcnt(negative);
    const auto idx_before = pyowned_test::refcnt(via_index), flt_before = pyowned_test::refcnt(flt);
    for (int i = 0; i < 1000; ++i) {
        ASSERT_EQ(big.try_extract<std::int64_t>(), std::nullopt);
        ASSERT_EQ(big.try_extract<std::uint64_t>(), std::nullopt);
        ASSERT_EQ(negative.extract<std::int64_t>(), -(std::int64_t{1} << 40) - 5);
        ASSERT_EQ(negative.try_extract<std::uint16_t>(), std::nullopt);
        ASSERT_EQ(via_index.extract<long long>(), -(1LL << 40) - 5);
        ASSERT_EQ(via_index.try_extract<int>(), std::nullopt);
        ASSERT_EQ(flt.try_extract<int>(), std::nullopt);
        try {
            (void)big.extract<std::int32_t>();
        } catch (const py::Error& e) {
            ASSERT_TRUE(e.matches<py::OverflowError>(py));
        }
        try {
            (void)via_index.extract<unsigned>();
        } catch (const py::Error& e) {
            ASSERT_TRUE(e.matches<py::OverflowError>(py));
        }
    }
    EXPECT_EQ(pyowned_test::refcnt(big), big_before);
    EXPECT_EQ(pyowned_test::refcnt(negative), neg_before);
    EXPECT_EQ(pyowned_test::refcnt(via_index), idx_before);
    EXPECT_EQ(pyowned_test::refcnt(flt), flt_before);
    EXPECT_FALSE(PyErr_Occurred());
}

// --- floating point ---

PYOWNED_TEST(ConvertFloat, RoundTrip) {
    for (double d : {0.0, 1.5, -2.25, 1e300, -1e-300, std::numeric_limits<double>::max(),
                     std::numeric_limits<double>::denorm_min()}) {
        auto obj = py::into_py(py, d);
        EXPECT_TRUE(obj.is_instance<py::Float>());
        EXPECT_EQ(bits_of(obj.extract<double>()), bits_of(d));
    }
    EXPECT_EQ(py::into_py(py, 0.25f).extract<float>(), 0.25f);
    EXPECT_TRUE(py::into_py(py, 0.1f).eq(static_cast<double>(0.1f)));
}

PYOWNED_TEST(ConvertFloat, NanRoundTripsBitExactly) {
    for (std::uint64_t bits : {bits_of(std::numeric_limits<double>::quiet_NaN()), std::uint64_t{0x7ff8000000000123},
                               std::uint64_t{0xfff8000000000000}}) {
        double nan = from_bits(bits);
        auto obj = py::into_py(py, nan);
        EXPECT_TRUE(eval(py, "__import__('math').isnan").call(obj).is_truthy());
        EXPECT_EQ(bits_of(obj.extract<double>()), bits);
    }
    auto python_nan = eval(py, "float('nan')");
    EXPECT_TRUE(std::isnan(python_nan.extract<double>()));
    EXPECT_TRUE(std::isnan(python_nan.extract<float>()));
}

PYOWNED_TEST(ConvertFloat, InfinitiesAndNegativeZero) {
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_EQ(py::into_py(py, inf).extract<double>(), inf);
    EXPECT_EQ(py::into_py(py, -inf).extract<double>(), -inf);
    EXPECT_TRUE(py::into_py(py, inf).eq(eval(py, "float('inf')")));
    EXPECT_TRUE(py::into_py(py, -inf).eq(eval(py, "float('-inf')")));
    double negative_zero = py::into_py(py, -0.0).extract<double>();
    EXPECT_EQ(negative_zero, 0.0);
    EXPECT_TRUE(std::signbit(negative_zero));
    EXPECT_TRUE(std::signbit(eval(py, "-0.0").extract<double>()));
    EXPECT_FALSE(std::signbit(eval(py, "0.0").extract<double>()));
    EXPECT_EQ(eval(py, "str(-0.0)").extract<std::string>(), "-0.0");
    EXPECT_EQ(py::into_py(py, -0.0).str().to_string(), "-0.0");
    // float too
    EXPECT_EQ(eval(py, "float('inf')").extract<float>(), std::numeric_limits<float>::infinity());
    EXPECT_EQ(eval(py, "float('-inf')").extract<float>(), -std::numeric_limits<float>::infinity());
    EXPECT_TRUE(std::signbit(eval(py, "-0.0").extract<float>()));
    EXPECT_TRUE(std::signbit(py::into_py(py, -0.0f).extract<float>()));
}

PYOWNED_TEST(ConvertFloat, IntConvertsToDouble) {
    EXPECT_EQ(py::into_py(py, 3).extract<double>(), 3.0);
    EXPECT_EQ(eval(py, "-(2**53)").extract<double>(), -9007199254740992.0);
    EXPECT_EQ(eval(py, "10**300").extract<double>(), 1e300);
    EXPECT_EQ(py::Bool::get(py, true).extract<double>(), 1.0);
}

PYOWNED_TEST(ConvertFloat, HugeIntIsOverflowError) {
    EXPECT_PY_ERROR((void)eval(py, "10**400").extract<double>(), py::OverflowError,
                    "int too large to convert to float");
    EXPECT_PY_ERROR((void)eval(py, "-10**400").extract<float>(), py::OverflowError,
                    "int too large to convert to float");
}

PYOWNED_TEST(ConvertFloat, DunderFloatConverts) {
    auto cls = define(py, "class F:\n    def __float__(self): return 2.5\n", "F");
    EXPECT_EQ(cls().extract<double>(), 2.5);
    EXPECT_EQ(cls().extract<float>(), 2.5f);
    auto idx = index_class(py);
    EXPECT_EQ(idx(7).extract<double>(), 7.0);
}

PYOWNED_TEST(ConvertFloat, DunderFloatRaisingPropagates) {
    auto cls = define(py, "class F:\n    def __float__(self): raise ValueError('no float')\n", "F");
    EXPECT_PY_ERROR((void)cls().extract<double>(), py::ValueError, "no float");
    auto wrong = define(py, "class F:\n    def __float__(self): return 'x'\n", "F");
    EXPECT_PY_ERROR((void)wrong().extract<double>(), py::TypeError, "F.__float__ returned non-float (type str)");
}

PYOWNED_TEST(ConvertFloat, TooLargeForFloatIsOverflowError) {
    EXPECT_PY_ERROR((void)py::into_py(py, 1e300).extract<float>(), py::OverflowError,
                    "Python float too large to convert to C float");
    EXPECT_PY_ERROR((void)py::into_py(py, -1e39).extract<float>(), py::OverflowError,
                    "too large to convert to C float");
    EXPECT_EQ(py::into_py(py, 1e300).try_extract<float>(), std::nullopt);
    EXPECT_FALSE(PyErr_Occurred());
    EXPECT_EQ(py::into_py(py, 1e300).extract<double>(), 1e300);
    EXPECT_EQ(py::into_py(py, static_cast<double>(std::numeric_limits<float>::max())).extract<float>(),
              std::numeric_limits<float>::max());
}

PYOWNED_TEST(ConvertFloat, StrAndNoneAreTypeError) {
    EXPECT_PY_ERROR((void)py::Str::from(py, "1.5").extract<double>(), py::TypeError,
                    "'str' object cannot be converted to 'float'");
    EXPECT_PY_ERROR((void)py::None::get(py).extract<float>(), py::TypeError,
                    "'NoneType' object cannot be converted to 'float'");
    EXPECT_PY_ERROR((void)py::List::empty(py).extract<double>(), py::TypeError,
                    "'list' object cannot be converted to 'float'");
    EXPECT_EQ(py::Str::from(py, "1.5").try_extract<double>(), std::nullopt);
    EXPECT_FALSE(PyErr_Occurred());
}

PYOWNED_TEST(ConvertFloat, ReferenceBalance) {
    auto flt = eval(py, "float(10**300) * 1.5");
    auto huge = eval(py, "10**400 + 3");
    auto cls = define(py,
                      "class F:\n    def __init__(self): self.f = float(10**10) + 0.25\n"
                      "    def __float__(self): return self.f\n",
                      "F");
    auto dunder = cls();
    auto inner = dunder.getattr("f");
    const auto flt_before = pyowned_test::refcnt(flt), huge_before = pyowned_test::refcnt(huge);
    const auto dunder_before = pyowned_test::refcnt(dunder), inner_before = pyowned_test::refcnt(inner);
    for (int i = 0; i < 1000; ++i) {
        ASSERT_EQ(flt.extract<double>(), 1.5e300);
        ASSERT_EQ(flt.try_extract<float>(), std::nullopt);
        ASSERT_EQ(huge.try_extract<double>(), std::nullopt);
        ASSERT_EQ(dunder.extract<double>(), 1e10 + 0.25);
        try {
            (void)huge.extract<double>();
        } catch (const py::Error& e) {
            ASSERT_TRUE(e.matches<py::OverflowError>(py));
        }
    }
    EXPECT_EQ(pyowned_test::refcnt(flt), flt_before);
    EXPECT_EQ(pyowned_test::refcnt(huge), huge_before);
    EXPECT_EQ(pyowned_test::refcnt(dunder), dunder_before);
    EXPECT_EQ(pyowned_test::refcnt(inner), inner_before);
}

// --- bool ---

PYOWNED_TEST(ConvertBool, OnlyTrueAndFalse) {
    EXPECT_TRUE(py::Bool::get(py, true).extract<bool>());
    EXPECT_FALSE(py::Bool::get(py, false).extract<bool>());
    EXPECT_TRUE(eval(py, "1 == 1").extract<bool>());
    EXPECT_PY_ERROR((void)py::into_py(py, 1).extract<bool>(), py::TypeError,
                    "'int' object cannot be converted to 'bool'");
    EXPECT_PY_ERROR((void)py::into_py(py, 0).extract<bool>(), py::TypeError,
                    "'int' object cannot be converted to 'bool'");
    EXPECT_PY_ERROR((void)py::None::get(py).extract<bool>(), py::TypeError,
                    "'NoneType' object cannot be converted to 'bool'");
    EXPECT_PY_ERROR((void)eval(py, "[1]").extract<bool>(), py::TypeError,
                    "'list' object cannot be converted to 'bool'");
    EXPECT_EQ(py::into_py(py, 1).try_extract<bool>(), std::nullopt);
}

PYOWNED_TEST(ConvertBool, IntoPython) {
    EXPECT_TRUE(py::into_py(py, true).is(eval(py, "True")));
    EXPECT_TRUE(py::into_py(py, false).is(eval(py, "False")));
    EXPECT_TRUE(py::into_py(py, true).is_instance<py::Bool>());
}

// --- strings ---

PYOWNED_TEST(ConvertString, StdStringFromStr) {
    EXPECT_EQ(py::Str::from(py, "plain").extract<std::string>(), "plain");
    EXPECT_EQ(eval(py, "'gr\\u00fc\\u00df \\U0001f600'").extract<std::string>(), "gr\xc3\xbc\xc3\x9f \xf0\x9f\x98\x80");
    EXPECT_EQ(eval(py, "'a\\x00b'").extract<std::string>(), std::string("a\0b", 3));
    EXPECT_EQ(eval(py, "''").extract<std::string>(), "");
}

PYOWNED_TEST(ConvertString, StringViewFromStr) {
    auto s = eval(py, "'\\u00e9t\\u00e9\\x00x'");
    auto view = s.extract<std::string_view>();
    EXPECT_EQ(view, "\xc3\xa9t\xc3\xa9\0x"sv);
    EXPECT_EQ(view.data(), s.extract<std::string_view>().data());  // the str's own UTF-8, no copy
}

// A view extracted from a temporary Owned would dangle at the end of the statement, so (as
// with to_string_view) it must not compile; from an lvalue or a Borrowed it is fine.
PYOWNED_TEST(ConvertString, StringViewNotFromTemporaryOwned) {
    EXPECT_FALSE((ExtractableFromTemporary<py::Owned<py::Any>, std::string_view>));
    EXPECT_FALSE((ExtractableFromTemporary<py::Owned<py::Str>, std::string_view>));
    EXPECT_TRUE((ExtractableFromTemporary<py::Borrowed<py::Any>, std::string_view>));
    EXPECT_TRUE((ExtractableFromTemporary<py::Owned<py::Any>, std::string>));
}

PYOWNED_TEST(ConvertString, LoneSurrogateIsUnicodeEncodeError) {
    auto s = eval(py, "'x\\udc80'");
    EXPECT_PY_ERROR((void)s.extract<std::string>(), py::UnicodeEncodeError, "surrogates not allowed");
    EXPECT_PY_ERROR((void)s.extract<std::string_view>(), py::UnicodeEncodeError, "surrogates not allowed");
    EXPECT_EQ(s.try_extract<std::string>(), std::nullopt);
    EXPECT_FALSE(PyErr_Occurred());
}

PYOWNED_TEST(ConvertString, BytesAndOthersAreTypeError) {
    auto bytes = py::Bytes::from(py, "abc"sv);
    EXPECT_PY_ERROR((void)bytes.extract<std::string>(), py::TypeError, "'bytes' object cannot be converted to 'str'");
    EXPECT_PY_ERROR((void)bytes.extract<std::string_view>(), py::TypeError,
                    "'bytes' object cannot be converted to 'str'");
    EXPECT_PY_ERROR((void)py::into_py(py, 5).extract<std::string>(), py::TypeError,
                    "'int' object cannot be converted to 'str'");
    EXPECT_PY_ERROR((void)py::ByteArray::from(py, "a"sv).extract<std::string>(), py::TypeError,
                    "'bytearray' object cannot be converted to 'str'");
}

PYOWNED_TEST(ConvertString, IntoPython) {
    std::string with_nul("a\0\xc3\xa9", 4);
    auto s = py::into_py(py, with_nul);
    EXPECT_TRUE(s.is_instance<py::Str>());
    EXPECT_TRUE(s.eq(eval(py, "'a\\x00\\xe9'")));
    EXPECT_TRUE(py::into_py(py, std::string_view("b\0c", 3)).eq(eval(py, "'b\\x00c'")));
    EXPECT_TRUE(py::into_py(py, std::string("moved")).eq("moved"));
}

PYOWNED_TEST(ConvertString, InvalidUtf8IntoPythonIsUnicodeDecodeError) {
    EXPECT_PY_ERROR((void)py::into_py(py, std::string("\xff\xfe")), py::UnicodeDecodeError, "invalid start byte");
    EXPECT_PY_ERROR((void)py::into_py(py, std::string_view("ab\x80")), py::UnicodeDecodeError, "invalid start byte");
    const char* text = "\xc3";
    EXPECT_PY_ERROR((void)py::into_py(py, text), py::UnicodeDecodeError, "unexpected end of data");
}

PYOWNED_TEST(ConvertString, CStringIntoPython) {
    const char* text = "c string \xc3\xa9";
    auto s = py::into_py(py, text);
    EXPECT_TRUE(s.is_instance<py::Str>());
    EXPECT_EQ(s.extract<std::string>(), "c string \xc3\xa9");
    char buffer[] = "mutable";
    char* mutable_text = buffer;
    EXPECT_TRUE(py::into_py(py, mutable_text).eq("mutable"));
    EXPECT_TRUE(py::into_py(py, "literal").eq("literal"));
    EXPECT_TRUE(py::into_py(py, "up to\0the NUL").eq("up to"));  // a C string ends at its NUL
}

PYOWNED_TEST(ConvertString, NullCStringIsNone) {
    const char* null_text = nullptr;
    EXPECT_TRUE(py::into_py(py, null_text).is_none());
    char* null_mutable = nullptr;
    EXPECT_TRUE(py::into_py(py, null_mutable).is_none());
    auto f = py::eval(py, "lambda x: x is None");
    EXPECT_TRUE(f(null_text).is_truthy());
}

PYOWNED_TEST(ConvertString, ReferenceBalance) {
    auto s = py::Str::from(py, std::string("fresh ") + "\xc3\xa9 text");
    auto surrogate = eval(py, "'fresh' + chr(0xdc80)");
    auto bytes = py::Bytes::from(py, std::string("fresh ") + "bytes");
    const auto s_before = pyowned_test::refcnt(s), sur_before = pyowned_test::refcnt(surrogate);
    const auto bytes_before = pyowned_test::refcnt(bytes);
    for (int i = 0; i < 1000; ++i) {
        ASSERT_EQ(s.extract<std::string>(), "fresh \xc3\xa9 text");
        ASSERT_EQ(s.extract<std::string_view>(), "fresh \xc3\xa9 text");
        ASSERT_EQ(s.try_extract<int>(), std::nullopt);
        ASSERT_EQ(surrogate.try_extract<std::string>(), std::nullopt);
        ASSERT_EQ(bytes.try_extract<std::string>(), std::nullopt);
        try {
            (void)surrogate.extract<std::string_view>();
        } catch (const py::Error& e) {
            ASSERT_TRUE(e.matches<py::UnicodeEncodeError>(py));
        }
        try {
            (void)bytes.extract<std::string>();
        } catch (const py::Error& e) {
            ASSERT_TRUE(e.matches<py::TypeError>(py));
        }
    }
    EXPECT_EQ(pyowned_test::refcnt(s), s_before);
    EXPECT_EQ(pyowned_test::refcnt(surrogate), sur_before);
    EXPECT_EQ(pyowned_test::refcnt(bytes), bytes_before);
}

// --- handles as conversion targets ---

PYOWNED_TEST(ConvertHandle, OwnedOfWrongTypeIsTypeError) {
    auto l = py::List::empty(py);
    EXPECT_PY_ERROR((void)l.extract<py::Owned<py::Dict>>(), py::TypeError,
                    "'list' object cannot be converted to 'dict'");
    EXPECT_EQ(l.try_extract<py::Owned<py::Dict>>(), std::nullopt);
    EXPECT_PY_ERROR((void)py::Dict::empty(py).extract<py::Owned<py::Sequence>>(), py::TypeError,
                    "'dict' object cannot be converted to 'Sequence'");
    EXPECT_PY_ERROR((void)py::into_py(py, 1).extract<py::Owned<py::Bool>>(), py::TypeError,
                    "'int' object cannot be converted to 'bool'");
}

PYOWNED_TEST(ConvertHandle, OwnedOfRightType) {
    auto l = py::List::empty(py);
    py::Owned<py::List> got = l.extract<py::Owned<py::List>>();
    EXPECT_TRUE(got.is(l));
    EXPECT_TRUE(py::Bool::get(py, true).extract<py::Owned<py::Int>>().is_instance<py::Bool>());
    EXPECT_TRUE(l.extract<py::Owned<py::Sequence>>().is(l));
    EXPECT_TRUE(l.extract<py::Owned<py::Any>>().is(l));
}

PYOWNED_TEST(ConvertHandle, PyOfList) {
    auto l = py::eval(py, "[1, 2]");
    py::Py<py::List> stored = l.extract<py::Py<py::List>>();
    EXPECT_EQ(stored.ptr(), l.ptr());
    EXPECT_EQ(stored.bind(py).len(), 2);
    EXPECT_PY_ERROR((void)py::Dict::empty(py).extract<py::Py<py::List>>(), py::TypeError,
                    "'dict' object cannot be converted to 'list'");
}

PYOWNED_TEST(ConvertHandle, BorrowedOfStr) {
    auto s = py::Str::from(py, "view");
    py::Borrowed<py::Str> view = s.extract<py::Borrowed<py::Str>>();
    EXPECT_EQ(view.to_string_view(), "view");
    auto one = py::into_py(py, 1);
    EXPECT_PY_ERROR((void)one.extract<py::Borrowed<py::Str>>(), py::TypeError,
                    "'int' object cannot be converted to 'str'");
}

PYOWNED_TEST(ConvertHandle, BorrowedNotFromTemporaryOwned) {
    EXPECT_FALSE((ExtractableFromTemporary<py::Owned<py::Any>, py::Borrowed<py::Str>>));
    EXPECT_TRUE((ExtractableFromTemporary<py::Borrowed<py::Any>, py::Borrowed<py::Str>>));
    EXPECT_TRUE((ExtractableFromTemporary<py::Owned<py::Any>, py::Owned<py::Str>>));
}

PYOWNED_TEST(ConvertHandle, HandlesIntoPython) {
    auto obj = pyowned_test::fresh_object(py);
    auto before = pyowned_test::refcnt(obj);
    {
        auto a = py::into_py(py, obj);
        auto b = py::into_py(py, obj.borrow());
        EXPECT_TRUE(a.is(obj));
        EXPECT_TRUE(b.is(obj));
        EXPECT_EQ(pyowned_test::refcnt(obj), before + 2);
    }
    EXPECT_EQ(pyowned_test::refcnt(obj), before);
    py::Py<py::Any> stored = obj.borrow().to_owned().unbind();
    auto c = py::into_py(py, stored);
    EXPECT_TRUE(c.is(obj));
    EXPECT_EQ(pyowned_test::refcnt(obj), before + 2);
}

PYOWNED_TEST(ConvertHandle, ReferenceBalance) {
    auto l = py::eval(py, "[object()]");
    const auto before = pyowned_test::refcnt(l);
    for (int i = 0; i < 1000; ++i) {
        ASSERT_TRUE(l.extract<py::Owned<py::List>>().is(l));
        ASSERT_EQ(l.extract<py::Py<py::List>>().ptr(), l.ptr());
        ASSERT_EQ(l.extract<py::Borrowed<py::List>>().ptr(), l.ptr());
        ASSERT_EQ(l.try_extract<py::Owned<py::Dict>>(), std::nullopt);
        try {
            (void)l.extract<py::Py<py::Dict>>();
        } catch (const py::Error& e) {
            ASSERT_TRUE(e.matches<py::TypeError>(py));
        }
    }
    EXPECT_EQ(pyowned_test::refcnt(l), before);
}
