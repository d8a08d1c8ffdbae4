// Covers argument expansion in calls from C++ (core/expand.h): py::star and py::star_star,
// mixed with positional and keyword arguments, and Python's errors for each misuse.
#include "harness.h"

#include <map>
#include <string>
#include <vector>

namespace {

py::Owned<py::Any> define(py::Python py, const char* source, const char* name) {
    auto ns = py::Dict::empty(py);
    py::run(py, source, ns);
    return ns.get_item(name);
}

// f(*args, **kwargs) -> (args, sorted kwargs items)
constexpr const char* echo_source =
    "def echo(*args, **kwargs): return (args, sorted(kwargs.items()))\n"
    "class C:\n"
    "    def m(self, *args, **kwargs): return (args, sorted(kwargs.items()))\n"
    "c = C()\n";

}  // namespace

PYOWNED_TEST(CallExpand, StarAndStarStar) {
    auto echo = define(py, echo_source, "echo");
    auto seq = py::List::from(py, std::vector<int>{2, 3});
    auto mapping = py::Dict::empty(py);
    mapping.set_item("b", 20);
    auto r = echo.call(1, py::star(seq), 4, py::arg("a") = 10, py::star_star(mapping));
    EXPECT_TRUE(r.eq(py::eval(py, "((1, 2, 3, 4), [('a', 10), ('b', 20)])")));
    // any iterable, C++ containers too (converted first), and a mapping that is not a dict
    auto gen = py::eval(py, "(i for i in 'xy')");
    auto proxy = py::eval(py, "__import__('types').MappingProxyType({'k': 1})");
    r = echo(py::star(gen), py::star(std::vector<int>{7}), py::star_star(proxy),
             py::star_star(std::map<std::string, int>{{"z", 0}}));
    EXPECT_TRUE(r.eq(py::eval(py, "(('x', 'y', 7), [('k', 1), ('z', 0)])")));
    // nothing to expand
    r = echo(py::star(py::Tuple::of(py)), py::star_star(py::Dict::empty(py)));
    EXPECT_TRUE(r.eq(py::eval(py, "((), [])")));
}

PYOWNED_TEST(CallExpand, MethodCalls) {
    auto c = define(py, echo_source, "c");
    auto r = c.call_method("m", py::star(py::Tuple::of(py, 1, 2)), py::arg("q") = 3);
    EXPECT_TRUE(r.eq(py::eval(py, "((1, 2), [('q', 3)])")));
}

PYOWNED_TEST(CallExpand, Errors) {
    auto echo = define(py, echo_source, "echo");
    auto one = py::Int::from(py, 1);
    EXPECT_PY_ERROR((void)echo(py::star(one)), py::TypeError, "echo() argument after * must be an iterable, not int");
    EXPECT_PY_ERROR((void)echo(py::star_star(one)), py::TypeError,
                    "echo() argument after ** must be a mapping, not int");
    EXPECT_PY_ERROR((void)echo(py::star_star(py::eval(py, "{1: 2}"))), py::TypeError,
                    "echo() keywords must be strings");
    auto mapping = py::Dict::empty(py);
    mapping.set_item("k", 2);
    EXPECT_PY_ERROR((void)echo(py::arg("k") = 1, py::star_star(mapping)), py::TypeError,
                    "echo() got multiple values for keyword argument 'k'");
    EXPECT_PY_ERROR((void)echo(py::star_star(mapping), py::star_star(mapping)), py::TypeError,
                    "echo() got multiple values for keyword argument 'k'");
    auto failing = py::eval(py, "(1 // 0 for _ in [0])");
    EXPECT_PY_ERROR((void)echo(py::star(failing)), py::ZeroDivisionError, "by zero");
    // a builtin is named without its module, as CPython does
    auto len = py::builtins(py).getattr("len");
    EXPECT_PY_ERROR((void)len(py::star(one)), py::TypeError, "len() argument after * must be an iterable, not int");
    // the callee's own error, after expansion
    EXPECT_PY_ERROR((void)len(py::star(py::Tuple::of(py, 1, 2))), py::TypeError,
                    "len() takes exactly one argument (2 given)");
}

PYOWNED_TEST(CallExpand, TryCallReturnsTheError) {
    auto echo = define(py, echo_source, "echo");
    auto result = echo.try_call(py::star(py::Int::from(py, 5)));
    ASSERT_FALSE(result.has_value());
    EXPECT_TRUE(result.error().matches<py::TypeError>(py));
}

PYOWNED_TEST(CallExpand, ReferencesBalanced) {
    auto echo = define(py, "def echo(*a, **k): return None\n", "echo");
    auto item = pyowned_test::fresh_object(py);
    auto seq = py::List::from(py, std::vector<py::Owned<py::Any>>{item, item});
    auto mapping = py::Dict::empty(py);
    mapping.set_item("v", item);
    const Py_ssize_t before = pyowned_test::refcnt(item);
    for (int i = 0; i < 100; ++i) {
        (void)echo(item, py::star(seq), py::arg("w") = item, py::star_star(mapping));
        EXPECT_PY_ERROR((void)echo(py::arg("v") = item, py::star_star(mapping)), py::TypeError, "multiple values");
        EXPECT_PY_ERROR((void)echo(item, py::star(item)), py::TypeError, "must be an iterable");
    }
    EXPECT_EQ(pyowned_test::refcnt(item), before);
}

PYOWNED_TEST(CallExpand, HostileCallablesAndMappings) {
    auto ns = py::Dict::empty(py);
    py::run(py,
            "def echo(*args, **kwargs): return (args, sorted(kwargs.items()))\n"
            "class OddName:\n"
            "    def __call__(self, *a, **k): return a\n"
            "odd = OddName()\n"
            "odd.__qualname__ = 5\n"  // not a str
            "class SelfClearing:\n"   // keys() hands out the list __getitem__ empties
            "    def __init__(self): self._k = ['a', 'b']\n"
            "    def keys(self): return self._k\n"
            "    def __getitem__(self, key):\n"
            "        self._k.clear()\n"
            "        return key.upper()\n"
            "class D(dict):\n"  // CPython merges a dict subclass by its storage
            "    def __getitem__(self, key): return 'from __getitem__'\n"
            "surrogate = {'\\udc80': 1}\n",
            ns);
    auto echo = ns.get_item("echo");
    EXPECT_PY_ERROR((void)ns.get_item("odd")(py::star(py::Int::from(py, 1))), py::TypeError,
                    "5() argument after * must be an iterable, not int");
    auto r = echo(py::star_star(ns.get_item("SelfClearing").call()));
    EXPECT_TRUE(r.eq(py::eval(py, "((), [('a', 'A'), ('b', 'B')])"))) << r.repr().to_string();
    auto d = ns.get_item("D").call(py::arg("a") = 1);
    EXPECT_TRUE(echo(py::star_star(d)).eq(py::eval(py, "((), [('a', 1)])")));
    auto surrogate = ns.get_item("surrogate");
    EXPECT_PY_ERROR((void)echo(py::star_star(surrogate), py::star_star(surrogate)), py::TypeError,
                    "echo() got multiple values for keyword argument '\\udc80'");  // what() escapes it
}
