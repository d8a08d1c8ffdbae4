// Shared pieces of the std conversions: compile-time type names, item conversion, cached classes.
// pyowned.h comes first and outside the guard: it includes stl/optional.h, which includes
// this file again and needs all of it, so a std header included before pyowned.h gets
// this file's body from that inner inclusion (a #pragma once would have skipped it there).
#include "../pyowned.h"
#ifndef PYOWNED_STL_COMMON_H
#define PYOWNED_STL_COMMON_H
#include "../convert/keep_alive.h"
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace pyowned::detail {

// A string literal usable as a template argument.
template <std::size_t N>
struct literal {
    char text[N]{};
    constexpr literal(const char (&s)[N]) noexcept {
        for (std::size_t i = 0; i < N; ++i) text[i] = s[i];
    }
    constexpr std::string_view view() const noexcept { return {text, N - 1}; }
};

// "<Open>a<Sep>b<Close>", made at compile time from the FromPython names of Ts:
// list[int], dict[str, float], int | None.
template <literal Open, literal Sep, literal Close, class... Ts>
struct generic_name {
    static constexpr std::size_t size = Open.view().size() + Close.view().size() +
                                        (std::size_t{0} + ... + python_name<Ts>().size()) +
                                        Sep.view().size() * (sizeof...(Ts) > 0 ? sizeof...(Ts) - 1 : 0);
    static constexpr std::array<char, size + 1> chars = [] {
        std::array<char, size + 1> out{};
        std::size_t n = 0, i = 0;
        auto put = [&](std::string_view s) {
            for (char c : s) out[n++] = c;
        };
        put(Open.view());
        ((put(i++ ? Sep.view() : std::string_view()), put(python_name<Ts>())), ...);
        put(Close.view());
        return out;
    }();
    static constexpr std::string_view value{chars.data(), size};
};

// str, bytes and bytearray: never taken as a container of characters or small ints.
PYOWNED_INLINE bool is_text(PyObject* o) noexcept {
    return PyUnicode_Check(o) || PyBytes_Check(o) || PyByteArray_Check(o);
}

// The items of a sequence as a list or tuple: `o` itself, or PySequence_Fast's new list
// (kept alive in `holder`). nullptr: not a sequence (no error), or iterating it failed
// (its error set). Mappings are refused, so a dict-like class never gives its keys.
inline PyObject* sequence_items(PyObject* o, std::optional<Owned<Any>>& holder) {
    if (PyList_Check(o) || PyTuple_Check(o)) return o;
    if (is_text(o) || PyDict_Check(o) || !PySequence_Check(o)) return nullptr;
    if (Mapping::check(o) != 0) return nullptr;                  // 1: a mapping; -1: its error stays set
    PyObject* fast = PySequence_Fast(o, "expected a sequence");  // a new reference (a list)
    if (!fast) return nullptr;
    holder.emplace(Owned<Any>::from_owned_ptr(token(), fast));
    return fast;
}

// T from one item of a container, with FromPython<T>'s three outcomes. The caller keeps
// `item` alive while it converts; when T views the item (std::string_view), the bound
// function's call keeps it alive until it returns (convert/keep_alive.h).
template <class T>
PYOWNED_INLINE std::optional<T> item_from_python(PyObject* item, bool convert) {
    if constexpr (views_of<T>() == Views::object)
        if (!KeepAlive::keep(item)) return std::nullopt;
    return from_python<T>(Borrowed<Any>::from_ptr(token(), item), convert);
}

// Calls add(item) for each item of a list or tuple until add returns false; returns
// whether every item was added.
template <class F>
bool for_each_fast_item(PyObject* seq, F&& add) {
    if (PyTuple_Check(seq)) {
        for (Py_ssize_t i = 0; i < detail::api::tuple_size(seq); ++i)
            if (!add(detail::api::tuple_item(seq, i))) return false;  // borrowed: a tuple's items never change
        return true;
    }
    // The size is re-read at each step and each item held by a strong reference: adding
    // an item may run Python code (__index__, __float__) that shrinks or changes the list.
#ifdef Py_GIL_DISABLED
    // Free-threaded: another thread may also shrink the list between the size test and the
    // read, so each item is taken with its reference in one step (as ListIterator does).
    for (Py_ssize_t i = 0;; ++i) {
        PyObject* next = PyList_GetItemRef(seq, i);
        if (!next) {
            PyErr_Clear();  // IndexError: past the end
            return true;
        }
        Owned<Any> item = Owned<Any>::from_owned_ptr(token(), next);
        if (!add(item.ptr())) return false;
    }
#else
    for (Py_ssize_t i = 0; i < detail::api::list_size(seq); ++i) {
        Owned<Any> item = Owned<Any>::from_borrowed_ptr(token(), detail::api::list_item(seq, i));
        if (!add(item.ptr())) return false;
    }
    return true;
#endif
}

// Calls add(item) for each item an iterator yields (until add returns false); false also
// when the iterator raised (its error stays set). Each item is a new reference, dropped
// after add.
template <class F>
bool for_each_iterated(PyObject* iterable, F&& add) {
    PyObject* it = PyObject_GetIter(iterable);
    if (!it) return false;
    Owned<Any> iterator = Owned<Any>::from_owned_ptr(token(), it);
    while (PyObject* next = PyIter_Next(it)) {
        Owned<Any> item = Owned<Any>::from_owned_ptr(token(), next);
        if (!add(next)) return false;
    }
    return !PyErr_Occurred();
}

// Whether type(o) has the attribute `name` (a special method such as __fspath__): 1 or 0,
// or -1 with an error set.
inline int type_has_attr(PyObject* o, const char* name) noexcept {
    NameRef interned = intern_table.get(name);
    if (!interned.get()) return -1;
    PyObject* found;
    int r = compat::get_optional_attr(reinterpret_cast<PyObject*>(Py_TYPE(o)), interned.get(), &found);
    Py_XDECREF(found);
    return r;
}

// `module.attr`, imported once per interpreter run and kept in `cache`; throws py::Error
// when the lookup fails (for IntoPython).
inline Borrowed<Any> cached_global_or_throw(RunCache& cache, const char* module, const char* attr) {
    PyObject* found = cache.import(module, attr);
    if (!found) throw_fetched();
    return Borrowed<Any>::from_ptr(token(), found);
}

}  // namespace pyowned::detail

#endif  // PYOWNED_STL_COMMON_H
