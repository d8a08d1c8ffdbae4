// Covers the operations every handle has (api.md section 3, "Any"), and py::intern.
#include "harness.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

namespace {

// Runs `source` in a fresh namespace and returns the global `name` it defines.
py::Owned<py::Any> define(py::Python py, const char* source, const char* name) {
    auto ns = py::Dict::empty(py);
    py::run(py, source, ns);
    return ns.get_item(name);
}

// An object with attributes a = 1 and b = 2.
py::Owned<py::Any> object_ab(py::Python py) {
    auto obj = pyowned_test::fresh_object(py);
    obj.setattr("a", 1);
    obj.setattr("b", 2);
    return obj;
}

}  // namespace

// --- attributes ---

PYOWNED_TEST(Any, SetattrGetattrDelattr) {
    auto obj = pyowned_test::fresh_object(py);
    obj.setattr("x", 5);
    EXPECT_EQ(obj.getattr("x").extract<int>(), 5);
    EXPECT_TRUE(obj.hasattr("x"));
    obj.setattr("x", "text");
    EXPECT_EQ(obj.getattr("x").extract<std::string>(), "text");
    obj.delattr("x");
    EXPECT_FALSE(obj.hasattr("x"));
}

PYOWNED_TEST(Any, GetattrMissingIsAttributeError) {
    auto obj = pyowned_test::fresh_object(py);
    EXPECT_PY_ERROR((void)obj.getattr("nope"), py::AttributeError, "'Fresh' object has no attribute 'nope'");
    try {
        (void)obj.getattr("nope");
    } catch (const py::Error& e) {
        EXPECT_STREQ(e.what(), "AttributeError: 'Fresh' object has no attribute 'nope'");
    }
}

PYOWNED_TEST(Any, DelattrMissingIsAttributeError) {
    auto obj = pyowned_test::fresh_object(py);
    // CPython words it as Python's own `del obj.nope` does: 3.10 says just the name
    const char* expected = PY_VERSION_HEX >= 0x030B0000 ? "AttributeError: 'Fresh' object has no attribute 'nope'"
                                                        : "AttributeError: nope";
    EXPECT_PY_ERROR(obj.delattr("nope"), py::AttributeError, expected);
}

PYOWNED_TEST(Any, SetattrOnIntIsAttributeError) {
    auto five = py::into_py(py, 5);
    EXPECT_PY_ERROR(five.setattr("x", 1), py::AttributeError, "'int' object has no attribute 'x'");
}

PYOWNED_TEST(Any, HasattrFalseOnlyOnAttributeError) {
    auto cls = define(py,
                      "class C:\n"
                      "    @property\n"
                      "    def missing(self): raise AttributeError('missing')\n"
                      "    @property\n"
                      "    def broken(self): raise ValueError('broken property')\n",
                      "C");
    auto obj = cls();
    EXPECT_FALSE(obj.hasattr("missing"));
    EXPECT_FALSE(PyErr_Occurred());
    EXPECT_PY_ERROR((void)obj.hasattr("broken"), py::ValueError, "broken property");
}

PYOWNED_TEST(Any, HasattrSubclassOfAttributeErrorIsFalse) {
    auto cls = define(py,
                      "class MyAttrError(AttributeError): pass\n"
                      "class C:\n"
                      "    @property\n"
                      "    def p(self): raise MyAttrError('p')\n",
                      "C");
    EXPECT_FALSE(cls().hasattr("p"));
}

PYOWNED_TEST(Any, NameAsStringLiteral) {
    auto obj = object_ab(py);
    EXPECT_EQ(obj.getattr("a").extract<int>(), 1);
    EXPECT_EQ(obj.getattr("b").extract<int>(), 2);
}

