// The token and the three handles: sizes, every conversion of api.md section 1, casts, raw pointers, refcounts.
#include "harness.h"

#include <cstdint>
#include <optional>
#include <type_traits>
#include <utility>

namespace {

constexpr int kReps = 1000;

// --- compile-time properties -------------------------------------------------------------

// Owned and Borrowed are one pointer; Py<T> is a pointer and the number of the interpreter
// run it belongs to (so that dropping it after that run ended, even while another runs, is safe).
template <class T>
constexpr bool expected_size =
    sizeof(py::Owned<T>) == sizeof(PyObject*) && sizeof(py::Borrowed<T>) == sizeof(PyObject*) &&
    sizeof(py::Py<T>) == sizeof(PyObject*) + sizeof(std::uint64_t);
static_assert(expected_size<py::Any> && expected_size<py::Int> && expected_size<py::Bool> && expected_size<py::Dict> &&
              expected_size<py::List> && expected_size<py::Sequence> && expected_size<py::KeyError> &&
              expected_size<py::BaseException>);

static_assert(std::is_empty_v<py::Python>);
static_assert(!std::is_default_constructible_v<py::Python>, "a token cannot be made from nothing");

static_assert(std::is_trivially_copyable_v<py::Borrowed<py::Any>>);
static_assert(std::is_trivially_copyable_v<py::Borrowed<py::Dict>>);
static_assert(std::is_trivially_copyable_v<py::Borrowed<py::KeyError>>);

static_assert(!std::is_copy_constructible_v<py::Py<py::Any>>, "copying a Py needs a token: clone_ref");
static_assert(!std::is_copy_assignable_v<py::Py<py::Any>>);
static_assert(std::is_nothrow_move_constructible_v<py::Py<py::Any>>);
static_assert(std::is_nothrow_move_constructible_v<py::Owned<py::Any>>);

// Upcasts are implicit, in one step, and never add ownership.
static_assert(std::is_convertible_v<py::Owned<py::Bool>, py::Owned<py::Int>>);
static_assert(std::is_convertible_v<py::Owned<py::Bool>, py::Owned<py::Any>>);
static_assert(std::is_convertible_v<py::Owned<py::Int>, py::Owned<py::Any>>);
static_assert(std::is_convertible_v<const py::Owned<py::KeyError>&, py::Borrowed<py::LookupError>>);
static_assert(std::is_convertible_v<const py::Owned<py::KeyError>&, py::Borrowed<py::BaseException>>);
static_assert(std::is_convertible_v<const py::Owned<py::List>&, py::Borrowed<py::Sequence>>);
static_assert(std::is_convertible_v<const py::Owned<py::Dict>&, py::Borrowed<py::Mapping>>);
static_assert(std::is_convertible_v<py::Borrowed<py::Bool>, py::Borrowed<py::Any>>);
static_assert(std::is_convertible_v<py::Py<py::Bool>, py::Py<py::Int>>);
static_assert(!std::is_convertible_v<py::Py<py::Bool>&, py::Py<py::Int>>, "an lvalue Py would need a copy");
// ... and never go down, sideways, or from a view to an owner.
static_assert(!std::is_convertible_v<py::Owned<py::Any>, py::Owned<py::Int>>);
static_assert(!std::is_convertible_v<py::Owned<py::Int>, py::Owned<py::Bool>>);
static_assert(!std::is_convertible_v<const py::Owned<py::List>&, py::Borrowed<py::Dict>>);
static_assert(!std::is_convertible_v<const py::Owned<py::List>&, py::Borrowed<py::Mapping>>);
static_assert(!std::is_convertible_v<py::Borrowed<py::Any>, py::Owned<py::Any>>);
static_assert(!std::is_convertible_v<py::Borrowed<py::Any>, py::Borrowed<py::Dict>>);
static_assert(!std::is_convertible_v<const py::Py<py::Any>&, py::Borrowed<py::Any>>, "binding needs a token");

// A view of a temporary would dangle, so borrow()/bind() are unavailable on one.
template <class H>
concept CanBorrow = requires(H&& h) { std::forward<H>(h).borrow(); };
static_assert(CanBorrow<py::Owned<py::Any>&>);
static_assert(CanBorrow<const py::Owned<py::Any>&>);
static_assert(!CanBorrow<py::Owned<py::Any>>);
template <class H>
concept CanBind = requires(H&& h, py::Python py) { std::forward<H>(h).bind(py); };
static_assert(CanBind<py::Py<py::Any>&>);
static_assert(!CanBind<py::Py<py::Any>>);

// Runs `op` kReps times and expects `obj`'s reference count to be unchanged afterwards.
template <class H, class F>
void expect_balanced(const H& obj, F op) {
    Py_ssize_t before = pyowned_test::refcnt(obj);
    for (int i = 0; i < kReps; ++i) op();
    EXPECT_EQ(pyowned_test::refcnt(obj), before);
}

}  // namespace

