// std::pair, std::tuple: from a tuple or any other sequence of exactly that length; into tuple.
#pragma once
#include "common.h"
#include <tuple>
#include <utility>

namespace pyowned {

namespace detail {

// Out from a tuple, or from any other sequence std::vector accepts (a list, a range, a
// class with __len__ and __getitem__; not str, bytes or a mapping) of the right length.
template <class Out, class... Ts>
std::optional<Out> tuple_from_python(PyObject* o, bool convert) {
    std::optional<Owned<Any>> items, snapshot;
    if (!PyTuple_Check(o)) {
        PyObject* seq = sequence_items(o, items);  // nullptr: not a sequence, or its error set
        if (!seq || detail::api::fast_size(seq) != static_cast<Py_ssize_t>(sizeof...(Ts))) return std::nullopt;
        // a tuple of the items: converting them may run code that changes a list
        PyObject* copy = PySequence_Tuple(seq);
        if (!copy) return std::nullopt;
        snapshot.emplace(Owned<Any>::from_owned_ptr(token(), copy));
        o = copy;
    }
    if (detail::api::tuple_size(o) != static_cast<Py_ssize_t>(sizeof...(Ts))) return std::nullopt;
    return [&]<std::size_t... I>(std::index_sequence<I...>) -> std::optional<Out> {
        std::tuple<std::optional<Ts>...> items;
        bool ok = true;
        // in order, stopping at the first item that does not convert
        ((ok = ok && (std::get<I>(items) = item_from_python<Ts>(detail::api::tuple_item(o, I), convert)).has_value()),
         ...);
        if (!ok) return std::nullopt;
        return Out(std::move(*std::get<I>(items))...);
    }(std::index_sequence_for<Ts...>{});
}

// A tuple of the elements of a std::tuple or std::pair, moved out of an rvalue.
template <class Tup>
Owned<Tuple> tuple_into_python(Python py, Tup&& values) {
    constexpr std::size_t n = std::tuple_size_v<std::remove_cvref_t<Tup>>;
    auto out = steal_or_throw<Owned<Tuple>>(PyTuple_New(static_cast<Py_ssize_t>(n)));
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        // PyTuple_SET_ITEM steals each new reference; a throw midway leaves NULL slots,
        // which the tuple's deallocation skips.
        (detail::api::tuple_init(out.ptr(), I, into_py(py, std::get<I>(std::forward<Tup>(values))).into_ptr()), ...);
    }(std::make_index_sequence<n>{});
    return out;
}

}  // namespace detail

template <class... Ts>
struct FromPython<std::tuple<Ts...>> {
    static constexpr std::string_view name = detail::generic_name<"tuple[", ", ", "]", Ts...>::value;
    static constexpr Views views = detail::views_of_items<Ts...>;
    static std::optional<std::tuple<Ts...>> from_python(Borrowed<Any> obj, bool convert) {
        return detail::tuple_from_python<std::tuple<Ts...>, Ts...>(obj.ptr(), convert);
    }
};

template <class A, class B>
struct FromPython<std::pair<A, B>> {
    static constexpr std::string_view name = detail::generic_name<"tuple[", ", ", "]", A, B>::value;
    static constexpr Views views = detail::views_of_items<A, B>;
    static std::optional<std::pair<A, B>> from_python(Borrowed<Any> obj, bool convert) {
        return detail::tuple_from_python<std::pair<A, B>, A, B>(obj.ptr(), convert);
    }
};

template <class... Ts>
struct IntoPython<std::tuple<Ts...>> {
    template <class U>
        requires std::same_as<std::remove_cvref_t<U>, std::tuple<Ts...>>
    static Owned<Tuple> into_python(Python py, U&& values) {
        return detail::tuple_into_python(py, std::forward<U>(values));
    }
};

template <class A, class B>
struct IntoPython<std::pair<A, B>> {
    template <class U>
        requires std::same_as<std::remove_cvref_t<U>, std::pair<A, B>>
    static Owned<Tuple> into_python(Python py, U&& values) {
        return detail::tuple_into_python(py, std::forward<U>(values));
    }
};

}  // namespace pyowned
