// py::keep_alive's storage: a patient kept alive by its nurse, in the nurse's instance head
// (a pyowned instance) or by a weak reference to the nurse (any other object).
#pragma once
#include "type.h"

namespace pyowned::detail {

// Keeps `patient` alive as long as `nurse`: true, or false with an error set.
PYOWNED_CORE_COLD PYOWNED_CORE bool add_patient(PyObject* nurse, PyObject* patient) noexcept;

PYOWNED_CORE bool keep_argument_patients(const FunctionRecord& r, PyObject* const* slots) noexcept;

PYOWNED_CORE PyObject* keep_patients(const FunctionRecord& r, PyObject* const* slots, PyObject* result) noexcept;

}  // namespace pyowned::detail

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE_COLD PYOWNED_CORE bool add_patient(PyObject* nurse, PyObject* patient) noexcept {
    if (nurse == Py_None || patient == Py_None) return true;
    if (record_of_type(Py_TYPE(nurse))) {  // an instance of a class of this shared object
        // A tuple, replaced by a longer one: the collector may clear a list (tp_clear) while
        // the nurse's C++ object still points into a patient; a tuple it never clears.
        bool ok;
        Py_BEGIN_CRITICAL_SECTION(nurse);
        PyObject*& slot = head_of(nurse)->patients;
        const Py_ssize_t n = slot ? detail::api::tuple_size(slot) : 0;
        PyObject* grown = PyTuple_New(n + 1);
        ok = grown != nullptr;
        if (ok) {
            for (Py_ssize_t i = 0; i < n; ++i)
                detail::api::tuple_init(grown, i, Py_NewRef(detail::api::tuple_item(slot, i)));
            detail::api::tuple_init(grown, n, Py_NewRef(patient));
            PyObject* old = slot;
            slot = grown;
            Py_XDECREF(old);
        }
        Py_END_CRITICAL_SECTION();
        return ok;
    }
    // Any other object: a weak reference to it whose callback holds the patient (as the
    // function's self). The reference itself is kept until the callback drops it, which
    // frees the callback and so releases the patient.
    static PyMethodDef release = {"keep_alive_release",
                                  [](PyObject*, PyObject* weakref) -> PyObject* {
                                      Py_DECREF(weakref);  // the reference add_patient kept
                                      Py_RETURN_NONE;
                                  },
                                  METH_O, nullptr};
    PyObject* callback = PyCFunction_New(&release, patient);
    if (!callback) return false;
    PyObject* weakref = PyWeakref_NewRef(nurse, callback);
    Py_DECREF(callback);
    if (!weakref) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError,
                         "pyowned: py::keep_alive: the nurse, a '%s' object, is not an instance of this module's "
                         "classes and cannot be weakly referenced",
                         detail::api::type_name_of(nurse).c_str());
        }
        return false;
    }
    return true;  // `weakref` is released by its callback
}

PYOWNED_CORE bool keep_argument_patients(const FunctionRecord& r, PyObject* const* slots) noexcept {
    for (const auto& [n, p] : r.keep_alive)
        if (n != 0 && p != 0 && !add_patient(slots[n - 1], slots[p - 1])) return false;
    return true;
}

PYOWNED_CORE PyObject* keep_patients(const FunctionRecord& r, PyObject* const* slots, PyObject* result) noexcept {
    for (const auto& [n, p] : r.keep_alive) {
        if (n != 0 && p != 0) continue;  // applied before the call
        PyObject* nurse = n == 0 ? result : slots[n - 1];
        PyObject* patient = p == 0 ? result : slots[p - 1];
        if (!add_patient(nurse, patient)) {
            Py_DECREF(result);
            return nullptr;
        }
    }
    return result;
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