PYOWNED_TEST(Any, NameAsStdString) {
    auto obj = object_ab(py);
    std::string name = "a";
    EXPECT_EQ(obj.getattr(name).extract<int>(), 1);
    name = "b";  // the same storage, another name
    EXPECT_EQ(obj.getattr(name).extract<int>(), 2);
    obj.setattr(std::string("c"), 3);
    EXPECT_TRUE(obj.hasattr(std::string("c")));
    obj.delattr(std::string("c"));
    EXPECT_FALSE(obj.hasattr(std::string("c")));
}

PYOWNED_TEST(Any, NameAsStringView) {
    auto obj = object_ab(py);
    std::string_view text = "abc";
    EXPECT_EQ(obj.getattr(text.substr(0, 1)).extract<int>(), 1);  // not NUL-terminated
    EXPECT_EQ(obj.getattr(text.substr(1, 1)).extract<int>(), 2);
    EXPECT_FALSE(obj.hasattr(text.substr(0, 2)));
}

PYOWNED_TEST(Any, NameAsStrHandle) {
    auto obj = object_ab(py);
    auto a = py::Str::from(py, "a");
    py::Borrowed<py::Str> a_view = a;
    EXPECT_EQ(obj.getattr(a).extract<int>(), 1);
    EXPECT_EQ(obj.getattr(a_view).extract<int>(), 1);
    obj.setattr(py::Str::from(py, "d"), 4);
    EXPECT_EQ(obj.getattr("d").extract<int>(), 4);
}

PYOWNED_TEST(Any, SameLiteralRepeated) {
    auto obj = object_ab(py);
    for (int i = 0; i < 100; ++i) {
        ASSERT_EQ(obj.getattr("a").extract<int>(), 1);
        ASSERT_EQ(obj.getattr("b").extract<int>(), 2);
    }
}

PYOWNED_TEST(Any, ReusedCharBufferResolvesEachName) {
    auto obj = object_ab(py);
    char buf[8];
    std::strcpy(buf, "a");
    EXPECT_EQ(obj.getattr(buf).extract<int>(), 1);
    std::strcpy(buf, "b");
    EXPECT_EQ(obj.getattr(buf).extract<int>(), 2);
    std::strcpy(buf, "a");
    EXPECT_EQ(obj.getattr(buf).extract<int>(), 1);
    std::strcpy(buf, "zz");
    EXPECT_FALSE(obj.hasattr(buf));
    obj.setattr(buf, 26);
    std::strcpy(buf, "b");
    EXPECT_EQ(obj.call_method("__getattribute__", "zz").extract<int>(), 26);
    EXPECT_EQ(obj.getattr(buf).extract<int>(), 2);
}

PYOWNED_TEST(Any, GetattrBalancesReferences) {
    auto obj = pyowned_test::fresh_object(py);
    auto value = pyowned_test::fresh_object(py);
    obj.setattr("v", value);
    auto before_obj = pyowned_test::refcnt(obj), before_value = pyowned_test::refcnt(value);
    for (int i = 0; i < 1000; ++i) {
        auto got = obj.getattr("v");
        ASSERT_TRUE(got.is(value));
        try {
            (void)obj.getattr("missing");
        } catch (const py::Error&) {
        }
    }
    EXPECT_EQ(pyowned_test::refcnt(obj), before_obj);
    EXPECT_EQ(pyowned_test::refcnt(value), before_value);
}

// --- calls ---

namespace {
py::Owned<py::Any> three_args(py::Python py) { return py::eval(py, "lambda a, b=2, *, c=3: (a, b, c)"); }
}  // namespace

PYOWNED_TEST(Any, CallPositional) {
    auto f = three_args(py);
    EXPECT_TRUE(f.call(1, 20).eq(py::Tuple::of(py, 1, 20, 3)));
    EXPECT_TRUE(f(1).eq(py::Tuple::of(py, 1, 2, 3)));
}

