// Matching a vectorcall's arguments to a bound function's parameters, as CPython does for
// Python functions, with CPython's own error messages. Cold code: the fast path (exactly
// the positional arguments, no keywords) never comes here.
#pragma once
#include "record.h"
#include <algorithm>
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

PYOWNED_CORE_COLD PYOWNED_CORE std::string quoted_list(const std::vector<std::string>& names);

PYOWNED_CORE_COLD PYOWNED_CORE std::string name_of(PyObject* str);

PYOWNED_CORE_COLD PYOWNED_CORE void raise_too_many_positional(const FunctionRecord& r, Py_ssize_t given,
                                                              PyObject** slots);

PYOWNED_CORE_COLD PYOWNED_CORE void raise_missing(const FunctionRecord& r, PyObject** slots);

// Levenshtein distance as CPython's suggestions compute it (Python/suggestions.c): a case
// change costs 1, any other edit 2; stops early past max_cost.
PYOWNED_CORE_COLD PYOWNED_CORE std::size_t suggestion_distance(const std::string& a, const std::string& b,
                                                               std::size_t max_cost);

PYOWNED_CORE_COLD PYOWNED_CORE void raise_unexpected_keyword(const FunctionRecord& r, PyObject* key);

// If any keyword names a positional-only parameter, raises CPython's error for it and returns
// true; else returns false with nothing set. CPython (ceval.c, positional_only_passed_as_keyword)
// lists the names in parameter order, not in call order: 'a, b' for f(b=1, a=2).
PYOWNED_CORE_COLD PYOWNED_CORE bool raise_positional_only_as_keyword(const FunctionRecord& r, PyObject* kwnames);

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

// Publishes the layout of this (successful) call shape, unless another thread did first.
PYOWNED_CORE_COLD PYOWNED_CORE void remember_layout(const FunctionRecord& r, Py_ssize_t nargs,
                                                    PyObject* kwnames) noexcept;

// The common case of matching, with nothing to build: no *args or **kwargs, no more
// positional arguments than fit, each keyword the very (interned) name of a parameter that
// may be given by keyword and was not given by position (call sites pass their keyword names
// interned). Anything else, including a missing argument, returns false and bind_arguments
// runs, which also words the errors. The first such call shape with keywords is remembered
// (KeywordLayout): calls of that shape then copy the arguments without matching any name.
PYOWNED_CORE bool bind_simple(const FunctionRecord& r, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames,
                              PyObject** slots) noexcept;

// Fills out.slots, checking in CPython's order (keywords, then the positional count, then
// missing arguments). Returns true, or false with an error set. With `soft` (overload
// resolution) a mismatch of the argument shape returns false with nothing set.
// The keywords go in call order, as in CPython's initialize_locals: one naming a parameter
// already given is "multiple values" at once; one that names no parameter that may be given
// by keyword goes into **kwargs, or without **kwargs is an error: CPython then first looks
// for positional-only names among all the keywords of the call (before or after this one),
// and only if there are none reports this keyword as unexpected.
PYOWNED_CORE bool bind_arguments(const FunctionRecord& r, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames,
                                 BoundArguments& out, bool soft);

// TypeError: add() argument 'a' must be int, not str
PYOWNED_CORE_COLD PYOWNED_CORE void raise_wrong_type(const FunctionRecord& r, std::size_t index, PyObject* value);

}  // namespace pyowned::detail

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE_COLD PYOWNED_CORE std::string quoted_list(const std::vector<std::string>& names) {
    // 'a', 'b' and 'c'  (CPython's format for missing arguments)
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += (i + 1 == names.size()) ? (names.size() > 2 ? ", and " : " and ") : ", ";
        out += "'" + names[i] + "'";
    }
    return out;
}

PYOWNED_CORE_COLD PYOWNED_CORE std::string name_of(PyObject* str) {
    Py_ssize_t n;
    const char* s = PyUnicode_AsUTF8AndSize(str, &n);
    if (!s) {
        PyErr_Clear();
        return "?";
    }
    return std::string(s, static_cast<std::size_t>(n));
}

PYOWNED_CORE_COLD PYOWNED_CORE void raise_too_many_positional(const FunctionRecord& r, Py_ssize_t given,
                                                              PyObject** slots) {
    // CPython's wording (ceval.c, too_many_positional)
    const std::size_t max = r.positional_capacity();
    std::size_t defaults = 0, kwonly_given = 0;
    for (std::size_t i = 0; i < max; ++i)
        if (r.defaults[i]) ++defaults;
    for (std::size_t i = max; i < r.names.size(); ++i)
        if (slots[i]) ++kwonly_given;
    std::string sig =
        defaults ? "from " + std::to_string(max - defaults) + " to " + std::to_string(max) : std::to_string(max);
    bool plural = defaults ? true : max != 1;
    std::string kwonly;
    if (kwonly_given)
        kwonly = std::string(" positional argument") + (given != 1 ? "s" : "") + " (and " +
                 std::to_string(kwonly_given) + " keyword-only argument" + (kwonly_given != 1 ? "s" : "") + ")";
    PyErr_Format(PyExc_TypeError, "%s() takes %s positional argument%s but %zd%s %s given", r.name.c_str(), sig.c_str(),
                 plural ? "s" : "", given, kwonly.c_str(), given == 1 && !kwonly_given ? "was" : "were");
}

