// Covers py::Set and py::FrozenSet: construction, membership, mutation, iteration.
#include "harness.h"
#include "test_support.h"

#include <algorithm>
#include <ranges>
#include <set>
#include <string>
#include <vector>

namespace {

// The elements of a set or frozenset as sorted C++ ints.
template <class SetHandle>
std::vector<int> sorted_ints(const SetHandle& set) {
    std::vector<int> out;
    for (const py::Owned<py::Any>& x : set) out.push_back(x.extract<int>());
    std::ranges::sort(out);
    return out;
}

}  // namespace

PYOWNED_TEST(Set, Empty) {
    auto s = py::Set::empty(py);
    EXPECT_EQ(s.len(), 0);
    EXPECT_TRUE(s.is_instance<py::Set>());
    EXPECT_EQ(s.repr().to_string(), "set()");
}

PYOWNED_TEST(Set, FromVector) {
    std::vector<int> v = {3, 1, 2, 3, 1};
    auto s = py::Set::from(py, v);
    EXPECT_EQ(s.len(), 3);
    EXPECT_EQ(sorted_ints(s), (std::vector<int>{1, 2, 3}));
}

PYOWNED_TEST(Set, FromNonSizedRange) {
    std::vector<int> v = {6, 0, 3, 9, 3};
    auto s = py::Set::from(py, Unsized<int>{&v});
    EXPECT_EQ(sorted_ints(s), (std::vector<int>{0, 3, 6, 9}));
    EXPECT_EQ(sorted_ints(py::FrozenSet::from(py, Unsized<int>{&v})), (std::vector<int>{0, 3, 6, 9}));
}

#if PYOWNED_TEST_STD_VIEWS
PYOWNED_TEST(Set, FromFilterView) {
    auto s = py::Set::from(py, std::views::iota(0, 10) | std::views::filter([](int x) { return x % 3 == 0; }));
    EXPECT_EQ(sorted_ints(s), (std::vector<int>{0, 3, 6, 9}));
}
#endif

PYOWNED_TEST(Set, AddDiscardContains) {
    auto s = py::Set::empty(py);
    s.add(1);
    s.add("one");
    s.add(1);  // already there
    EXPECT_EQ(s.len(), 2);
    EXPECT_TRUE(s.contains(1));
    EXPECT_TRUE(s.contains("one"));
    EXPECT_FALSE(s.contains(2));
    EXPECT_TRUE(s.discard(1));
    EXPECT_FALSE(s.discard(1));  // absent: not an error
    EXPECT_FALSE(s.contains(1));
    EXPECT_EQ(s.len(), 1);
}

PYOWNED_TEST(Set, ContainsUsesEquality) {
    auto s = py::Set::empty(py);
    s.add(1);
    EXPECT_TRUE(s.contains(1.0));
    EXPECT_TRUE(s.contains(true));
}

// As Python's `in` and set.discard: a set argument is looked up as a frozenset.
PYOWNED_TEST(Set, ContainsSetFindsFrozenSet) {
    auto s = py::Set::empty(py);
    s.add(py::FrozenSet::from(py, std::vector<int>{1, 2}));
    EXPECT_TRUE(s.contains(py::Set::from(py, std::vector<int>{1, 2})));
    EXPECT_FALSE(s.contains(py::Set::from(py, std::vector<int>{3})));
    EXPECT_TRUE(s.discard(py::Set::from(py, std::vector<int>{2, 1})));
    EXPECT_EQ(s.len(), 0);
}

PYOWNED_TEST(Set, Clear) {
    auto s = py::Set::from(py, std::vector<int>{1, 2, 3});
    s.clear();
    EXPECT_EQ(s.len(), 0);
    EXPECT_FALSE(s.contains(1));
}

PYOWNED_TEST(Set, UnhashableElementIsTypeError) {
    auto s = py::Set::empty(py);
    EXPECT_PY_ERROR(s.add(py::List::empty(py)), py::TypeError, "unhashable type: 'list'");
    EXPECT_PY_ERROR((void)s.discard(py::List::empty(py)), py::TypeError, "unhashable type: 'list'");
    EXPECT_EQ(s.len(), 0);
}

