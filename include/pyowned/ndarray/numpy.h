// NumPy arrays made from pyowned's array objects through NumPy's C API, looked up at run time
// (the _ARRAY_API capsule NumPy publishes for extension modules), so pyowned needs NumPy
// neither to build nor to import: only a function that returns a NumPy array does.
#pragma once
#include "array_object.h"

namespace pyowned::detail {

// Positions in NumPy's C API table (numpy/__multiarray_api.h; the same in NumPy 1.x and 2.x).
namespace numpy_api {
inline constexpr int descr_from_type = 45;
inline constexpr int new_from_descr = 94;
inline constexpr int set_base_object = 282;
inline constexpr int array_writeable = 0x0400;  // NPY_ARRAY_WRITEABLE
}  // namespace numpy_api

// NumPy's C API table looked up (numpy_api_table's slow path).
PYOWNED_COLD inline void** numpy_api_lookup(RunPointer<void*>& table) noexcept {
    static RunCache capsule;
    PyObject* c = capsule.get([]() -> PyObject* {
        PyObject* module = PyImport_ImportModule("numpy._core._multiarray_umath");  // NumPy 2
        if (!module && PyErr_ExceptionMatches(PyExc_ImportError)) {
            PyErr_Clear();
            module = PyImport_ImportModule("numpy.core._multiarray_umath");  // NumPy 1
        }
        if (!module) {
            if (PyErr_ExceptionMatches(PyExc_ImportError)) {
                PyErr_Clear();
                PyErr_SetString(PyExc_ImportError,
                                "returning a numpy.ndarray needs NumPy, which is not installed (an array "
                                "declared with py::memoryview or py::dlpack does not)");
            }
            return nullptr;
        }
        PyObject* api = PyObject_GetAttrString(module, "_ARRAY_API");
        Py_DECREF(module);
        return api;
    });
    if (!c) return nullptr;
    auto** t = static_cast<void**>(PyCapsule_GetPointer(c, nullptr));
    if (t) table.set(t);
    return t;
}

// NumPy's C API table, or nullptr with ImportError set (NumPy not installed). Looked up
// once per run; the capsule (kept by the cache) keeps the table alive.
inline void** numpy_api_table() noexcept {
    static RunPointer<void*> table;
    if (void** t = table.get(); PYOWNED_LIKELY(t != nullptr)) return t;
    return numpy_api_lookup(table);
}

// NumPy's type number of a dtype.
constexpr int numpy_type_number(Dtype d) noexcept {
    switch (d.kind) {
        case DtypeKind::boolean:
            return 0;
        case DtypeKind::signed_int:
            return d.size == 1 ? 1 : d.size == 2 ? 3 : d.size == 4 ? 5 : (sizeof(long) == 8 ? 7 : 9);
        case DtypeKind::unsigned_int:
            return d.size == 1 ? 2 : d.size == 2 ? 4 : d.size == 4 ? 6 : (sizeof(long) == 8 ? 8 : 10);
        case DtypeKind::floating:
            return d.size == 4 ? 11 : 12;
        default:
            return d.size == 8 ? 14 : 15;
    }
}

// A new numpy.ndarray showing the array object's memory, with the object as its base (a
// strong reference: the memory lives as long as any array viewing it). nullptr with an error set.
inline PyObject* numpy_array_of(ArrayObject* a) noexcept {
    void** api = numpy_api_table();
    if (!api) return nullptr;
    using DescrFromType = PyObject* (*)(int);
    using NewFromDescr =
        PyObject* (*)(PyTypeObject*, PyObject*, int, const Py_ssize_t*, const Py_ssize_t*, void*, int, PyObject*);
    using SetBaseObject = int (*)(PyObject*, PyObject*);
    PyObject* descr = reinterpret_cast<DescrFromType>(api[numpy_api::descr_from_type])(numpy_type_number(a->dtype));
    if (!descr) return nullptr;
    // NewFromDescr steals `descr`; api[2] is numpy.ndarray's type
    PyObject* array = reinterpret_cast<NewFromDescr>(api[numpy_api::new_from_descr])(
        static_cast<PyTypeObject*>(api[2]), descr, a->ndim, a->shape, a->strides, a->data,
        a->readonly ? 0 : numpy_api::array_writeable, nullptr);
    if (!array) return nullptr;
    // SetBaseObject steals the reference, also when it fails
    if (reinterpret_cast<SetBaseObject>(api[numpy_api::set_base_object])(
            array, Py_NewRef(reinterpret_cast<PyObject*>(a))) < 0) {
        Py_DECREF(array);
        return nullptr;
    }
    return array;
}

}  // namespace pyowned::detail