PYOWNED_CORE_COLD PYOWNED_CORE void raise_missing(const FunctionRecord& r, PyObject** slots) {
    std::vector<std::string> positional, keyword;
    for (std::size_t i = 0; i < r.names.size(); ++i)
        if (!slots[i]) (i < r.keyword_only_from ? positional : keyword).push_back(name_of(r.names[i]));
    const auto& missing = positional.empty() ? keyword : positional;
    PyErr_Format(PyExc_TypeError, "%s() missing %zu required %s argument%s: %s", r.name.c_str(), missing.size(),
                 positional.empty() ? "keyword-only" : "positional", missing.size() == 1 ? "" : "s",
                 quoted_list(missing).c_str());
}

PYOWNED_CORE_COLD PYOWNED_CORE std::size_t suggestion_distance(const std::string& a, const std::string& b,
                                                               std::size_t max_cost) {
    constexpr std::size_t move = 2, case_change = 1;
    if (a == b) return 0;
    auto cost = [](char x, char y) -> std::size_t {
        if (x == y) return 0;
        auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
        return lower(x) == lower(y) ? case_change : move;
    };
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j * move;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0], minimum = row[0] = i * move;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t substitute = diagonal + cost(a[i - 1], b[j - 1]);
            diagonal = row[j];
            row[j] = std::min({row[j - 1] + move, row[j] + move, substitute});
            minimum = std::min(minimum, row[j]);
        }
        if (minimum > max_cost) return max_cost + 1;
    }
    return row[b.size()];
}

PYOWNED_CORE_COLD PYOWNED_CORE void raise_unexpected_keyword(const FunctionRecord& r, PyObject* key) {
    // 3.13 suggests the closest parameter name, as CPython does for Python functions (asked at
    // run time: an abi3 module built with 3.12 runs on 3.13)
    if (api::runtime_version() >= 0x030D0000) {
        std::string name = name_of(key), best;
        std::size_t best_distance = ~std::size_t{0};
        for (std::size_t i = r.positional_only; i < r.names.size(); ++i) {
            std::string candidate = name_of(r.names[i]);
            std::size_t max = (name.size() + candidate.size() + 3) * 2 / 6;
            if (best_distance != ~std::size_t{0} && best_distance - 1 < max) max = best_distance - 1;
            std::size_t d = suggestion_distance(name, candidate, max);
            if (d > max) continue;
            if (d < best_distance) best_distance = d, best = candidate;
        }
        if (!best.empty()) {
            PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'. Did you mean '%s'?",
                         r.name.c_str(), key, best.c_str());
            return;
        }
    }
    PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", r.name.c_str(), key);
}

PYOWNED_CORE_COLD PYOWNED_CORE bool raise_positional_only_as_keyword(const FunctionRecord& r, PyObject* kwnames) {
    std::string names;
    for (std::size_t i = 0; i < r.positional_only; ++i) {
        for (Py_ssize_t k = 0; k < detail::api::tuple_size(kwnames); ++k) {
            PyObject* key = detail::api::tuple_item(kwnames, k);
            if (key == r.names[i] || PyUnicode_Compare(r.names[i], key) == 0)
                names += (names.empty() ? "" : ", ") + name_of(key);
        }
    }
    if (names.empty()) return false;
    PyErr_Format(PyExc_TypeError, "%s() got some positional-only arguments passed as keyword arguments: '%s'",
                 r.name.c_str(), names.c_str());
    return true;
}

PYOWNED_CORE_COLD PYOWNED_CORE void remember_layout(const FunctionRecord& r, Py_ssize_t nargs,
                                                    PyObject* kwnames) noexcept {
    const std::size_t n = r.names.size();
    KeywordLayout* layout;
    try {
        layout = new KeywordLayout{kwnames, nargs, std::vector<std::uint8_t>(n, KeywordLayout::use_default)};
    } catch (...) {
        return;  // out of memory: calls just keep matching names
    }
    // the matching bind_simple just did, recording where each value came from
    const Py_ssize_t nkw = detail::api::tuple_size(kwnames);
    for (std::size_t i = 0; i < n; ++i) {
        if (i < static_cast<std::size_t>(nargs)) {
            layout->source[i] = static_cast<std::uint8_t>(i);
        } else if (i >= r.positional_only) {
            for (Py_ssize_t k = 0; k < nkw; ++k)
                if (detail::api::tuple_item(kwnames, k) == r.names[i])
                    layout->source[i] = static_cast<std::uint8_t>(nargs + k);
        }
    }
    Py_INCREF(kwnames);
    KeywordLayout* expected = nullptr;
    if (!const_cast<FunctionRecord&>(r).keyword_layout.compare_exchange_strong(expected, layout,
                                                                               std::memory_order_acq_rel)) {
        Py_DECREF(kwnames);
        delete layout;
    }
}

