// Handles to instances of bound classes from C++: make, get / get_mut borrows, upcasts and
// downcasts, conversions both ways, Py<T>::get of a frozen class without a token, empty Py.
#include "harness.h"

#include <memory>
#include <string>
#include <type_traits>

namespace {

struct Account {
    std::string owner;
    long long balance = 0;
    void deposit(long long n) { balance += n; }
};

struct Savings : Account {
    double rate = 0.01;
};

struct Color {
    int r = 0, g = 0, b = 0;
};

}  // namespace

template <>
inline constexpr bool pyowned::is_frozen<Color> = true;

namespace {

// The classes, bound once per interpreter run into a module of their own.
py::Borrowed<py::Module> bound_module(py::Python py) {
    static py::OnceCell<py::Py<py::Module>> module;
    const auto& m = module.get_or_init(py, [](py::Python py) {
        auto mod = py::import(py, "types").call_method("ModuleType", "cpp_classes").downcast_into<py::Module>();
        py::Class<Account>(mod, "Account")
            .def(py::init<std::string, long long>(), py::arg("owner"), py::arg("balance") = 0)
            .def_rw("balance", &Account::balance)
            .def("deposit", &Account::deposit, py::arg("n"));
        py::Class<Savings, Account>(mod, "Savings").def(py::init<>()).def_rw("rate", &Savings::rate);
        py::Class<Color>(mod, "Color", "An immutable color.", py::frozen)
            .def(py::init<int, int, int>())
            .def_ro("r", &Color::r);
        return std::move(mod).unbind();
    });
    return m.bind(py);
}

// Compile-time rules: a bound class is its own tag; upcasts are implicit, downcasts are not.
static_assert(py::TypeTag<Account>);
static_assert(std::is_convertible_v<py::Owned<Savings>, py::Owned<Account>>);
static_assert(std::is_convertible_v<py::Owned<Account>, py::Owned<py::Any>>);
static_assert(!std::is_convertible_v<py::Owned<Account>, py::Owned<Savings>>);
static_assert(!std::is_copy_constructible_v<py::Ref<Account>> && !std::is_move_constructible_v<py::Ref<Account>>,
              "a borrow guard may hold a critical section: it stays where it was made");
static_assert(!std::is_move_constructible_v<py::RefMut<Account>>);

PYOWNED_TEST(Classes, MakeAndBorrow) {
    bound_module(py);
    auto a = py::Owned<Account>::make(py, "ann", 10);
    a.get_mut()->deposit(5);
    EXPECT_EQ(a.get()->balance, 15);
    EXPECT_EQ(a.getattr("balance").extract<long long>(), 15);
    a.call_method("deposit", 1);
    EXPECT_EQ((*a.get()).balance, 16);
    EXPECT_EQ(a.type().getattr("__qualname__").extract<std::string>(), "Account");
}

PYOWNED_TEST(Classes, ConflictingBorrowsAreErrors) {
    bound_module(py);
    auto a = py::Owned<Account>::make(py, "bob", 1);
    {
        auto shared = a.get();
        auto again = a.get();  // two shared borrows are fine
        EXPECT_EQ(shared->balance, again->balance);
        EXPECT_PY_ERROR((void)a.get_mut(), py::RuntimeError, "Account is already borrowed");
        // Python code sees the same rule: a mutating method while C++ reads the object
        EXPECT_PY_ERROR(a.call_method("deposit", 1), py::RuntimeError, "already borrowed");
    }
    {
        auto exclusive = a.get_mut();
        EXPECT_PY_ERROR((void)a.get(), py::RuntimeError, "Account is already mutably borrowed");
        EXPECT_PY_ERROR((void)a.getattr("balance"), py::RuntimeError, "already mutably borrowed");
    }
    EXPECT_EQ(a.get()->balance, 1);  // every borrow ended with its guard
}

PYOWNED_TEST(Classes, UpcastsAndDowncasts) {
    bound_module(py);
    auto s = py::Owned<Savings>::make(py);
    py::Owned<Account> as_account = s;  // implicit: a Savings instance is an Account instance
    as_account.get_mut()->deposit(7);
    EXPECT_EQ(s.get()->balance, 7);
    py::Owned<py::Any> any = s;
    EXPECT_TRUE(any.is_instance<Account>());
    EXPECT_EQ(any.downcast<Savings>().get()->rate, 0.01);
    auto plain = py::Owned<Account>::make(py, "carl", 0);
    EXPECT_FALSE(py::Borrowed<py::Any>(plain).try_downcast<Savings>().has_value());
    EXPECT_PY_ERROR((void)py::Borrowed<py::Any>(plain).downcast<Savings>(), py::TypeError, "Savings");
    EXPECT_PY_ERROR((void)py::Int::from(py, 3).downcast<Account>(), py::TypeError, "Account");
}

PYOWNED_TEST(Classes, ConversionsBothWays) {
    bound_module(py);
    py::Owned<py::Any> obj = py::into_py(py, Account{"dana", 3});  // moved into a new instance
    EXPECT_EQ(obj.getattr("balance").extract<long long>(), 3);
    Account copy = obj.extract<Account>();
    EXPECT_EQ(copy.owner, "dana");
    py::Owned<py::Any> adopted = py::into_py(py, std::make_unique<Account>(Account{"eve", 9}));
    EXPECT_EQ(adopted.extract<Account>().balance, 9);
    EXPECT_PY_ERROR((void)py::Int::from(py, 1).extract<Account>(), py::TypeError, "Account");
}

PYOWNED_TEST(Classes, FrozenReadsWithoutToken) {
    bound_module(py);
    py::Py<Color> color = py::Owned<Color>::make(py, 1, 2, 3).unbind();
    const Color& c = color.get();  // no token: a frozen object never changes
    EXPECT_EQ(c.r + c.g + c.b, 6);
    py::Py<Color> moved = std::move(color);
    EXPECT_PY_ERROR((void)color.get(), py::ValueError, "empty");
    EXPECT_PY_ERROR((void)color.bind(py), py::ValueError, "empty");
    EXPECT_PY_ERROR((void)std::move(color).into_bound(py), py::ValueError, "empty");
    EXPECT_EQ(moved.get().b, 3);
}

PYOWNED_TEST(Classes, ReferenceCountsBalance) {
    bound_module(py);
    auto a = py::Owned<Account>::make(py, "fay", 0);
    const Py_ssize_t before = pyowned_test::refcnt(a);
    for (int i = 0; i < 1000; ++i) {
        py::Owned<Account> up = a;
        py::Borrowed<py::Any> view = up;
        (void)view.downcast<Account>().get()->balance;
        a.get_mut()->deposit(1);
        py::Py<Account> stored = py::Owned<Account>(a).unbind();
    }
    EXPECT_EQ(pyowned_test::refcnt(a), before);
    EXPECT_EQ(a.get()->balance, 1000);
}

}  // namespace
