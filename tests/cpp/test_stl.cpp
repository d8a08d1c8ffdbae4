// <pyowned/stl.h>: conversions of std containers, pair/tuple, optional, variant, complex, chrono, filesystem.
#include "harness.h"
#include <pyowned/stl.h>

#include <cmath>
#include <limits>
#include <memory>

using namespace std::chrono_literals;

namespace {

// Runs `setup` (statements) in a fresh namespace, then evaluates `expr` there.
py::Owned<py::Any> eval_with(py::Python py, const char* setup, const char* expr) {
    auto globals = py::Dict::empty(py);
    py::run(py, setup, globals);
    return py::eval(py, expr, globals);
}

py::Owned<py::Any> timedelta(py::Python py, const char* args) {
    std::string expr = std::string("datetime.timedelta(") + args + ")";
    return eval_with(py, "import datetime", expr.c_str());
}

// FromPython<T> called directly, as a bound function's overload resolution calls it.
template <class T>
std::optional<T> convert_with(py::Borrowed<py::Any> obj, bool convert) {
    return py::FromPython<T>::from_python(obj, convert);
}

// The "not this type" outcome: no value and no Python error.
template <class T>
bool mismatches(py::Borrowed<py::Any> obj, bool convert) {
    return !convert_with<T>(obj, convert) && !PyErr_Occurred();
}

// A move-only value whose conversion takes the pointer out of it.
struct MoveOnly {
    std::unique_ptr<int> value;
};

// A Python sequence that is neither list nor tuple (it goes through PySequence_Fast).
constexpr const char* kSeqClass = R"(
class Seq:
    def __init__(self, *items): self.items = items
    def __len__(self): return len(self.items)
    def __getitem__(self, i):
        if i == 1 and self.items[1] == 'boom': raise ValueError('boom')
        return self.items[i]
)";

using VecInt = std::vector<int>;
using MapIntInt = std::map<int, int>;
using MapStrInt = std::map<std::string, int>;
using PairIntStr = std::pair<int, std::string>;
using TupIntStrDbl = std::tuple<int, std::string, double>;
using VarIntStr = std::variant<int, std::string>;
using Nested = std::vector<std::map<std::string, std::vector<int>>>;

}  // namespace

template <>
struct pyowned::IntoPython<MoveOnly> {
    static py::Owned<py::Int> into_python(py::Python py, MoveOnly&& m) {
        std::unique_ptr<int> taken = std::move(m.value);
        return py::Int::from(py, *taken);
    }
};

// The names used in messages, composed at compile time.
static_assert(py::FromPython<std::vector<int>>::name == "list[int]");
static_assert(py::FromPython<std::array<double, 3>>::name == "list[float]");
static_assert(py::FromPython<std::map<std::string, std::vector<int>>>::name == "dict[str, list[int]]");
static_assert(py::FromPython<std::unordered_set<long>>::name == "set[int]");
static_assert(py::FromPython<std::tuple<int, std::string>>::name == "tuple[int, str]");
static_assert(py::FromPython<std::tuple<>>::name == "tuple[]");
static_assert(py::FromPython<std::optional<int>>::name == "int | None");
static_assert(py::FromPython<std::variant<int, std::string, std::monostate>>::name == "int | str | None");
static_assert(py::FromPython<std::vector<py::Py<py::Any>>>::name == "list[object]");

// ---------------------------------------------------------------- sequences

PYOWNED_TEST(StlSequence, VectorRoundTrip) {
    std::vector<long long> v{1, -2, 1LL << 40};
    auto list = py::into_py(py, v);
    EXPECT_TRUE(list.is_instance<py::List>());
    EXPECT_TRUE(list.eq(py::eval(py, "[1, -2, 2**40]")));
    EXPECT_EQ(list.extract<std::vector<long long>>(), v);
}

PYOWNED_TEST(StlSequence, FromTupleRangeAndCustomSequence) {
    EXPECT_EQ(py::eval(py, "(1, 2, 3)").extract<VecInt>(), (VecInt{1, 2, 3}));
    EXPECT_EQ(py::eval(py, "range(4)").extract<VecInt>(), (VecInt{0, 1, 2, 3}));
    EXPECT_EQ(eval_with(py, kSeqClass, "Seq(5, 6)").extract<VecInt>(), (VecInt{5, 6}));
}

PYOWNED_TEST(StlSequence, DequeListArrayRoundTrip) {
    std::deque<std::string> d{"a", "bc"};
    std::list<double> l{0.5, -1.25};
    std::array<int, 3> a{7, 8, 9};
    EXPECT_EQ(py::into_py(py, d).extract<std::deque<std::string>>(), d);
    EXPECT_EQ(py::into_py(py, l).extract<std::list<double>>(), l);
    auto list = py::into_py(py, a);
    EXPECT_TRUE(list.is_instance<py::List>());
    EXPECT_EQ((list.extract<std::array<int, 3>>()), a);
    EXPECT_EQ((py::eval(py, "(1, 2, 3)").extract<std::array<int, 3>>()), (std::array<int, 3>{1, 2, 3}));
}

PYOWNED_TEST(StlSequence, VectorBoolRoundTrip) {
    std::vector<bool> v{true, false, true};
    auto list = py::into_py(py, v);
    EXPECT_TRUE(list.eq(py::eval(py, "[True, False, True]")));
    EXPECT_EQ(list.extract<std::vector<bool>>(), v);
    // bool takes only True and False: an int element is a mismatch
    EXPECT_PY_ERROR((void)py::eval(py, "[True, 1]").extract<std::vector<bool>>(), py::TypeError,
                    "'list' object cannot be converted to 'list[bool]'");
}

PYOWNED_TEST(StlSequence, Empty) {
    EXPECT_TRUE(py::into_py(py, VecInt{}).eq(py::List::empty(py)));
    EXPECT_TRUE(py::eval(py, "[]").extract<VecInt>().empty());
    EXPECT_TRUE(py::eval(py, "()").extract<std::deque<int>>().empty());
    EXPECT_TRUE(py::eval(py, "[]").extract<std::list<int>>().empty());
    auto empty_array = py::into_py(py, std::array<int, 0>{});
    EXPECT_EQ(empty_array.len(), 0);
    EXPECT_TRUE((py::eval(py, "[]").try_extract<std::array<int, 0>>().has_value()));
}

