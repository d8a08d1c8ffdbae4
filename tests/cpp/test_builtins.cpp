// Covers the builtins as free functions (types/builtins.h), int()/float()/str() of an object,
// and the typed methods of list, bytearray, slice and capsule.
#include "harness.h"

#include <string>
#include <vector>

namespace {

py::Owned<py::Any> define(py::Python py, const char* source, const char* name) {
    auto ns = py::Dict::empty(py);
    py::run(py, source, ns);
    return ns.get_item(name);
}

std::vector<int> ints(const py::Owned<py::List>& list) { return list.extract<std::vector<int>>(); }

int destroyed = 0;
void* destroyed_pointer = nullptr;
void count_destruction(void* p) {
    ++destroyed;
    destroyed_pointer = p;
}

}  // namespace

// --- builtins ---

PYOWNED_TEST(Builtins, Print) {
    auto out = py::import(py, "io").getattr("StringIO").call();
    py::print(py, 1, "x", 2.5, py::arg("sep") = "-", py::arg("end") = "!\n", py::arg("file") = out);
    py::print(py, py::arg("file") = out);
    EXPECT_EQ(out.call_method("getvalue").extract<std::string>(), "1-x-2.5!\n\n");
    EXPECT_PY_ERROR(py::print(py, 1, py::arg("sep") = 5), py::TypeError, "sep must be None or a string, not int");
}

PYOWNED_TEST(Builtins, Len) {
    EXPECT_EQ(py::len(py::List::from(py, std::vector<int>{1, 2, 3})), 3);
    EXPECT_EQ(py::len(py::Str::from(py, "héllo")), 5);  // code points
    EXPECT_PY_ERROR((void)py::len(py::Int::from(py, 1)), py::TypeError, "object of type 'int' has no len()");
    // Python's len: a list subclass's own __len__ runs
    auto sub = py::eval(py, "type('L', (list,), {'__len__': lambda self: 42})([1])").downcast_into<py::List>();
    EXPECT_EQ(py::len(sub), 42);
}

PYOWNED_TEST(Builtins, Isinstance) {
    auto s = py::Str::from(py, "a");
    auto str_type = py::builtins(py).getattr("str");
    EXPECT_TRUE(py::isinstance(s, str_type));
    EXPECT_FALSE(py::isinstance(py::Int::from(py, 1), str_type));
    auto types = py::Tuple::of(py, py::builtins(py).getattr("int"), str_type);
    EXPECT_TRUE(py::isinstance(py::Int::from(py, 1), types));
    EXPECT_TRUE(py::isinstance<py::Str>(s));
    EXPECT_TRUE(py::isinstance<py::Int>(py::Bool::get(py, true)));
    EXPECT_FALSE(py::isinstance<py::Bool>(py::Int::from(py, 1)));
    EXPECT_PY_ERROR((void)py::isinstance(s, py::Int::from(py, 3)), py::TypeError, "isinstance() arg 2 must be a type");
}

PYOWNED_TEST(Builtins, IterAndNext) {
    auto it = py::iter(py::List::from(py, std::vector<int>{4, 5}));
    auto a = py::next(it);
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->extract<int>(), 4);
    EXPECT_EQ(py::next(it)->extract<int>(), 5);
    EXPECT_FALSE(py::next(it).has_value());
    EXPECT_FALSE(py::next(it).has_value());  // stays exhausted
    EXPECT_PY_ERROR((void)py::iter(py::Int::from(py, 1)), py::TypeError, "'int' object is not iterable");
    EXPECT_PY_ERROR((void)py::next(py::List::empty(py)), py::TypeError, "'list' object is not an iterator");
    auto failing = py::eval(py, "(1 // 0 for _ in [0])");
    EXPECT_PY_ERROR((void)py::next(failing), py::ZeroDivisionError, "by zero");
}

PYOWNED_TEST(Builtins, Singletons) {
    EXPECT_EQ(py::ellipsis(py).repr().extract<std::string>(), "Ellipsis");
    EXPECT_EQ(py::not_implemented(py).repr().extract<std::string>(), "NotImplemented");
    EXPECT_TRUE(py::ellipsis(py).is(py::eval(py, "...")));
    auto b = py::builtins(py);
    EXPECT_EQ(b.getattr("__name__").extract<std::string>(), "builtins");
    EXPECT_EQ(b.getattr("len").call(py::Tuple::of(py, 1, 2)).extract<int>(), 2);
}

// --- int(), float(), str() of an object ---

