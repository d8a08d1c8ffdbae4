// py::Error, py::raise, exception translation at the C boundary, check_signals, OnceCell.
#include "harness.h"

#include <stdexcept>
#include <thread>
#include <vector>

namespace {

// Runs `thrower` inside a catch block and translates what it threw into the Python error
// indicator, as the boundary of a bound function does; returns the resulting Error.
template <class F>
py::Error translated(py::Python py, F thrower) {
    try {
        thrower();
    } catch (...) {
        py::translate_exception(py);
    }
    EXPECT_TRUE(PyErr_Occurred());
    return py::Error::fetch(py);
}

}  // namespace

PYOWNED_TEST(Error, RaiseMakesTheTaggedType) {
    EXPECT_PY_ERROR(py::raise<py::ValueError>("bad value"), py::ValueError, "ValueError: bad value");
}

PYOWNED_TEST(Error, MatchesFollowsTheHierarchy) {
    py::Error e = py::Error::of<py::KeyError>("k");
    EXPECT_TRUE(e.matches<py::KeyError>(py));
    EXPECT_TRUE(e.matches<py::LookupError>(py));
    EXPECT_TRUE(e.matches<py::Exception>(py));
    EXPECT_TRUE(e.matches<py::BaseException>(py));
    EXPECT_FALSE(e.matches<py::IndexError>(py));
    EXPECT_FALSE(e.matches<py::ValueError>(py));
}

PYOWNED_TEST(Error, WhatReadsLikeATraceback) {
    EXPECT_STREQ(py::Error::of<py::KeyError>("x").what(), "KeyError: 'x'");
    EXPECT_STREQ(py::Error::of<py::ValueError>("").what(), "ValueError");
    try {
        py::run(py, "import json\njson.loads('{')");
        FAIL() << "no exception";
    } catch (const py::Error& e) {
        EXPECT_STREQ(e.what(),
                     "json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: "
                     "line 1 column 2 (char 1)");
    }
    try {
        py::run(py, "class Custom(Exception): pass\nraise Custom('boom')");
        FAIL() << "no exception";
    } catch (const py::Error& e) {
        EXPECT_STREQ(e.what(), "Custom: boom");
    }
}

PYOWNED_TEST(Error, FetchWithNothingSetIsSystemError) {
    ASSERT_FALSE(PyErr_Occurred());
    py::Error e = py::Error::fetch(py);
    EXPECT_TRUE(e.matches<py::SystemError>(py));
    EXPECT_STREQ(e.what(), "SystemError: error return without exception set");
}

PYOWNED_TEST(Error, ValueIsOneObjectAndKeepsTheMessage) {
    py::Error e = py::Error::of<py::ValueError>("msg");
    auto a = e.value(py);
    auto b = e.value(py);
    EXPECT_TRUE(a.is(b));
    EXPECT_EQ(a.str().to_string(), "msg");
    EXPECT_TRUE(e.type(py).is(py::eval(py, "ValueError")));
}

PYOWNED_TEST(Error, CopiesShareTheExceptionWithBalancedCounts) {
    py::Error e = py::Error::fetch(py);  // a SystemError, normalized below
    auto value = e.value(py);
    Py_ssize_t before = pyowned_test::refcnt(value);
    for (int i = 0; i < 1000; ++i) {
        py::Error copy = e;
        py::Error moved = std::move(copy);
        EXPECT_TRUE(moved.value(py).is(value));
    }
    EXPECT_EQ(pyowned_test::refcnt(value), before);
}

PYOWNED_TEST(Error, CopyAndWhatWorkWhileDetached) {
    py::Error e = py::Error::of<py::RuntimeError>("far away");
    auto value = e.value(py);
    Py_ssize_t before = pyowned_test::refcnt(value);
    std::string text = py.detach([&] {
        py::Error copy = e;  // copying needs no token: it attaches briefly to incref
        std::string what = copy.what();
        return what;  // the copy's destructor queues its decref while detached
    });
    EXPECT_EQ(text, "RuntimeError: far away");
    EXPECT_EQ(pyowned_test::refcnt(value), before);  // drained when detach re-attached
}

