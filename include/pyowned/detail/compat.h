// Newer C API functions, written here for the oldest supported CPython (3.10).
#pragma once
#include "config.h"
#include <atomic>

// PyMemberDef's type and flag names (3.12; structmember.h's before).
#ifndef Py_T_PYSSIZET
#include <structmember.h>
#define Py_T_PYSSIZET T_PYSSIZET
#define Py_READONLY READONLY
#endif

namespace pyowned::detail::compat {

// PyDict_GetItemRef (3.13): 1 and a strong reference, 0 when missing, -1 on error.
inline int dict_get_item_ref(PyObject* dict, PyObject* key, PyObject** result) noexcept {
#if PYOWNED_API_VERSION >= 0x030D0000
    return PyDict_GetItemRef(dict, key, result);
#else
    PyObject* item = PyDict_GetItemWithError(dict, key);  // borrowed
    if (item) {
        *result = Py_NewRef(item);
        return 1;
    }
    *result = nullptr;
    return PyErr_Occurred() ? -1 : 0;
#endif
}

// PyObject_GetOptionalAttr (3.13): 1 found, 0 missing (AttributeError swallowed), -1 error.
inline int get_optional_attr(PyObject* obj, PyObject* name, PyObject** result) noexcept {
#if PYOWNED_API_VERSION >= 0x030D0000
    return PyObject_GetOptionalAttr(obj, name, result);
#else
    *result = PyObject_GetAttr(obj, name);
    if (*result) return 1;
    if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
        PyErr_Clear();
        return 0;
    }
    return -1;
#endif
}

// PyErr_GetRaisedException (3.12): takes the current exception, normalized, with its
// traceback attached; nullptr when none is set.
inline PyObject* get_raised_exception() noexcept {
#if PY_VERSION_HEX >= 0x030C0000
    return PyErr_GetRaisedException();
#else
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (!type) return nullptr;
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb && value) PyException_SetTraceback(value, tb);
    Py_XDECREF(type);
    Py_XDECREF(tb);
    return value;
#endif
}

// PyErr_DisplayException (3.12): prints an exception with its traceback to sys.stderr, as
// the interpreter prints an uncaught one (PyErr_Display before; 3.14 keeps both).
inline void display_exception(PyObject* exc) noexcept {
#if PY_VERSION_HEX >= 0x030C0000
    PyErr_DisplayException(exc);
#else
    PyObject* tb = PyException_GetTraceback(exc);
    PyErr_Display(reinterpret_cast<PyObject*>(Py_TYPE(exc)), exc, tb);
    Py_XDECREF(tb);
#endif
}

// PyErr_SetRaisedException (3.12): steals the exception and sets it as current.
inline void set_raised_exception(PyObject* exc) noexcept {
#if PY_VERSION_HEX >= 0x030C0000
    PyErr_SetRaisedException(exc);
#else
    PyObject* type = Py_NewRef(reinterpret_cast<PyObject*>(Py_TYPE(exc)));
    PyErr_Restore(type, exc, PyException_GetTraceback(exc));
#endif
}

// The value of an int small enough to be stored in one digit (most ints in practice),
// read inline without a call; false for larger ones.
PYOWNED_INLINE bool compact_long_value(PyObject* op, Py_ssize_t* value) noexcept {
#if PYOWNED_LIMITED
    // no inline read in the limited API: one call, which says when the value does not fit
    int overflow = 0;
    const long v = PyLong_AsLongAndOverflow(op, &overflow);
    if (overflow) return false;
    *value = v;
    return true;
#elif PY_VERSION_HEX >= 0x030C0000
    auto* number = reinterpret_cast<PyLongObject*>(op);
    if (!PyUnstable_Long_IsCompact(number)) return false;
    *value = PyUnstable_Long_CompactValue(number);
    return true;
#else
    // 3.10/3.11: ob_size is the signed digit count (cpython/longintrepr.h)
    Py_ssize_t size = Py_SIZE(op);
    if (size < -1 || size > 1) return false;
    *value = size * static_cast<Py_ssize_t>(reinterpret_cast<PyLongObject*>(op)->ob_digit[0]);
    return true;
#endif
}

// Critical sections (3.13): per-object locks on free-threaded builds, nothing on GIL builds.
#ifndef Py_BEGIN_CRITICAL_SECTION
#define Py_BEGIN_CRITICAL_SECTION(op) {
#define Py_END_CRITICAL_SECTION() }
#endif

