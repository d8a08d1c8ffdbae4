// Covers py::List, py::Tuple and the Sequence operations: construction, indexing, mutation, iteration.
#include "harness.h"
#include "test_support.h"

#include <algorithm>
#include <ranges>
#include <string>
#include <vector>

namespace {

// The list as C++ ints.
std::vector<int> ints(py::Borrowed<py::Any> seq) {
    std::vector<int> out;
    for (auto& item : seq.iter()) out.push_back(item.extract<int>());
    return out;
}

py::Owned<py::List> list_of(py::Python py, std::vector<int> values) { return py::List::from(py, values); }

}  // namespace

// --- List ---

PYOWNED_TEST(List, EmptyAndAppend) {
    auto l = py::List::empty(py);
    EXPECT_EQ(l.len(), 0);
    l.append(1);
    l.append("two");
    l.append(py::None::get(py));
    EXPECT_EQ(l.len(), 3);
    EXPECT_EQ(l.repr().to_string(), "[1, 'two', None]");
}

PYOWNED_TEST(List, AppendHandleSharesObject) {
    auto l = py::List::empty(py);
    auto obj = pyowned_test::fresh_object(py);
    l.append(obj);
    EXPECT_TRUE(l.get_item(0).is(obj));
}

PYOWNED_TEST(List, Insert) {
    auto l = list_of(py, {1, 2, 3});
    l.insert(0, 0);
    l.insert(2, 15);
    EXPECT_EQ(ints(l), (std::vector<int>{0, 1, 15, 2, 3}));
}

PYOWNED_TEST(List, InsertNegativeIndex) {
    auto l = list_of(py, {1, 2, 3});
    l.insert(-1, 99);  // before the last, as list.insert(-1, x)
    EXPECT_EQ(ints(l), (std::vector<int>{1, 2, 99, 3}));
}

PYOWNED_TEST(List, InsertOutOfRangeIsClamped) {
    auto l = list_of(py, {1, 2, 3});
    l.insert(100, 4);
    l.insert(-100, 0);
    EXPECT_EQ(ints(l), (std::vector<int>{0, 1, 2, 3, 4}));
    auto python = py::eval(py, "[1, 2, 3]");
    python.call_method("insert", 100, 4);
    python.call_method("insert", -100, 0);
    EXPECT_TRUE(l.eq(python));
}

PYOWNED_TEST(List, GetItem) {
    auto l = list_of(py, {10, 20, 30});
    EXPECT_EQ(l.get_item(0).extract<int>(), 10);
    EXPECT_EQ(l.get_item(2).extract<int>(), 30);
    EXPECT_EQ(l.get_item(-1).extract<int>(), 30);
    EXPECT_EQ(l.get_item(-3).extract<int>(), 10);
}

PYOWNED_TEST(List, GetItemOutOfRangeIsIndexError) {
    auto l = list_of(py, {10, 20, 30});
    EXPECT_PY_ERROR((void)l.get_item(3), py::IndexError, "list index out of range");
    EXPECT_PY_ERROR((void)l.get_item(-4), py::IndexError, "list index out of range");
    EXPECT_PY_ERROR((void)py::List::empty(py).get_item(0), py::IndexError, "list index out of range");
    try {
        (void)l.get_item(3);
    } catch (const py::Error& e) {
        EXPECT_STREQ(e.what(), "IndexError: list index out of range");
    }
}

PYOWNED_TEST(List, SetItem) {
    auto l = list_of(py, {10, 20, 30});
    l.set_item(0, 11);
    l.set_item(-1, "last");
    EXPECT_EQ(l.repr().to_string(), "[11, 20, 'last']");
}

PYOWNED_TEST(List, SetItemOutOfRangeIsIndexError) {
    auto l = list_of(py, {10, 20, 30});
    EXPECT_PY_ERROR(l.set_item(3, 0), py::IndexError, "list assignment index out of range");
    EXPECT_PY_ERROR(l.set_item(-4, 0), py::IndexError, "list assignment index out of range");
    EXPECT_EQ(ints(l), (std::vector<int>{10, 20, 30}));
}

PYOWNED_TEST(List, SetItemBalancesReferences) {
    auto l = list_of(py, {0});
    auto old_value = pyowned_test::fresh_object(py);
    auto new_value = pyowned_test::fresh_object(py);
    l.set_item(0, old_value);
    auto before_old = pyowned_test::refcnt(old_value), before_new = pyowned_test::refcnt(new_value);
    for (int i = 0; i < 1000; ++i) {
        l.set_item(0, new_value);
        l.set_item(0, old_value);
    }
    EXPECT_EQ(pyowned_test::refcnt(old_value), before_old);
    EXPECT_EQ(pyowned_test::refcnt(new_value), before_new);
}

