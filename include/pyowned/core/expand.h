// Argument expansion in calls from C++: py::star(seq) and py::star_star(mapping), Python's
// `f(1, *seq, k=2, **mapping)`, with Python's errors for each misuse.
#pragma once
#include "../convert/traits.h"
#include <utility>

namespace pyowned {

template <class V> struct Star { V value; };
template <class V> struct StarStar { V value; };

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

template <class T> struct is_star : std::false_type {};
template <class V> struct is_star<Star<V>> : std::true_type {};
template <class T> inline constexpr bool is_star_v = is_star<std::remove_cvref_t<T>>::value;
template <class T> struct is_star_star : std::false_type {};
template <class V> struct is_star_star<StarStar<V>> : std::true_type {};
template <class T> inline constexpr bool is_star_star_v = is_star_star<std::remove_cvref_t<T>>::value;
template <class T> inline constexpr bool is_expansion_v = is_star_v<T> || is_star_star_v<T>;

// How CPython names a callable in its call errors ("mod.f()", "print()"): its __qualname__,
// after its __module__ unless that is builtins. A new reference, or nullptr with an error set.
inline PyObject* function_str(PyObject* callable) noexcept {
    PyObject* qualname = PyObject_GetAttrString(callable, "__qualname__");
    if (!qualname) {
        PyErr_Clear();
        return PyObject_Str(callable);
    }
    PyObject* module = PyObject_GetAttrString(callable, "__module__");
    if (!module) PyErr_Clear();
    PyObject* text;
    if (module && PyUnicode_Check(module) && PyUnicode_CompareWithASCIIString(module, "builtins") != 0)
        text = PyUnicode_FromFormat("%U.%U()", module, qualname);
    else
        text = PyUnicode_FromFormat("%U()", qualname);
    Py_XDECREF(module);
    Py_DECREF(qualname);
    return text;
}

// Raises TypeError "<callable> <message>" (the message a printf format with one %s or none).
inline void raise_call_error(PyObject* callable, const char* format, const char* detail = "") noexcept {
    PyObject* name = function_str(callable);
    if (!name) return;
    PyObject* message = PyUnicode_FromFormat(format, detail);
    if (message) PyErr_Format(PyExc_TypeError, "%U %U", name, message);
    Py_XDECREF(message);
    Py_DECREF(name);
}

// The calls' collected arguments: a list of the positional ones, a dict of the keywords.
struct ExpandedCall {
    PyObject* callable;
    PyObject* positional;
    PyObject* keywords;

    bool add_keyword(PyObject* name, PyObject* value) noexcept {
        int present = PyDict_Contains(keywords, name);
        if (present < 0) return false;
        if (present) {
            PyObject* name_text = PyObject_Str(name);
            if (!name_text) return false;
            raise_call_error(callable, "got multiple values for keyword argument '%s'", PyUnicode_AsUTF8(name_text));
            Py_DECREF(name_text);
            return false;
        }
        return PyDict_SetItem(keywords, name, value) == 0;
    }

    bool add_star(PyObject* iterable) noexcept {
        if (!Py_TYPE(iterable)->tp_iter && !PySequence_Check(iterable)) {
            raise_call_error(callable, "argument after * must be an iterable, not %s", Py_TYPE(iterable)->tp_name);
            return false;
        }
        const Py_ssize_t n = PyList_GET_SIZE(positional);
        return PyList_SetSlice(positional, n, n, iterable) == 0;  // any iterable (PySequence_Fast)
    }

    bool add_star_star(PyObject* mapping) noexcept {
        PyObject* keys;
        if (PyDict_Check(mapping)) {
            keys = PyDict_Keys(mapping);
        } else {
            // a mapping is what has keys(), as CPython decides for **
            PyObject* method = PyObject_GetAttrString(mapping, "keys");
            if (!method) {
                if (!PyErr_ExceptionMatches(PyExc_AttributeError)) return false;
                PyErr_Clear();
                raise_call_error(callable, "argument after ** must be a mapping, not %s", Py_TYPE(mapping)->tp_name);
                return false;
            }
            Py_DECREF(method);
            keys = PyMapping_Keys(mapping);
        }
        if (!keys) return false;
        bool ok = true;
        for (Py_ssize_t i = 0; ok && i < PyList_GET_SIZE(keys); ++i) {
            PyObject* key = PyList_GET_ITEM(keys, i);
            if (!PyUnicode_Check(key)) {
                raise_call_error(callable, "keywords must be strings");
                ok = false;
                break;
            }
            PyObject* value = PyObject_GetItem(mapping, key);
            ok = value && add_keyword(key, value);
            Py_XDECREF(value);
        }
        Py_DECREF(keys);
        return ok;
    }
};

}  // namespace detail
}  // namespace pyowned
