// Covers py::Dict: lookups (get, get_item), mutation, views, copy/clear/update, and iteration.
#include "harness.h"

#include <algorithm>
#include <string>
#include <vector>

namespace {

// {"a": 1, "b": 2, "c": 3}, built through the API.
py::Owned<py::Dict> abc(py::Python py) {
    auto d = py::Dict::empty(py);
    d.set_item("a", 1);
    d.set_item("b", 2);
    d.set_item("c", 3);
    return d;
}

}  // namespace

PYOWNED_TEST(Dict, EmptyAndSetItem) {
    auto d = py::Dict::empty(py);
    EXPECT_EQ(d.len(), 0);
    d.set_item("k", "v");
    d.set_item(1, 2.5);
    EXPECT_EQ(d.len(), 2);
    d.set_item("k", "w");  // overwrite keeps the size
    EXPECT_EQ(d.len(), 2);
    EXPECT_EQ(d.repr().to_string(), "{'k': 'w', 1: 2.5}");
}

PYOWNED_TEST(Dict, GetPresent) {
    auto d = abc(py);
    auto v = d.get("b");
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->extract<int>(), 2);
}

PYOWNED_TEST(Dict, GetMissingIsNulloptNotError) {
    auto d = abc(py);
    EXPECT_EQ(d.get("zz"), std::nullopt);
    EXPECT_FALSE(PyErr_Occurred());
}

PYOWNED_TEST(Dict, GetUnhashableKeyIsTypeError) {
    auto d = abc(py);
    EXPECT_PY_ERROR((void)d.get(py::List::empty(py)), py::TypeError, "unhashable type: 'list'");
}

PYOWNED_TEST(Dict, GetKeyWhoseEqRaisesPropagates) {
    auto key_type = py::eval(py, "type('K', (), {'__hash__': lambda s: 1, '__eq__': lambda s, o: 1 / 0})");
    auto d = py::Dict::empty(py);
    d.set_item(key_type(), 1);
    EXPECT_PY_ERROR((void)d.get(key_type()), py::ZeroDivisionError, "division by zero");
}

PYOWNED_TEST(Dict, GetItemPresent) {
    auto d = abc(py);
    EXPECT_EQ(d.get_item("c").extract<int>(), 3);
}

PYOWNED_TEST(Dict, GetItemMissingIsKeyErrorWithTheKey) {
    auto d = abc(py);
    bool caught = false;
    try {
        (void)d.get_item("x");
    } catch (const py::Error& e) {
        caught = true;
        EXPECT_TRUE(e.matches<py::KeyError>(py));
        EXPECT_STREQ(e.what(), "KeyError: 'x'");
        auto args = e.value(py).getattr("args");
        EXPECT_TRUE(args.eq(py::Tuple::of(py, "x")));
    }
    EXPECT_TRUE(caught);
    EXPECT_FALSE(PyErr_Occurred());
}

// KeyError's value is the key itself, also when the key is a tuple or None (Python's own
// dict wraps the key so that KeyError((1, 2)) does not become KeyError(1, 2)).
PYOWNED_TEST(Dict, GetItemMissingTupleKeyIsKeptWhole) {
    auto d = abc(py);
    auto key = py::Tuple::of(py, 1, 2);
    try {
        (void)d.get_item(key);
        ADD_FAILURE() << "no KeyError";
    } catch (const py::Error& e) {
        EXPECT_TRUE(e.matches<py::KeyError>(py));
        EXPECT_TRUE(e.value(py).getattr("args").eq(py::Tuple::of(py, key)))
            << e.value(py).getattr("args").repr().to_string();
    }
    try {
        (void)d.get_item(py::Tuple::of(py, 7));
        ADD_FAILURE() << "no KeyError";
    } catch (const py::Error& e) {
        EXPECT_STREQ(e.what(), "KeyError: (7,)");
    }
    try {
        (void)d.get_item(py::eval(py, "()"));  // (py::Tuple::of(py) with no items warns: see report)
        ADD_FAILURE() << "no KeyError";
    } catch (const py::Error& e) {
        EXPECT_STREQ(e.what(), "KeyError: ()");
    }
}

PYOWNED_TEST(Dict, GetItemMissingNoneKey) {
    auto d = abc(py);
    try {
        (void)d.get_item(py::None::get(py));
        ADD_FAILURE() << "no KeyError";
    } catch (const py::Error& e) {
        EXPECT_TRUE(e.matches<py::KeyError>(py));
        EXPECT_STREQ(e.what(), "KeyError: None");
    }
}