PYOWNED_TEST(Error, RestoreSetsExactlyThatException) {
    py::Error e = py::Error::of<py::IndexError>("gone");
    auto value = e.value(py);
    std::move(e).restore(py);
    ASSERT_TRUE(PyErr_Occurred());
    py::Error back = py::Error::fetch(py);
    EXPECT_TRUE(back.value(py).is(value));
    EXPECT_FALSE(PyErr_Occurred());
}

PYOWNED_TEST(Error, LazyRestoreNeedsNoObjectFirst) {
    py::Error::of<py::OverflowError>("too big").restore(py);
    ASSERT_TRUE(PyErr_ExceptionMatches(PyExc_OverflowError));
    EXPECT_STREQ(py::Error::fetch(py).what(), "OverflowError: too big");
}

PYOWNED_TEST(Error, TracebackSurvivesFetchAndRestore) {
    try {
        py::run(py, "def f():\n    raise ValueError('deep')\nf()");
        FAIL() << "no exception";
    } catch (py::Error& e) {
        auto tb = e.value(py).getattr("__traceback__");
        EXPECT_FALSE(tb.is_none());
        std::move(e).restore(py);
        py::Error again = py::Error::fetch(py);
        EXPECT_TRUE(again.value(py).getattr("__traceback__").is(tb));
    }
}

PYOWNED_TEST(Error, RaiseFromSetsTheCause) {
    py::Error cause = py::Error::of<py::KeyError>("missing");
    try {
        py::Error::of<py::RuntimeError>("lookup failed").raise_from(py, cause);
    } catch (const py::Error& e) {
        EXPECT_TRUE(e.matches<py::RuntimeError>(py));
        EXPECT_TRUE(e.value(py).getattr("__cause__").is(cause.value(py)));
        return;
    }
    FAIL() << "raise_from did not throw";
}

PYOWNED_TEST(Error, RaiseAnyTypeObject) {
    auto type = py::eval(py, "type('MyError', (LookupError,), {})").downcast_into<py::Type>();
    EXPECT_PY_ERROR(py::raise(type, "custom"), py::LookupError, "MyError: custom");
    // Not an exception type: TypeError instead of a broken exception.
    auto not_exc = py::eval(py, "int").downcast_into<py::Type>();
    EXPECT_PY_ERROR(py::raise(not_exc, "x"), py::TypeError, "exceptions must derive from BaseException");
}

PYOWNED_TEST(Error, CreateExceptionAddsItToTheModule) {
    auto module = py::Owned<py::Module>::from_owned_ptr(py, PyModule_New("mymod"));
    auto type = py::create_exception(module, "ParseError", py::eval(py, "ValueError").downcast<py::Type>());
    EXPECT_TRUE(module.getattr("ParseError").is(type));
    EXPECT_EQ(type.getattr("__name__").extract<std::string>(), "ParseError");
    EXPECT_EQ(type.getattr("__module__").extract<std::string>(), "mymod");
    EXPECT_PY_ERROR(py::raise(type, "line 3"), py::ValueError, "mymod.ParseError: line 3");
}

PYOWNED_TEST(Error, TryCallGivesTheErrorWithoutThrowing) {
    auto f = py::eval(py, "lambda x: 1 // x");
    auto ok = f.try_call(2);
    ASSERT_TRUE(ok.has_value());
    EXPECT_EQ(ok->extract<int>(), 0);
    auto bad = f.try_call(0);
    ASSERT_FALSE(bad.has_value());
    EXPECT_TRUE(bad.error().matches<py::ZeroDivisionError>(py));
    EXPECT_FALSE(PyErr_Occurred());
    EXPECT_PY_ERROR((void)std::move(bad).value(), py::ZeroDivisionError, "ZeroDivisionError");
}