PYOWNED_TEST(List, Sort) {
    auto l = list_of(py, {3, 1, 2});
    l.sort();
    EXPECT_EQ(ints(l), (std::vector<int>{1, 2, 3}));
}

PYOWNED_TEST(List, SortMixedIsTypeError) {
    auto l = py::List::empty(py);
    l.append(1);
    l.append("a");
    EXPECT_PY_ERROR(l.sort(), py::TypeError, "'<' not supported between instances of 'str' and 'int'");
}

PYOWNED_TEST(List, Reverse) {
    auto l = list_of(py, {1, 2, 3});
    l.reverse();
    EXPECT_EQ(ints(l), (std::vector<int>{3, 2, 1}));
}

PYOWNED_TEST(List, ToTuple) {
    auto l = list_of(py, {1, 2});
    auto t = l.to_tuple();
    EXPECT_TRUE(t.is_instance<py::Tuple>());
    EXPECT_TRUE(t.eq(py::Tuple::of(py, 1, 2)));
    l.append(3);
    EXPECT_EQ(t.len(), 2);  // a copy
}

PYOWNED_TEST(List, FromVector) {
    std::vector<int> v = {5, 6, 7};
    auto l = py::List::from(py, v);
    EXPECT_EQ(ints(l), v);
    std::vector<std::string> words = {"a", "b"};
    EXPECT_EQ(py::List::from(py, words).repr().to_string(), "['a', 'b']");
}

PYOWNED_TEST(List, FromNonSizedRange) {
    std::vector<int> v = {2, 4, 6};
    auto l = py::List::from(py, Unsized<int>{&v});
    EXPECT_EQ(ints(l), v);
    EXPECT_EQ(py::List::from(py, Unsized<int>{&v}).len(), 3);
}

#if PYOWNED_TEST_STD_VIEWS
PYOWNED_TEST(List, FromFilterView) {
    std::vector<int> v = {1, 2, 3, 4, 5, 6};
    auto evens = v | std::views::filter([](int x) { return x % 2 == 0; });
    static_assert(!std::ranges::sized_range<decltype(evens)>);
    auto l = py::List::from(py, evens);
    EXPECT_EQ(ints(l), (std::vector<int>{2, 4, 6}));
}
#endif

PYOWNED_TEST(List, FromVectorOfHandles) {
    auto a = pyowned_test::fresh_object(py);
    auto b = pyowned_test::fresh_object(py);
    std::vector<py::Owned<py::Any>> v = {a, b};
    auto before = pyowned_test::refcnt(a);
    auto l = py::List::from(py, v);
    EXPECT_TRUE(l.get_item(0).is(a));
    EXPECT_TRUE(l.get_item(1).is(b));
    EXPECT_EQ(pyowned_test::refcnt(a), before + 1);  // the list's reference
}

PYOWNED_TEST(List, FromRangeWithUnconvertibleElementIsError) {
    std::vector<std::string> v = {"ok", "\xff"};
    EXPECT_PY_ERROR((void)py::List::from(py, v), py::UnicodeDecodeError, "can't decode byte 0xff");
    EXPECT_PY_ERROR((void)py::List::from(py, Unsized<std::string>{&v}), py::UnicodeDecodeError,
                    "can't decode byte 0xff");
}

PYOWNED_TEST(List, RangeFor) {
    auto l = list_of(py, {1, 2, 3});
    int sum = 0;
    for (auto item : l) sum += item.extract<int>();
    EXPECT_EQ(sum, 6);
}

PYOWNED_TEST(List, ShrunkInsideLoopEndsLoop) {
    auto l = list_of(py, {1, 2, 3, 4, 5});
    std::vector<int> seen;
    for (auto item : l) {
        seen.push_back(item.extract<int>());
        l.call_method("clear");
        l.append(100);
    }
    EXPECT_EQ(seen, (std::vector<int>{1}));  // index 1 is past the new end
}

PYOWNED_TEST(List, ItemRemovedInsideLoopStaysAlive) {
    auto l = py::List::empty(py);
    l.append(py::Str::from(py, std::string("made ") + "at runtime"));
    l.append(py::Str::from(py, std::string("second ") + "item"));
    std::vector<std::string> seen;
    for (auto item : l) {
        l.call_method("pop", 0);
        seen.push_back(item.extract<std::string>());
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"made at runtime"}));
}

PYOWNED_TEST(List, GrownInsideLoopSeesNewItems) {
    auto l = list_of(py, {1});
    int n = 0;
    for (auto item : l) {
        if (++n < 3) l.append(item.extract<int>() + 1);
    }
    EXPECT_EQ(ints(l), (std::vector<int>{1, 2, 3}));  // as Python's own for loop
    EXPECT_EQ(n, 3);
}