PYOWNED_TEST(Any, CallKeywords) {
    auto f = three_args(py);
    EXPECT_TRUE(f.call(1, py::arg("c") = 30).eq(py::Tuple::of(py, 1, 2, 30)));
    EXPECT_TRUE(f(py::arg("a") = "x", py::arg("b") = 2.5).eq(py::Tuple::of(py, "x", 2.5, 3)));
    auto value = pyowned_test::fresh_object(py);
    auto result = f(0, py::arg("c") = value);
    EXPECT_TRUE(result.get_item(2).is(value));
}

PYOWNED_TEST(Any, KeywordNameFromReusedBuffer) {
    auto f = three_args(py);
    char name[8];
    std::strcpy(name, "b");
    EXPECT_TRUE(f(1, py::arg(name) = 5).eq(py::Tuple::of(py, 1, 5, 3)));
    std::strcpy(name, "c");
    EXPECT_TRUE(f(1, py::arg(name) = 5).eq(py::Tuple::of(py, 1, 2, 5)));
}

PYOWNED_TEST(Any, KeywordNameAsStrHandle) {
    auto f = three_args(py);
    auto c = py::intern(py, "c");
    EXPECT_TRUE(f(1, py::arg(c) = 7).eq(py::Tuple::of(py, 1, 2, 7)));
    auto b = py::Str::from(py, std::string("b"));  // equal text, not the interned str
    EXPECT_TRUE(f(1, py::arg(b) = 8, py::arg(c) = 9).eq(py::Tuple::of(py, 1, 8, 9)));
    EXPECT_PY_ERROR((void)f(1, py::arg(py::intern(py, "zz")) = 1), py::TypeError,
                    "got an unexpected keyword argument 'zz'");
}

PYOWNED_TEST(Any, KeywordCallsKeepReferencesBalanced) {
    auto f = three_args(py);
    auto value = pyowned_test::fresh_object(py);
    auto c = py::intern(py, "c");
    (void)f(0, py::arg("c") = value);  // the first call makes the kwnames tuple
    const Py_ssize_t before_value = pyowned_test::refcnt(value), before_name = pyowned_test::refcnt(c);
    for (int i = 0; i < 1000; ++i) {
        (void)f(0, py::arg("c") = value);
        (void)f(0, py::arg(c) = value);
    }
    EXPECT_EQ(pyowned_test::refcnt(value), before_value);
    EXPECT_EQ(pyowned_test::refcnt(c), before_name);
}

PYOWNED_TEST(Any, CallNoArguments) {
    auto f = py::eval(py, "lambda: 'called'");
    EXPECT_EQ(f().extract<std::string>(), "called");
    EXPECT_EQ(f.call().extract<std::string>(), "called");
}

PYOWNED_TEST(Any, CallBadKeywordIsTypeError) {
    auto f = three_args(py);
    EXPECT_PY_ERROR((void)f(1, py::arg("zz") = 1), py::TypeError, "got an unexpected keyword argument 'zz'");
}

PYOWNED_TEST(Any, CallRaisesPropagates) {
    auto f = py::eval(py, "lambda: int('nope')");
    EXPECT_PY_ERROR((void)f(), py::ValueError, "invalid literal for int() with base 10: 'nope'");
}

PYOWNED_TEST(Any, CallNonCallableIsTypeError) {
    auto five = py::into_py(py, 5);
    EXPECT_PY_ERROR((void)five(), py::TypeError, "'int' object is not callable");
}

PYOWNED_TEST(Any, CallMethodPositionalAndKeywords) {
    auto cls = define(py,
                      "class K:\n"
                      "    def m(self, a, b=0, *, k=0): return a * 100 + b * 10 + k\n",
                      "K");
    auto obj = cls();
    EXPECT_EQ(obj.call_method("m", 1).extract<int>(), 100);
    EXPECT_EQ(obj.call_method("m", 1, 2).extract<int>(), 120);
    EXPECT_EQ(obj.call_method("m", 1, py::arg("k") = 3).extract<int>(), 103);
    EXPECT_EQ(obj.call_method("m", py::arg("a") = 4, py::arg("b") = 5, py::arg("k") = 6).extract<int>(), 456);
    EXPECT_EQ(obj.call_method(std::string("m"), 7).extract<int>(), 700);
}