PYOWNED_TEST(Dict, GetItemMatchesPythonKeyError) {
    // The same exception args as Python's d[k] for awkward keys.
    auto d = abc(py);
    auto keys = py::eval(py, "[(1, 2), (3,), (), None, 'x', 5]");
    auto ns = py::Dict::empty(py);
    py::run(py,
            "def args_of(d, k):\n"
            "    try:\n"
            "        d[k]\n"
            "    except KeyError as e:\n"
            "        return e.args\n",
            ns);
    auto python_args_of = ns.get_item("args_of");
    for (auto& key : keys.iter()) {
        try {
            (void)d.get_item(key);
            ADD_FAILURE() << "no KeyError for " << key.repr().to_string();
        } catch (const py::Error& e) {
            auto expected = python_args_of(d, key);
            auto actual = e.value(py).getattr("args");
            EXPECT_TRUE(actual.eq(expected))
                << "key " << key.repr().to_string() << ": got " << actual.repr().to_string() << ", Python gives "
                << expected.repr().to_string();
        }
    }
}

PYOWNED_TEST(Dict, GetItemUnhashableKeyIsTypeError) {
    auto d = abc(py);
    EXPECT_PY_ERROR((void)d.get_item(py::List::empty(py)), py::TypeError, "unhashable type: 'list'");
}

PYOWNED_TEST(Dict, SetItemUnhashableKeyIsTypeError) {
    auto d = abc(py);
    EXPECT_PY_ERROR(d.set_item(py::List::empty(py), 1), py::TypeError, "unhashable type: 'list'");
    EXPECT_EQ(d.len(), 3);
}

PYOWNED_TEST(Dict, DelItem) {
    auto d = abc(py);
    d.del_item("b");
    EXPECT_EQ(d.len(), 2);
    EXPECT_FALSE(d.contains("b"));
    EXPECT_PY_ERROR(d.del_item("b"), py::KeyError, "KeyError: 'b'");
    EXPECT_PY_ERROR(d.del_item(py::List::empty(py)), py::TypeError, "unhashable type: 'list'");
}

PYOWNED_TEST(Dict, Contains) {
    auto d = abc(py);
    EXPECT_TRUE(d.contains("a"));
    EXPECT_FALSE(d.contains("z"));
    EXPECT_FALSE(d.contains(1));  // keys, not values
    EXPECT_PY_ERROR((void)d.contains(py::List::empty(py)), py::TypeError, "unhashable type: 'list'");
}

PYOWNED_TEST(Dict, Len) {
    auto d = abc(py);
    EXPECT_EQ(d.len(), 3);
    d.clear();
    EXPECT_EQ(d.len(), 0);
}

PYOWNED_TEST(Dict, KeysValuesItems) {
    auto d = abc(py);
    EXPECT_TRUE(d.keys().eq(py::eval(py, "['a', 'b', 'c']")));
    EXPECT_TRUE(d.values().eq(py::eval(py, "[1, 2, 3]")));
    EXPECT_TRUE(d.items().eq(py::eval(py, "[('a', 1), ('b', 2), ('c', 3)]")));
    EXPECT_TRUE(d.keys().is_instance<py::List>());
}

PYOWNED_TEST(Dict, CopyIsShallowAndIndependent) {
    auto d = abc(py);
    auto inner = py::List::empty(py);
    d.set_item("l", inner);
    auto c = d.copy();
    EXPECT_FALSE(c.is(d));
    EXPECT_TRUE(c.eq(d));
    c.set_item("new", 1);
    EXPECT_FALSE(d.contains("new"));
    EXPECT_TRUE(c.get_item("l").is(inner));
}

PYOWNED_TEST(Dict, Clear) {
    auto d = abc(py);
    d.clear();
    EXPECT_EQ(d.len(), 0);
    EXPECT_EQ(d.get("a"), std::nullopt);
}

PYOWNED_TEST(Dict, UpdateFromDict) {
    auto d = abc(py);
    auto other = py::Dict::empty(py);
    other.set_item("c", 30);
    other.set_item("d", 4);
    d.update(other);
    EXPECT_TRUE(d.eq(py::eval(py, "{'a': 1, 'b': 2, 'c': 30, 'd': 4}")));
}

PYOWNED_TEST(Dict, UpdateFromMapping) {
    auto d = abc(py);
    d.update(py::eval(py, "__import__('types').MappingProxyType({'z': 26})"));
    EXPECT_EQ(d.get_item("z").extract<int>(), 26);
}

PYOWNED_TEST(Dict, UpdateFromNonMappingIsError) {
    auto d = abc(py);
    EXPECT_PY_ERROR(d.update(py::into_py(py, 5)), py::AttributeError, "'int' object has no attribute 'keys'");
}

PYOWNED_TEST(Dict, RangeForInInsertionOrder) {
    auto d = py::Dict::empty(py);
    std::vector<std::string> names = {"zeta", "alpha", "mid", "beta"};
    for (std::size_t i = 0; i < names.size(); ++i) d.set_item(names[i], static_cast<int>(i));
    std::vector<std::string> seen_keys;
    std::vector<int> seen_values;
    for (auto [k, v] : d) {
        seen_keys.push_back(k.extract<std::string>());
        seen_values.push_back(v.extract<int>());
    }
    EXPECT_EQ(seen_keys, names);
    EXPECT_EQ(seen_values, (std::vector<int>{0, 1, 2, 3}));
}

