// The operations every handle has (Any): attributes, calls, items, comparisons, conversions, casts.
// Declarations here; the definitions are in any_impl.h, once errors and conversions exist.
#pragma once
#include "../core/name.h"
#include "../core/owned.h"
#include "../core/py.h"
#include <algorithm>
#include <optional>
#include <string_view>

namespace pyowned {

template <class T>
class Result;
template <class T>
struct FromPython;
template <class T>
concept Extractable = requires { sizeof(FromPython<std::remove_cvref_t<T>>); };

// What a value converted from Python may point into, instead of owning a copy. A
// FromPython specialization whose result is a view declares it as
//     static constexpr py::Views views = py::Views::object;
// (std::string_view and Borrowed<T> do); without that member a conversion is taken to copy.
enum class Views {
    none,    // the value owns everything it holds (std::string, int, Owned<T>)
    object,  // it views the converted object itself (std::string_view: the str's UTF-8)
    items,   // it views objects inside it (std::vector<std::string_view>: each item str)
};

namespace detail {

template <class T>
consteval Views views_of() {
    if constexpr (requires { FromPython<std::remove_cvref_t<T>>::views; })
        return FromPython<std::remove_cvref_t<T>>::views;
    else return Views::none;
}

// The `views` of a container of Ts: the items' views point into objects other than the
// container (its items, or temporaries made while converting it). Such a value is only
// safe while something keeps those items alive: a bound function's call does (KeepAlive);
// extract() cannot, and refuses it.
template <class... Ts>
inline constexpr Views views_of_items = ((views_of<Ts>() != Views::none) || ...) ? Views::items : Views::none;

// The `views` of std::optional and std::variant, converted from the object itself: their
// alternatives' strongest.
template <class... Ts>
inline constexpr Views views_of_alternatives = std::max({Views::none, views_of<Ts>()...});

template <class Self>
struct Methods<Any, Self> {
    PYOWNED_HANDLE_ALIASES;

    // --- attributes ---
    [[nodiscard]] Owned<Any> getattr(AttrName name) const;
    template <class V>
    void setattr(AttrName name, V&& value) const;
    void delattr(AttrName name) const;
    // Like Python's hasattr: false on AttributeError; other errors propagate.
    [[nodiscard]] bool hasattr(AttrName name) const;

    // --- calls; keyword arguments as py::arg("k") = v, after the positional ones ---
    template <class... A>
    Owned<Any> call(A&&... args) const;
    template <class... A>
    Owned<Any> operator()(A&&... args) const;
    // The result or the error, never thrown: for hot paths where failure is expected.
    template <class... A>
    Result<Owned<Any>> try_call(A&&... args) const;
    template <class... A>
    Owned<Any> call_method(AttrName name, A&&... args) const;

    // --- items (KeyError / IndexError as Python raises them) ---
    template <class K>
    [[nodiscard]] Owned<Any> get_item(K&& key) const;
    template <class K, class V>
    void set_item(K&& key, V&& value) const;
    template <class K>
    void del_item(K&& key) const;
    // Python's `value in self`.
    template <class V>
    [[nodiscard]] bool contains(V&& value) const;
    [[nodiscard]] Py_ssize_t len() const;
    [[nodiscard]] Owned<Iterator> iter() const;

    // --- text, hashing, identity, truth ---
    [[nodiscard]] Owned<Str> repr() const;
    [[nodiscard]] Owned<Str> str() const;
    [[nodiscard]] Py_hash_t hash() const;
    template <class H>
        requires is_handle_v<H>
    [[nodiscard]] bool is(const H& other) const noexcept {
        return ptr() == other.ptr();
    }
    [[nodiscard]] bool is_none() const noexcept { return ptr() == Py_None; }
    [[nodiscard]] bool is_truthy() const;

    // --- comparisons, as Python's operators (so NaN != NaN even for the same object) ---
    template <class V>
    [[nodiscard]] bool eq(V&& other) const {
        return compare(std::forward<V>(other), Py_EQ);
    }
    template <class V>
    [[nodiscard]] bool ne(V&& other) const {
        return compare(std::forward<V>(other), Py_NE);
    }
    template <class V>
    [[nodiscard]] bool lt(V&& other) const {
        return compare(std::forward<V>(other), Py_LT);
    }
    template <class V>
    [[nodiscard]] bool le(V&& other) const {
        return compare(std::forward<V>(other), Py_LE);
    }
    template <class V>
    [[nodiscard]] bool gt(V&& other) const {
        return compare(std::forward<V>(other), Py_GT);
    }
    template <class V>
    [[nodiscard]] bool ge(V&& other) const {
        return compare(std::forward<V>(other), Py_GE);
    }