PYOWNED_TEST(Builtins, FromObject) {
    EXPECT_EQ(py::Int::from_object(py::Str::from(py, " 42 ")).extract<int>(), 42);
    EXPECT_EQ(py::Int::from_object(py::Float::from(py, -2.9)).extract<int>(), -2);  // truncates, as int()
    EXPECT_PY_ERROR((void)py::Int::from_object(py::Str::from(py, "x")), py::ValueError,
                    "invalid literal for int() with base 10: 'x'");
    EXPECT_PY_ERROR((void)py::Int::from_object(py::None::get(py)), py::TypeError, "int() argument must be");
    EXPECT_PY_ERROR((void)py::Int::from_object(py::Float::from(py, std::nan(""))), py::ValueError,
                    "cannot convert float NaN to integer");
    EXPECT_DOUBLE_EQ(py::Float::from_object(py::Str::from(py, "2.5")).extract<double>(), 2.5);
    EXPECT_DOUBLE_EQ(py::Float::from_object(py::Int::from(py, 3)).extract<double>(), 3.0);
    EXPECT_PY_ERROR((void)py::Float::from_object(py::Str::from(py, "abc")), py::ValueError,
                    "could not convert string to float: 'abc'");
    EXPECT_PY_ERROR((void)py::Float::from_object(py::List::empty(py)), py::TypeError, "float() argument must be");
    EXPECT_EQ(py::Str::from_object(py::List::from(py, std::vector<int>{1})).extract<std::string>(), "[1]");
    auto raising = define(py, "class R:\n    def __str__(self): raise KeyError('k')\nr = R()\n", "r");
    EXPECT_PY_ERROR((void)py::Str::from_object(raising), py::KeyError, "k");
}

// --- list ---

PYOWNED_TEST(ListMethods, Extend) {
    auto list = py::List::from(py, std::vector<int>{1});
    list.extend(py::List::from(py, std::vector<int>{2}));
    list.extend(py::Tuple::of(py, 3));
    list.extend(py::eval(py, "(i for i in (4, 5))"));
    list.extend(std::vector<int>{6});
    EXPECT_EQ(ints(list), (std::vector<int>{1, 2, 3, 4, 5, 6}));
    list.extend(list);  // its own items, once
    EXPECT_EQ(list.len(), 12);
    EXPECT_PY_ERROR(list.extend(7), py::TypeError, "'int' object is not iterable");
    EXPECT_EQ(list.len(), 12);
    auto failing = py::eval(py, "(1 // (2 - i) for i in range(5))");  // raises at the third item
    EXPECT_PY_ERROR(list.extend(failing), py::ZeroDivisionError, "by zero");
    EXPECT_EQ(list.len(), 14);  // what came before the error, as Python's extend
}

PYOWNED_TEST(ListMethods, ClearPopIndexCount) {
    auto list = py::List::from(py, std::vector<int>{1, 2, 3, 2});
    EXPECT_EQ(list.count(2), 2);
    EXPECT_EQ(list.count("2"), 0);
    EXPECT_EQ(list.index(3), 2);
    EXPECT_PY_ERROR((void)list.index(99), py::ValueError, "99 is not in list");
    EXPECT_EQ(list.pop().extract<int>(), 2);
    EXPECT_EQ(list.pop(0).extract<int>(), 1);
    EXPECT_EQ(list.pop(-1).extract<int>(), 3);
    EXPECT_PY_ERROR((void)list.pop(5), py::IndexError, "pop index out of range");
    EXPECT_PY_ERROR((void)list.pop(-5), py::IndexError, "pop index out of range");
    EXPECT_EQ(ints(list), (std::vector<int>{2}));
    list.clear();
    EXPECT_EQ(list.len(), 0);
    EXPECT_PY_ERROR((void)list.pop(), py::IndexError, "pop from empty list");
    list.insert(0, 1);
    list.reverse();
    EXPECT_EQ(ints(list), (std::vector<int>{1}));
}

PYOWNED_TEST(ListMethods, SubclassMethodsRun) {
    auto list = define(py,
                       "class L(list):\n"
                       "    def pop(self, i=-1): return 'mine'\n"
                       "    def clear(self): self.append('cleared')\n"
                       "l = L([1, 2])\n",
                       "l")
                    .downcast_into<py::List>();
    EXPECT_EQ(list.pop().extract<std::string>(), "mine");
    list.clear();
    EXPECT_EQ(list.len(), 3);
}