// --- sizes and the token ----------------------------------------------------------------------

PYOWNED_TEST(Handles, SizesAndPointers) {
    auto obj = pyowned_test::fresh_object(py);
    py::Owned<py::Any> owned = obj;
    py::Borrowed<py::Any> borrowed = obj;
    py::Py<py::Any> stored = py::Owned<py::Any>(obj).unbind();
    EXPECT_EQ(sizeof owned, sizeof(PyObject*));
    EXPECT_EQ(sizeof borrowed, sizeof(PyObject*));
    EXPECT_EQ(sizeof stored, sizeof(PyObject*) + sizeof(std::uint64_t));  // the pointer and its run
    EXPECT_EQ(owned.ptr(), obj.ptr());
    EXPECT_EQ(borrowed.ptr(), obj.ptr());
    EXPECT_EQ(stored.ptr(), obj.ptr());
}

PYOWNED_TEST(Handles, TokenFromHandle) {
    auto list = py::List::empty(py);
    py::Python from_owned = list.py();
    py::Python from_borrowed = list.borrow().py();
    py::List::empty(from_owned).append(1);
    EXPECT_EQ(py::List::empty(from_borrowed).len(), 0);
}

// --- Owned <-> Borrowed ---------------------------------------------------------------------

PYOWNED_TEST(Handles, OwnedToBorrowedImplicit) {
    auto obj = pyowned_test::fresh_object(py);
    expect_balanced(obj, [&] {
        py::Borrowed<py::Any> view = obj;
        EXPECT_EQ(view.ptr(), obj.ptr());
    });
}

