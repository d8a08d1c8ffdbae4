// std::map, std::unordered_map: from dict or any collections.abc.Mapping; into dict.
#pragma once
#include "common.h"
#include <map>
#include <unordered_map>

namespace pyowned {

namespace detail {

template <class M, class K, class V>
std::optional<M> map_from_python(PyObject* o, bool convert) {
    M out;
    auto add = [&](PyObject* key, PyObject* value) {
        std::optional<K> k = item_from_python<K>(key, convert);
        if (!k) return false;
        std::optional<V> v = item_from_python<V>(value, convert);
        if (!v) return false;
        out.emplace(std::move(*k), std::move(*v));
        return true;
    };
    if (PyDict_Check(o)) {
        Py_ssize_t pos = 0, size = detail::api::dict_size(o);
        if constexpr (requires { out.reserve(std::size_t{}); }) out.reserve(static_cast<std::size_t>(size));
        for (;;) {
            // PyDict_Next lends its references; converting may run Python code that changes
            // the dict, so both are held strongly while they are converted. Free-threaded,
            // each step is taken under the dict's critical section (another thread may be
            // writing to it), as CPython's docs require of PyDict_Next there.
            PyObject *key = nullptr, *value = nullptr;
            bool more = false;
            Py_BEGIN_CRITICAL_SECTION(o);
            if (PyDict_Next(o, &pos, &key, &value)) {
                Py_INCREF(key);
                Py_INCREF(value);
                more = true;
            }
            Py_END_CRITICAL_SECTION();
            if (!more) return out;
            Owned<Any> k = Owned<Any>::from_owned_ptr(token(), key);
            Owned<Any> v = Owned<Any>::from_owned_ptr(token(), value);
            if (!add(key, value)) return std::nullopt;
            if (PYOWNED_UNLIKELY(detail::api::dict_size(o) != size)) {
                PyErr_SetString(PyExc_RuntimeError, "dictionary changed size during iteration");
                return std::nullopt;
            }
        }
    }
    if (is_text(o) || PyList_Check(o) || PyTuple_Check(o)) return std::nullopt;
    if (Mapping::check(o) != 1) return std::nullopt;  // 0: not a mapping; -1: its error stays set
    PyObject* items = PyMapping_Items(o);             // a new list, of (key, value) tuples if items() behaves
    if (!items) return std::nullopt;
    Owned<Any> holder = Owned<Any>::from_owned_ptr(token(), items);
    bool ok = for_each_fast_item(items, [&](PyObject* pair) {
        if (!PyTuple_Check(pair) || detail::api::tuple_size(pair) != 2) {
            PyErr_Format(PyExc_TypeError, "%.200s.items() must give (key, value) pairs",
                         detail::api::type_name_of(o).c_str());
            return false;
        }
        return add(detail::api::tuple_item(pair, 0), detail::api::tuple_item(pair, 1));
    });
    if (!ok) return std::nullopt;
    return out;
}

template <class M, class K, class V>
struct MapFromPython {
    static constexpr std::string_view name = generic_name<"dict[", ", ", "]", K, V>::value;
    static constexpr Views views = views_of_items<K, V>;
    static std::optional<M> from_python(Borrowed<Any> obj, bool convert) {
        return map_from_python<M, K, V>(obj.ptr(), convert);
    }
};

// Keys and values are moved out of an rvalue map (keys as const rvalues: a map's keys are const).
template <class M>
struct MapIntoPython {
    template <class U>
        requires std::same_as<std::remove_cvref_t<U>, M>
    static Owned<Dict> into_python(Python py, U&& map) {
        return Dict::from(py, std::forward<U>(map));
    }
};

}  // namespace detail

template <class K, class V, class C, class A>
struct FromPython<std::map<K, V, C, A>> : detail::MapFromPython<std::map<K, V, C, A>, K, V> {};
template <class K, class V, class H, class E, class A>
struct FromPython<std::unordered_map<K, V, H, E, A>> : detail::MapFromPython<std::unordered_map<K, V, H, E, A>, K, V> {
};

template <class K, class V, class C, class A>
struct IntoPython<std::map<K, V, C, A>> : detail::MapIntoPython<std::map<K, V, C, A>> {};
template <class K, class V, class H, class E, class A>
struct IntoPython<std::unordered_map<K, V, H, E, A>> : detail::MapIntoPython<std::unordered_map<K, V, H, E, A>> {};

}  // namespace pyowned