PYOWNED_TEST(List, RangesAlgorithms) {
    auto l = list_of(py, {4, 9, 16, 25});
    auto n = std::ranges::count_if(l, [](const auto& x) { return x.template extract<int>() > 10; });
    EXPECT_EQ(n, 2);
}

PYOWNED_TEST(List, IterationBalancesReferences) {
    auto l = py::List::empty(py);
    auto obj = pyowned_test::fresh_object(py);
    l.append(obj);
    auto before = pyowned_test::refcnt(obj);
    for (int i = 0; i < 1000; ++i) {
        for (auto item : l) ASSERT_TRUE(item.is(obj));
        ASSERT_TRUE(l.get_item(-1).is(obj));
        try {
            (void)l.get_item(5);
        } catch (const py::Error&) {
        }
    }
    EXPECT_EQ(pyowned_test::refcnt(obj), before);
}

// --- Tuple ---

PYOWNED_TEST(Tuple, OfMixedValues) {
    auto t = py::Tuple::of(py, 1, "x", 2.5, true, py::None::get(py));
    EXPECT_EQ(t.len(), 5);
    EXPECT_EQ(t.repr().to_string(), "(1, 'x', 2.5, True, None)");
    EXPECT_TRUE(t.get_item(3).is(py::Bool::get(py, true)));
    EXPECT_TRUE(t.get_item(4).is_none());
}

PYOWNED_TEST(Tuple, GetItem) {
    auto t = py::Tuple::of(py, 10, 20, 30);
    EXPECT_EQ(t.get_item(0).extract<int>(), 10);
    EXPECT_EQ(t.get_item(-1).extract<int>(), 30);
    EXPECT_EQ(t.get_item(-3).extract<int>(), 10);
}

PYOWNED_TEST(Tuple, GetItemOutOfRangeIsIndexError) {
    auto t = py::Tuple::of(py, 10, 20, 30);
    EXPECT_PY_ERROR((void)t.get_item(3), py::IndexError, "tuple index out of range");
    EXPECT_PY_ERROR((void)t.get_item(-4), py::IndexError, "tuple index out of range");
    try {
        (void)t.get_item(3);
    } catch (const py::Error& e) {
        EXPECT_STREQ(e.what(), "IndexError: tuple index out of range");
    }
}

PYOWNED_TEST(Tuple, FromVector) {
    std::vector<double> v = {0.5, 1.5};
    auto t = py::Tuple::from(py, v);
    EXPECT_TRUE(t.is_instance<py::Tuple>());
    EXPECT_EQ(t.repr().to_string(), "(0.5, 1.5)");
    EXPECT_EQ(py::Tuple::from(py, std::vector<int>{}).len(), 0);
}

PYOWNED_TEST(Tuple, FromNonSizedRange) {
    std::vector<int> v = {1, 3, 5};
    auto t = py::Tuple::from(py, Unsized<int>{&v});
    EXPECT_TRUE(t.is_instance<py::Tuple>());
    EXPECT_EQ(ints(t), v);
}

#if PYOWNED_TEST_STD_VIEWS
PYOWNED_TEST(Tuple, FromFilterView) {
    std::vector<int> v = {1, 2, 3, 4, 5};
    auto odd = v | std::views::filter([](int x) { return x % 2 == 1; });
    auto t = py::Tuple::from(py, odd);
    EXPECT_TRUE(t.is_instance<py::Tuple>());
    EXPECT_EQ(ints(t), (std::vector<int>{1, 3, 5}));
}

PYOWNED_TEST(Tuple, FromIota) {
    auto t = py::Tuple::from(py, std::views::iota(0, 4));
    EXPECT_EQ(ints(t), (std::vector<int>{0, 1, 2, 3}));
}
#endif

PYOWNED_TEST(Tuple, RangeFor) {
    auto t = py::Tuple::of(py, "a", "b", "c");
    std::string joined;
    for (auto item : t) joined += item.extract<std::string>();
    EXPECT_EQ(joined, "abc");
}

PYOWNED_TEST(Tuple, OfBalancesReferences) {
    auto obj = pyowned_test::fresh_object(py);
    auto before = pyowned_test::refcnt(obj);
    for (int i = 0; i < 1000; ++i) {
        auto t = py::Tuple::of(py, obj, 1, obj);
        ASSERT_TRUE(t.get_item(2).is(obj));
    }
    EXPECT_EQ(pyowned_test::refcnt(obj), before);
}

