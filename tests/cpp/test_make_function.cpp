// Covers py::make_function: a Python function made from a C++ callable at run time, with
// m.def's dispatch, signature and errors, and its captured state's lifetime.
#include "harness.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

PYOWNED_TEST(MakeFunction, CallsSignatureAndDoc) {
    auto add = py::make_function(
        py, "add", [](int a, int b) { return a + b; }, "Add two integers.", py::arg("a"), py::arg("b") = 2);
    EXPECT_EQ(add(1).extract<int>(), 3);
    EXPECT_EQ(add(py::arg("b") = 5, py::arg("a") = 1).extract<int>(), 6);
    EXPECT_EQ(add.getattr("__name__").extract<std::string>(), "add");
    EXPECT_EQ(add.getattr("__text_signature__").extract<std::string>(), "(a, b=2)");
    auto inspect = py::import(py, "inspect");
    EXPECT_EQ(inspect.call_method("signature", add).str().extract<std::string>(), "(a, b=2)");
    EXPECT_NE(add.getattr("__doc__").extract<std::string>().find("Add two integers."), std::string::npos);
    EXPECT_TRUE(add.getattr("__module__").is_none());
    EXPECT_PY_ERROR((void)add("x"), py::TypeError, "add() argument 'a' must be int, not str");
    EXPECT_PY_ERROR((void)add(), py::TypeError, "add() missing 1 required positional argument: 'a'");
    EXPECT_PY_ERROR((void)add(1, 2, 3), py::TypeError, "add()");
    // usable as a callback from Python code
    auto mapped = py::eval(py, "lambda f: list(map(f, [1, 2]))").call(add);
    EXPECT_EQ(mapped.extract<std::vector<int>>(), (std::vector<int>{3, 4}));
}

PYOWNED_TEST(MakeFunction, OverloadsAreNotMerged) {
    // two functions of one name stay two functions (no scope to find the first one in)
    auto a = py::make_function(py, "f", [](int x) { return x; });
    auto b = py::make_function(py, "f", [](const std::string& s) { return s; });
    EXPECT_EQ(a(1).extract<int>(), 1);
    EXPECT_PY_ERROR((void)a("s"), py::TypeError, "f()");
    EXPECT_EQ(b("s").extract<std::string>(), "s");
}

PYOWNED_TEST(MakeFunction, CapturedStateLivesAsLongAsTheFunction) {
    auto state = std::make_shared<int>(0);
    {
        auto counter = py::make_function(py, "count", [state] { return ++*state; });
        EXPECT_EQ(state.use_count(), 2);
        EXPECT_EQ(counter().extract<int>(), 1);
        EXPECT_EQ(counter().extract<int>(), 2);
        auto holder = py::Dict::empty(py);
        holder.set_item("f", counter);  // another reference: the function outlives `counter`
        {
            auto dropped = std::move(counter);
        }
        EXPECT_EQ(state.use_count(), 2);
        EXPECT_EQ(holder.get_item("f").call().extract<int>(), 3);
    }
    pyowned_test::settle(py);
    EXPECT_EQ(state.use_count(), 1);  // freed with the function object
    EXPECT_EQ(*state, 3);
}

PYOWNED_TEST(MakeFunction, MisuseIsAnErrorNotACrash) {
    auto state = std::make_shared<int>(0);
    // two py::arg for one parameter: refused; the captured state is freed once (a double free
    // before: the record and the caller both deleted the callable)
    EXPECT_THROW((void)py::make_function(
                     py, "g", [state](int x) { return x + *state; }, py::arg("x"), py::arg("y")),
                 std::invalid_argument);
    EXPECT_EQ(state.use_count(), 1);
}

PYOWNED_TEST(MakeFunction, DefaultsAreConvertedOnceWhenDefined) {
    // an lvalue default is copied (the caller's value is left as it was), an rvalue one moved
    const std::string word = "word";
    std::vector<int> moved{1, 2, 3};
    auto f = py::make_function(
        py, "f", [](const std::string& s, const std::vector<int>& v) { return s + std::to_string(v.size()); },
        py::arg("s") = word, py::arg("v") = std::move(moved));
    EXPECT_EQ(word, "word");
    EXPECT_EQ(f().extract<std::string>(), "word3");
    EXPECT_EQ(f.getattr("__text_signature__").extract<std::string>(), "(s='word', v=[1, 2, 3])");
    // a handle default: the function holds one reference to it, given back when it goes
    auto obj = pyowned_test::fresh_object(py);
    const Py_ssize_t before = pyowned_test::refcnt(obj);
    {
        auto g = py::make_function(py, "g", [](py::Borrowed<py::Any> o) { return o.to_owned(); }, py::arg("o") = obj);
        EXPECT_EQ(pyowned_test::refcnt(obj), before + 1);
        for (int i = 0; i < 100; ++i) EXPECT_TRUE(g().is(obj));
        EXPECT_EQ(pyowned_test::refcnt(obj), before + 1);
    }
    pyowned_test::settle(py);
    EXPECT_EQ(pyowned_test::refcnt(obj), before);
}