PYOWNED_TEST(Any, CallMethodOnBuiltin) {
    auto sep = py::Str::from(py, "-");
    auto joined = sep.call_method("join", py::Tuple::of(py, "a", "b", "c"));
    EXPECT_EQ(joined.extract<std::string>(), "a-b-c");
}

PYOWNED_TEST(Any, CallMethodMissingIsAttributeError) {
    auto obj = pyowned_test::fresh_object(py);
    EXPECT_PY_ERROR((void)obj.call_method("nope"), py::AttributeError, "'Fresh' object has no attribute 'nope'");
}

PYOWNED_TEST(Any, TryCallSuccess) {
    auto f = three_args(py);
    auto result = f.try_call(1, py::arg("b") = 5);
    ASSERT_TRUE(result.has_value());
    EXPECT_TRUE(result->eq(py::Tuple::of(py, 1, 5, 3)));
    EXPECT_FALSE(PyErr_Occurred());
}

PYOWNED_TEST(Any, TryCallFailure) {
    auto f = py::eval(py, "lambda x: int(x)");
    auto result = f.try_call("nope");
    ASSERT_FALSE(result.has_value());
    EXPECT_FALSE(static_cast<bool>(result));
    EXPECT_FALSE(PyErr_Occurred());
    EXPECT_TRUE(result.error().matches<py::ValueError>(py));
    EXPECT_STREQ(result.error().what(), "ValueError: invalid literal for int() with base 10: 'nope'");
    EXPECT_PY_ERROR((void)result.value(), py::ValueError, "invalid literal");
}

PYOWNED_TEST(Any, TryCallArgumentConversionFailure) {
    auto f = py::eval(py, "lambda x: x");
    auto result = f.try_call(std::string("\xff"));  // not UTF-8
    ASSERT_FALSE(result.has_value());
    EXPECT_TRUE(result.error().matches<py::UnicodeDecodeError>(py));
    EXPECT_FALSE(PyErr_Occurred());
}

PYOWNED_TEST(Any, CallBalancesReferences) {
    auto f = py::eval(py, "lambda x, *, k=None: x");
    auto failing = py::eval(py, "lambda x: x.nope");
    auto arg = pyowned_test::fresh_object(py);
    auto before = pyowned_test::refcnt(arg);
    for (int i = 0; i < 1000; ++i) {
        ASSERT_TRUE(f(arg, py::arg("k") = arg).is(arg));
        auto r = failing.try_call(arg);
        ASSERT_FALSE(r.has_value());
    }
    EXPECT_EQ(pyowned_test::refcnt(arg), before);
}

// --- items ---

PYOWNED_TEST(Any, ItemsOnDictThroughAny) {
    py::Owned<py::Any> d = py::Dict::empty(py);
    d.set_item("k", 1);
    EXPECT_EQ(d.get_item("k").extract<int>(), 1);
    EXPECT_TRUE(d.contains("k"));
    d.del_item("k");
    EXPECT_FALSE(d.contains("k"));
    EXPECT_PY_ERROR((void)d.get_item("k"), py::KeyError, "KeyError: 'k'");
    EXPECT_PY_ERROR(d.del_item("k"), py::KeyError, "KeyError: 'k'");
}

PYOWNED_TEST(Any, ItemsOnListThroughAny) {
    auto l = py::eval(py, "[10, 20, 30]");
    EXPECT_EQ(l.get_item(-1).extract<int>(), 30);
    l.set_item(0, 11);
    EXPECT_EQ(l.get_item(0).extract<int>(), 11);
    l.del_item(1);
    EXPECT_EQ(l.len(), 2);
    EXPECT_PY_ERROR((void)l.get_item(5), py::IndexError, "list index out of range");
    EXPECT_PY_ERROR((void)l.get_item("x"), py::TypeError, "list indices must be integers or slices, not str");
}

