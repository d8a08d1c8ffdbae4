// Matching a vectorcall's arguments to a bound function's parameters, as CPython does for
// Python functions, with CPython's own error messages. Cold code: the fast path (exactly
// the positional arguments, no keywords) never comes here.
#pragma once
#include "record.h"
#include <string>

namespace pyowned::detail {

// Where the matched arguments go: one borrowed reference per regular parameter, and new
// references to the *args tuple and **kwargs dict when the function has them.
struct BoundArguments {
    PyObject** slots;
    PyObject* varargs = nullptr;
    PyObject* varkwargs = nullptr;
    ~BoundArguments() {
        Py_XDECREF(varargs);
        Py_XDECREF(varkwargs);
    }
};

PYOWNED_COLD inline std::string quoted_list(const std::vector<std::string>& names) {
    // 'a', 'b' and 'c'  (CPython's format for missing arguments)
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += (i + 1 == names.size()) ? (names.size() > 2 ? ", and " : " and ") : ", ";
        out += "'" + names[i] + "'";
    }
    return out;
}

PYOWNED_COLD inline std::string name_of(PyObject* str) {
    Py_ssize_t n;
    const char* s = PyUnicode_AsUTF8AndSize(str, &n);
    if (!s) {
        PyErr_Clear();
        return "?";
    }
    return std::string(s, static_cast<std::size_t>(n));
}

PYOWNED_COLD inline void raise_too_many_positional(const FunctionRecord& r, Py_ssize_t given) {
    std::size_t max = r.positional_capacity(), min = 0;
    for (std::size_t i = 0; i < max; ++i)
        if (!r.defaults[i]) min = i + 1;
    std::string takes = (min == max) ? std::to_string(max) : "from " + std::to_string(min) + " to " + std::to_string(max);
    PyErr_Format(PyExc_TypeError, "%s() takes %s positional argument%s but %zd %s given", r.name.c_str(),
                 takes.c_str(), max == 1 && min == max ? "" : "s", given, given == 1 ? "was" : "were");
}

PYOWNED_COLD inline void raise_missing(const FunctionRecord& r, PyObject** slots) {
    std::vector<std::string> positional, keyword;
    for (std::size_t i = 0; i < r.names.size(); ++i)
        if (!slots[i]) (i < r.keyword_only_from ? positional : keyword).push_back(name_of(r.names[i]));
    const auto& missing = positional.empty() ? keyword : positional;
    PyErr_Format(PyExc_TypeError, "%s() missing %zu required %s argument%s: %s", r.name.c_str(), missing.size(),
                 positional.empty() ? "keyword-only" : "positional", missing.size() == 1 ? "" : "s",
                 quoted_list(missing).c_str());
}

// The index of the parameter called `name`, or -1. Interned names match by pointer; any
// other str by value.
PYOWNED_INLINE Py_ssize_t find_parameter(const FunctionRecord& r, PyObject* name) noexcept {
    const std::size_t n = r.names.size();
    for (std::size_t i = 0; i < n; ++i)
        if (r.names[i] == name) return static_cast<Py_ssize_t>(i);
    for (std::size_t i = 0; i < n; ++i)
        if (PyUnicode_Compare(r.names[i], name) == 0) return static_cast<Py_ssize_t>(i);
    return -1;
}

// Fills out.slots. Returns true, or false with an error set. With `soft` (overload
// resolution) a mismatch of the argument shape returns false with nothing set.
inline bool bind_arguments(const FunctionRecord& r, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames,
                           BoundArguments& out, bool soft) {
    const std::size_t n = r.names.size();
    const std::size_t capacity = r.positional_capacity();
    for (std::size_t i = 0; i < n; ++i) out.slots[i] = nullptr;

    std::size_t taken = static_cast<std::size_t>(nargs) < capacity ? static_cast<std::size_t>(nargs) : capacity;
    for (std::size_t i = 0; i < taken; ++i) out.slots[i] = args[i];  // borrowed: the caller owns args
    if (static_cast<std::size_t>(nargs) > capacity) {
        if (!r.has_args) {
            if (!soft) raise_too_many_positional(r, nargs);
            return false;
        }
        out.varargs = PyTuple_New(nargs - static_cast<Py_ssize_t>(capacity));
        if (!out.varargs) return false;
        for (Py_ssize_t i = static_cast<Py_ssize_t>(capacity); i < nargs; ++i)
            PyTuple_SET_ITEM(out.varargs, i - static_cast<Py_ssize_t>(capacity), Py_NewRef(args[i]));
    } else if (r.has_args) {
        out.varargs = PyTuple_New(0);
        if (!out.varargs) return false;
    }
    if (r.has_kwargs && !(out.varkwargs = PyDict_New())) return false;

    const Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t k = 0; k < nkw; ++k) {
        PyObject* key = PyTuple_GET_ITEM(kwnames, k);
        PyObject* value = args[nargs + k];
        Py_ssize_t i = find_parameter(r, key);
        if (i >= 0 && static_cast<std::size_t>(i) < r.positional_only) {
            if (r.has_kwargs) i = -1;  // def f(a, /, **kw): f(1, a=2) puts a into kw
            else {
                if (!soft)
                    PyErr_Format(PyExc_TypeError,
                                 "%s() got some positional-only arguments passed as keyword arguments: '%U'",
                                 r.name.c_str(), key);
                return false;
            }
        }
        if (i < 0) {
            if (!r.has_kwargs) {
                if (!soft) PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", r.name.c_str(), key);
                return false;
            }
            if (PyDict_SetItem(out.varkwargs, key, value) < 0) return false;
            continue;
        }
        if (out.slots[i]) {
            if (!soft) PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%U'", r.name.c_str(), key);
            return false;
        }
        out.slots[i] = value;
    }

    bool complete = true;
    for (std::size_t i = 0; i < n; ++i) {
        if (out.slots[i]) continue;
        if (r.defaults[i]) out.slots[i] = r.defaults[i];  // borrowed: the record owns its defaults
        else complete = false;
    }
    if (!complete) {
        if (!soft) raise_missing(r, out.slots);
        return false;
    }
    return true;
}

// TypeError: add() argument 'a' must be int, not str
PYOWNED_COLD inline void raise_wrong_type(const FunctionRecord& r, std::size_t index, PyObject* value) {
    PyErr_Format(PyExc_TypeError, "%s() argument '%U' must be %s, not %s", r.name.c_str(), r.names[index],
                 r.type_names[index].c_str(), Py_TYPE(value)->tp_name);
}

}  // namespace pyowned::detail
