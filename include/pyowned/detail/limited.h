// The limited API (Py_LIMITED_API, abi3 modules: pyowned_add_module(... STABLE_ABI)): the
// C API pyowned uses that differs between it and the full API, spelled once. In a regular
// build each function here is the macro or field read it replaces, token for token; in a
// limited build it is the stable-ABI function that does the same job (a call instead of an
// inline read: the cost the benchmark's pyowned-abi3 column shows).
//
// The target stays 3.12 (0x030C0000) whatever headers build it. Known changes after it:
// 3.13 makes PyUnicode_AsUTF8, PyDict_GetItemRef, PyObject_GetOptionalAttr and Py_IsFinalizing
// limited (used below and in compat.h when the target allows); 3.14 adds PyType_Freeze (a
// type made mutable, filled, then frozen: immutable classes again) and Py_tp_vectorcall (a
// class's own call, given at creation), and a 3.14 target makes Py_TYPE and Py_REFCNT calls;
// 3.15 adds PyDict_SetDefaultRef. Free-threaded CPython has no stable ABI up to 3.14.
#pragma once

#if defined(Py_LIMITED_API)
#define PYOWNED_LIMITED 1
// What a limited build may use is fixed by the version it targets, not by the headers it is
// compiled with: an abi3 module built with 3.13's headers still runs on 3.12.
#define PYOWNED_API_VERSION Py_LIMITED_API
#if Py_LIMITED_API < 0x030C0000
#error "pyowned: a stable-ABI build needs Py_LIMITED_API >= 0x030C0000 (CPython 3.12)"
#endif
#if defined(Py_GIL_DISABLED)
#error "pyowned: free-threaded CPython has no stable ABI (build without STABLE_ABI)"
#endif
#else
#define PYOWNED_LIMITED 0
#define PYOWNED_API_VERSION PY_VERSION_HEX
#endif

#include <cstddef>
#if PYOWNED_LIMITED
#include <string>
#include <string_view>
#endif