PYOWNED_TEST(Any, GetItemOnIntIsTypeError) {
    auto five = py::into_py(py, 5);
    EXPECT_PY_ERROR((void)five.get_item(0), py::TypeError, "'int' object is not subscriptable");
}

PYOWNED_TEST(Any, Contains) {
    auto l = py::eval(py, "[1, 2, 3]");
    EXPECT_TRUE(l.contains(2));
    EXPECT_FALSE(l.contains(4));
    EXPECT_TRUE(py::Str::from(py, "hello").contains("ell"));
    auto five = py::into_py(py, 5);
    EXPECT_PY_ERROR((void)five.contains(5), py::TypeError, "argument of type 'int' is not iterable");
}

PYOWNED_TEST(Any, Len) {
    EXPECT_EQ(py::eval(py, "'abc'").len(), 3);
    EXPECT_EQ(py::eval(py, "range(7)").len(), 7);
    auto five = py::into_py(py, 5);
    EXPECT_PY_ERROR((void)five.len(), py::TypeError, "object of type 'int' has no len()");
}

PYOWNED_TEST(Any, Iter) {
    auto r = py::eval(py, "range(3)");
    int expected = 0;
    for (auto& item : r.iter()) EXPECT_EQ(item.extract<int>(), expected++);
    EXPECT_EQ(expected, 3);
    auto five = py::into_py(py, 5);
    EXPECT_PY_ERROR((void)five.iter(), py::TypeError, "'int' object is not iterable");
}

// --- text, hashing, identity, truth ---

PYOWNED_TEST(Any, ReprAndStr) {
    auto s = py::Str::from(py, "a");
    EXPECT_EQ(s.repr().to_string(), "'a'");
    EXPECT_EQ(s.str().to_string(), "a");
    auto l = py::eval(py, "[1, 'x']");
    EXPECT_EQ(l.repr().to_string(), "[1, 'x']");
    EXPECT_EQ(l.str().to_string(), "[1, 'x']");
}

PYOWNED_TEST(Any, ReprRaisingPropagates) {
    auto cls = define(py, "class R:\n    def __repr__(self): raise ValueError('no repr')\n", "R");
    EXPECT_PY_ERROR((void)cls().repr(), py::ValueError, "no repr");
}

PYOWNED_TEST(Any, Hash) {
    auto s = py::Str::from(py, "hash me");
    auto builtin_hash = py::eval(py, "hash");
    EXPECT_EQ(s.hash(), builtin_hash(s).extract<Py_hash_t>());
    EXPECT_EQ(py::into_py(py, 12345).hash(), 12345);
    auto l = py::List::empty(py);
    EXPECT_PY_ERROR((void)l.hash(), py::TypeError, "unhashable type: 'list'");
}

PYOWNED_TEST(Any, IsAndIsNone) {
    auto a = pyowned_test::fresh_object(py);
    auto b = pyowned_test::fresh_object(py);
    py::Borrowed<py::Any> a_view = a;
    EXPECT_TRUE(a.is(a_view));
    EXPECT_FALSE(a.is(b));
    auto none = py::None::get(py);
    EXPECT_TRUE(none.is_none());
    EXPECT_TRUE(py::eval(py, "None").is_none());
    EXPECT_FALSE(a.is_none());
    EXPECT_FALSE(py::into_py(py, 0).is_none());
}

PYOWNED_TEST(Any, IsTruthy) {
    EXPECT_TRUE(py::into_py(py, 1).is_truthy());
    EXPECT_FALSE(py::into_py(py, 0).is_truthy());
    EXPECT_FALSE(py::List::empty(py).is_truthy());
    EXPECT_TRUE(py::eval(py, "[0]").is_truthy());
    EXPECT_FALSE(py::None::get(py).is_truthy());
    EXPECT_FALSE(py::Str::from(py, "").is_truthy());
}