PYOWNED_TEST(Tuple, OfWithFailingElementBalancesReferences) {
    auto obj = pyowned_test::fresh_object(py);
    auto before = pyowned_test::refcnt(obj);
    for (int i = 0; i < 1000; ++i) {
        try {
            (void)py::Tuple::of(py, obj, std::string("\xff"), obj);
            FAIL() << "no error";
        } catch (const py::Error& e) {
            ASSERT_TRUE(e.matches<py::UnicodeDecodeError>(py));
        }
    }
    EXPECT_EQ(pyowned_test::refcnt(obj), before);
}

// --- Sequence ---

PYOWNED_TEST(Sequence, OperationsOnBorrowedSequence) {
    auto r = py::eval(py, "range(10, 15)");
    py::Borrowed<py::Sequence> seq = r.downcast<py::Sequence>();
    EXPECT_EQ(seq.len(), 5);
    EXPECT_EQ(seq.get_item(-1).extract<int>(), 14);
    EXPECT_EQ(seq.get_item(0).extract<int>(), 10);
    EXPECT_EQ(seq.index(12), 2);
    EXPECT_EQ(seq.count(12), 1);
    EXPECT_EQ(seq.count(99), 0);
    EXPECT_TRUE(seq.to_list().eq(py::eval(py, "[10, 11, 12, 13, 14]")));
    EXPECT_TRUE(seq.to_tuple().eq(py::Tuple::of(py, 10, 11, 12, 13, 14)));
}

PYOWNED_TEST(Sequence, ListAsSequence) {
    auto l = list_of(py, {1, 2, 2, 3});
    py::Borrowed<py::Sequence> seq = l;
    EXPECT_EQ(seq.get_item(-2).extract<int>(), 2);
    EXPECT_EQ(seq.index(2), 1);
    EXPECT_EQ(seq.count(2), 2);
    auto copy = seq.to_list();
    EXPECT_FALSE(copy.is(l));
    EXPECT_TRUE(copy.eq(l));
    EXPECT_TRUE(seq.to_tuple().eq(py::Tuple::of(py, 1, 2, 2, 3)));
}

PYOWNED_TEST(Sequence, IndexOfAbsentIsValueError) {
    auto t = py::Tuple::of(py, 1, 2);
    py::Borrowed<py::Sequence> seq = t;
    EXPECT_PY_ERROR((void)seq.index(5), py::ValueError, "x not in");
}

PYOWNED_TEST(Sequence, GetItemOutOfRangeIsIndexError) {
    auto r = py::eval(py, "range(3)");
    auto seq = r.downcast<py::Sequence>();
    EXPECT_PY_ERROR((void)seq.get_item(-4), py::IndexError, "range object index out of range");
}

PYOWNED_TEST(Sequence, StrIsASequence) {
    auto s = py::Str::from(py, "hello");
    auto seq = s.downcast<py::Sequence>();
    EXPECT_EQ(seq.get_item(-1).extract<std::string>(), "o");
    EXPECT_EQ(seq.count("l"), 2);
}

PYOWNED_TEST(Sequence, DowncastNonSequenceIsTypeError) {
    auto d = py::Dict::empty(py);
    py::Borrowed<py::Any> any = d;
    EXPECT_PY_ERROR((void)any.downcast<py::Sequence>(), py::TypeError,
                    "'dict' object cannot be converted to 'Sequence'");
}

// seq.get_item(i) is Python's seq[i]: the index reaches __getitem__ as given, not adjusted.
PYOWNED_TEST(Sequence, GetItemPassesIndexAsGiven) {
    auto ns = py::Dict::empty(py);
    py::run(py,
            "import collections.abc\n"
            "class S(collections.abc.Sequence):\n"
            "    def __len__(self): return 3\n"
            "    def __getitem__(self, i):\n"
            "        if not -3 <= i < 3: raise IndexError('S index out of range')\n"
            "        return ('got', i)\n",
            ns);
    auto s = ns.get_item("S")();
    auto seq = s.downcast<py::Sequence>();
    EXPECT_TRUE(seq.get_item(-1).eq(py::Tuple::of(py, "got", -1)));
    EXPECT_TRUE(seq.get_item(2).eq(py::Tuple::of(py, "got", 2)));
    EXPECT_PY_ERROR((void)seq.get_item(-4), py::IndexError, "S index out of range");
}

// "std::ranges algorithms work on every iterable handle": a Sequence is iterable.
PYOWNED_TEST(Sequence, IsARange) {
    EXPECT_TRUE(std::ranges::input_range<py::Borrowed<py::Sequence>>);
    EXPECT_TRUE(std::ranges::input_range<py::Owned<py::Sequence>>);
    EXPECT_TRUE(std::ranges::input_range<py::Owned<py::List>>);
    EXPECT_TRUE(std::ranges::input_range<py::Owned<py::Tuple>>);
}