PYOWNED_TEST(StlSequence, NestedContainers) {
    Nested v{{{"a", {1, 2}}, {"b", {}}}, {}};
    auto obj = py::into_py(py, v);
    EXPECT_TRUE(obj.eq(py::eval(py, "[{'a': [1, 2], 'b': []}, {}]")));
    EXPECT_EQ(obj.extract<Nested>(), v);
    EXPECT_EQ((py::eval(py, "[[], [[1], []]]").extract<std::vector<std::vector<std::vector<int>>>>()),
              (std::vector<std::vector<std::vector<int>>>{{}, {{1}, {}}}));
}

PYOWNED_TEST(StlSequence, DoubleSpecialValues) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    std::vector<double> v{std::nan(""), inf, -inf, -0.0, std::numeric_limits<double>::denorm_min()};
    auto list = py::into_py(py, v);
    EXPECT_TRUE(
        py::eval(py, "lambda l: l[0] != l[0] and l[1:4] == [float('inf'), -float('inf'), 0.0]")(list).is_truthy());
    auto back = list.extract<std::vector<double>>();
    ASSERT_EQ(back.size(), v.size());
    EXPECT_TRUE(std::isnan(back[0]));
    EXPECT_EQ(back[1], inf);
    EXPECT_EQ(back[2], -inf);
    EXPECT_TRUE(back[3] == 0.0 && std::signbit(back[3]));
    EXPECT_EQ(back[4], v[4]);
}

PYOWNED_TEST(StlSequence, TextIsNeverASequence) {
    EXPECT_PY_ERROR((void)py::eval(py, "'abc'").extract<std::vector<std::string>>(), py::TypeError,
                    "'str' object cannot be converted to 'list[str]'");
    EXPECT_PY_ERROR((void)py::eval(py, "b'abc'").extract<VecInt>(), py::TypeError,
                    "'bytes' object cannot be converted to 'list[int]'");
    EXPECT_PY_ERROR((void)py::eval(py, "bytearray(b'ab')").extract<std::deque<int>>(), py::TypeError,
                    "'bytearray' object cannot be converted to 'list[int]'");
    EXPECT_TRUE((mismatches<std::array<std::string, 3>>(py::eval(py, "'abc'"), true)));
}

PYOWNED_TEST(StlSequence, MappingsAndSetsAreNotSequences) {
    EXPECT_PY_ERROR((void)py::eval(py, "{1: 2}").extract<VecInt>(), py::TypeError,
                    "'dict' object cannot be converted to 'list[int]'");
    EXPECT_PY_ERROR((void)eval_with(py, "import collections", "collections.UserDict({0: 1})").extract<VecInt>(),
                    py::TypeError, "'UserDict' object cannot be converted to 'list[int]'");
    EXPECT_PY_ERROR((void)py::eval(py, "{1, 2}").extract<VecInt>(), py::TypeError,
                    "'set' object cannot be converted to 'list[int]'");
    EXPECT_PY_ERROR((void)py::eval(py, "None").extract<VecInt>(), py::TypeError,
                    "'NoneType' object cannot be converted to 'list[int]'");
}

PYOWNED_TEST(StlSequence, ArrayWrongLengthIsMismatch) {
    EXPECT_TRUE((mismatches<std::array<int, 2>>(py::eval(py, "[1, 2, 3]"), true)));
    EXPECT_TRUE((mismatches<std::array<int, 2>>(py::eval(py, "(1,)"), true)));
    EXPECT_PY_ERROR((void)(py::eval(py, "[1, 2, 3]").extract<std::array<int, 2>>()), py::TypeError,
                    "'list' object cannot be converted to 'list[int]'");
}

PYOWNED_TEST(StlSequence, ElementMismatchIsWholeMismatch) {
    auto list = py::eval(py, "[1, 'x', 3]");
    EXPECT_TRUE(mismatches<VecInt>(list, true));
    EXPECT_TRUE(mismatches<std::list<int>>(list, true));
    EXPECT_PY_ERROR((void)list.extract<VecInt>(), py::TypeError, "'list' object cannot be converted to 'list[int]'");
}

PYOWNED_TEST(StlSequence, ElementOverflowKeepsError) {
    EXPECT_PY_ERROR((void)py::eval(py, "[1, 300]").extract<std::vector<std::int8_t>>(), py::OverflowError,
                    "Python int too large to convert to C int8_t");
    EXPECT_PY_ERROR((void)py::eval(py, "(0, -1)").extract<std::deque<unsigned>>(), py::OverflowError,
                    "can't convert negative int to unsigned");
    EXPECT_PY_ERROR((void)(py::eval(py, "[[1], [2**64]]").extract<std::vector<std::array<long, 1>>>()),
                    py::OverflowError, "Python int too large to convert to C int64_t");
}

PYOWNED_TEST(StlSequence, StrictPassRefusesImplicitConversions) {
    auto ints = py::eval(py, "[1, 2]");
    EXPECT_TRUE(mismatches<std::vector<double>>(ints, false));
    EXPECT_EQ(convert_with<std::vector<double>>(ints, true), (std::vector<double>{1.0, 2.0}));
}

PYOWNED_TEST(StlSequence, SequenceIterationErrorKept) {
    EXPECT_PY_ERROR((void)eval_with(py, kSeqClass, "Seq(1, 'boom', 3)").extract<VecInt>(), py::ValueError, "boom");
}

PYOWNED_TEST(StlSequence, ListShrunkByElementConversion) {
    const char* setup = R"(
class Shrink:
    def __init__(self, items): self.items = items
    def __index__(self):
        self.items.clear()
        return 1
items = [0, 2, 3]
items[0] = Shrink(items)
)";
    // the items are read as the list has them: the loop ends where the list now ends
    EXPECT_EQ(eval_with(py, setup, "items").extract<VecInt>(), (VecInt{1}));
    EXPECT_PY_ERROR((void)(eval_with(py, setup, "items").extract<std::array<int, 3>>()), py::RuntimeError,
                    "list changed size during conversion");
}

