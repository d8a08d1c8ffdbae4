// Covers py::Iterator: next() until exhaustion, range-for over iter() and generators, errors mid-iteration.
#include "harness.h"

#include <algorithm>
#include <string>
#include <vector>

namespace {

// Runs `source` in a fresh namespace and returns the global `name` it defines.
py::Owned<py::Any> define(py::Python py, const char* source, const char* name) {
    auto ns = py::Dict::empty(py);
    py::run(py, source, ns);
    return ns.get_item(name);
}

}  // namespace

PYOWNED_TEST(Iterator, NextUntilNullopt) {
    auto it = py::eval(py, "[1, 2, 3]").iter();
    std::vector<int> seen;
    while (auto item = it.next()) seen.push_back(item->extract<int>());
    EXPECT_EQ(seen, (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(it.next(), std::nullopt);  // stays exhausted
    EXPECT_FALSE(PyErr_Occurred());
}

PYOWNED_TEST(Iterator, NextOnEmpty) {
    auto it = py::List::empty(py).iter();
    EXPECT_EQ(it.next(), std::nullopt);
    EXPECT_FALSE(PyErr_Occurred());
}

PYOWNED_TEST(Iterator, RangeForOverIter) {
    auto l = py::eval(py, "['a', 'b', 'c']");
    std::string joined;
    for (auto& item : l.iter()) joined += item.extract<std::string>();
    EXPECT_EQ(joined, "abc");
}

PYOWNED_TEST(Iterator, RangeForConsumes) {
    auto it = py::eval(py, "iter(range(5))").downcast_into<py::Iterator>();
    ASSERT_EQ(it.next()->extract<int>(), 0);
    int sum = 0;
    for (auto& item : it) sum += item.extract<int>();
    EXPECT_EQ(sum, 1 + 2 + 3 + 4);
    EXPECT_EQ(it.next(), std::nullopt);
}

PYOWNED_TEST(Iterator, RangeForOverGenerator) {
    auto gen = define(py, "def gen(n):\n    for i in range(n):\n        yield i * i\n", "gen");
    std::vector<int> seen;
    for (auto& item : gen(4).downcast_into<py::Iterator>()) seen.push_back(item.extract<int>());
    EXPECT_EQ(seen, (std::vector<int>{0, 1, 4, 9}));
}

PYOWNED_TEST(Iterator, GeneratorThroughIter) {
    auto gen = define(py, "def gen():\n    yield 'x'\n    yield 'y'\n", "gen");
    std::vector<std::string> seen;
    for (auto& item : gen().iter()) seen.push_back(item.extract<std::string>());
    EXPECT_EQ(seen, (std::vector<std::string>{"x", "y"}));
}

PYOWNED_TEST(Iterator, GeneratorErrorMidIterationPropagates) {
    auto gen = define(py,
                      "def gen():\n"
                      "    yield 1\n"
                      "    yield 2\n"
                      "    raise KeyError('boom')\n",
                      "gen");
    std::vector<int> seen;
    EXPECT_PY_ERROR(for (auto& item : gen().iter()) seen.push_back(item.extract<int>()), py::KeyError,
                    "KeyError: 'boom'");
    EXPECT_EQ(seen, (std::vector<int>{1, 2}));
}

PYOWNED_TEST(Iterator, GeneratorErrorOnFirstItemPropagates) {
    auto gen = define(py, "def gen():\n    raise ValueError('at start')\n    yield 1\n", "gen");
    int n = 0;
    EXPECT_PY_ERROR(
        for (auto& item : gen().iter()) {
            (void)item;
            ++n;
        },
        py::ValueError, "at start");
    EXPECT_EQ(n, 0);
}

PYOWNED_TEST(Iterator, NextRaisesGeneratorError) {
    auto gen = define(py, "def gen():\n    yield 1\n    1 / 0\n", "gen");
    auto it = gen().downcast_into<py::Iterator>();
    EXPECT_EQ(it.next()->extract<int>(), 1);
    EXPECT_PY_ERROR((void)it.next(), py::ZeroDivisionError, "division by zero");
    EXPECT_EQ(it.next(), std::nullopt);  // a finished generator
}

PYOWNED_TEST(Iterator, StopIterationValueIsNotAnError) {
    auto gen = define(py, "def gen():\n    yield 1\n    return 'done'\n", "gen");
    int n = 0;
    for (auto& item : gen().iter()) {
        (void)item;
        ++n;
    }
    EXPECT_EQ(n, 1);
    EXPECT_FALSE(PyErr_Occurred());
}

PYOWNED_TEST(Iterator, CustomIteratorClass) {
    auto cls = define(py,
                      "class Countdown:\n"
                      "    def __init__(self, n): self.n = n\n"
                      "    def __iter__(self): return self\n"
                      "    def __next__(self):\n"
                      "        if self.n == 0: raise StopIteration\n"
                      "        self.n -= 1\n"
                      "        return self.n\n",
                      "Countdown");
    std::vector<int> seen;
    for (auto& item : cls(3).iter()) seen.push_back(item.extract<int>());
    EXPECT_EQ(seen, (std::vector<int>{2, 1, 0}));
}

PYOWNED_TEST(Iterator, DowncastNonIteratorIsTypeError) {
    auto l = py::List::empty(py);
    py::Borrowed<py::Any> any = l;
    EXPECT_PY_ERROR((void)any.downcast<py::Iterator>(), py::TypeError,
                    "'list' object cannot be converted to 'iterator'");
}

PYOWNED_TEST(Iterator, RangesAlgorithm) {
    auto it = py::eval(py, "iter([3, 8, 1, 9])").downcast_into<py::Iterator>();
    auto found = std::ranges::find_if(it, [](const py::Owned<py::Any>& x) { return x.extract<int>() > 5; });
    ASSERT_FALSE(found == std::default_sentinel);
    EXPECT_EQ((*found).extract<int>(), 8);
}

PYOWNED_TEST(Iterator, IterationBalancesReferences) {
    auto obj = pyowned_test::fresh_object(py);
    auto l = py::List::empty(py);
    l.append(obj);
    l.append(obj);
    auto before = pyowned_test::refcnt(obj);
    for (int i = 0; i < 1000; ++i) {
        for (auto& item : l.iter()) ASSERT_TRUE(item.is(obj));
        auto it = l.iter();
        ASSERT_TRUE(it.next().has_value());  // abandoned part-way
    }
    EXPECT_EQ(pyowned_test::refcnt(obj), before);
}

PYOWNED_TEST(Iterator, LongIterationUsesConstantMemory) {
    auto r = py::eval(py, "range(1_000_000)");
    long long sum = 0;
    auto start = pyowned_test::resident_bytes();
    for (auto& item : r.iter()) sum += item.extract<long long>();
    auto end = pyowned_test::resident_bytes();
    auto growth = end > start ? end - start : 0;
    EXPECT_EQ(sum, 999999LL * 1000000LL / 2);
    if (!pyowned_test::sanitized()) {
        EXPECT_LT(growth, std::size_t{8} << 20) << "grew by " << growth << " bytes";
    }
}

// An iterator that raises on its first item: the loop's begin() throws, and must still
// release its reference to the iterator.
PYOWNED_TEST(Iterator, ErrorOnFirstItemBalancesReferences) {
    auto cls = define(py,
                      "class Boom:\n"
                      "    def __iter__(self): return self\n"
                      "    def __next__(self): raise ValueError('boom')\n",
                      "Boom");
    auto boom = cls();
    auto before = pyowned_test::refcnt(boom);
    for (int i = 0; i < 1000; ++i) {
        try {
            for (auto& item : boom.iter()) (void)item;
            FAIL() << "no error";
        } catch (const py::Error& e) {
            ASSERT_TRUE(e.matches<py::ValueError>(py));
        }
    }
    EXPECT_EQ(pyowned_test::refcnt(boom), before);
}

PYOWNED_TEST(Iterator, ErrorMidIterationBalancesReferences) {
    auto gen = define(py, "def gen(x):\n    yield x\n    raise ValueError('boom')\n", "gen");
    auto obj = pyowned_test::fresh_object(py);
    auto before = pyowned_test::refcnt(obj);
    for (int i = 0; i < 1000; ++i) {
        try {
            for (auto& item : gen(obj).iter()) ASSERT_TRUE(item.is(obj));
            FAIL() << "no error";
        } catch (const py::Error& e) {
            ASSERT_TRUE(e.matches<py::ValueError>(py));
        }
    }
    EXPECT_EQ(pyowned_test::refcnt(obj), before);
}
