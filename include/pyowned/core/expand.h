// Argument expansion in calls from C++: py::star(seq) and py::star_star(mapping), Python's
// `f(1, *seq, k=2, **mapping)`, with Python's errors for each misuse.
#pragma once
#include "../convert/traits.h"
#include "../detail/compat.h"
#include <utility>

namespace pyowned {

template <class V>
struct Star {
    V value;
};
template <class V>
struct StarStar {
    V value;
};

// *value in a call: every item of an iterable, as positional arguments.
template <class V>
[[nodiscard]] constexpr Star<V&&> star(V&& value) noexcept {
    return {std::forward<V>(value)};
}
// **value in a call: every item of a mapping with str keys, as keyword arguments.
template <class V>
[[nodiscard]] constexpr StarStar<V&&> star_star(V&& value) noexcept {
    return {std::forward<V>(value)};
}

namespace detail {

template <class T>
struct is_star : std::false_type {};
template <class V>
struct is_star<Star<V>> : std::true_type {};
template <class T>
inline constexpr bool is_star_v = is_star<std::remove_cvref_t<T>>::value;
template <class T>
struct is_star_star : std::false_type {};
template <class V>
struct is_star_star<StarStar<V>> : std::true_type {};
template <class T>
inline constexpr bool is_star_star_v = is_star_star<std::remove_cvref_t<T>>::value;
template <class T>
inline constexpr bool is_expansion_v = is_star_v<T> || is_star_star_v<T>;

// An optional attribute by C name: 1 found (a new reference), 0 missing, -1 error set.
PYOWNED_CORE int optional_attr(PyObject* obj, const char* name, PyObject** result) noexcept;

// How CPython names a callable in its call errors ("mod.f()", "print()"), as its
// _PyObject_FunctionStr does: __qualname__, after __module__ unless that is builtins; str()
// of the callable without a __qualname__. A new reference, or nullptr with an error set.
PYOWNED_CORE PyObject* function_str(PyObject* callable) noexcept;

// Raises TypeError "<callable> <message>", the message made by PyUnicode_FromFormat (nullptr:
// its error is set already). Always leaves exactly one error set.
PYOWNED_CORE void raise_call_error(PyObject* callable, PyObject* message) noexcept;

// A call's collected arguments: a list of the positional ones, a dict of the keywords.
struct ExpandedCall {
    PyObject* callable;
    PyObject* positional;
    PyObject* keywords;

    bool add_keyword(PyObject* name, PyObject* value) noexcept {
        int present = PyDict_Contains(keywords, name);
        if (present < 0) return false;
        if (present) {
            // %U: the name is a str (any str: a lone surrogate too)
            raise_call_error(callable, PyUnicode_FromFormat("got multiple values for keyword argument '%U'", name));
            return false;
        }
        return PyDict_SetItem(keywords, name, value) == 0;
    }

    bool add_star(PyObject* iterable) noexcept {
        if (!detail::api::has_iter(Py_TYPE(iterable)) && !PySequence_Check(iterable)) {
            raise_call_error(callable, PyUnicode_FromFormat("argument after * must be an iterable, not %s",
                                                            detail::api::type_name_of(iterable).c_str()));
            return false;
        }
        const Py_ssize_t n = detail::api::list_size(positional);
        return PyList_SetSlice(positional, n, n, iterable) == 0;  // any iterable (PySequence_Fast)
    }

    // As CPython merges **mapping: a dict (or a subclass that does not override __iter__)
    // by its own items, any other mapping by keys() and __getitem__. The items are in a list
    // of our own, each key and value held while user code (a key's __eq__, __getitem__) runs.
    bool add_star_star(PyObject* mapping) noexcept {
        if (PyDict_Check(mapping) && detail::api::iterates_as_dict(Py_TYPE(mapping))) {
            PyObject* items = PyDict_Items(mapping);  // a new list of new (key, value) tuples
            if (!items) return false;
            bool ok = true;
            for (Py_ssize_t i = 0; ok && i < detail::api::list_size(items); ++i) {
                PyObject* pair = detail::api::list_item(items, i);
                ok = add_mapped(detail::api::tuple_item(pair, 0), detail::api::tuple_item(pair, 1));
            }
            Py_DECREF(items);
            return ok;
        }
        // a mapping is what has keys()
        PyObject* method = nullptr;
        int found = optional_attr(mapping, "keys", &method);
        if (found < 0) return false;
        if (!found) {
            raise_call_error(callable, PyUnicode_FromFormat("argument after ** must be a mapping, not %s",
                                                            detail::api::type_name_of(mapping).c_str()));
            return false;
        }
        Py_DECREF(method);
        PyObject* returned = PyMapping_Keys(mapping);
        // our own copy: keys() may return a list the mapping keeps (and changes meanwhile)
        PyObject* keys = returned ? PySequence_List(returned) : nullptr;
        Py_XDECREF(returned);
        if (!keys) return false;
        bool ok = true;
        for (Py_ssize_t i = 0; ok && i < detail::api::list_size(keys); ++i) {
            PyObject* key = detail::api::list_item(keys, i);  // held by the list, which only we see
            if (!PyUnicode_Check(key)) {
                ok = add_mapped(key, nullptr);  // the error
                break;
            }
            PyObject* value = PyObject_GetItem(mapping, key);
            ok = value && add_mapped(key, value);
            Py_XDECREF(value);
        }
        Py_DECREF(keys);
        return ok;
    }

private:
    bool add_mapped(PyObject* key, PyObject* value) noexcept {
        if (!PyUnicode_Check(key)) {
            raise_call_error(callable, PyUnicode_FromString("keywords must be strings"));
            return false;
        }
        return add_keyword(key, value);
    }
};

}  // namespace detail
}  // namespace pyowned

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE int optional_attr(PyObject* obj, const char* name, PyObject** result) noexcept {
    PyObject* key = PyUnicode_InternFromString(name);
    if (!key) return -1;
    int found = compat::get_optional_attr(obj, key, result);
    Py_DECREF(key);
    return found;
}

PYOWNED_CORE PyObject* function_str(PyObject* callable) noexcept {
    PyObject* qualname = nullptr;
    int found = optional_attr(callable, "__qualname__", &qualname);
    if (found < 0) return nullptr;
    if (!found) return PyObject_Str(callable);
    PyObject* module = nullptr;
    found = optional_attr(callable, "__module__", &module);
    PyObject* text = nullptr;
    if (found >= 0) {
        // %S: either attribute may be any object (a property, a proxy's)
        if (module && module != Py_None &&
            !(PyUnicode_Check(module) && PyUnicode_CompareWithASCIIString(module, "builtins") == 0))
            text = PyUnicode_FromFormat("%S.%S()", module, qualname);
        else text = PyUnicode_FromFormat("%S()", qualname);
    }
    Py_XDECREF(module);
    Py_DECREF(qualname);
    return text;
}

PYOWNED_CORE void raise_call_error(PyObject* callable, PyObject* message) noexcept {
    if (!message) return;
    if (PyObject* name = function_str(callable)) {
        PyErr_Format(PyExc_TypeError, "%U %U", name, message);
        Py_DECREF(name);
    }
    Py_DECREF(message);
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