PYOWNED_TEST(StlSequence, MoveOnlyElementsMoved) {
    std::vector<MoveOnly> v;
    v.push_back({std::make_unique<int>(7)});
    v.push_back({std::make_unique<int>(8)});
    auto list = py::into_py(py, std::move(v));
    EXPECT_TRUE(list.eq(py::eval(py, "[7, 8]")));
    EXPECT_EQ(v[0].value, nullptr);  // NOLINT(bugprone-use-after-move): moved element by element
    std::array<MoveOnly, 1> a{MoveOnly{std::make_unique<int>(9)}};
    EXPECT_TRUE(py::into_py(py, std::move(a)).eq(py::eval(py, "[9]")));
    std::list<MoveOnly> l;
    l.push_back({std::make_unique<int>(10)});
    EXPECT_TRUE(py::into_py(py, std::move(l)).eq(py::eval(py, "[10]")));
}

// ---------------------------------------------------------------- maps

PYOWNED_TEST(StlMap, RoundTrip) {
    MapStrInt m{{"a", 1}, {"bc", -2}};
    auto dict = py::into_py(py, m);
    EXPECT_TRUE(dict.is_instance<py::Dict>());
    EXPECT_TRUE(dict.eq(py::eval(py, "{'a': 1, 'bc': -2}")));
    EXPECT_EQ(dict.extract<MapStrInt>(), m);
    std::unordered_map<int, std::vector<double>> u{{1, {0.5}}, {2, {}}};
    EXPECT_EQ((py::into_py(py, u).extract<std::unordered_map<int, std::vector<double>>>()), u);
}

PYOWNED_TEST(StlMap, Empty) {
    EXPECT_TRUE(py::into_py(py, MapIntInt{}).eq(py::Dict::empty(py)));
    EXPECT_TRUE(py::eval(py, "{}").extract<MapIntInt>().empty());
}

PYOWNED_TEST(StlMap, FromAnyMapping) {
    EXPECT_EQ(eval_with(py, "import types", "types.MappingProxyType({1: 2})").extract<MapIntInt>(),
              (MapIntInt{{1, 2}}));
    EXPECT_EQ(eval_with(py, "import collections", "collections.UserDict({3: 4})").extract<MapIntInt>(),
              (MapIntInt{{3, 4}}));
}

PYOWNED_TEST(StlMap, NotAMapping) {
    EXPECT_PY_ERROR((void)py::eval(py, "[(1, 2)]").extract<MapIntInt>(), py::TypeError,
                    "'list' object cannot be converted to 'dict[int, int]'");
    EXPECT_PY_ERROR((void)py::eval(py, "'ab'").extract<MapIntInt>(), py::TypeError,
                    "'str' object cannot be converted to 'dict[int, int]'");
}

PYOWNED_TEST(StlMap, NonIntKey) {
    EXPECT_TRUE(mismatches<MapIntInt>(py::eval(py, "{1: 2, 'a': 3}"), true));
    EXPECT_PY_ERROR((void)py::eval(py, "{1: 2, 'a': 3}").extract<MapIntInt>(), py::TypeError,
                    "'dict' object cannot be converted to 'dict[int, int]'");
    EXPECT_PY_ERROR((void)py::eval(py, "{1: 'x'}").extract<MapIntInt>(), py::TypeError,
                    "'dict' object cannot be converted to 'dict[int, int]'");
}

PYOWNED_TEST(StlMap, ValueOverflowKeepsError) {
    EXPECT_PY_ERROR((void)(py::eval(py, "{'a': [2**70]}").extract<std::map<std::string, std::vector<long>>>()),
                    py::OverflowError, "too large to convert to C int64_t");
    EXPECT_PY_ERROR(
        (void)(eval_with(py, "import types", "types.MappingProxyType({-1: 0})").extract<std::map<unsigned, int>>()),
        py::OverflowError, "can't convert negative int to unsigned");
}

PYOWNED_TEST(StlMap, BadItemsIsTypeError) {
    const char* setup = R"(
import collections.abc
class BadItems(collections.abc.Mapping):
    def __getitem__(self, k): raise KeyError(k)
    def __len__(self): return 1
    def __iter__(self): return iter([1])
    def items(self): return [1]
)";
    EXPECT_PY_ERROR((void)eval_with(py, setup, "BadItems()").extract<MapIntInt>(), py::TypeError,
                    "BadItems.items() must give (key, value) pairs");
}

PYOWNED_TEST(StlMap, DictGrownByConversion) {
    const char* setup = R"(
class Grow:
    def __init__(self, d): self.d = d
    def __index__(self):
        self.d['new'] = 0
        return 1
d = {}
d[1] = Grow(d)
)";
    EXPECT_PY_ERROR((void)eval_with(py, setup, "d").extract<MapIntInt>(), py::RuntimeError,
                    "dictionary changed size during iteration");
}

PYOWNED_TEST(StlMap, MoveOnlyValuesMoved) {
    std::map<std::string, MoveOnly> m;
    m.emplace("k", MoveOnly{std::make_unique<int>(5)});
    auto dict = py::into_py(py, std::move(m));
    EXPECT_TRUE(dict.eq(py::eval(py, "{'k': 5}")));
    EXPECT_EQ(m.at("k").value, nullptr);  // NOLINT(bugprone-use-after-move)
}

// ---------------------------------------------------------------- sets

PYOWNED_TEST(StlSet, RoundTrip) {
    std::set<int> s{3, 1, 2};
    auto obj = py::into_py(py, s);
    EXPECT_TRUE(obj.is_instance<py::Set>());
    EXPECT_TRUE(obj.eq(py::eval(py, "{1, 2, 3}")));
    EXPECT_EQ(obj.extract<std::set<int>>(), s);
    std::unordered_set<std::string> u{"x", "yz"};
    EXPECT_EQ(py::into_py(py, u).extract<std::unordered_set<std::string>>(), u);
    EXPECT_EQ(py::eval(py, "frozenset({4, 5})").extract<std::set<int>>(), (std::set<int>{4, 5}));
}

PYOWNED_TEST(StlSet, Empty) {
    EXPECT_TRUE(py::into_py(py, std::set<int>{}).eq(py::Set::empty(py)));
    EXPECT_TRUE(py::eval(py, "set()").extract<std::set<int>>().empty());
    EXPECT_TRUE(py::eval(py, "frozenset()").extract<std::unordered_set<int>>().empty());
}

PYOWNED_TEST(StlSet, OtherIterablesOnlyWhenConverting) {
    auto list = py::eval(py, "[1, 2, 2]");
    EXPECT_TRUE(mismatches<std::set<int>>(list, false));
    EXPECT_EQ(convert_with<std::set<int>>(list, true), (std::set<int>{1, 2}));
    EXPECT_EQ(py::eval(py, "(i * i for i in range(3))").extract<std::set<int>>(), (std::set<int>{0, 1, 4}));
}