// Whether this thread is attached. From 3.12 the current thread state is thread-local:
// one read (PyThreadState_GetUnchecked is public from 3.13, _PyThreadState_UncheckedGet
// before). Up to 3.11 it is a process-wide variable (the GIL holder's), so only
// PyGILState_Check can tell, and it answers yes once the interpreter is finalized: check
// Py_IsInitialized first there. (Comparing the holder's thread_id with this thread's would
// be cheaper but wrong: a thread state may be made on one thread and used on another, and
// the holder's state may be freed while it is read.)
PYOWNED_INLINE bool is_attached() noexcept {
#if PYOWNED_LIMITED
    return api::limited_attached();
#elif PY_VERSION_HEX >= 0x030D0000
    return PyThreadState_GetUnchecked() != nullptr;
#elif PY_VERSION_HEX >= 0x030C0000
    return _PyThreadState_UncheckedGet() != nullptr;
#else
    return Py_IsInitialized() && PyGILState_Check();
#endif
}

#if PYOWNED_LIMITED && PYOWNED_API_VERSION < 0x030D0000
// A limited build for 3.12 has no Py_IsFinalizing: each module's exec registers, once per
// interpreter run, an atexit function that sets this. Python calls atexit functions just
// before it begins finalizing, after joining its threads: a thread detached from then on must
// not attach (it would hang), which is what callers ask is_finalizing() for. An attached
// thread (an atexit function registered earlier, called later) is not told so.
PYOWNED_CORE_VARIABLE std::atomic<bool> exiting;           // false: zero-initialized
PYOWNED_CORE_COLD PYOWNED_CORE int watch_exit() noexcept;  // attached; 0, or -1 with an error set
#endif

// Py_IsFinalizing (3.13 public; _Py_IsFinalizing before).
inline bool is_finalizing() noexcept {
#if PYOWNED_API_VERSION >= 0x030D0000
    return Py_IsFinalizing();
#elif PYOWNED_LIMITED
    return exiting.load(std::memory_order_acquire) && !api::limited_attached();
#else
    return _Py_IsFinalizing();
#endif
}

// A type's version tag: a number CPython gives a type on lookups through its attribute cache
// and takes back (0) whenever the type or a class in its MRO changes; not reused from 3.11
// (3.10's counter wraps after 2**32 assignments). 0 when there is none. Up to 3.10 a change
// cleared only Py_TPFLAGS_VALID_VERSION_TAG, not the tag.
// (tp_version_tag is a PyTypeObject field: not in the limited API. 3.14 keeps its meaning.)
PYOWNED_INLINE unsigned type_version([[maybe_unused]] PyTypeObject* type) noexcept {
#if PYOWNED_LIMITED
    return 0;  // not readable in the limited API: nothing is cached
#else
#if PY_VERSION_HEX < 0x030B0000
    if (!PyType_HasFeature(type, Py_TPFLAGS_VALID_VERSION_TAG)) return 0;
#endif
    return type->tp_version_tag;
#endif
}

#if PYOWNED_LIMITED && PYOWNED_API_VERSION < 0x030D0000 && PYOWNED_CORE_DEFINITIONS
PYOWNED_CORE int watch_exit() noexcept {
    static PyMethodDef def{"_pyowned_exiting",
                           [](PyObject*, PyObject*) -> PyObject* {
                               exiting.store(true, std::memory_order_release);
                               Py_RETURN_NONE;
                           },
                           METH_NOARGS, nullptr};
    // once per run: a mark in the interpreter's state dict, which a new run makes afresh
    static const char marker = 0;
    PyObject* state = PyInterpreterState_GetDict(PyInterpreterState_Get());
    if (!state) {
        PyErr_SetString(PyExc_RuntimeError, "pyowned: no interpreter state dict");
        return -1;
    }
    PyObject* key = PyUnicode_FromFormat("pyowned.watch_exit.%p", static_cast<const void*>(&marker));
    int found = key ? PyDict_Contains(state, key) : -1;
    if (found == 0) {
        exiting.store(false, std::memory_order_release);
        PyObject* atexit = PyImport_ImportModule("atexit");
        PyObject* function = atexit ? PyCFunction_New(&def, nullptr) : nullptr;
        PyObject* result = function ? PyObject_CallMethod(atexit, "register", "O", function) : nullptr;
        found = result && PyDict_SetItem(state, key, Py_True) == 0 ? 1 : -1;
        Py_XDECREF(result);
        Py_XDECREF(atexit);
        Py_XDECREF(function);
    }
    Py_XDECREF(key);
    return found < 0 ? -1 : 0;
}
#endif

}  // namespace pyowned::detail::compat