PYOWNED_CORE bool bind_simple(const FunctionRecord& r, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames,
                              PyObject** slots) noexcept {
    const std::size_t n = r.names.size(), given = static_cast<std::size_t>(nargs);
    PyObject* const* defaults = r.defaults.data();  // borrowed references: the record owns them
    const KeywordLayout* layout = r.keyword_layout.load(std::memory_order_acquire);
    if (layout && layout->kwnames == kwnames && layout->nargs == nargs) {
        const std::uint8_t* source = layout->source.data();
        for (std::size_t i = 0; i < n; ++i)
            slots[i] = source[i] == KeywordLayout::use_default ? defaults[i] : args[source[i]];
        return true;
    }
    if (r.has_args || r.has_kwargs || given > r.keyword_only_from) return false;
    const Py_ssize_t nkw = kwnames ? detail::api::tuple_size(kwnames) : 0;
    PyObject* const* names = r.names.data();
    Py_ssize_t used = 0;
    for (std::size_t i = 0; i < n; ++i) {
        PyObject* value;
        if (i < given) {
            value = args[i];  // borrowed: the caller owns args
        } else {
            value = defaults[i];
            if (i >= r.positional_only) {
                for (Py_ssize_t k = 0; k < nkw; ++k) {
                    if (detail::api::tuple_item(kwnames, k) == names[i]) {
                        value = args[nargs + k];
                        ++used;
                        break;
                    }
                }
            }
            if (!value) return false;
        }
        slots[i] = value;
    }
    if (used != nkw) return false;  // a keyword matched no parameter, or one given by position
    if (kwnames && !layout && n < KeywordLayout::use_default &&
        given + static_cast<std::size_t>(nkw) < KeywordLayout::use_default)
        remember_layout(r, nargs, kwnames);
    return true;
}

PYOWNED_CORE bool bind_arguments(const FunctionRecord& r, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames,
                                 BoundArguments& out, bool soft) {
    const std::size_t n = r.names.size();
    const std::size_t capacity = r.positional_capacity();
    for (std::size_t i = 0; i < n; ++i) out.slots[i] = nullptr;

    std::size_t taken = static_cast<std::size_t>(nargs) < capacity ? static_cast<std::size_t>(nargs) : capacity;
    for (std::size_t i = 0; i < taken; ++i) out.slots[i] = args[i];  // borrowed: the caller owns args
    if (r.has_args) {
        Py_ssize_t extra = nargs - static_cast<Py_ssize_t>(taken);
        if (!(out.varargs = PyTuple_New(extra))) return false;
        for (Py_ssize_t i = 0; i < extra; ++i) detail::api::tuple_init(out.varargs, i, Py_NewRef(args[taken + i]));
    }
    if (r.has_kwargs && !(out.varkwargs = PyDict_New())) return false;

    const Py_ssize_t nkw = kwnames ? detail::api::tuple_size(kwnames) : 0;
    for (Py_ssize_t k = 0; k < nkw; ++k) {
        PyObject* key = detail::api::tuple_item(kwnames, k);
        PyObject* value = args[nargs + k];
        Py_ssize_t i = find_parameter(r, key);
        // a positional-only parameter cannot be given by keyword: def f(a, /, **kw): f(1, a=2)
        // puts a into kw; without **kw, it is the error below
        if (i >= 0 && static_cast<std::size_t>(i) < r.positional_only) i = -1;
        if (i < 0) {
            if (!r.has_kwargs) {
                if (!soft && !raise_positional_only_as_keyword(r, kwnames)) raise_unexpected_keyword(r, key);
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

    if (static_cast<std::size_t>(nargs) > capacity && !r.has_args) {
        if (!soft) raise_too_many_positional(r, nargs, out.slots);
        return false;
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

PYOWNED_CORE_COLD PYOWNED_CORE void raise_wrong_type(const FunctionRecord& r, std::size_t index, PyObject* value) {
    PyErr_Format(PyExc_TypeError, "%s() argument '%U' must be %s, not %s", r.name.c_str(), r.names[index],
                 r.type_names[index].c_str(), value == Py_None ? "None" : detail::api::type_name_of(value).c_str());
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