PYOWNED_TEST(Translate, MapsEachStandardException) {
    struct Case {
        void (*thrower)();
        PyObject* type;
        const char* what;
    };
    const Case cases[] = {
        {[] { throw std::invalid_argument("ia"); }, PyExc_ValueError, "ValueError: ia"},
        {[] { throw std::domain_error("de"); }, PyExc_ValueError, "ValueError: de"},
        {[] { throw std::length_error("le"); }, PyExc_ValueError, "ValueError: le"},
        {[] { throw std::out_of_range("oor"); }, PyExc_IndexError, "IndexError: oor"},
        {[] { throw std::overflow_error("of"); }, PyExc_OverflowError, "OverflowError: of"},
        {[] { throw std::bad_alloc(); }, PyExc_MemoryError, "MemoryError"},
        {[] { throw std::runtime_error("rt"); }, PyExc_RuntimeError, "RuntimeError: rt"},
        {[] { throw std::logic_error("lo"); }, PyExc_RuntimeError, "RuntimeError: lo"},
        {[] { throw 42; }, PyExc_SystemError, "SystemError: unknown C++ exception"},
        {[] { py::raise<py::KeyError>("k"); }, PyExc_KeyError, "KeyError: 'k'"},
    };
    for (const Case& c : cases) {
        py::Error e = translated(py, c.thrower);
        EXPECT_TRUE(e.matches(py, py::Borrowed<py::Any>::from_ptr(py, c.type))) << e.what();
        EXPECT_STREQ(e.what(), c.what);
    }
}

PYOWNED_TEST(Translate, KeepsAPythonErrorObjectUnchanged) {
    try {
        py::run(py, "raise ValueError('original')");
    } catch (py::Error& original) {
        auto value = original.value(py);
        py::Error e = translated(py, [&] { throw original; });
        EXPECT_TRUE(e.value(py).is(value));
    }
}

PYOWNED_TEST(Translate, NeverLosesAnEarlierPythonError) {
    PyErr_SetString(PyExc_KeyError, "first");
    py::Error e = translated(py, [] { throw std::runtime_error("second"); });
    EXPECT_TRUE(e.matches<py::RuntimeError>(py));
    auto context = e.value(py).getattr("__context__");
    ASSERT_FALSE(context.is_none());
    EXPECT_TRUE(context.is_instance<py::KeyError>());
}

PYOWNED_TEST(Translate, BalancesReferences) {
    auto obj = pyowned_test::fresh_object(py);
    auto value = py::Error::of<py::ValueError>("v").value(py);
    value.setattr("payload", obj);
    Py_ssize_t before = pyowned_test::refcnt(obj);
    for (int i = 0; i < 1000; ++i) {
        py::Error e = translated(py, [&] { throw py::Error::from_value(value); });
        (void)e;
    }
    EXPECT_EQ(pyowned_test::refcnt(obj), before);
}

PYOWNED_TEST(Signals, KeyboardInterruptReachesANativeLoop) {
    PyErr_SetInterrupt();  // as if Ctrl-C arrived
    bool interrupted = false;
    try {
        for (int i = 0; i < 1000000; ++i) py::check_signals(py);
    } catch (const py::Error& e) {
        interrupted = e.matches<py::KeyboardInterrupt>(py);
    }
    EXPECT_TRUE(interrupted);
    EXPECT_FALSE(PyErr_Occurred());
}

PYOWNED_TEST(OnceCell, InitializesOnce) {
    static py::OnceCell<py::Py<py::Any>> cell;
    int calls = 0;
    auto make = [&](py::Python p) {
        ++calls;
        return py::eval(p, "object()").unbind();
    };
    const auto& first = cell.get_or_init(py, make);
    const auto& second = cell.get_or_init(py, make);
    EXPECT_EQ(&first, &second);
    EXPECT_LE(calls, 1);  // 0 on the repeated runs of the leak check: already initialized
    EXPECT_NE(cell.get(), nullptr);
}

PYOWNED_TEST(OnceCell, RacingThreadsAgreeOnOneValue) {
    py::OnceCell<py::Py<py::Any>> cell;
    std::vector<PyObject*> seen(8);
    py.detach([&] {
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t)
            threads.emplace_back([&, t] {
                py::attach([&](py::Python p) {
                    seen[t] = cell.get_or_init(p, [](py::Python q) { return py::eval(q, "object()").unbind(); })
                                  .bind(p)
                                  .ptr();
                });
            });
        for (auto& th : threads) th.join();
    });
    for (PyObject* s : seen) EXPECT_EQ(s, seen[0]);
}
