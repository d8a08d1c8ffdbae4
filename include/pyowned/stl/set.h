// std::set, std::unordered_set: from set or frozenset (converting pass: other iterables); into set.
#pragma once
#include "common.h"
#include <set>
#include <unordered_set>

namespace pyowned {

namespace detail {

// Whether the converting pass may take `o` as a set's items: an iterable that is not text
// and not a mapping (whose iteration would silently give only its keys). -1: error set.
inline int iterable_for_set(PyObject* o) noexcept {
    if (is_text(o) || PyDict_Check(o)) return 0;
    if (!detail::api::has_iter(Py_TYPE(o)) && !PySequence_Check(o)) return 0;
    int mapping = Mapping::check(o);
    return mapping < 0 ? -1 : !mapping;
}

template <class S, class T>
std::optional<S> set_from_python(PyObject* o, bool convert) {
    if (!PyAnySet_Check(o) && (!convert || iterable_for_set(o) != 1)) return std::nullopt;  // -1 keeps its error
    S out;
    if constexpr (requires { out.reserve(std::size_t{}); })
        if (PyAnySet_Check(o)) out.reserve(static_cast<std::size_t>(detail::api::set_size(o)));
    bool ok = for_each_iterated(o, [&](PyObject* item) {
        std::optional<T> value = item_from_python<T>(item, convert);
        if (!value) return false;
        out.insert(std::move(*value));
        return true;
    });
    if (!ok) return std::nullopt;
    return out;
}

template <class S, class T>
struct SetFromPython {
    static constexpr std::string_view name = generic_name<"set[", ", ", "]", T>::value;
    static constexpr Views views = views_of_items<T>;
    static std::optional<S> from_python(Borrowed<Any> obj, bool convert) {
        return set_from_python<S, T>(obj.ptr(), convert);
    }
};

template <class S>
struct SetIntoPython {
    template <class U>
        requires std::same_as<std::remove_cvref_t<U>, S>
    static Owned<Set> into_python(Python py, U&& set) {
        return Set::from(py, std::forward<U>(set));
    }
};

}  // namespace detail

template <class T, class C, class A>
struct FromPython<std::set<T, C, A>> : detail::SetFromPython<std::set<T, C, A>, T> {};
template <class T, class H, class E, class A>
struct FromPython<std::unordered_set<T, H, E, A>> : detail::SetFromPython<std::unordered_set<T, H, E, A>, T> {};

template <class T, class C, class A>
struct IntoPython<std::set<T, C, A>> : detail::SetIntoPython<std::set<T, C, A>> {};
template <class T, class H, class E, class A>
struct IntoPython<std::unordered_set<T, H, E, A>> : detail::SetIntoPython<std::unordered_set<T, H, E, A>> {};

}  // namespace pyowned