PYOWNED_TEST(StlSet, TextMappingsAndScalarsRefused) {
    EXPECT_PY_ERROR((void)py::eval(py, "'ab'").extract<std::set<std::string>>(), py::TypeError,
                    "'str' object cannot be converted to 'set[str]'");
    EXPECT_PY_ERROR((void)py::eval(py, "b'ab'").extract<std::set<int>>(), py::TypeError,
                    "'bytes' object cannot be converted to 'set[int]'");
    EXPECT_PY_ERROR((void)py::eval(py, "{1: 2}").extract<std::set<int>>(), py::TypeError,
                    "'dict' object cannot be converted to 'set[int]'");
    EXPECT_PY_ERROR((void)eval_with(py, "import types", "types.MappingProxyType({1: 2})").extract<std::set<int>>(),
                    py::TypeError, "'mappingproxy' object cannot be converted to 'set[int]'");
    EXPECT_PY_ERROR((void)py::eval(py, "5").extract<std::set<int>>(), py::TypeError,
                    "'int' object cannot be converted to 'set[int]'");
}

PYOWNED_TEST(StlSet, ElementErrors) {
    EXPECT_PY_ERROR((void)py::eval(py, "{1, 'a'}").extract<std::set<int>>(), py::TypeError,
                    "'set' object cannot be converted to 'set[int]'");
    EXPECT_PY_ERROR((void)py::eval(py, "{2**40}").extract<std::set<std::int32_t>>(), py::OverflowError,
                    "Python int too large to convert to C int32_t");
}

// ---------------------------------------------------------------- pair and tuple

PYOWNED_TEST(StlTuple, RoundTrip) {
    PairIntStr p{1, "one"};
    auto obj = py::into_py(py, p);
    EXPECT_TRUE(obj.is_instance<py::Tuple>());
    EXPECT_TRUE(obj.eq(py::eval(py, "(1, 'one')")));
    EXPECT_EQ(obj.extract<PairIntStr>(), p);
    TupIntStrDbl t{-1, "x", 2.5};
    EXPECT_EQ(py::into_py(py, t).extract<TupIntStrDbl>(), t);
    auto empty = py::into_py(py, std::tuple<>{});
    EXPECT_TRUE(empty.eq(py::eval(py, "()")));
    EXPECT_TRUE(empty.try_extract<std::tuple<>>().has_value());
}

PYOWNED_TEST(StlTuple, WrongLength) {
    EXPECT_PY_ERROR((void)py::eval(py, "(1, 'a', 3)").extract<PairIntStr>(), py::TypeError,
                    "'tuple' object cannot be converted to 'tuple[int, str]'");
    EXPECT_PY_ERROR((void)py::eval(py, "(1,)").extract<TupIntStrDbl>(), py::TypeError,
                    "'tuple' object cannot be converted to 'tuple[int, str, float]'");
    EXPECT_TRUE(mismatches<std::tuple<>>(py::eval(py, "(1,)"), true));
}

PYOWNED_TEST(StlTuple, AnySequenceOfTheLength) {
    auto list = py::eval(py, "[1, 'a']");
    EXPECT_EQ(convert_with<PairIntStr>(list, false), (PairIntStr{1, "a"}));  // as std::vector, in both passes
    EXPECT_EQ(convert_with<PairIntStr>(list, true), (PairIntStr{1, "a"}));
    auto ns = py::Dict::empty(py);
    py::run(py, kSeqClass, ns);
    auto seq = ns.get_item("Seq").call(2, "b");
    EXPECT_EQ(convert_with<PairIntStr>(seq, false), (PairIntStr{2, "b"}));
    EXPECT_PY_ERROR((void)ns.get_item("Seq").call(2, "boom").extract<PairIntStr>(), py::ValueError, "boom");
    EXPECT_TRUE(mismatches<PairIntStr>(py::eval(py, "[1, 'a', 2]"), true));
    EXPECT_TRUE(mismatches<PairIntStr>(py::eval(py, "{1: 'a', 2: 'b'}"), true));
    EXPECT_PY_ERROR((void)py::eval(py, "'ab'").extract<PairIntStr>(), py::TypeError,
                    "'str' object cannot be converted to 'tuple[int, str]'");
}

PYOWNED_TEST(StlTuple, ElementErrors) {
    EXPECT_PY_ERROR((void)py::eval(py, "('a', 'b')").extract<PairIntStr>(), py::TypeError,
                    "'tuple' object cannot be converted to 'tuple[int, str]'");
    EXPECT_PY_ERROR((void)(py::eval(py, "(2**63, 'b')").extract<std::pair<long long, std::string>>()),
                    py::OverflowError, "Python int too large to convert to C int64_t");
}

PYOWNED_TEST(StlTuple, MoveOnlyElementsMoved) {
    std::tuple<MoveOnly, int> t{MoveOnly{std::make_unique<int>(3)}, 4};
    EXPECT_TRUE(py::into_py(py, std::move(t)).eq(py::eval(py, "(3, 4)")));
    EXPECT_EQ(std::get<0>(t).value, nullptr);  // NOLINT(bugprone-use-after-move)
}

// ---------------------------------------------------------------- optional

PYOWNED_TEST(StlOptional, RoundTrip) {
    auto none = py::eval(py, "None");
    auto converted = convert_with<std::optional<int>>(none, false);
    ASSERT_TRUE(converted.has_value());    // converted ...
    EXPECT_FALSE(converted->has_value());  // ... to an empty optional
    EXPECT_EQ(py::eval(py, "5").extract<std::optional<int>>(), std::optional<int>(5));
    EXPECT_TRUE(py::into_py(py, std::optional<int>()).is_none());
    EXPECT_TRUE(py::into_py(py, std::nullopt).is_none());
    EXPECT_TRUE(py::into_py(py, std::optional<std::string>("s")).eq(py::eval(py, "'s'")));
    using OptVec = std::optional<std::vector<int>>;
    EXPECT_EQ(py::eval(py, "[1]").extract<OptVec>(), OptVec(VecInt{1}));
    EXPECT_EQ(py::eval(py, "[1, None]").extract<std::vector<std::optional<int>>>(),
              (std::vector<std::optional<int>>{1, std::nullopt}));
}