PYOWNED_TEST(Handles, OwnedBorrow) {
    auto obj = pyowned_test::fresh_object(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    expect_balanced(obj, [&] {
        auto view = obj.borrow();
        static_assert(std::is_same_v<decltype(view), py::Borrowed<py::Any>>);
        py::Borrowed<py::Any> copy = view;  // copying a view touches nothing
        EXPECT_EQ(copy.ptr(), obj.ptr());
        EXPECT_EQ(pyowned_test::refcnt(obj), base);
    });
}

PYOWNED_TEST(Handles, BorrowedToOwnedIncrefsOnce) {
    auto obj = pyowned_test::fresh_object(py);
    py::Borrowed<py::Any> view = obj;
    Py_ssize_t base = pyowned_test::refcnt(obj);
    expect_balanced(obj, [&] {
        py::Owned<py::Any> owner = view.to_owned();
        EXPECT_EQ(owner.ptr(), obj.ptr());
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
    });
}

PYOWNED_TEST(Handles, BorrowedFromPtr) {
    auto obj = pyowned_test::fresh_object(py);
    expect_balanced(obj, [&] {
        auto view = py::Borrowed<py::Any>::from_ptr(py, obj.ptr());
        EXPECT_TRUE(view.is(obj));
    });
}

// --- Owned <-> Py ---------------------------------------------------------------------------

PYOWNED_TEST(Handles, UnbindKeepsCount) {
    auto obj = pyowned_test::fresh_object(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    expect_balanced(obj, [&] {
        py::Owned<py::Any> owner = obj;
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
        py::Py<py::Any> stored = std::move(owner).unbind();
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
        EXPECT_EQ(stored.ptr(), obj.ptr());
        EXPECT_EQ(owner.ptr(), nullptr);  // NOLINT(bugprone-use-after-move): moved-from is empty
    });
}

PYOWNED_TEST(Handles, PyBindKeepsCount) {
    auto obj = pyowned_test::fresh_object(py);
    py::Py<py::Any> stored = py::Owned<py::Any>(obj).unbind();
    Py_ssize_t base = pyowned_test::refcnt(obj);
    expect_balanced(obj, [&] {
        py::Borrowed<py::Any> view = stored.bind(py);
        EXPECT_TRUE(view.is(obj));
        EXPECT_EQ(pyowned_test::refcnt(obj), base);
    });
}

PYOWNED_TEST(Handles, PyIntoBoundKeepsCount) {
    auto obj = pyowned_test::fresh_object(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    expect_balanced(obj, [&] {
        py::Py<py::Any> stored = py::Owned<py::Any>(obj).unbind();
        py::Owned<py::Any> owner = std::move(stored).into_bound(py);
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
        EXPECT_TRUE(owner.is(obj));
        EXPECT_EQ(stored.ptr(), nullptr);  // NOLINT(bugprone-use-after-move)
    });
}

PYOWNED_TEST(Handles, PyBindToOwnedIncrefs) {
    auto obj = pyowned_test::fresh_object(py);
    py::Py<py::Any> stored = py::Owned<py::Any>(obj).unbind();
    Py_ssize_t base = pyowned_test::refcnt(obj);
    expect_balanced(obj, [&] {
        py::Owned<py::Any> owner = stored.bind(py).to_owned();
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
    });
}

PYOWNED_TEST(Handles, PyCloneRefIncrefs) {
    auto obj = pyowned_test::fresh_object(py);
    py::Py<py::Any> stored = py::Owned<py::Any>(obj).unbind();
    Py_ssize_t base = pyowned_test::refcnt(obj);
    expect_balanced(obj, [&] {
        py::Py<py::Any> clone = stored.clone_ref(py);
        EXPECT_EQ(clone.ptr(), stored.ptr());
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
    });
}

PYOWNED_TEST(Handles, PyMoveAndMoveAssign) {
    auto obj = pyowned_test::fresh_object(py);
    auto other = pyowned_test::fresh_object(py);
    Py_ssize_t base = pyowned_test::refcnt(obj), other_base = pyowned_test::refcnt(other);
    expect_balanced(obj, [&] {
        py::Py<py::Any> a = py::Owned<py::Any>(obj).unbind();
        py::Py<py::Any> b = std::move(a);
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
        py::Py<py::Any> c = py::Owned<py::Any>(other).unbind();
        c = std::move(b);  // other's reference is dropped, obj's moves
        EXPECT_EQ(pyowned_test::refcnt(other), other_base);
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
        EXPECT_EQ(c.ptr(), obj.ptr());
    });
    EXPECT_EQ(pyowned_test::refcnt(other), other_base);
}

// --- subtype conversions ----------------------------------------------------------------------

PYOWNED_TEST(Handles, BoolToIntToAny) {
    // True is shared by everything, so the owned chain is checked on identity; the balance
    // of the converting constructors is checked with fresh objects below.
    py::Owned<py::Bool> t = py::Bool::get(py, true);
    py::Owned<py::Int> i = t;
    py::Owned<py::Any> a = i;
    EXPECT_TRUE(a.is(t));
    py::Owned<py::Any> direct = py::Bool::get(py, false);  // one step from Bool to Any
    EXPECT_TRUE(direct.is(py::Bool::get(py, false)));
}

PYOWNED_TEST(Handles, UpcastCopyIncrefsMoveSteals) {
    // A big int made at run time is a fresh Int (a constant like 10**30 is folded into the
    // code object, and code constants are immortal on free-threaded builds).
    auto big = py::eval(py, "int('1' * 31)").downcast_into<py::Int>();
    Py_ssize_t base = pyowned_test::refcnt(big);
    expect_balanced(big, [&] {
        py::Owned<py::Any> copy = big;  // copy: +1
        EXPECT_EQ(pyowned_test::refcnt(big), base + 1);
        py::Owned<py::Int> second = big;
        py::Owned<py::Any> moved = std::move(second);  // move: no change
        EXPECT_EQ(pyowned_test::refcnt(big), base + 2);
        EXPECT_EQ(second.ptr(), nullptr);  // NOLINT(bugprone-use-after-move)
        py::Borrowed<py::Any> view = big;  // view: no change
        EXPECT_EQ(pyowned_test::refcnt(big), base + 2);
        EXPECT_TRUE(view.is(moved));
    });
}

PYOWNED_TEST(Handles, PyUpcastMoveKeepsCount) {
    auto big = py::eval(py, "int('1' * 31)").downcast_into<py::Int>();
    Py_ssize_t base = pyowned_test::refcnt(big);
    expect_balanced(big, [&] {
        py::Py<py::Int> stored = py::Owned<py::Int>(big).unbind();
        py::Py<py::Any> upcast = std::move(stored);
        EXPECT_EQ(pyowned_test::refcnt(big), base + 1);
        EXPECT_EQ(upcast.ptr(), big.ptr());
    });
}

PYOWNED_TEST(Handles, ExceptionUpcasts) {
    auto err = py::eval(py, "KeyError('k')").downcast_into<py::KeyError>();
    Py_ssize_t base = pyowned_test::refcnt(err);
    expect_balanced(err, [&] {
        py::Borrowed<py::LookupError> lookup = err;
        py::Borrowed<py::BaseException> base_exc = err;
        py::Borrowed<py::Any> any = lookup;
        EXPECT_TRUE(lookup.is(err));
        EXPECT_TRUE(base_exc.is(err));
        EXPECT_TRUE(any.is(err));
        py::Owned<py::Exception> owner = err;
        EXPECT_EQ(pyowned_test::refcnt(err), base + 1);
    });
}

PYOWNED_TEST(Handles, ListIsSequenceDictIsMapping) {
    auto list = py::List::empty(py);
    auto dict = py::Dict::empty(py);
    Py_ssize_t list_base = pyowned_test::refcnt(list), dict_base = pyowned_test::refcnt(dict);
    for (int i = 0; i < kReps; ++i) {
        py::Borrowed<py::Sequence> seq = list;
        py::Borrowed<py::Mapping> map = dict;
        EXPECT_TRUE(seq.is(list));
        EXPECT_TRUE(map.is(dict));
    }
    EXPECT_EQ(pyowned_test::refcnt(list), list_base);
    EXPECT_EQ(pyowned_test::refcnt(dict), dict_base);
}

// --- downcasts --------------------------------------------------------------------------------

PYOWNED_TEST(Handles, DowncastLvalueGivesView) {
    py::Owned<py::Any> obj = py::List::empty(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    expect_balanced(obj, [&] {
        auto list = obj.downcast<py::List>();
        static_assert(std::is_same_v<decltype(list), py::Borrowed<py::List>>);
        EXPECT_EQ(list.ptr(), obj.ptr());
        EXPECT_EQ(pyowned_test::refcnt(obj), base);
        py::Borrowed<py::Any> view = obj;
        auto from_view = view.downcast<py::Sequence>();
        static_assert(std::is_same_v<decltype(from_view), py::Borrowed<py::Sequence>>);
    });
}

PYOWNED_TEST(Handles, DowncastTemporaryGivesOwned) {
    py::Owned<py::Any> obj = py::List::empty(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    expect_balanced(obj, [&] {
        auto list = py::Owned<py::Any>(obj).downcast<py::List>();
        static_assert(std::is_same_v<decltype(list), py::Owned<py::List>>);
        EXPECT_EQ(list.ptr(), obj.ptr());
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
    });
    // A temporary view stays a view.
    py::Borrowed<py::Any> view = obj;
    static_assert(std::is_same_v<decltype(py::Borrowed<py::Any>(view).downcast<py::List>()), py::Borrowed<py::List>>);
}

PYOWNED_TEST(Handles, DowncastFailureNamesBothTypes) {
    py::Owned<py::Any> obj = py::List::empty(py);
    expect_balanced(obj, [&] {
        EXPECT_PY_ERROR((void)obj.downcast<py::Dict>(), py::TypeError, "'list' object cannot be converted to 'dict'");
    });
    expect_balanced(obj, [&] {
        EXPECT_PY_ERROR((void)py::Owned<py::Any>(obj).downcast<py::Dict>(), py::TypeError,
                        "'list' object cannot be converted to 'dict'");
    });
    auto number = py::eval(py, "int('1' * 31)");
    EXPECT_PY_ERROR((void)number.downcast<py::Sequence>(), py::TypeError,
                    "'int' object cannot be converted to 'Sequence'");
    EXPECT_PY_ERROR((void)number.downcast<py::Str>(), py::TypeError, "'int' object cannot be converted to 'str'");
}

PYOWNED_TEST(Handles, DowncastSubclassInstances) {
    auto err = py::eval(py, "KeyError('k')");
    EXPECT_TRUE(err.try_downcast<py::LookupError>().has_value());
    EXPECT_TRUE(err.try_downcast<py::BaseException>().has_value());
    EXPECT_PY_ERROR((void)err.downcast<py::IndexError>(), py::TypeError,
                    "'KeyError' object cannot be converted to 'IndexError'");
    auto flag = py::eval(py, "True");
    EXPECT_TRUE(flag.try_downcast<py::Int>().has_value());  // bool is an int
    EXPECT_FALSE(py::eval(py, "1").try_downcast<py::Bool>().has_value());
}

PYOWNED_TEST(Handles, SequenceAndMappingAreAbcChecks) {
    // isinstance of collections.abc, not PyMapping_Check (which says yes for a list)
    auto list = py::eval(py, "[1]");
    EXPECT_FALSE(list.try_downcast<py::Mapping>().has_value());
    EXPECT_PY_ERROR((void)list.downcast<py::Mapping>(), py::TypeError,
                    "'list' object cannot be converted to 'Mapping'");
    EXPECT_FALSE(py::eval(py, "{}").try_downcast<py::Sequence>().has_value());
    EXPECT_FALSE(py::eval(py, "{1}").try_downcast<py::Sequence>().has_value());
    EXPECT_TRUE(py::eval(py, "'abc'").try_downcast<py::Sequence>().has_value());
    EXPECT_TRUE(py::eval(py, "range(3)").try_downcast<py::Sequence>().has_value());
    EXPECT_TRUE(py::eval(py, "__import__('types').MappingProxyType({})").try_downcast<py::Mapping>().has_value());
    EXPECT_TRUE(py::eval(py, "__import__('collections').OrderedDict()").try_downcast<py::Mapping>().has_value());
    EXPECT_TRUE(py::eval(py, "__import__('collections').UserList()").try_downcast<py::Sequence>().has_value());
    EXPECT_FALSE(PyErr_Occurred());
}

PYOWNED_TEST(Handles, TryDowncastLvalue) {
    py::Owned<py::Any> obj = py::Dict::empty(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    expect_balanced(obj, [&] {
        auto dict = obj.try_downcast<py::Dict>();
        static_assert(std::is_same_v<decltype(dict), std::optional<py::Borrowed<py::Dict>>>);
        ASSERT_TRUE(dict.has_value());
        EXPECT_TRUE(dict->is(obj));
        EXPECT_EQ(pyowned_test::refcnt(obj), base);
        EXPECT_FALSE(obj.try_downcast<py::List>().has_value());
        EXPECT_FALSE(PyErr_Occurred());
    });
}

PYOWNED_TEST(Handles, TryDowncastTemporary) {
    py::Owned<py::Any> obj = py::Dict::empty(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    expect_balanced(obj, [&] {
        auto dict = py::Owned<py::Any>(obj).try_downcast<py::Dict>();
        static_assert(std::is_same_v<decltype(dict), std::optional<py::Owned<py::Dict>>>);
        ASSERT_TRUE(dict.has_value());
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
        auto miss = py::Owned<py::Any>(obj).try_downcast<py::List>();
        EXPECT_FALSE(miss.has_value());
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);  // the failed attempt released its copy
    });
}

PYOWNED_TEST(Handles, DowncastInto) {
    py::Owned<py::Any> obj = py::Dict::empty(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    expect_balanced(obj, [&] {
        py::Owned<py::Any> copy = obj;
        auto dict = std::move(copy).downcast_into<py::Dict>();
        static_assert(std::is_same_v<decltype(dict), py::Owned<py::Dict>>);
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
        EXPECT_EQ(copy.ptr(), nullptr);  // NOLINT(bugprone-use-after-move)
    });
}

PYOWNED_TEST(Handles, DowncastIntoFailureKeepsOriginal) {
    py::Owned<py::Any> obj = py::Dict::empty(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    expect_balanced(obj, [&] {
        py::Owned<py::Any> copy = obj;
        EXPECT_PY_ERROR((void)std::move(copy).downcast_into<py::List>(), py::TypeError,
                        "'dict' object cannot be converted to 'list'");
        // nothing was consumed: the handle still owns its reference
        EXPECT_EQ(copy.ptr(), obj.ptr());  // NOLINT(bugprone-use-after-move)
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
    });
}

PYOWNED_TEST(Handles, CastUnchecked) {
    py::Owned<py::Any> obj = py::List::empty(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    expect_balanced(obj, [&] {
        auto view = obj.cast_unchecked<py::List>();
        static_assert(std::is_same_v<decltype(view), py::Borrowed<py::List>>);
        EXPECT_EQ(pyowned_test::refcnt(obj), base);
        auto owner = py::Owned<py::Any>(obj).cast_unchecked<py::List>();
        static_assert(std::is_same_v<decltype(owner), py::Owned<py::List>>);
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
        owner.append(1);
        view.append(2);
    });
    EXPECT_EQ(obj.len(), 2 * kReps);
}

// --- raw pointers -------------------------------------------------------------------------------

PYOWNED_TEST(Handles, FromBorrowedPtrIncrefs) {
    auto obj = pyowned_test::fresh_object(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    expect_balanced(obj, [&] {
        auto owner = py::Owned<py::Any>::from_borrowed_ptr(py, obj.ptr());
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
    });
}

PYOWNED_TEST(Handles, IntoPtrThenFromOwnedPtr) {
    auto obj = pyowned_test::fresh_object(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    expect_balanced(obj, [&] {
        py::Owned<py::Any> copy = obj;
        PyObject* raw = std::move(copy).into_ptr();  // the reference is given away ...
        EXPECT_EQ(raw, obj.ptr());
        EXPECT_EQ(copy.ptr(), nullptr);  // NOLINT(bugprone-use-after-move)
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
        auto owner = py::Owned<py::Any>::from_owned_ptr(py, raw);  // ... and taken back, no incref
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
    });
}

// --- copy, move and assignment of Owned ---------------------------------------------------------

PYOWNED_TEST(Handles, OwnedCopyIncrefs) {
    auto obj = pyowned_test::fresh_object(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    expect_balanced(obj, [&] {
        py::Owned<py::Any> a = obj;
        py::Owned<py::Any> b = a;
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 2);
    });
}

PYOWNED_TEST(Handles, OwnedMoveSteals) {
    auto obj = pyowned_test::fresh_object(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    expect_balanced(obj, [&] {
        py::Owned<py::Any> a = obj;
        py::Owned<py::Any> b = std::move(a);
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
        EXPECT_EQ(a.ptr(), nullptr);  // NOLINT(bugprone-use-after-move)
    });
}

PYOWNED_TEST(Handles, OwnedCopyAssign) {
    auto x = pyowned_test::fresh_object(py);
    auto y = pyowned_test::fresh_object(py);
    Py_ssize_t x_base = pyowned_test::refcnt(x), y_base = pyowned_test::refcnt(y);
    expect_balanced(x, [&] {
        py::Owned<py::Any> a = x;
        py::Owned<py::Any> b = y;
        a = b;  // x -1, y +1
        EXPECT_EQ(pyowned_test::refcnt(x), x_base);
        EXPECT_EQ(pyowned_test::refcnt(y), y_base + 2);
        EXPECT_TRUE(a.is(y));
    });
    EXPECT_EQ(pyowned_test::refcnt(y), y_base);
}

PYOWNED_TEST(Handles, OwnedMoveAssign) {
    auto x = pyowned_test::fresh_object(py);
    auto y = pyowned_test::fresh_object(py);
    Py_ssize_t x_base = pyowned_test::refcnt(x), y_base = pyowned_test::refcnt(y);
    expect_balanced(x, [&] {
        py::Owned<py::Any> a = x;
        py::Owned<py::Any> b = y;
        a = std::move(b);  // x -1, y unchanged
        EXPECT_EQ(pyowned_test::refcnt(x), x_base);
        EXPECT_EQ(pyowned_test::refcnt(y), y_base + 1);
        EXPECT_TRUE(a.is(y));
        EXPECT_EQ(b.ptr(), nullptr);  // NOLINT(bugprone-use-after-move)
    });
    EXPECT_EQ(pyowned_test::refcnt(y), y_base);
}

PYOWNED_TEST(Handles, OwnedSelfAssign) {
    auto obj = pyowned_test::fresh_object(py);
    Py_ssize_t base = pyowned_test::refcnt(obj);
    expect_balanced(obj, [&] {
        py::Owned<py::Any> a = obj;
        py::Owned<py::Any>& alias = a;  // through an alias: the compilers warn on `a = a`
        a = alias;
        EXPECT_TRUE(a.is(obj));
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
        a = std::move(alias);  // self-move keeps the reference (and never leaks it)
        EXPECT_TRUE(a.is(obj));
        EXPECT_EQ(pyowned_test::refcnt(obj), base + 1);
    });
}

PYOWNED_TEST(Handles, OwnedSelfAssignSoleOwner) {
    // The handle holds the only reference: a self-assignment that dropped before taking would free it.
    auto ns = py::Dict::empty(py);
    py::run(py, "import weakref\nclass C: pass\nref = None\n", ns);
    for (int i = 0; i < 100; ++i) {
        py::Owned<py::Any> a = ns.get_item("C").call();
        ns.set_item("ref", py::import(py, "weakref").call_method("ref", a));
        ASSERT_EQ(pyowned_test::refcnt(a), 1);
        py::Owned<py::Any>& alias = a;
        a = alias;
        a = std::move(alias);
        EXPECT_EQ(pyowned_test::refcnt(a), 1);
        EXPECT_TRUE(py::eval(py, "ref() is not None", ns).is_truthy());
    }
    EXPECT_TRUE(py::eval(py, "ref() is None", ns).is_truthy());
}

PYOWNED_TEST(Handles, MovedFromIsReusable) {
    auto x = pyowned_test::fresh_object(py);
    auto y = pyowned_test::fresh_object(py);
    Py_ssize_t x_base = pyowned_test::refcnt(x), y_base = pyowned_test::refcnt(y);
    expect_balanced(x, [&] {
        py::Owned<py::Any> a = x;
        py::Owned<py::Any> b = std::move(a);
        a = y;  // assigning into a moved-from handle
        py::Owned<py::Any> c = std::move(a);
        py::Owned<py::Any> d = std::move(a);  // moving a moved-from handle: still empty
        EXPECT_EQ(d.ptr(), nullptr);
        EXPECT_EQ(pyowned_test::refcnt(x), x_base + 1);
        EXPECT_EQ(pyowned_test::refcnt(y), y_base + 1);
        py::Py<py::Any> p = py::Owned<py::Any>(y).unbind();
        py::Py<py::Any> q = std::move(p);
        py::Py<py::Any> r = std::move(p);  // NOLINT(bugprone-use-after-move)
        EXPECT_EQ(r.ptr(), nullptr);
    });  // every moved-from a, d, p, r is destroyed here
    EXPECT_EQ(pyowned_test::refcnt(y), y_base);
}

PYOWNED_TEST(Handles, OwnedSwap) {
    auto x = pyowned_test::fresh_object(py);
    auto y = pyowned_test::fresh_object(py);
    expect_balanced(x, [&] {
        py::Owned<py::Any> a = x, b = y;
        a.swap(b);
        EXPECT_TRUE(a.is(y));
        EXPECT_TRUE(b.is(x));
    });
}

PYOWNED_TEST(Handles, OwnedKeepsObjectAlive) {
    // The handle alone keeps an object alive: dropping the last Python reference frees nothing.
    auto ns = py::Dict::empty(py);
    py::run(py, "import weakref\nclass C: pass\nobj = C()\nref = weakref.ref(obj)\n", ns);
    py::Owned<py::Any> held = ns.get_item("obj");
    ns.del_item("obj");
    EXPECT_FALSE(py::eval(py, "ref() is None", ns).is_truthy());
    {
        py::Py<py::Any> stored = std::move(held).unbind();
        EXPECT_FALSE(py::eval(py, "ref() is None", ns).is_truthy());
    }
    EXPECT_TRUE(py::eval(py, "ref() is None", ns).is_truthy());
}