    // --- arithmetic without a C++ operator (types/operators.h; the operators are there too) ---
    // Python's //, ** (with a modulus: pow(self, e, m)), @ and abs(); each returns the result
    // and throws py::Error (the TypeError Python words for unsupported operand types).
    template <class V>
    Owned<Any> floor_div(V&& other) const;
    template <class V>
    Owned<Any> pow(V&& exponent) const;
    template <class V, class M>
    Owned<Any> pow(V&& exponent, M&& modulus) const;
    template <class V>
    Owned<Any> matmul(V&& other) const;
    Owned<Any> abs() const;
    // The in-place forms (Python's `x += y` is x = x.iadd(y)): the result may be this object,
    // changed (a list), or a new one (an int, a tuple). Only Owned<Any> has `+=`, ..., which
    // rebind it; every handle has these.
    template <class V>
    Owned<Any> iadd(V&& other) const;
    template <class V>
    Owned<Any> isub(V&& other) const;
    template <class V>
    Owned<Any> imul(V&& other) const;
    template <class V>
    Owned<Any> itruediv(V&& other) const;
    template <class V>
    Owned<Any> ifloor_div(V&& other) const;
    template <class V>
    Owned<Any> imod(V&& other) const;
    template <class V>
    Owned<Any> ipow(V&& other) const;
    template <class V>
    Owned<Any> imatmul(V&& other) const;
    template <class V>
    Owned<Any> ilshift(V&& other) const;
    template <class V>
    Owned<Any> irshift(V&& other) const;
    template <class V>
    Owned<Any> iand(V&& other) const;
    template <class V>
    Owned<Any> ior(V&& other) const;
    template <class V>
    Owned<Any> ixor(V&& other) const;

    // --- types ---
    // isinstance(self, type); `type` may also be a tuple of types.
    template <class T>
    [[nodiscard]] bool is_instance(T&& type) const;
    // isinstance(self, <the tag's type>).
    template <TypeTag U>
    [[nodiscard]] bool is_instance() const;
    [[nodiscard]] Owned<Type> type() const;

    // --- conversion to C++ ---
    // The value as T; throws py::Error (TypeError when not convertible, or the conversion's own).
    // A T whose views point into the object's items (std::vector<std::string_view>) is
    // refused at compile time: nothing would keep those items alive.
    template <Extractable T>
    [[nodiscard]] std::remove_cvref_t<T> extract() const&;
    template <Extractable T>
        requires(is_owned_v<Self> && views_of<T>() == Views::object)
    std::remove_cvref_t<T> extract() const&& = delete;  // the view would dangle
    // The value as T, or std::nullopt when it does not convert (the error is cleared;
    // KeyboardInterrupt, SystemExit, MemoryError and RecursionError are thrown instead).
    template <Extractable T>
    [[nodiscard]] std::optional<std::remove_cvref_t<T>> try_extract() const&;
    template <Extractable T>
        requires(is_owned_v<Self> && views_of<T>() == Views::object)
    std::optional<std::remove_cvref_t<T>> try_extract() const&& = delete;  // the view would dangle

    // --- casts to a more specific tag ---
    // Checked (TypeError naming both types). From an lvalue: a view. From a temporary
    // Owned: an Owned, so the result never dangles.
    template <TypeTag U>
    [[nodiscard]] Borrowed<U> downcast() const& PYOWNED_LIFETIMEBOUND;
    template <TypeTag U>
    [[nodiscard]] auto downcast() &&;
    template <TypeTag U>
    [[nodiscard]] std::optional<Borrowed<U>> try_downcast() const& PYOWNED_LIFETIMEBOUND;
    template <TypeTag U>
    [[nodiscard]] auto try_downcast() &&;
    template <TypeTag U>
    [[nodiscard]] Owned<U> downcast_into() &&;
    // Unchecked: the caller knows the type.
    template <TypeTag U>
    [[nodiscard]] Borrowed<U> cast_unchecked() const& noexcept PYOWNED_LIFETIMEBOUND;
    template <TypeTag U>
    [[nodiscard]] auto cast_unchecked() && noexcept;

protected:
    const Self& self() const noexcept { return static_cast<const Self&>(*this); }
    PyObject* ptr() const noexcept { return self().ptr(); }

private:
    PyObject* take() noexcept;
    template <class U>
    void check_downcast() const;
    template <class U>
    bool try_check() const;
    template <class V>
    bool compare(V&& other, int op) const;
};

// A tag without operations of its own has its base tag's.
template <class Tag, class Self>
struct Methods : Methods<typename Tag::Base, Self> {};

}  // namespace detail
}  // namespace pyowned
