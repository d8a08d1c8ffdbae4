// Covers what an embedding program logs about an error: e.traceback(py), e.format(py) (the
// report traceback.format_exception gives) and e.print(py) (as the interpreter prints it),
// while e.what() stays one line.
#include "harness.h"

#include <string>

namespace {

py::Error raised_from_python(py::Python py) {
    auto ns = py::Dict::empty(py);
    py::run(py,
            "def inner():\n"
            "    raise KeyError('missing')\n"
            "def outer():\n"
            "    try:\n"
            "        inner()\n"
            "    except KeyError as e:\n"
            "        raise ValueError('bad value') from e\n",
            ns);
    try {
        (void)ns.get_item("outer").call();
    } catch (py::Error& e) {
        return e;
    }
    ADD_FAILURE() << "outer() did not raise";
    return py::Error::of<py::RuntimeError>("unreachable");
}

bool contains(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

}  // namespace

PYOWNED_TEST(ErrorReport, TracebackOfARaisedError) {
    py::Error e = raised_from_python(py);
    auto tb = e.traceback(py);
    ASSERT_TRUE(tb.has_value());
    EXPECT_EQ(tb->type().getattr("__name__").extract<std::string>(), "traceback");
    // the innermost frame is outer's, where the ValueError was raised
    while (!tb->getattr("tb_next").is_none()) tb = tb->getattr("tb_next");
    EXPECT_EQ(tb->getattr("tb_frame").getattr("f_code").getattr("co_name").extract<std::string>(), "outer");
    EXPECT_STREQ(e.what(), "ValueError: bad value");
}

PYOWNED_TEST(ErrorReport, FormatGivesTheWholeReport) {
    py::Error e = raised_from_python(py);
    std::string text = e.format(py);
    EXPECT_TRUE(contains(text, "Traceback (most recent call last):")) << text;
    EXPECT_TRUE(contains(text, "in inner")) << text;
    EXPECT_TRUE(contains(text, "KeyError: 'missing'")) << text;
    EXPECT_TRUE(contains(text, "The above exception was the direct cause of the following exception:")) << text;
    EXPECT_TRUE(contains(text, "in outer")) << text;
    EXPECT_TRUE(text.ends_with("ValueError: bad value\n")) << text;
    // the same text Python's own traceback module gives
    auto expected = py::eval(py, "lambda e: ''.join(__import__('traceback').format_exception(e))").call(e.value(py));
    EXPECT_EQ(text, expected.extract<std::string>());
    EXPECT_FALSE(PyErr_Occurred());
}

PYOWNED_TEST(ErrorReport, AnErrorMadeInCpp) {
    py::Error e = py::Error::of<py::ValueError>("made in C++");
    EXPECT_FALSE(e.traceback(py).has_value());
    EXPECT_EQ(e.format(py), "ValueError: made in C++\n");
    EXPECT_STREQ(e.what(), "ValueError: made in C++");
}

PYOWNED_TEST(ErrorReport, PrintWritesToStderr) {
    auto sys = py::import(py, "sys");
    auto saved = sys.getattr("stderr");
    auto captured = py::import(py, "io").getattr("StringIO").call();
    sys.setattr("stderr", captured);
    py::Error e = raised_from_python(py);
    e.print(py);
    sys.setattr("stderr", saved);
    EXPECT_EQ(captured.call_method("getvalue").extract<std::string>(), e.format(py));
    EXPECT_FALSE(PyErr_Occurred());
}

PYOWNED_TEST(ErrorReport, ReferencesBalanced) {
    py::Error e = raised_from_python(py);
    auto value = e.value(py);
    const Py_ssize_t before = pyowned_test::refcnt(value);
    for (int i = 0; i < 100; ++i) {
        (void)e.traceback(py);
        (void)e.format(py);
    }
    EXPECT_EQ(pyowned_test::refcnt(value), before);
}

PYOWNED_TEST(ErrorReport, ALoneSurrogateInTheMessage) {
    try {
        py::run(py, "raise ValueError('bad \\udc80 byte')");
        ADD_FAILURE() << "no error";
    } catch (py::Error& e) {
        EXPECT_STREQ(e.what(), "ValueError: bad \\udc80 byte");  // escaped, not dropped
        EXPECT_TRUE(e.format(py).ends_with("ValueError: bad \\udc80 byte\n")) << e.format(py);
    }
    EXPECT_FALSE(PyErr_Occurred());
}