PYOWNED_TEST(StlOptional, Errors) {
    EXPECT_PY_ERROR((void)py::eval(py, "'x'").extract<std::optional<int>>(), py::TypeError,
                    "'str' object cannot be converted to 'int | None'");
    EXPECT_PY_ERROR((void)py::eval(py, "[2**70]").extract<std::optional<VecInt>>(), py::OverflowError,
                    "Python int too large to convert to C int32_t");
}

PYOWNED_TEST(StlOptional, NoneForNonOptional) {
    EXPECT_PY_ERROR((void)py::eval(py, "None").extract<int>(), py::TypeError,
                    "'NoneType' object cannot be converted to 'int'");
    EXPECT_PY_ERROR((void)py::eval(py, "[1, None]").extract<VecInt>(), py::TypeError,
                    "'list' object cannot be converted to 'list[int]'");
    EXPECT_PY_ERROR((void)py::eval(py, "None").extract<std::tuple<>>(), py::TypeError,
                    "'NoneType' object cannot be converted to 'tuple[]'");
}

PYOWNED_TEST(StlOptional, MoveOnlyValueMoved) {
    std::optional<MoveOnly> o{MoveOnly{std::make_unique<int>(6)}};
    EXPECT_TRUE(py::into_py(py, std::move(o)).eq(py::eval(py, "6")));
    EXPECT_EQ(o->value, nullptr);  // NOLINT(bugprone-use-after-move)
}

// ---------------------------------------------------------------- variant

PYOWNED_TEST(StlVariant, FirstMatchingAlternative) {
    EXPECT_EQ(py::eval(py, "3").extract<VarIntStr>(), VarIntStr(3));
    EXPECT_EQ(py::eval(py, "'a'").extract<VarIntStr>(), VarIntStr("a"));
    using VarVec = std::variant<int, std::vector<int>>;
    EXPECT_EQ(py::eval(py, "[1, 2]").extract<VarVec>(), VarVec(VecInt{1, 2}));
}

PYOWNED_TEST(StlVariant, StrictPassBeforeConverting) {
    using DblInt = std::variant<double, int>;
    EXPECT_EQ(py::eval(py, "3").extract<DblInt>().index(), 1u);  // int, not the earlier double
    EXPECT_EQ(py::eval(py, "2.5").extract<DblInt>(), DblInt(2.5));
    using DblStr = std::variant<std::string, double>;
    auto three = py::eval(py, "3");
    EXPECT_TRUE(mismatches<DblStr>(three, false));
    EXPECT_EQ(convert_with<DblStr>(three, true), std::optional<DblStr>(DblStr(3.0)));
}

PYOWNED_TEST(StlVariant, Errors) {
    EXPECT_PY_ERROR((void)py::eval(py, "2.5").extract<VarIntStr>(), py::TypeError,
                    "'float' object cannot be converted to 'int | str'");
    // a failure stops the search: 300 is an int, too large for int8_t, never a double
    using SmallOrDouble = std::variant<std::int8_t, double>;
    EXPECT_PY_ERROR((void)py::eval(py, "300").extract<SmallOrDouble>(), py::OverflowError,
                    "Python int too large to convert to C int8_t");
}

PYOWNED_TEST(StlVariant, IntoPython) {
    EXPECT_TRUE(py::into_py(py, VarIntStr(4)).eq(py::eval(py, "4")));
    EXPECT_TRUE(py::into_py(py, VarIntStr("b")).eq(py::eval(py, "'b'")));
    std::variant<MoveOnly, int> v{MoveOnly{std::make_unique<int>(2)}};
    EXPECT_TRUE(py::into_py(py, std::move(v)).eq(py::eval(py, "2")));
    EXPECT_EQ(std::get<0>(v).value, nullptr);  // NOLINT(bugprone-use-after-move)
}

PYOWNED_TEST(StlVariant, MonostateIsNone) {
    using MaybeInt = std::variant<std::monostate, int>;
    EXPECT_EQ(py::eval(py, "None").extract<MaybeInt>().index(), 0u);
    EXPECT_EQ(py::eval(py, "1").extract<MaybeInt>(), MaybeInt(1));
    EXPECT_TRUE(py::into_py(py, MaybeInt()).is_none());
    EXPECT_PY_ERROR((void)py::eval(py, "0").extract<std::monostate>(), py::TypeError,
                    "'int' object cannot be converted to 'None'");
}

// ---------------------------------------------------------------- complex

PYOWNED_TEST(StlComplex, RoundTrip) {
    std::complex<double> c{1.5, -2.0};
    auto obj = py::into_py(py, c);
    EXPECT_TRUE(obj.is_instance<py::Complex>());
    EXPECT_TRUE(obj.eq(py::eval(py, "1.5-2j")));
    EXPECT_EQ(obj.extract<std::complex<double>>(), c);
    EXPECT_EQ(py::into_py(py, std::complex<float>(0.5f, 1)).extract<std::complex<float>>(),
              std::complex<float>(0.5f, 1));
    auto special = py::eval(py, "complex(float('inf'), float('nan'))").extract<std::complex<double>>();
    EXPECT_TRUE(std::isinf(special.real()) && std::isnan(special.imag()));
}

PYOWNED_TEST(StlComplex, NumbersOnlyWhenConverting) {
    auto three = py::eval(py, "3");
    EXPECT_TRUE(mismatches<std::complex<double>>(three, false));
    EXPECT_EQ(convert_with<std::complex<double>>(three, true), std::complex<double>(3, 0));
    EXPECT_EQ(py::eval(py, "2.5").extract<std::complex<double>>(), std::complex<double>(2.5, 0));
    const char* setup = "class C:\n    def __complex__(self): return 1+1j\n";
    EXPECT_EQ(eval_with(py, setup, "C()").extract<std::complex<double>>(), std::complex<double>(1, 1));
}

PYOWNED_TEST(StlComplex, Errors) {
    EXPECT_PY_ERROR((void)py::eval(py, "'1+2j'").extract<std::complex<double>>(), py::TypeError,
                    "'str' object cannot be converted to 'complex'");
    EXPECT_PY_ERROR((void)py::eval(py, "None").extract<std::complex<double>>(), py::TypeError,
                    "'NoneType' object cannot be converted to 'complex'");
    EXPECT_PY_ERROR((void)py::eval(py, "10**400").extract<std::complex<double>>(), py::OverflowError,
                    "int too large to convert to float");
    EXPECT_PY_ERROR((void)py::eval(py, "1j * 1e300").extract<std::complex<float>>(), py::OverflowError,
                    "too large to convert to C++ std::complex<float>");
}