namespace pyowned::detail::api {

// The running interpreter's version (a constant in a regular build, which is built for one).
inline unsigned long runtime_version() noexcept {
#if PYOWNED_LIMITED
    return Py_Version;
#else
    return PY_VERSION_HEX;
#endif
}

// Whether this thread is attached, in the limited API: PyThreadState_GetDict returns NULL
// exactly when there is no current thread state (documented; it makes the thread's dict on
// its first call, when attached). The regular build reads the thread state (detail/compat.h).
inline bool limited_attached() noexcept {
#if PYOWNED_LIMITED
    return PyThreadState_GetDict() != nullptr;
#else
    return false;
#endif
}

// Tuples and lists: size, borrowed item, and filling a new one (steals `item`).
inline Py_ssize_t tuple_size(PyObject* t) noexcept {
#if PYOWNED_LIMITED
    return PyTuple_Size(t);
#else
    return PyTuple_GET_SIZE(t);
#endif
}
inline PyObject* tuple_item(PyObject* t, Py_ssize_t i) noexcept {
#if PYOWNED_LIMITED
    return PyTuple_GetItem(t, i);
#else
    return PyTuple_GET_ITEM(t, i);
#endif
}
inline void tuple_init(PyObject* t, Py_ssize_t i, PyObject* item) noexcept {
#if PYOWNED_LIMITED
    PyTuple_SetItem(t, i, item);  // a new tuple, its count 1: cannot fail
#else
    PyTuple_SET_ITEM(t, i, item);
#endif
}
inline Py_ssize_t list_size(PyObject* l) noexcept {
#if PYOWNED_LIMITED
    return PyList_Size(l);
#else
    return PyList_GET_SIZE(l);
#endif
}
inline PyObject* list_item(PyObject* l, Py_ssize_t i) noexcept {
#if PYOWNED_LIMITED
    return PyList_GetItem(l, i);
#else
    return PyList_GET_ITEM(l, i);
#endif
}
inline void list_init(PyObject* l, Py_ssize_t i, PyObject* item) noexcept {
#if PYOWNED_LIMITED
    PyList_SetItem(l, i, item);  // in range of a list just made: cannot fail
#else
    PyList_SET_ITEM(l, i, item);
#endif
}
// PySequence_Fast's result (a list or a tuple): size and borrowed item.
inline Py_ssize_t fast_size(PyObject* s) noexcept {
#if PYOWNED_LIMITED
    return PyList_Check(s) ? PyList_Size(s) : PyTuple_Size(s);
#else
    return PySequence_Fast_GET_SIZE(s);
#endif
}
inline PyObject* fast_item(PyObject* s, Py_ssize_t i) noexcept {
#if PYOWNED_LIMITED
    return PyList_Check(s) ? PyList_GetItem(s, i) : PyTuple_GetItem(s, i);
#else
    return PySequence_Fast_GET_ITEM(s, i);
#endif
}
inline Py_ssize_t dict_size(PyObject* d) noexcept {
#if PYOWNED_LIMITED
    return PyDict_Size(d);
#else
    return PyDict_GET_SIZE(d);
#endif
}
inline Py_ssize_t set_size(PyObject* s) noexcept {
#if PYOWNED_LIMITED
    return PySet_Size(s);
#else
    return PySet_GET_SIZE(s);
#endif
}

// A bytes or bytearray object's buffer (its size from the matching function below).
inline char* bytes_data(PyObject* b) noexcept {
#if PYOWNED_LIMITED
    return PyBytes_AsString(b);
#else
    return PyBytes_AS_STRING(b);
#endif
}
inline Py_ssize_t bytes_size(PyObject* b) noexcept {
#if PYOWNED_LIMITED
    return PyBytes_Size(b);
#else
    return PyBytes_GET_SIZE(b);
#endif
}
inline char* bytearray_data(PyObject* b) noexcept {
#if PYOWNED_LIMITED
    return PyByteArray_AsString(b);
#else
    return PyByteArray_AS_STRING(b);
#endif
}
inline Py_ssize_t bytearray_size(PyObject* b) noexcept {
#if PYOWNED_LIMITED
    return PyByteArray_Size(b);
#else
    return PyByteArray_GET_SIZE(b);
#endif
}

// A float's value (an exact float or a subclass: no __float__ is called).
inline double float_value(PyObject* f) noexcept {
#if PYOWNED_LIMITED
    return PyFloat_AsDouble(f);
#else
    return PyFloat_AS_DOUBLE(f);
#endif
}

// A str's UTF-8, cached by the str (nullptr with an error set for a lone surrogate).
inline const char* utf8(PyObject* s) noexcept {
#if PYOWNED_LIMITED && PYOWNED_API_VERSION < 0x030D0000
    return PyUnicode_AsUTF8AndSize(s, nullptr);
#else
    return PyUnicode_AsUTF8(s);
#endif
}

// f(arg): a new reference, or nullptr with an error set.
inline PyObject* call_one(PyObject* f, PyObject* arg) noexcept {
#if PYOWNED_LIMITED
    return PyObject_Vectorcall(f, &arg, 1, nullptr);
#else
    return PyObject_CallOneArg(f, arg);
#endif
}

// A builtin function's self (its module, or the object a method was bound to); borrowed.
inline PyObject* cfunction_self(PyObject* f) noexcept {
#if PYOWNED_LIMITED
    return PyCFunction_GetSelf(f);
#else
    return PyCFunction_GET_SELF(f);
#endif
}

// d.setdefault(key, value): the value now at key, borrowed; nullptr with an error set.
inline PyObject* dict_setdefault(PyObject* d, PyObject* key, PyObject* value) noexcept {
#if PYOWNED_LIMITED
    // (PyDict_SetDefaultRef is limited from 3.15.) Atomic under the GIL, and a limited build
    // always has one: free-threaded CPython has no stable ABI.
    PyObject* found = PyDict_GetItemWithError(d, key);
    if (found || PyErr_Occurred()) return found;
    return PyDict_SetItem(d, key, value) < 0 ? nullptr : value;
#else
    return PyDict_SetDefault(d, key, value);
#endif
}

// Sets name in a heap type's own dict, whatever its flags (an immutable type's too), as class
// definition does: no descriptor of `type` is consulted, and no slot is updated. The caller
// calls PyType_Modified after. 0, or -1 with an error set.
inline int type_dict_set(PyTypeObject* t, PyObject* name, PyObject* value) noexcept {
#if PYOWNED_LIMITED
    // tp_dict is not readable: GenericGetDict finds it through type's tp_dictoffset (CPython's
    // own layout, relied on here and checked by the abi3 tests)
    PyObject* dict = PyObject_GenericGetDict(reinterpret_cast<PyObject*>(t), nullptr);
    const int status = dict ? PyDict_SetItem(dict, name, value) : -1;
    Py_XDECREF(dict);
    return status;
#else
    return PyDict_SetItem(t->tp_dict, name, value);
#endif
}

// A type's slots, read: tp_iter; nb_float or nb_index.
inline bool has_iter(PyTypeObject* t) noexcept {
#if PYOWNED_LIMITED
    return PyType_GetSlot(t, Py_tp_iter) != nullptr;  // static types too, from 3.10
#else
    return t->tp_iter != nullptr;
#endif
}
inline bool iterates_as_dict(PyTypeObject* t) noexcept {
#if PYOWNED_LIMITED
    return PyType_GetSlot(t, Py_tp_iter) == PyType_GetSlot(&PyDict_Type, Py_tp_iter);
#else
    return t->tp_iter == PyDict_Type.tp_iter;
#endif
}
inline bool has_index(PyTypeObject* t) noexcept {
#if PYOWNED_LIMITED
    return PyType_GetSlot(t, Py_nb_index) != nullptr;
#else
    return t->tp_as_number && t->tp_as_number->nb_index;
#endif
}
inline bool has_float_or_index(PyTypeObject* t) noexcept {
#if PYOWNED_LIMITED
    return PyType_GetSlot(t, Py_nb_float) || PyType_GetSlot(t, Py_nb_index);
#else
    PyNumberMethods* nb = t->tp_as_number;
    return nb && (nb->nb_float || nb->nb_index);
#endif
}

// A type's tp_base (borrowed; nullptr for object).
inline PyTypeObject* type_base(PyTypeObject* t) noexcept {
#if PYOWNED_LIMITED
    return static_cast<PyTypeObject*>(PyType_GetSlot(t, Py_tp_base));
#else
    return t->tp_base;
#endif
}

// A new instance from the type's tp_alloc (zeroed; GC-tracked later by the caller's rules).
inline PyObject* type_alloc(PyTypeObject* t) noexcept {
#if PYOWNED_LIMITED
    return reinterpret_cast<allocfunc>(PyType_GetSlot(t, Py_tp_alloc))(t, 0);
#else
    return t->tp_alloc(t, 0);
#endif
}

// A type's MRO and own dict: new references (nullptr, with an error set only in a limited
// build, when there is none). A limited build reads them as attributes; GenericGetDict
// gives a heap type's dict itself, not the mappingproxy type.__dict__ does.
inline PyObject* type_mro(PyTypeObject* t) noexcept {
#if PYOWNED_LIMITED
    PyObject* mro = PyObject_GetAttrString(reinterpret_cast<PyObject*>(t), "__mro__");
    if (mro && !PyTuple_Check(mro)) {  // (a metaclass may say anything)
        PyErr_Format(PyExc_TypeError, "%R.__mro__ is not a tuple", reinterpret_cast<PyObject*>(t));
        Py_CLEAR(mro);
    }
    return mro;
#else
    return Py_XNewRef(t->tp_mro);
#endif
}
inline PyObject* type_dict(PyTypeObject* t) noexcept {
#if PYOWNED_LIMITED
    if (PyType_GetFlags(t) & Py_TPFLAGS_HEAPTYPE)
        return PyObject_GenericGetDict(reinterpret_cast<PyObject*>(t), nullptr);
    // a static type's dict is per interpreter from 3.12 (tp_dict is NULL for builtins): a copy
    // of its __dict__ (a mappingproxy)
    PyObject* proxy = PyObject_GetAttrString(reinterpret_cast<PyObject*>(t), "__dict__");
    PyObject* copy = proxy ? PyDict_New() : nullptr;
    if (copy && PyDict_Update(copy, proxy) < 0) Py_CLEAR(copy);
    Py_XDECREF(proxy);
    return copy;
#else
    return Py_XNewRef(t->tp_dict);
#endif
}

// Whether a type's instances have a __dict__ (tp_dictoffset != 0); -1 with an error set.
inline int type_has_dict(PyTypeObject* t) noexcept {
#if PYOWNED_LIMITED
    PyObject* offset = PyObject_GetAttrString(reinterpret_cast<PyObject*>(t), "__dictoffset__");
    if (!offset) return -1;
    const Py_ssize_t value = PyLong_AsSsize_t(offset);
    Py_DECREF(offset);
    return value == -1 && PyErr_Occurred() ? -1 : value != 0;
#else
    return t->tp_dictoffset != 0;
#endif
}

// A type's tp_dealloc, and its tp_free called on `o`.
inline destructor type_dealloc(PyTypeObject* t) noexcept {
#if PYOWNED_LIMITED
    return reinterpret_cast<destructor>(PyType_GetSlot(t, Py_tp_dealloc));
#else
    return t->tp_dealloc;
#endif
}
inline void type_free(PyTypeObject* t, PyObject* o) noexcept {
#if PYOWNED_LIMITED
    reinterpret_cast<freefunc>(PyType_GetSlot(t, Py_tp_free))(o);
#else
    t->tp_free(o);
#endif
}

// Whether o exports a buffer (PyObject_CheckBuffer; inline in a regular build).
inline bool has_buffer(PyObject* o) noexcept {
#if PYOWNED_LIMITED
    return PyObject_CheckBuffer(o);
#else
    PyBufferProcs* procs = Py_TYPE(o)->tp_as_buffer;
    return procs && procs->bf_getbuffer;
#endif
}

#if PYOWNED_LIMITED
// The tp_name of a type this shared object's class machinery made ("module.Class"), else
// nullptr: installed by that machinery (class/record.h), which keeps the names.
inline const char* (*bound_tp_name)(PyTypeObject*) noexcept = nullptr;
#endif

// A type's name as its tp_name reads ("int", "collections.OrderedDict", "Mine"), for
// messages: a pointer to the type's own in a regular build, a copy in a limited one, which
// cannot read tp_name (attached; any exception already set is kept). There, a static type's
// is "module.name" ("name" for builtins), as CPython makes its __module__ and __name__ from
// tp_name; a class pyowned bound, its tp_name; another heap type's is its __name__, which is
// what tp_name holds for every class a class statement made (another extension's heap type,
// whose tp_name is "module.Name", loses the module).
class TypeName {
public:
    explicit TypeName(PyTypeObject* t) noexcept {
#if PYOWNED_LIMITED
        if (!Py_IsInitialized()) {  // after the run: nothing of the type may be read
            name_ = "(a type of an ended interpreter run)";
            return;
        }
        if (const char* bound = bound_tp_name ? bound_tp_name(t) : nullptr) {
            try {
                name_ = bound;
            } catch (...) {
            }
            return;
        }
        if (!limited_attached()) {  // (a frozen class's Py<T>::get() needs no token): no Python
            name_ = "(a Python type)";
            return;
        }
        PyObject* pending = PyErr_GetRaisedException();
        PyObject* name = PyType_GetName(t);
        PyObject* module = (PyType_GetFlags(t) & Py_TPFLAGS_HEAPTYPE)
                               ? nullptr
                               : PyObject_GetAttrString(reinterpret_cast<PyObject*>(t), "__module__");
        const char* n = name ? PyUnicode_AsUTF8AndSize(name, nullptr) : nullptr;
        const char* m = module && PyUnicode_Check(module) ? PyUnicode_AsUTF8AndSize(module, nullptr) : nullptr;
        try {
            if (m && std::string_view(m) != "builtins") name_.append(m).append(".");
            name_.append(n ? n : "?");
        } catch (...) {
        }
        Py_XDECREF(name);
        Py_XDECREF(module);
        PyErr_Clear();
        PyErr_SetRaisedException(pending);
#else
        name_ = t->tp_name;
#endif
    }
    const char* c_str() const noexcept {
#if PYOWNED_LIMITED
        return name_.c_str();
#else
        return name_;
#endif
    }

private:
#if PYOWNED_LIMITED
    std::string name_;
#else
    const char* name_;
#endif
};
inline TypeName type_name(PyTypeObject* t) noexcept { return TypeName(t); }
inline TypeName type_name_of(PyObject* o) noexcept { return TypeName(Py_TYPE(o)); }

// The positional argument count of a vectorcall (inline in both: the flag bit is ABI).
inline Py_ssize_t vectorcall_nargs(std::size_t nargsf) noexcept {
    return static_cast<Py_ssize_t>(nargsf & ~static_cast<std::size_t>(PY_VECTORCALL_ARGUMENTS_OFFSET));
}

}  // namespace pyowned::detail::api
