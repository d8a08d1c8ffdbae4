// Interpreter runs: Python finalized and initialized again in one process (a py::Interpreter
// made a second time). References kept from an earlier run point into freed memory; dropping,
// copying or describing them while a later run goes on must do nothing to that memory, and
// pyowned's caches (interned names, kwnames tuples, looked-up classes, OnceCell) must start
// afresh. Every test here makes its own interpreters: this program has no interpreter of
// its own (tests/cpp's main() owns one for the whole suite, so these cannot live there).
#include <gtest/gtest.h>
#include <pyowned/pyowned.h>
#include <pyowned/stl.h>
#include <pyowned/functional.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace py = pyowned;

namespace {

constexpr int kRuns = 4;

// The program: a Py of each run is dropped in the next one (release: a segfault;
// debug interpreter: an assertion in gcmodule.c, before runs were told apart).
TEST(Lifetimes, PyOfAnEarlierRunDroppedInALaterOne) {
    std::optional<py::Py<py::Any>> keep;
    for (int i = 0; i < kRuns; ++i) {
        py::Interpreter interpreter;
        py::attach([&](py::Python py) {
            keep.reset();
            keep.emplace(py::eval(py, "[object() for _ in range(100)]").unbind());
            EXPECT_EQ(keep->bind(py).len(), 100);
        });
    }
    keep.reset();  // after the last run: nothing to do either
}

// A Py made in one run is dropped by a thread that is not attached while the next run
// goes on: it must not be queued for that run's next attach to decref.
TEST(Lifetimes, PyOfAnEarlierRunDroppedOnADetachedThread) {
    std::vector<py::Py<py::Any>> kept;
    for (int i = 0; i < kRuns; ++i) {
        py::Interpreter interpreter;
        std::thread([&] { kept.clear(); }).join();
        py::attach([&](py::Python py) {
            for (int k = 0; k < 50; ++k) kept.push_back(py::eval(py, "{'k': [1.5, 'text' * 20]}").unbind());
        });
    }
    kept.clear();
}

// Within one run, a Py dropped on a detached thread is queued and decref'd at the next
// attach: the run number does not get in the way of the ordinary path.
TEST(Lifetimes, QueuedDecrefsOfTheCurrentRunStillHappen) {
    for (int i = 0; i < 2; ++i) {
        py::Interpreter interpreter;
        py::Py<py::Any> object = py::attach([](py::Python py) { return py::eval(py, "object()").unbind(); });
        PyObject* raw = object.ptr();
        Py_ssize_t before = py::attach([&](py::Python) {
            Py_INCREF(raw);  // a second reference, to watch the count
            return Py_REFCNT(raw);
        });
        std::thread([&] { py::Py<py::Any> moved = std::move(object); }).join();
        py::attach([&](py::Python) {
            EXPECT_EQ(Py_REFCNT(raw), before - 1);
            Py_DECREF(raw);
        });
    }
}

// A py::Error of an earlier run: copied, described, dropped in a later one.
TEST(Lifetimes, ErrorOfAnEarlierRun) {
    std::optional<py::Error> kept;
    for (int i = 0; i < kRuns; ++i) {
        py::Interpreter interpreter;
        if (kept) {
            py::Error copy = *kept;
            EXPECT_NE(std::string(copy.what()).find("Exception"), std::string::npos) << copy.what();
            py::attach([&](py::Python py) {
                EXPECT_FALSE(copy.matches<py::KeyError>(py));  // its type is gone: no match
                std::move(copy).restore(py);                   // raises SystemError instead
                EXPECT_TRUE(PyErr_ExceptionMatches(PyExc_SystemError));
                PyErr_Clear();
            });
        }
        kept.reset();
        py::attach([&](py::Python py) {
            try {
                (void)py::eval(py, "{}['missing' + str(42)]");
            } catch (py::Error& e) {
                kept.emplace(std::move(e));
            }
            ASSERT_TRUE(kept);
            EXPECT_TRUE(kept->matches<py::KeyError>(py));
        });
    }
    kept.reset();
}

// A lazy error (a static type and a message) of an earlier run is still usable.
TEST(Lifetimes, LazyErrorOfAnEarlierRun) {
    std::optional<py::Error> lazy;
    {
        py::Interpreter interpreter;
        lazy.emplace(py::Error::of<py::ValueError>("bad value"));
    }
    py::Interpreter interpreter;
    py::attach([&](py::Python py) {
        std::move(*lazy).restore(py);
        EXPECT_TRUE(PyErr_ExceptionMatches(PyExc_ValueError));
        PyErr_Clear();
    });
}

// OnceCell: a value per run, never the earlier run's.
TEST(Lifetimes, OnceCellPerRun) {
    static py::OnceCell<py::Py<py::Any>> cell;
    for (int i = 0; i < kRuns; ++i) {
        py::Interpreter interpreter;
        py::attach([&](py::Python py) {
            int made = 0;
            auto make = [&](py::Python p) {
                ++made;
                return py::eval(p, "['cached']").unbind();
            };
            const py::Py<py::Any>& first = cell.get_or_init(py, make);
            const py::Py<py::Any>& again = cell.get_or_init(py, make);
            EXPECT_EQ(made, 1) << "run " << i;
            EXPECT_EQ(first.ptr(), again.ptr());
            EXPECT_EQ(first.bind(py).get_item(0).extract<std::string>(), "cached");
        });
    }
}

// Interned names, kwnames tuples and cached classes (datetime.timedelta,
// collections.abc.Mapping, pathlib.Path) are looked up again in each run.
TEST(Lifetimes, CachesStartAfreshInEachRun) {
    for (int i = 0; i < kRuns; ++i) {
        py::Interpreter interpreter;
        py::attach([&](py::Python py) {
            auto ns = py::eval(py, "type('NS', (), {'attribute_name_for_lifetimes': 41})()");
            EXPECT_EQ(ns.getattr("attribute_name_for_lifetimes").extract<int>(), 41);
            auto f = py::eval(py, "lambda *, keyword_for_lifetimes: keyword_for_lifetimes + 1");
            EXPECT_EQ(f.call(py::arg("keyword_for_lifetimes") = 1).extract<int>(), 2);
            auto delta = py::into_py(py, std::chrono::milliseconds(1500));
            EXPECT_EQ(delta.str().to_string(), "0:00:01.500000");
            auto mapping = py::eval(py, "__import__('types').MappingProxyType({'a': 1})");
            EXPECT_EQ((mapping.extract<std::map<std::string, int>>()), (std::map<std::string, int>{{"a", 1}}));
            EXPECT_EQ(py::into_py(py, std::filesystem::path("/tmp")).type().getattr("__name__").extract<std::string>(),
                      "PosixPath");
        });
    }
}

struct Counter {
    long long n = 0;
    void bump() { ++n; }
};

// A bound class's caches (its record and Python type, looked up once per run and read by
// every call's borrow) start afresh: a run binds the class anew and uses it from Python and
// C++; the run after it, which does not bind it, finds it unbound instead of reaching the
// earlier run's freed type.
TEST(Lifetimes, BoundClassCachesPerRun) {
    for (int i = 0; i < kRuns; ++i) {
        py::Interpreter interpreter;
        py::attach([&](py::Python py) {
            if (i % 2 == 1) {
                bool caught = false;
                try {
                    (void)py::Owned<Counter>::make(py);
                } catch (const py::Error& e) {
                    caught = true;
                    EXPECT_TRUE(e.matches<py::TypeError>(py)) << e.what();
                    EXPECT_NE(std::string(e.what()).find("is not bound to a Python class"), std::string::npos)
                        << e.what();
                }
                EXPECT_TRUE(caught);
                EXPECT_FALSE(PyErr_Occurred());
                return;
            }
            auto mod = py::import(py, "types").call_method("ModuleType", "runs").downcast_into<py::Module>();
            py::Class<Counter>(mod, "Counter")
                .def(py::init<>())
                .def("bump", py::method<&Counter::bump>)
                .def_ro("n", &Counter::n);
            auto counter = mod.getattr("Counter").call();
            counter.call_method("bump");
            counter.call_method("bump");
            EXPECT_EQ(counter.getattr("n").extract<long long>(), 2);
            auto made = py::Owned<Counter>::make(py);
            made.get_mut()->bump();
            EXPECT_EQ(made.get()->n, 1);
        });
    }
}

// A callback kept past its run: called after ~Interpreter, and while the next run goes on, it
// throws std::runtime_error without touching Python; dropped then, it does nothing.
TEST(Lifetimes, CallbackOfAnEarlierRun) {
    std::function<int(int)> kept;
    {
        py::Interpreter interpreter;
        py::attach([&](py::Python py) {
            kept = py::eval(py, "lambda x: x + 1").extract<std::function<int(int)>>();
            EXPECT_EQ(kept(1), 2);
        });
    }
    EXPECT_THROW(kept(1), std::runtime_error);  // finalized
    {
        py::Interpreter interpreter;
        EXPECT_THROW(kept(1), std::runtime_error);  // another run: the callable is gone
        py::attach([&](py::Python py) {
            EXPECT_THROW(kept(1), std::runtime_error);
            auto fresh = py::eval(py, "lambda x: x * 2").extract<std::function<int(int)>>();
            EXPECT_EQ(fresh(4), 8);
            kept = nullptr;  // dropped in the later run: nothing to release
            EXPECT_EQ(fresh(5), 10);
        });
    }
}

// Bound enums are made again in each run, and their cached records do not outlive it.
TEST(Lifetimes, EnumsPerRun) {
    enum class Shade { light, dark };
    for (int i = 0; i < kRuns; ++i) {
        py::Interpreter interpreter;
        py::attach([&](py::Python py) {
            auto mod = py::import(py, "types").getattr("ModuleType").call("shades");
            py::Enum<Shade>(mod, "Shade").value("LIGHT", Shade::light).value("DARK", Shade::dark);
            py::Owned<py::Any> dark = py::into_py(py, Shade::dark);
            EXPECT_TRUE(dark.is(mod.getattr("Shade").getattr("DARK")));
            EXPECT_EQ(dark.extract<Shade>(), Shade::dark);
        });
    }
}

}  // namespace

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