PYOWNED_TEST(MakeFunction, DefaultThatDoesNotConvertIsTheDefinitionsError) {
    // not UTF-8: the conversion's own error comes out of the definition, the defaults already
    // converted and the captured state are freed, and nothing is left set
    auto state = std::make_shared<int>(0);
    auto obj = pyowned_test::fresh_object(py);
    const Py_ssize_t before = pyowned_test::refcnt(obj);
    EXPECT_PY_ERROR((void)py::make_function(
                        py, "h", [state](py::Borrowed<py::Any>, const std::string& s) { return s.size(); },
                        py::arg("o") = obj, py::arg("s") = std::string("\xff")),
                    py::UnicodeDecodeError, "utf-8");
    EXPECT_FALSE(PyErr_Occurred());
    EXPECT_EQ(state.use_count(), 1);
    EXPECT_EQ(pyowned_test::refcnt(obj), before);
}

PYOWNED_TEST(MakeFunction, ReferencesBalanced) {
    auto identity = py::make_function(py, "identity", [](py::Borrowed<py::Any> o) { return o.to_owned(); });
    auto strict = py::make_function(py, "strict", [](int x) { return x; });
    auto obj = pyowned_test::fresh_object(py);
    const Py_ssize_t before = pyowned_test::refcnt(obj);
    const Py_ssize_t function_before = pyowned_test::refcnt(identity);
    for (int i = 0; i < 100; ++i) {
        EXPECT_TRUE(identity(obj).is(obj));
        EXPECT_PY_ERROR((void)strict(obj), py::TypeError, "strict() argument 'arg0' must be int, not Fresh");
    }
    EXPECT_EQ(pyowned_test::refcnt(obj), before);
    EXPECT_EQ(pyowned_test::refcnt(identity), function_before);
}

PYOWNED_TEST(MakeFunction, SignatureMistakesAreRefused) {
    // keyword-only parameters after py::Args need names
    EXPECT_THROW((void)py::make_function(py, "f", [](py::Args, long long k) { return k; }), std::invalid_argument);
    // *args takes no default
    EXPECT_THROW((void)py::make_function(
                     py, "g", [](py::Args, py::Kwargs) { return 0; }, py::arg("a") = 1, py::arg("k")),
                 std::invalid_argument);
    // one variadic named and not the other: ambiguous
    EXPECT_THROW((void)py::make_function(
                     py, "h", [](long long a, py::Args, py::Kwargs) { return a; }, py::arg("a"), py::arg("rest")),
                 std::invalid_argument);
    auto ok = py::make_function(
        py, "v", [](long long a, py::Args, py::Kwargs) { return a; }, py::arg("a"), py::arg("rest"), py::arg("opts"));
    EXPECT_EQ(ok.getattr("__text_signature__").extract<std::string>(), "(a, *rest, **opts)");
}

PYOWNED_TEST(MakeFunction, NoneOnlyWhereNoneFits) {
    // a typed handle never holds None: .none() on one is refused, naming the way to take None
    try {
        (void)py::make_function(py, "f", [](py::Borrowed<py::List> l) { return l.len(); }, py::arg("l").none());
        ADD_FAILURE() << "no error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("py::arg(\"l\").none(): a parameter of type 'list' cannot hold None"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_THROW(
        (void)py::make_function(py, "g", [](long long x) { return x; }, py::arg("x").none()), std::invalid_argument);
    auto any = py::make_function(py, "h", [](py::Borrowed<py::Any> o) { return o.is_none(); }, py::arg("o").none());
    EXPECT_TRUE(any(py::None::get(py)).extract<bool>());
    auto optional = py::make_function(
        py, "k", [](std::optional<py::Borrowed<py::List>> l) { return l ? l->len() : -1; }, py::arg("l").none());
    EXPECT_EQ(optional(py::None::get(py)).extract<long long>(), -1);
    EXPECT_EQ(optional(py::List::empty(py)).extract<long long>(), 0);
}