PYOWNED_TEST(ListMethods, PopReferencesBalanced) {
    auto item = pyowned_test::fresh_object(py);
    const Py_ssize_t before = pyowned_test::refcnt(item);
    auto list = py::List::empty(py);
    for (int i = 0; i < 100; ++i) {
        list.append(item);
        list.extend(py::Tuple::of(py, item));
        EXPECT_TRUE(list.pop().is(item));
        EXPECT_EQ(list.count(item), 1);
        list.clear();
    }
    EXPECT_EQ(pyowned_test::refcnt(item), before);
}

// --- bytearray ---

PYOWNED_TEST(ByteArrayMethods, Resize) {
    auto b = py::ByteArray::from(py, "abc");
    b.resize(5);
    EXPECT_EQ(b.to_string(), std::string("abc\0\0", 5));
    b.resize(1);
    EXPECT_EQ(b.to_string(), "a");
    b.resize(0);
    EXPECT_EQ(b.len(), 0);
    EXPECT_PY_ERROR(b.resize(-1), py::ValueError, "bytearray size cannot be negative");
    auto view = py::builtins(py).getattr("memoryview").call(b);
    EXPECT_PY_ERROR(b.resize(4), py::BufferError, "Existing exports of data: object cannot be re-sized");
    view.call_method("release");
    b.resize(4);
    EXPECT_EQ(b.len(), 4);
}

// --- slice ---

PYOWNED_TEST(SliceMethods, Indices) {
    auto reversed = py::Slice::of(py, std::nullopt, std::nullopt, -1).indices(5);
    EXPECT_EQ(reversed.start, 4);
    EXPECT_EQ(reversed.stop, -1);
    EXPECT_EQ(reversed.step, -1);
    EXPECT_EQ(reversed.count, 5);
    auto stepped = py::Slice::of(py, 1, 100, 3).indices(10);
    EXPECT_EQ(stepped.start, 1);
    EXPECT_EQ(stepped.stop, 10);
    EXPECT_EQ(stepped.count, 3);  // 1, 4, 7
    auto empty = py::Slice::of(py, 8, 2).indices(10);
    EXPECT_EQ(empty.count, 0);
    EXPECT_PY_ERROR((void)py::Slice::of(py, 0, 1, 0).indices(3), py::ValueError, "slice step cannot be zero");
    EXPECT_PY_ERROR((void)py::Slice::of(py, 0, 1).indices(-1), py::ValueError, "length should not be negative");
    auto bad = py::eval(py, "slice('a', 2)").downcast_into<py::Slice>();
    EXPECT_PY_ERROR((void)bad.indices(3), py::TypeError, "slice indices must be integers or None");
}

// --- capsule ---

PYOWNED_TEST(CapsuleTag, MakeNameAndDestructor) {
    static int payload = 7;
    destroyed = 0;
    {
        std::string name = "pkg.api";
        auto c = py::Capsule::make(py, &payload, name.c_str(), &count_destruction);
        name = "changed";  // the capsule keeps its own copy
        EXPECT_EQ(c.pointer(), &payload);
        EXPECT_STREQ(c.name(), "pkg.api");
        EXPECT_EQ(PyCapsule_GetPointer(c.ptr(), "pkg.api"), &payload);  // as C code imports it
        EXPECT_TRUE(c.is_instance<py::Capsule>());
        EXPECT_EQ(destroyed, 0);
    }
    EXPECT_EQ(destroyed, 1);
    EXPECT_EQ(destroyed_pointer, &payload);
    auto unnamed = py::Capsule::make(py, &payload);
    EXPECT_EQ(unnamed.name(), nullptr);
    EXPECT_EQ(unnamed.pointer(), &payload);
    EXPECT_PY_ERROR((void)py::Capsule::make(py, nullptr), py::ValueError, "a capsule cannot hold a null pointer");
}

PYOWNED_TEST(CapsuleTag, VoidPointerConversions) {
    static int payload = 3;
    auto c = py::into_py(py, static_cast<void*>(&payload));
    EXPECT_TRUE(c.is_instance<py::Capsule>());
    EXPECT_EQ(c.extract<void*>(), &payload);
    EXPECT_TRUE(py::into_py(py, static_cast<void*>(nullptr)).is_none());
    EXPECT_EQ(py::None::get(py).extract<void*>(), nullptr);
    auto named = py::Capsule::make(py, &payload, "other.name");
    EXPECT_EQ(named.extract<void*>(), &payload);  // any name
    EXPECT_PY_ERROR((void)py::Int::from(py, 1).extract<void*>(), py::TypeError, "PyCapsule | None");
}