PYOWNED_TEST(Dict, RangeForOverEmpty) {
    int n = 0;
    for (auto [k, v] : py::Dict::empty(py)) {
        (void)k;
        (void)v;
        ++n;
    }
    EXPECT_EQ(n, 0);
}

PYOWNED_TEST(Dict, RangeForOverBorrowed) {
    auto d = abc(py);
    py::Borrowed<py::Dict> view = d;
    int sum = 0;
    for (auto [k, v] : view) sum += v.extract<int>();
    EXPECT_EQ(sum, 6);
}

PYOWNED_TEST(Dict, RangeForItemsOutliveRemoval) {
    // The pair holds its own references: deleting the entry in the body leaves them valid.
    auto d = py::Dict::empty(py);
    d.set_item(py::Str::from(py, std::string("key-") + "made-at-runtime"), pyowned_test::fresh_object(py));
    int visited = 0;
    for (auto [k, v] : d) {
        ++visited;
        d.clear();
        EXPECT_EQ(k.extract<std::string>(), "key-made-at-runtime");
        EXPECT_EQ(v.type().getattr("__name__").extract<std::string>(), "Fresh");
        break;  // the dict changed size: continuing would raise RuntimeError
    }
    EXPECT_EQ(visited, 1);
}

PYOWNED_TEST(Dict, ChangedSizeDuringIterationIsRuntimeError) {
    auto d = abc(py);
    int visited = 0;
    EXPECT_PY_ERROR(
        for (auto [k, v] : d) {
            ++visited;
            d.set_item(std::string("new") + std::to_string(visited), 0);
        },
        py::RuntimeError, "dictionary changed size during iteration");
    EXPECT_EQ(visited, 1);
}

PYOWNED_TEST(Dict, ShrunkDuringIterationIsRuntimeError) {
    auto d = abc(py);
    EXPECT_PY_ERROR(for (auto [k, v] : d) d.del_item(k), py::RuntimeError, "dictionary changed size during iteration");
}

// Python's loop also notices a key replaced by another (same size): it must not visit new keys.
PYOWNED_TEST(Dict, KeysChangedDuringIterationIsRuntimeError) {
    auto d = py::Dict::empty(py);
    d.set_item(0, 0);
    int visited = 0;
    EXPECT_PY_ERROR(
        for (auto [k, v] : d) {
            ++visited;
            int key = k.extract<int>();
            d.del_item(key);
            d.set_item(key + 1, 0);
        },
        py::RuntimeError, "dictionary keys changed during iteration");
    EXPECT_EQ(visited, 1);
}

PYOWNED_TEST(Dict, RangesCountIf) {
    auto d = py::Dict::empty(py);
    for (int i = 0; i < 10; ++i) d.set_item(i, i * i);
    auto odd_squares =
        std::ranges::count_if(d, [](const auto& kv) { return kv.second.template extract<int>() % 2 == 1; });
    EXPECT_EQ(odd_squares, 5);
}

PYOWNED_TEST(Dict, RangesFindIf) {
    auto d = abc(py);
    auto it = std::ranges::find_if(d, [](const auto& kv) { return kv.second.template extract<int>() == 2; });
    ASSERT_FALSE(it == std::default_sentinel);
    EXPECT_EQ((*it).first.extract<std::string>(), "b");
}

PYOWNED_TEST(Dict, IterationBalancesReferences) {
    auto d = py::Dict::empty(py);
    auto key = py::Str::from(py, std::string("fresh-") + "key");
    auto value = pyowned_test::fresh_object(py);
    d.set_item(key, value);
    auto before_k = pyowned_test::refcnt(key), before_v = pyowned_test::refcnt(value);
    for (int i = 0; i < 1000; ++i) {
        for (auto [k, v] : d) ASSERT_TRUE(v.is(value));
        ASSERT_TRUE(d.get(key).has_value());
        ASSERT_TRUE(d.get_item(key).is(value));
        try {
            (void)d.get_item(value);
        } catch (const py::Error&) {
        }
    }
    EXPECT_EQ(pyowned_test::refcnt(key), before_k);
    EXPECT_EQ(pyowned_test::refcnt(value), before_v);
}

PYOWNED_TEST(Dict, MissingKeyBalancesReferences) {
    auto d = abc(py);
    auto key = pyowned_test::fresh_object(py);
    auto before = pyowned_test::refcnt(key);
    for (int i = 0; i < 1000; ++i) {
        ASSERT_EQ(d.get(key), std::nullopt);
        try {
            (void)d.get_item(key);
        } catch (const py::Error&) {
        }
        try {
            d.del_item(key);
        } catch (const py::Error&) {
        }
    }
    EXPECT_EQ(pyowned_test::refcnt(key), before);
}
