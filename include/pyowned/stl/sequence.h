// std::vector, std::array, std::deque, std::list: from any sequence but str/bytes/bytearray; into list.
#pragma once
#include "common.h"
#include <array>
#include <deque>
#include <list>
#include <vector>

namespace pyowned {

namespace detail {

// C (with push_back) from a sequence of T.
template <class C, class T>
std::optional<C> sequence_from_python(PyObject* o, bool convert) {
    std::optional<Owned<Any>> holder;
    PyObject* seq = sequence_items(o, holder);
    if (!seq) return std::nullopt;
    C out;
    if constexpr (requires { out.reserve(std::size_t{}); })
        out.reserve(static_cast<std::size_t>(detail::api::fast_size(seq)));
    bool ok = for_each_fast_item(seq, [&](PyObject* item) {
        std::optional<T> value = item_from_python<T>(item, convert);
        if (!value) return false;  // a mismatch (no error) or a failure (error set): the whole container's
        out.push_back(std::move(*value));
        return true;
    });
    if (!ok) return std::nullopt;
    return out;
}

// A new list of a C++ range's elements, moved out of the range when it is an rvalue.
template <class R>
Owned<List> list_from_range(Python py, R&& range) {
    using E = typename std::remove_cvref_t<R>::value_type;
    auto list = steal_or_throw<Owned<List>>(PyList_New(static_cast<Py_ssize_t>(std::size(range))));
    Py_ssize_t i = 0;
    for (auto&& item : range) {
        // PyList_SET_ITEM steals the new reference; a throw midway leaves NULL slots, which
        // the list's deallocation skips.
        if constexpr (std::is_same_v<E, bool>)  // std::vector<bool>'s proxy references
            detail::api::list_init(list.ptr(), i++, into_py(py, static_cast<bool>(item)).into_ptr());
        else detail::api::list_init(list.ptr(), i++, into_py(py, forward_element<R>(item)).into_ptr());
    }
    return list;
}

template <class C, class T>
struct SequenceFromPython {
    static constexpr std::string_view name = generic_name<"list[", ", ", "]", T>::value;
    static constexpr Views views = views_of_items<T>;
    static std::optional<C> from_python(Borrowed<Any> obj, bool convert) {
        return sequence_from_python<C, T>(obj.ptr(), convert);
    }
};

template <class C>
struct SequenceIntoPython {
    template <class V>
        requires std::same_as<std::remove_cvref_t<V>, C>
    static Owned<List> into_python(Python py, V&& value) {
        return list_from_range(py, std::forward<V>(value));
    }
};

}  // namespace detail

template <class T, class A>
struct FromPython<std::vector<T, A>> : detail::SequenceFromPython<std::vector<T, A>, T> {};
template <class T, class A>
struct FromPython<std::deque<T, A>> : detail::SequenceFromPython<std::deque<T, A>, T> {};
template <class T, class A>
struct FromPython<std::list<T, A>> : detail::SequenceFromPython<std::list<T, A>, T> {};

template <class T, class A>
struct IntoPython<std::vector<T, A>> : detail::SequenceIntoPython<std::vector<T, A>> {};
template <class T, class A>
struct IntoPython<std::deque<T, A>> : detail::SequenceIntoPython<std::deque<T, A>> {};
template <class T, class A>
struct IntoPython<std::list<T, A>> : detail::SequenceIntoPython<std::list<T, A>> {};
template <class T, std::size_t N>
struct IntoPython<std::array<T, N>> : detail::SequenceIntoPython<std::array<T, N>> {};

// Exactly N items; another length is a mismatch. T need not be default-constructible.
template <class T, std::size_t N>
struct FromPython<std::array<T, N>> {
    static constexpr std::string_view name = detail::generic_name<"list[", ", ", "]", T>::value;
    static constexpr Views views = detail::views_of_items<T>;
    static std::optional<std::array<T, N>> from_python(Borrowed<Any> obj, bool convert) {
        std::optional<Owned<Any>> holder;
        PyObject* seq = detail::sequence_items(obj.ptr(), holder);
        if (!seq || detail::api::fast_size(seq) != static_cast<Py_ssize_t>(N)) return std::nullopt;
        std::array<std::optional<T>, N> items;
        std::size_t n = 0;
        bool ok = detail::for_each_fast_item(seq, [&](PyObject* item) {
            if (n == N) return true;
            items[n] = detail::item_from_python<T>(item, convert);
            return items[n++].has_value();
        });
        if (!ok) return std::nullopt;
        if (n != N || detail::api::fast_size(seq) != static_cast<Py_ssize_t>(N)) {
            PyErr_SetString(PyExc_RuntimeError, "list changed size during conversion");
            return std::nullopt;
        }
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            return std::array<T, N>{std::move(*items[I])...};
        }(std::make_index_sequence<N>{});
    }
};

}  // namespace pyowned
