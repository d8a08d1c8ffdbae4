// What a stub generator reads of the functions and classes this shared object bound
// (python/pyowned/stubgen.py): their typed signatures, results and properties, none of which
// Python's own introspection has. Each shared object publishes one `describe` builtin in the
// interpreter's state dict (under "pyowned.describe.<address>"), nothing in any module; it
// answers for the objects this shared object made and returns None for any other. Functions
// are described here; methods and classes by class/describe.h, through a hook the class
// machinery sets, so that a module of functions links none of it.
#pragma once
#include "record.h"
#include <atomic>

namespace pyowned::detail {

// {"kind": kind, "overloads": [...], "static": bool} for a function's or a method's records.
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* describe_callable(const char* kind, const FunctionRecord& first);

// The part of describe() for methods, classes and describe(None) (class/describe.h's
// describe_class_objects), set when this shared object binds its first class or enum: a new
// reference, None, or nullptr with an error set.
using ClassDescriber = PyObject* (*)(PyObject* obj) noexcept;
PYOWNED_CORE_VARIABLE std::atomic<ClassDescriber> class_describer;
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* describe_class_objects(PyObject* obj) noexcept;

// Publishes this shared object's `describe` (once per interpreter; Py_mod_exec calls it).
// 0, or -1 with an error set.
PYOWNED_CORE_COLD PYOWNED_CORE int publish_describer() noexcept;

}  // namespace pyowned::detail

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

// inspect.Parameter's kinds, by their values
enum class ParamKindCode : int {
    positional_only = 0,
    positional_or_keyword = 1,
    var_positional = 2,
    keyword_only = 3,
    var_keyword = 4
};

// Appends `item` (a new reference, or null with an error set) to `list`, taking it: whether it
// is there.
PYOWNED_CORE_COLD PYOWNED_CORE bool append_new(PyObject* list, PyObject* item) {
    if (!item) return false;
    const int status = PyList_Append(list, item);
    Py_DECREF(item);
    return status == 0;
}

// One overload: {"params": [(name, kind, type[, default]), ...], "returns": "int", "doc": "..."},
// kind as inspect.Parameter's values.
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* describe_overload(const FunctionRecord& r) {
    enum Kind : int { positional_only, positional_or_keyword, var_positional, keyword_only, var_keyword };
    PyObject* params = PyList_New(0);
    if (!params) return nullptr;
    auto variadic = [&](const std::string& name, Kind kind) {
        return append_new(params, Py_BuildValue("(sis)", name.c_str(), int{kind}, "object"));
    };
    bool ok = true;
    const std::size_t n = r.names.size();
    for (std::size_t i = 0; ok && i < n; ++i) {
        if (i == r.keyword_only_from && r.has_args) ok = variadic(r.args_name, var_positional);
        const Kind kind = i < r.positional_only      ? positional_only
                          : i >= r.keyword_only_from ? keyword_only
                                                     : positional_or_keyword;
        const char* type = r.type_names[i].c_str();
        ok =
            ok && append_new(params, r.defaults[i] ? Py_BuildValue("(OisO)", r.names[i], int{kind}, type, r.defaults[i])
                                                   : Py_BuildValue("(Ois)", r.names[i], int{kind}, type));
    }
    if (ok && r.has_args && r.keyword_only_from >= n) ok = variadic(r.args_name, var_positional);
    if (ok && r.has_kwargs) ok = variadic(r.kwargs_name, var_keyword);
    if (!ok) {
        Py_DECREF(params);
        return nullptr;
    }
    return Py_BuildValue("{sNssss}", "params", params, "returns", r.returns, "doc", r.doc.c_str());
}

// {"kind": kind, "overloads": [...]} for a function's or a method's records.
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* describe_callable(const char* kind, const FunctionRecord& first) {
    PyObject* overloads = PyList_New(0);
    if (!overloads) return nullptr;
    for (const FunctionRecord* r = &first; r; r = r->next_overload.get()) {
        if (!append_new(overloads, describe_overload(*r))) {
            Py_DECREF(overloads);
            return nullptr;
        }
    }
    return Py_BuildValue("{sssNsO}", "kind", kind, "overloads", overloads, "static",
                         first.is_static ? Py_True : Py_False);
}

// describe(obj): the description of a function, method or class this shared object made,
// describe(None) the names of the bound classes; None for anything else.
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* describe(PyObject*, PyObject* obj) noexcept {
    if (obj != Py_None && PyCFunction_Check(obj)) {
        PyObject* self = PyCFunction_GetSelf(obj);  // borrowed
        PyObject* carrier = carrier_type();
        if (!carrier) return nullptr;
        const bool ours = self && Py_TYPE(self) == reinterpret_cast<PyTypeObject*>(carrier);
        Py_DECREF(carrier);  // the interpreter's state dict keeps it
        if (ours) return describe_callable("function", *record_slot(self));
        Py_RETURN_NONE;
    }
    if (ClassDescriber more = class_describer.load(std::memory_order_acquire)) return more(obj);
    if (obj == Py_None) return Py_BuildValue("{s{}}", "classes");  // no class bound here
    Py_RETURN_NONE;
}

PYOWNED_CORE_COLD PYOWNED_CORE int publish_describer() noexcept {
    static const char marker = 0;  // its address tells this shared object apart
    static PyMethodDef def = {"describe", &describe, METH_O,
                              "describe(obj, /)\n--\n\nWhat pyowned knows of obj (a function, method or class this "
                              "shared object bound), for stub generators; None for any other object."};
    PyObject* state = PyInterpreterState_GetDict(PyInterpreterState_Get());  // borrowed
    if (!state) {
        PyErr_SetString(PyExc_RuntimeError, "pyowned: no interpreter state dict");
        return -1;
    }
    PyObject* key = PyUnicode_FromFormat("pyowned.describe.%p", static_cast<const void*>(&marker));
    if (!key) return -1;
    int found = PyDict_Contains(state, key);
    if (found == 0) {
        PyObject* function = PyCFunction_New(&def, nullptr);
        PyObject* stored = function ? detail::api::dict_setdefault(state, key, function) : nullptr;  // borrowed
        Py_XDECREF(function);
        found = stored ? 1 : -1;
    }
    Py_DECREF(key);
    return found < 0 ? -1 : 0;
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