PYOWNED_TEST(Any, IsTruthyRaisingBoolIsError) {
    auto cls = define(py, "class B:\n    def __bool__(self): raise ValueError('no truth')\n", "B");
    EXPECT_PY_ERROR((void)cls().is_truthy(), py::ValueError, "no truth");
    auto bad = define(py, "class B:\n    def __bool__(self): return 2\n", "B");
    EXPECT_PY_ERROR((void)bad().is_truthy(), py::TypeError, "__bool__ should return bool, returned int");
}

// --- comparisons ---

PYOWNED_TEST(Any, Comparisons) {
    auto one = py::into_py(py, 1);
    auto two = py::into_py(py, 2);
    EXPECT_TRUE(one.lt(two));
    EXPECT_TRUE(one.le(two));
    EXPECT_TRUE(one.le(1));
    EXPECT_FALSE(one.gt(two));
    EXPECT_TRUE(two.gt(one));
    EXPECT_TRUE(two.ge(2));
    EXPECT_TRUE(one.eq(1));
    EXPECT_TRUE(one.eq(1.0));
    EXPECT_FALSE(one.eq(two));
    EXPECT_TRUE(one.ne(two));
    EXPECT_FALSE(one.ne(1));
    EXPECT_TRUE(py::Str::from(py, "abc").eq("abc"));
    EXPECT_TRUE(py::Str::from(py, "abc").lt("abd"));
}

PYOWNED_TEST(Any, NanIsNotEqualToItself) {
    auto nan = py::Float::from(py, std::numeric_limits<double>::quiet_NaN());
    EXPECT_FALSE(nan.eq(nan));
    EXPECT_TRUE(nan.ne(nan));
    EXPECT_FALSE(nan.lt(nan));
    EXPECT_FALSE(nan.ge(nan));
}

PYOWNED_TEST(Any, OrderingIntAndStrIsTypeError) {
    auto one = py::into_py(py, 1);
    auto s = py::Str::from(py, "a");
    EXPECT_PY_ERROR((void)one.lt(s), py::TypeError, "'<' not supported between instances of 'int' and 'str'");
    EXPECT_PY_ERROR((void)one.ge("a"), py::TypeError, "'>=' not supported between instances of 'int' and 'str'");
    EXPECT_FALSE(one.eq(s));  // == and != never raise for unrelated types
    EXPECT_TRUE(one.ne(s));
}

PYOWNED_TEST(Any, ComparisonWhoseResultHasNoTruthIsError) {
    auto cls = define(py,
                      "class NoTruth:\n"
                      "    def __bool__(self): raise ValueError('ambiguous')\n"
                      "class C:\n"
                      "    def __eq__(self, other): return NoTruth()\n",
                      "C");
    EXPECT_PY_ERROR((void)cls().eq(1), py::ValueError, "ambiguous");
}

// --- types ---

PYOWNED_TEST(Any, IsInstanceWithType) {
    auto five = py::into_py(py, 5);
    auto int_type = py::eval(py, "int");
    auto str_type = py::eval(py, "str");
    EXPECT_TRUE(five.is_instance(int_type));
    EXPECT_FALSE(five.is_instance(str_type));
    EXPECT_TRUE(py::Bool::get(py, true).is_instance(int_type));
}

PYOWNED_TEST(Any, IsInstanceWithTupleOfTypes) {
    auto five = py::into_py(py, 5);
    auto types = py::eval(py, "(str, int)");
    EXPECT_TRUE(five.is_instance(types));
    EXPECT_FALSE(py::Float::from(py, 1.5).is_instance(types));
    EXPECT_PY_ERROR((void)five.is_instance(py::into_py(py, 3)), py::TypeError, "isinstance() arg 2 must be a type");
}

