// Calling Python from C++: py::arg keywords, argument holding, and the vectorcall itself.
#pragma once
#include "../convert/traits.h"
#include "error.h"
#include "expand.h"
#include "intern.h"
#include "kwnames.h"
#include <cstddef>
#include <optional>
#include <ranges>
#include <tuple>
#include <utility>

namespace pyowned {

template <class V>
struct KwArg;

// A keyword argument name: `py::arg("k") = v` in a call, or a parameter name in a signature.
// The name is a C string (interned once, found again by its address and text) or a str
// handle, used as it is: `py::arg(k) = v` with `auto k = py::intern(py, "k")` made before a
// hot loop skips even that lookup. The handle must outlive the call.
struct arg {
    const char* name = nullptr;
    PyObject* str = nullptr;
    bool no_convert = false, takes_none = false;
    constexpr explicit arg(const char* n) noexcept : name(n) {}
    template <class H>
        requires(detail::is_handle_v<H> && SubtypeOf<typename std::remove_cvref_t<H>::tag, Str>)
    explicit arg(const H& s) noexcept : str(s.ptr()) {}
    // In a def(): the parameter takes only what converts without an implicit conversion (no
    // int for a float parameter), in every pass of overload resolution.
    [[nodiscard]] constexpr arg noconvert(bool on = true) const noexcept {
        arg a = *this;
        a.no_convert = on;
        return a;
    }
    // In a def(): the parameter accepts None. Only a parameter that can hold None may say so:
    // a pointer (nullptr), std::optional<T> (nullopt), a handle of Any; a typed handle
    // (py::Borrowed<py::List>) cannot, so that its operations never meet None: take
    // std::optional<py::Borrowed<py::List>>. Saying it of another is an error at definition.
    [[nodiscard]] constexpr arg none(bool on = true) const noexcept {
        arg a = *this;
        a.takes_none = on;
        return a;
    }
    // Holds a reference to `value`: use it within the full expression (a call or a def).
    template <class V>
    constexpr KwArg<V&&> operator=(V&& value) const noexcept {
        return {name, str, std::forward<V>(value), no_convert, takes_none};
    }
};

template <class V>
struct KwArg {
    const char* name;
    PyObject* str;
    V value;
    bool no_convert = false, takes_none = false;  // a def()'s parameter: see arg::noconvert, arg::none
};

namespace detail {

template <class T>
struct is_kwarg : std::false_type {};
template <class V>
struct is_kwarg<KwArg<V>> : std::true_type {};
template <class T>
inline constexpr bool is_kwarg_v = is_kwarg<std::remove_cvref_t<T>>::value;

// A handle argument is passed as it is: borrowed for the call, no refcount traffic.
struct BorrowedSlot {
    PyObject* p;
    PyObject* ptr() const noexcept { return p; }
};

// An element of range R, moved when R is an rvalue (the range is being consumed). A proxy
// element (std::vector<bool>'s bit reference) becomes the range's value type.
template <class R, class E>
constexpr decltype(auto) forward_element(E&& element) noexcept {
    using Value = std::ranges::range_value_t<R>;
    if constexpr (!std::is_reference_v<std::ranges::range_reference_t<R>>) return static_cast<Value>(element);
    else if constexpr (std::is_lvalue_reference_v<R>) return static_cast<std::remove_reference_t<E>&>(element);
    else return std::move(element);
}

template <class V>
auto hold(Python py, V&& value) {
    if constexpr (is_handle_v<V>) return BorrowedSlot{value.ptr()};
    else return into_py(py, std::forward<V>(value));
}

template <class V>
struct KwSlot {
    const char* name;
    PyObject* str;
    decltype(hold(std::declval<Python>(), std::declval<V>())) value;
    PyObject* ptr() const noexcept { return value.ptr(); }
    NameRef name_ref() const noexcept { return str ? NameRef{str, false} : intern_table.get(name); }
    // Whether name_ref()'s str is interned: the intern table's are; a str given by the
    // caller is asked (the limited API cannot ask: taken as not).
    bool interned(PyObject* ref) const noexcept {
#if PYOWNED_LIMITED
        return !str && ref;
#else
        return ref && PyUnicode_CHECK_INTERNED(ref);
#endif
    }
};

template <class A>
auto hold_arg(Python py, A&& a) {
    if constexpr (is_kwarg_v<A>) {
        using V = decltype(a.value);
        return KwSlot<V>{a.name, a.str, hold(py, std::forward<V>(a.value))};
    } else {
        return hold(py, std::forward<A>(a));
    }
}

template <class... A>
constexpr bool keywords_last() {
    constexpr bool kw[] = {(is_kwarg_v<A> || is_star_star_v<A>)..., false};
    bool seen = false;
    for (std::size_t i = 0; i < sizeof...(A); ++i) {
        if (kw[i]) seen = true;
        else if (seen) return false;
    }
    return true;
}

// One argument of a call with expansions, added to what it collects. False with an error set.
template <class A>
bool add_expanded(Python py, ExpandedCall& call, A&& a) {
    if constexpr (is_star_v<A>) {
        auto v = hold(py, std::forward<decltype(a.value)>(a.value));
        return call.add_star(v.ptr());
    } else if constexpr (is_star_star_v<A>) {
        auto v = hold(py, std::forward<decltype(a.value)>(a.value));
        return call.add_star_star(v.ptr());
    } else if constexpr (is_kwarg_v<A>) {
        auto slot = hold_arg(py, std::forward<A>(a));
        NameRef name = slot.name_ref();
        return name.get() && call.add_keyword(name.get(), slot.ptr());
    } else {
        auto v = hold(py, std::forward<A>(a));
        return PyList_Append(call.positional, v.ptr()) == 0;
    }
}

// A call with py::star / py::star_star among its arguments: the positional arguments
// collected in a tuple and the keywords in a dict, as Python does for f(*a, **k).
template <class... A>
PyObject* call_expanded(Python py, PyObject* callable_or_self, PyObject* method_name, A&&... args) {
    Owned<Any> callable = method_name ? steal_or_throw<Owned<Any>>(PyObject_GetAttr(callable_or_self, method_name))
                                      : Owned<Any>::from_borrowed_ptr(py, callable_or_self);
    auto positional = steal_or_throw<Owned<Any>>(PyList_New(0));
    auto keywords = steal_or_throw<Owned<Any>>(PyDict_New());
    ExpandedCall call{callable.ptr(), positional.ptr(), keywords.ptr()};
    if (!(add_expanded(py, call, std::forward<A>(args)) && ...)) return nullptr;
    auto tuple = steal_or_throw<Owned<Any>>(PyList_AsTuple(positional.ptr()));
    return PyObject_Call(callable.ptr(), tuple.ptr(),
                         detail::api::dict_size(keywords.ptr()) ? keywords.ptr() : nullptr);
}

template <class... A>
PyObject* vectorcall_direct(Python py, PyObject* callable_or_self, PyObject* method_name, A&&... args);

// Calls `callable(args...)`, or `self.<name>(args...)` when `name` is given. Returns a new
// reference, or nullptr with a Python error set. Converting an argument may throw py::Error.
template <class... A>
PyObject* vectorcall(Python py, PyObject* callable_or_self, PyObject* method_name, A&&... args) {
    static_assert(keywords_last<A...>(),
                  "keyword arguments (py::arg(\"k\") = v, py::star_star(m)) must follow positional ones");
    if constexpr ((is_expansion_v<A> || ...)) {
        return call_expanded(py, callable_or_self, method_name, std::forward<A>(args)...);
    } else {
        return vectorcall_direct(py, callable_or_self, method_name, std::forward<A>(args)...);
    }
}

// vectorcall without expansions: the arguments in a stack array, the keywords' names in a
// tuple shared between calls.
template <class... A>
PyObject* vectorcall_direct(Python py, PyObject* callable_or_self, PyObject* method_name, A&&... args) {
    constexpr std::size_t n = sizeof...(A);
    constexpr std::size_t nkw = (std::size_t{0} + ... + (is_kwarg_v<A> ? 1 : 0));
    constexpr std::size_t npos = n - nkw;
    std::tuple<decltype(hold_arg(py, std::forward<A>(args)))...> held{hold_arg(py, std::forward<A>(args))...};
    PyObject* stack[n + 1];
    stack[0] = callable_or_self;  // the self slot of a method call; scratch space otherwise
    PyObject* kwnames = nullptr;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((stack[I + 1] = std::get<I>(held).ptr()), ...);
    }(std::make_index_sequence<n>{});
    bool own_kwnames = false;
    if constexpr (nkw > 0) {
        // The names' interned strs (each NameRef keeps any the intern table did not), then
        // their tuple: from the table when every name is interned (the tuple keeps them
        // alive, so their identity stays theirs), else a new one for this call.
        std::optional<NameRef> refs[nkw];
        PyObject* names[nkw];
        bool ok = true, interned = true;
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (([&] {
                 refs[I].emplace(std::get<npos + I>(held).name_ref());
                 names[I] = refs[I]->get();
                 ok = ok && names[I];
                 interned = interned && std::get<npos + I>(held).interned(names[I]);
             }()),
             ...);
        }(std::make_index_sequence<nkw>{});
        if (!ok) return nullptr;
        if (interned) {
            kwnames = kwnames_table.get(names, nkw, own_kwnames);
        } else {
            kwnames = KwnamesTable::make(names, nkw);
            own_kwnames = true;
        }
        if (!kwnames) return nullptr;
    }
    PyObject* result;
    if (method_name)
        result = PyObject_VectorcallMethod(method_name, stack, (npos + 1) | PY_VECTORCALL_ARGUMENTS_OFFSET, kwnames);
    else result = PyObject_Vectorcall(callable_or_self, stack + 1, npos | PY_VECTORCALL_ARGUMENTS_OFFSET, kwnames);
    if (own_kwnames) Py_DECREF(kwnames);
    return result;
}

}  // namespace detail
}  // namespace pyowned