// ---------------------------------------------------------------- chrono

PYOWNED_TEST(StlChrono, RoundTrip) {
    auto td = py::into_py(py, 1500ms);
    EXPECT_TRUE(td.eq(timedelta(py, "seconds=1.5")));
    EXPECT_EQ(td.extract<std::chrono::milliseconds>(), 1500ms);
    auto mixed = timedelta(py, "days=1, seconds=2, microseconds=3");
    EXPECT_EQ(mixed.extract<std::chrono::microseconds>(), 86'402'000'003us);
    EXPECT_TRUE(py::into_py(py, 86'402'000'003us).eq(mixed));
    EXPECT_EQ(timedelta(py, "0").extract<std::chrono::nanoseconds>(), 0ns);
    EXPECT_EQ(timedelta(py, "seconds=1.5").extract<std::chrono::duration<double>>().count(), 1.5);
    EXPECT_TRUE(py::into_py(py, std::chrono::duration<double>(1.5)).eq(timedelta(py, "seconds=1.5")));
}

PYOWNED_TEST(StlChrono, NegativeAndTruncation) {
    EXPECT_EQ(timedelta(py, "microseconds=-1").extract<std::chrono::microseconds>(), -1us);
    EXPECT_TRUE(py::into_py(py, -1us).eq(timedelta(py, "microseconds=-1")));
    // integer results truncate toward zero, as duration_cast does
    EXPECT_EQ(timedelta(py, "microseconds=-1").extract<std::chrono::seconds>(), 0s);
    EXPECT_EQ(timedelta(py, "microseconds=-1500").extract<std::chrono::milliseconds>(), -1ms);
    EXPECT_EQ(timedelta(py, "minutes=-90").extract<std::chrono::hours>(), -1h);
    EXPECT_TRUE(py::into_py(py, 1500ns).eq(timedelta(py, "microseconds=1")));
    EXPECT_TRUE(py::into_py(py, -1500ns).eq(timedelta(py, "microseconds=-1")));
}

PYOWNED_TEST(StlChrono, Limits) {
    EXPECT_EQ(timedelta(py, "days=999999999, seconds=86399").extract<std::chrono::seconds>(),
              std::chrono::seconds(999'999'999LL * 86400 + 86399));
    EXPECT_EQ(eval_with(py, "import datetime", "datetime.timedelta.min").extract<std::chrono::seconds>(),
              std::chrono::seconds(-999'999'999LL * 86400));
    EXPECT_PY_ERROR(
        (void)eval_with(py, "import datetime", "datetime.timedelta.max").extract<std::chrono::nanoseconds>(),
        py::OverflowError, "Python timedelta out of range for C++ std::chrono::duration");
    EXPECT_PY_ERROR((void)timedelta(py, "days=30000").extract<std::chrono::duration<std::int32_t>>(), py::OverflowError,
                    "Python timedelta out of range");
    EXPECT_PY_ERROR((void)timedelta(py, "seconds=-1").extract<std::chrono::duration<unsigned>>(), py::OverflowError,
                    "Python timedelta out of range");
    // too large for timedelta: Python's own OverflowError, or ours before any arithmetic overflows
    EXPECT_PY_ERROR((void)py::into_py(py, std::chrono::hours(24LL * 1'000'000'000)), py::OverflowError, "days");
    using Eons = std::chrono::duration<long long, std::ratio<1'000'000'000'000>>;
    EXPECT_PY_ERROR((void)py::into_py(py, Eons(std::numeric_limits<long long>::max())), py::OverflowError,
                    "C++ std::chrono::duration too large for timedelta");
    EXPECT_PY_ERROR((void)py::into_py(py, std::chrono::duration<double>(std::nan(""))), py::ValueError, "NaN");
}

PYOWNED_TEST(StlChrono, NumbersOnlyWhenConverting) {
    auto five = py::eval(py, "5");
    EXPECT_TRUE(mismatches<std::chrono::seconds>(five, false));
    EXPECT_EQ(convert_with<std::chrono::seconds>(five, true), std::optional<std::chrono::seconds>(5s));
    EXPECT_EQ(py::eval(py, "1.5").extract<std::chrono::milliseconds>(), 1500ms);
    EXPECT_EQ(py::eval(py, "-1.5").extract<std::chrono::milliseconds>(), -1500ms);
    EXPECT_EQ(py::eval(py, "2").extract<std::chrono::minutes>(), 0min);
    EXPECT_TRUE(std::isnan(py::eval(py, "float('nan')").extract<std::chrono::duration<double>>().count()));
}

PYOWNED_TEST(StlChrono, Errors) {
    EXPECT_PY_ERROR((void)py::eval(py, "'1s'").extract<std::chrono::seconds>(), py::TypeError,
                    "'str' object cannot be converted to 'datetime.timedelta'");
    EXPECT_PY_ERROR((void)py::eval(py, "float('nan')").extract<std::chrono::seconds>(), py::ValueError,
                    "cannot convert float NaN");
    EXPECT_PY_ERROR((void)py::eval(py, "float('inf')").extract<std::chrono::seconds>(), py::OverflowError,
                    "Python float out of range");
    EXPECT_PY_ERROR((void)py::eval(py, "2**70").extract<std::chrono::seconds>(), py::OverflowError,
                    "Python int out of range");
    EXPECT_PY_ERROR((void)py::eval(py, "2**62").extract<std::chrono::nanoseconds>(), py::OverflowError,
                    "Python int out of range");
    EXPECT_PY_ERROR((void)py::eval(py, "1e300").extract<std::chrono::duration<float>>(), py::OverflowError,
                    "Python float out of range");
}

// ---------------------------------------------------------------- filesystem

PYOWNED_TEST(StlPath, RoundTrip) {
    std::filesystem::path p = "/tmp/a b/c.txt";
    auto obj = py::into_py(py, p);
    EXPECT_TRUE(obj.is_instance(eval_with(py, "import pathlib", "pathlib.Path")));
    EXPECT_TRUE(obj.str().eq(py::eval(py, "'/tmp/a b/c.txt'")));
    EXPECT_EQ(obj.extract<std::filesystem::path>(), p);
    EXPECT_TRUE(py::into_py(py, std::filesystem::path()).str().eq(py::eval(py, "'.'")));  // pathlib's empty path
}

PYOWNED_TEST(StlPath, FromStrBytesAndPathLike) {
    using Path = std::filesystem::path;
    EXPECT_EQ(py::eval(py, "'rel/x'").extract<Path>(), Path("rel/x"));
    EXPECT_EQ(py::eval(py, "b'rel/y'").extract<Path>(), Path("rel/y"));
    EXPECT_EQ(py::eval(py, "'caf\\u00e9'").extract<Path>(), Path("caf\xc3\xa9"));
    const char* setup = "class P:\n    def __fspath__(self): return '/from/fspath'\n";
    EXPECT_EQ(eval_with(py, setup, "P()").extract<Path>(), Path("/from/fspath"));
}

PYOWNED_TEST(StlPath, UndecodableBytesRoundTrip) {
    std::filesystem::path p = "/tmp/\xff\xfe";
    auto obj = py::into_py(py, p);
    EXPECT_TRUE(obj.str().eq(py::eval(py, "'/tmp/\\udcff\\udcfe'")));
    EXPECT_EQ(obj.extract<std::filesystem::path>(), p);
}

PYOWNED_TEST(StlPath, Errors) {
    using Path = std::filesystem::path;
    EXPECT_PY_ERROR((void)py::eval(py, "3").extract<Path>(), py::TypeError,
                    "'int' object cannot be converted to 'str | os.PathLike'");
    EXPECT_PY_ERROR((void)py::eval(py, "['a']").extract<Path>(), py::TypeError,
                    "'list' object cannot be converted to 'str | os.PathLike'");
    EXPECT_PY_ERROR((void)py::eval(py, "'a\\0b'").extract<Path>(), py::ValueError, "embedded null byte");
    const char* setup = R"(
class BadType:
    def __fspath__(self): return 3
class Raises:
    def __fspath__(self): raise OSError('no path')
)";
    EXPECT_PY_ERROR((void)eval_with(py, setup, "BadType()").extract<Path>(), py::TypeError, "__fspath__");
    EXPECT_PY_ERROR((void)eval_with(py, setup, "Raises()").extract<Path>(), py::OSError, "no path");
}

// ---------------------------------------------------------------- reference balance

PYOWNED_TEST(StlRefs, SequenceExtract) {
    auto a = pyowned_test::fresh_object(py), b = pyowned_test::fresh_object(py);
    auto list = py::List::empty(py);
    list.append(a);
    list.append(b);
    auto tuple = list.to_tuple();
    auto seq = eval_with(py, kSeqClass, "Seq")(a, b);
    Py_ssize_t ra = pyowned_test::refcnt(a), rb = pyowned_test::refcnt(b), rl = pyowned_test::refcnt(list),
               rt = pyowned_test::refcnt(tuple), rs = pyowned_test::refcnt(seq);
    for (int i = 0; i < 1000; ++i) {
        EXPECT_EQ(list.extract<std::vector<py::Py<py::Any>>>().size(), 2u);
        EXPECT_EQ(tuple.extract<std::deque<py::Owned<py::Any>>>().size(), 2u);
        EXPECT_EQ(seq.extract<std::list<py::Py<py::Any>>>().size(), 2u);
        EXPECT_EQ((tuple.extract<std::array<py::Py<py::Any>, 2>>().size()), 2u);
    }
    EXPECT_EQ(pyowned_test::refcnt(a), ra);
    EXPECT_EQ(pyowned_test::refcnt(b), rb);
    EXPECT_EQ(pyowned_test::refcnt(list), rl);
    EXPECT_EQ(pyowned_test::refcnt(tuple), rt);
    EXPECT_EQ(pyowned_test::refcnt(seq), rs);
}

PYOWNED_TEST(StlRefs, SequenceErrorPaths) {
    auto big = py::Int::from(py, 10'000'000'000LL);  // fresh: not a cached small int
    auto other = pyowned_test::fresh_object(py);
    auto huge = py::eval(py, "10**30");
    auto mismatch = py::List::empty(py);
    mismatch.append(big);
    mismatch.append(other);
    auto overflow = py::List::empty(py);
    overflow.append(big);
    overflow.append(huge);
    Py_ssize_t rbig = pyowned_test::refcnt(big), rother = pyowned_test::refcnt(other),
               rhuge = pyowned_test::refcnt(huge), rm = pyowned_test::refcnt(mismatch),
               ro = pyowned_test::refcnt(overflow);
    for (int i = 0; i < 1000; ++i) {
        EXPECT_FALSE(mismatch.try_extract<std::vector<long long>>());
        EXPECT_FALSE(overflow.try_extract<std::vector<long long>>());
        EXPECT_FALSE((overflow.try_extract<std::array<long long, 2>>()));
        EXPECT_FALSE((mismatch.try_extract<std::pair<long long, long long>>()));  // through the list's snapshot
        EXPECT_FALSE(overflow.try_extract<std::set<long long>>());
    }
    EXPECT_EQ(pyowned_test::refcnt(big), rbig);
    EXPECT_EQ(pyowned_test::refcnt(other), rother);
    EXPECT_EQ(pyowned_test::refcnt(huge), rhuge);
    EXPECT_EQ(pyowned_test::refcnt(mismatch), rm);
    EXPECT_EQ(pyowned_test::refcnt(overflow), ro);
}

PYOWNED_TEST(StlRefs, MapAndSetExtract) {
    auto key = py::Str::from(py, "some key");
    auto value = pyowned_test::fresh_object(py);
    auto big = py::Int::from(py, 20'000'000'000LL);
    auto dict = py::Dict::empty(py);
    dict.set_item(key, value);
    auto bad = py::Dict::empty(py);
    bad.set_item(key, big);
    bad.set_item(big, value);
    auto proxy = eval_with(py, "import types", "types.MappingProxyType")(dict);
    auto set = py::Set::empty(py);
    set.add(big);
    Py_ssize_t rk = pyowned_test::refcnt(key), rv = pyowned_test::refcnt(value), rb = pyowned_test::refcnt(big),
               rd = pyowned_test::refcnt(dict), rbad = pyowned_test::refcnt(bad), rp = pyowned_test::refcnt(proxy),
               rs = pyowned_test::refcnt(set);
    for (int i = 0; i < 1000; ++i) {
        EXPECT_EQ((dict.extract<std::map<std::string, py::Py<py::Any>>>().size()), 1u);
        EXPECT_EQ((proxy.extract<std::unordered_map<std::string, py::Owned<py::Any>>>().size()), 1u);
        EXPECT_FALSE((bad.try_extract<std::map<std::string, long long>>()));
        EXPECT_FALSE((bad.try_extract<std::map<std::string, std::int8_t>>()));
        EXPECT_EQ(set.extract<std::set<long long>>().size(), 1u);
        EXPECT_FALSE(set.try_extract<std::set<std::int8_t>>());
    }
    EXPECT_EQ(pyowned_test::refcnt(key), rk);
    EXPECT_EQ(pyowned_test::refcnt(value), rv);
    EXPECT_EQ(pyowned_test::refcnt(big), rb);
    EXPECT_EQ(pyowned_test::refcnt(dict), rd);
    EXPECT_EQ(pyowned_test::refcnt(bad), rbad);
    EXPECT_EQ(pyowned_test::refcnt(proxy), rp);
    EXPECT_EQ(pyowned_test::refcnt(set), rs);
}

PYOWNED_TEST(StlRefs, ScalarsExtract) {
    auto td = timedelta(py, "days=3, microseconds=7");
    auto c = py::eval(py, "complex(1, 2)");
    auto path_like = eval_with(py, "class P:\n    def __fspath__(self): return 'p'\n", "P()");
    auto path = eval_with(py, "import pathlib", "pathlib.Path('/x/y')");
    auto obj = pyowned_test::fresh_object(py);
    Py_ssize_t rtd = pyowned_test::refcnt(td), rc = pyowned_test::refcnt(c), rpl = pyowned_test::refcnt(path_like),
               rp = pyowned_test::refcnt(path), ro = pyowned_test::refcnt(obj);
    for (int i = 0; i < 1000; ++i) {
        (void)td.extract<std::chrono::microseconds>();
        EXPECT_FALSE((td.try_extract<std::chrono::duration<std::int8_t>>()));
        (void)c.extract<std::complex<double>>();
        (void)path_like.extract<std::filesystem::path>();
        (void)path.extract<std::filesystem::path>();
        EXPECT_FALSE(obj.try_extract<std::filesystem::path>());
        EXPECT_EQ((obj.extract<std::variant<int, py::Owned<py::Any>>>().index()), 1u);
        EXPECT_TRUE(obj.extract<std::optional<py::Py<py::Any>>>().has_value());
    }
    EXPECT_EQ(pyowned_test::refcnt(td), rtd);
    EXPECT_EQ(pyowned_test::refcnt(c), rc);
    EXPECT_EQ(pyowned_test::refcnt(path_like), rpl);
    EXPECT_EQ(pyowned_test::refcnt(path), rp);
    EXPECT_EQ(pyowned_test::refcnt(obj), ro);
}

PYOWNED_TEST(StlRefs, IntoPythonFromLvalues) {
    auto a = pyowned_test::fresh_object(py);
    std::vector<py::Py<py::Any>> v;
    v.push_back(a.borrow().to_owned().unbind());
    v.push_back(a.borrow().to_owned().unbind());
    std::map<std::string, py::Owned<py::Any>> m{{"k", a}};
    std::optional<py::Py<py::Any>> o = a.borrow().to_owned().unbind();
    std::tuple<py::Owned<py::Any>, int> t{a, 1};
    Py_ssize_t ra = pyowned_test::refcnt(a);
    for (int i = 0; i < 1000; ++i) {
        EXPECT_EQ(py::into_py(py, v).len(), 2);
        EXPECT_EQ(py::into_py(py, m).len(), 1);
        EXPECT_TRUE(py::into_py(py, o).is(a));
        EXPECT_EQ(py::into_py(py, t).len(), 2);
    }
    EXPECT_EQ(pyowned_test::refcnt(a), ra);
}

PYOWNED_TEST(StlRefs, MovedPyVectorIntoList) {
    auto a = pyowned_test::fresh_object(py);
    Py_ssize_t ra = pyowned_test::refcnt(a);
    {
        std::vector<py::Py<py::Any>> v;
        v.push_back(a.borrow().to_owned().unbind());
        v.push_back(a.borrow().to_owned().unbind());
        auto list = py::into_py(py, std::move(v));
        EXPECT_EQ(v[0].ptr(), nullptr);  // NOLINT(bugprone-use-after-move): each Py was moved into the list
        EXPECT_EQ(v[1].ptr(), nullptr);
        EXPECT_EQ(pyowned_test::refcnt(a), ra + 2);  // the list's two references, and no more
        EXPECT_TRUE(list.get_item(0).is(a));
    }
    EXPECT_EQ(pyowned_test::refcnt(a), ra);
}

// A container of views converted outside a bound function's call: nothing would keep its
// items alive, so it fails with RuntimeError (extract() refuses such a type at compile time).
PYOWNED_TEST(StlViews, ContainerOfViewsNeedsACall) {
    auto gen = eval(py, "(('x' * 64) + str(i) for i in range(3))");
    auto out = py::FromPython<std::set<std::string_view>>::from_python(gen.borrow(), true);
    EXPECT_FALSE(out.has_value());
    ASSERT_TRUE(PyErr_ExceptionMatches(PyExc_RuntimeError));
    PyErr_Clear();
}

// Inside containers, interrupting errors end the conversion and try_extract throws them.
PYOWNED_TEST(StlViews, TryExtractOfItemsPassesInterruptsOn) {
    auto items =
        eval(py, "[1, type('Stop', (), {'__index__': lambda self: (_ for _ in ()).throw(KeyboardInterrupt)})()]");
    EXPECT_PY_ERROR((void)items.try_extract<std::vector<int>>(), py::KeyboardInterrupt, "KeyboardInterrupt");
    using IntOrStr = std::variant<int, std::string>;
    EXPECT_PY_ERROR((void)items.try_extract<std::vector<IntOrStr>>(), py::KeyboardInterrupt, "KeyboardInterrupt");
    EXPECT_EQ(eval(py, "[1, 'x']").try_extract<std::vector<int>>(), std::nullopt);
}