PYOWNED_TEST(Any, IsInstanceOfTag) {
    py::Owned<py::Any> d = py::Dict::empty(py);
    EXPECT_TRUE(d.is_instance<py::Dict>());
    EXPECT_TRUE(d.is_instance<py::Mapping>());
    EXPECT_FALSE(d.is_instance<py::List>());
    EXPECT_FALSE(d.is_instance<py::Sequence>());
    auto l = py::eval(py, "[]");
    EXPECT_TRUE(l.is_instance<py::Sequence>());
    EXPECT_FALSE(l.is_instance<py::Mapping>());  // unlike PyMapping_Check
    auto sub = py::eval(py, "type('D', (dict,), {})()");
    EXPECT_TRUE(sub.is_instance<py::Dict>());
    EXPECT_TRUE(py::Bool::get(py, false).is_instance<py::Int>());
    EXPECT_FALSE(py::into_py(py, 1).is_instance<py::Bool>());
}

PYOWNED_TEST(Any, Type) {
    auto five = py::into_py(py, 5);
    EXPECT_TRUE(five.type().is(py::eval(py, "int")));
    auto obj = pyowned_test::fresh_object(py);
    EXPECT_EQ(obj.type().getattr("__name__").extract<std::string>(), "Fresh");
}

// --- conversion to C++ ---

PYOWNED_TEST(Any, ExtractAndTryExtract) {
    auto five = py::into_py(py, 5);
    EXPECT_EQ(five.extract<int>(), 5);
    EXPECT_EQ(five.try_extract<long long>(), 5);
    auto s = py::Str::from(py, "x");
    EXPECT_EQ(s.try_extract<int>(), std::nullopt);
    EXPECT_FALSE(PyErr_Occurred());
    EXPECT_PY_ERROR((void)s.extract<int>(), py::TypeError, "'str' object cannot be converted to 'int'");
}

PYOWNED_TEST(Any, TryExtractClearsConversionError) {
    auto big = py::into_py(py, 1000);
    EXPECT_EQ(big.try_extract<std::int8_t>(), std::nullopt);
    EXPECT_FALSE(PyErr_Occurred());
    EXPECT_PY_ERROR((void)big.extract<std::int8_t>(), py::OverflowError, "int8_t");
}

PYOWNED_TEST(Any, OperationsOnBorrowed) {
    auto obj = object_ab(py);
    py::Borrowed<py::Any> view = obj;
    EXPECT_EQ(view.getattr("a").extract<int>(), 1);
    view.setattr("c", 3);
    EXPECT_EQ(obj.getattr("c").extract<int>(), 3);
    EXPECT_TRUE(view.is(obj));
    EXPECT_EQ(view.type().getattr("__name__").extract<std::string>(), "Fresh");
}

PYOWNED_TEST(Any, PyGivesAUsableToken) {
    auto obj = pyowned_test::fresh_object(py);
    py::Python token = obj.py();
    auto made = py::Int::from(token, 42);
    EXPECT_EQ(made.extract<int>(), 42);
    py::Borrowed<py::Any> view = obj;
    EXPECT_EQ(py::Str::from(view.py(), "t").to_string(), "t");
}

// --- py::intern ---

PYOWNED_TEST(Intern, SameObjectForSameName) {
    auto a = py::intern(py, "pyowned_interned_name");
    auto b = py::intern(py, "pyowned_interned_name");
    EXPECT_TRUE(a.is(b));
    EXPECT_EQ(a.to_string(), "pyowned_interned_name");
}

PYOWNED_TEST(Intern, IsPythonsInternedStr) {
    auto ours = py::intern(py, "pyowned_other_name");
    auto theirs = py::eval(py, "__import__('sys').intern('pyowned_other_' + 'name')");
    EXPECT_TRUE(ours.is(theirs));
}

PYOWNED_TEST(Intern, ReusedBufferGivesEachName) {
    char buf[16];
    std::strcpy(buf, "intern_one");
    auto one = py::intern(py, buf);
    std::strcpy(buf, "intern_two");
    auto two = py::intern(py, buf);
    EXPECT_EQ(one.to_string(), "intern_one");
    EXPECT_EQ(two.to_string(), "intern_two");
    EXPECT_TRUE(two.is(py::intern(py, "intern_two")));
}