PYOWNED_TEST(Set, ContainsUnhashableIsTypeError) {
    auto s = py::Set::empty(py);
    EXPECT_PY_ERROR((void)s.contains(py::Dict::empty(py)), py::TypeError, "unhashable type: 'dict'");
}

PYOWNED_TEST(Set, FromRangeOfUnhashablesIsTypeError) {
    auto lists = std::vector<py::Owned<py::List>>{py::List::empty(py)};
    EXPECT_PY_ERROR((void)py::Set::from(py, lists), py::TypeError, "unhashable type: 'list'");
    EXPECT_PY_ERROR((void)py::FrozenSet::from(py, lists), py::TypeError, "unhashable type: 'list'");
}

PYOWNED_TEST(Set, RangeForByReference) {
    auto s = py::Set::from(py, std::vector<int>{10, 20, 30});
    int sum = 0, n = 0;
    for (auto& x : s) {
        sum += x.extract<int>();
        ++n;
    }
    EXPECT_EQ(sum, 60);
    EXPECT_EQ(n, 3);
}

PYOWNED_TEST(Set, RangeForOverEmpty) {
    int n = 0;
    for (auto& x : py::Set::empty(py)) {
        (void)x;
        ++n;
    }
    EXPECT_EQ(n, 0);
}

PYOWNED_TEST(Set, ChangedSizeDuringIterationIsRuntimeError) {
    auto s = py::Set::from(py, std::vector<int>{1, 2, 3});
    EXPECT_PY_ERROR(for (auto& x : s) s.add(x.extract<int>() + 100), py::RuntimeError,
                    "Set changed size during iteration");
}

PYOWNED_TEST(Set, RangesAlgorithm) {
    auto s = py::Set::from(py, std::vector<int>{1, 2, 3, 4, 5});
    auto n = std::ranges::count_if(s, [](const py::Owned<py::Any>& x) { return x.extract<int>() > 2; });
    EXPECT_EQ(n, 3);
}

PYOWNED_TEST(Set, IterationBalancesReferences) {
    auto s = py::Set::empty(py);
    auto obj = pyowned_test::fresh_object(py);
    s.add(obj);
    auto before = pyowned_test::refcnt(obj);
    for (int i = 0; i < 1000; ++i) {
        for (auto& x : s) ASSERT_TRUE(x.is(obj));
        ASSERT_TRUE(s.contains(obj));
        s.discard(obj);
        s.add(obj);
    }
    EXPECT_EQ(pyowned_test::refcnt(obj), before);
}

PYOWNED_TEST(FrozenSet, FromVector) {
    auto f = py::FrozenSet::from(py, std::vector<std::string>{"b", "a", "b"});
    EXPECT_TRUE(f.is_instance<py::FrozenSet>());
    EXPECT_FALSE(f.is_instance<py::Set>());
    EXPECT_EQ(f.len(), 2);
    EXPECT_TRUE(f.contains("a"));
    EXPECT_FALSE(f.contains("c"));
    EXPECT_NO_THROW((void)f.hash());  // hashable, unlike a set
}

PYOWNED_TEST(FrozenSet, Empty) {
    auto f = py::FrozenSet::from(py, std::vector<int>{});
    EXPECT_EQ(f.len(), 0);
    EXPECT_TRUE(f.eq(py::eval(py, "frozenset()")));
}

PYOWNED_TEST(FrozenSet, RangeFor) {
    auto f = py::FrozenSet::from(py, std::vector<int>{4, 5});
    EXPECT_EQ(sorted_ints(f), (std::vector<int>{4, 5}));
}

PYOWNED_TEST(FrozenSet, EqualsSetWithSameElements) {
    auto f = py::FrozenSet::from(py, std::vector<int>{1, 2});
    auto s = py::Set::from(py, std::vector<int>{2, 1});
    EXPECT_TRUE(f.eq(s));
}
