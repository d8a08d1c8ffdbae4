// Turning the C++ exception in flight into a Python exception, at the boundary with C.
#pragma once
#include "error.h"
#include <cxxabi.h>
#include <new>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace pyowned {

namespace detail {

// The translations py::register_exception added in this shared object: each, called inside a
// catch block, sets the Python error and returns true when the exception in flight is its
// C++ type. Tried newest first, so a translation for a derived type registered after its
// base's wins.
using Translator = bool (*)() noexcept;
struct Translators {
    std::mutex mutex;
    std::vector<Translator> list;
};
PYOWNED_CORE_VARIABLE Translators translators;

PYOWNED_CORE_COLD PYOWNED_CORE bool run_translators() noexcept;

// The standard exceptions' translation (translate_exception's table), inside a catch block.
PYOWNED_CORE_COLD PYOWNED_CORE void translate_standard() noexcept;

}  // namespace detail

// Call inside a `catch (...)` block: sets the Python error indicator from the exception
// being handled, so that C code can see it (the caller then returns NULL or -1).
//   py::Error -> itself; std::invalid_argument, std::domain_error, std::length_error ->
//   ValueError; std::out_of_range -> IndexError; std::overflow_error -> OverflowError;
//   std::bad_alloc -> MemoryError; any other std::exception -> RuntimeError (each with the
//   C++ what() as message); anything else -> SystemError. A type given to
//   py::register_exception becomes its Python exception, before any of these.
// The forced unwinding that ends a thread (abi::__forced_unwind) is rethrown. If a Python
// error was already set, it becomes the new exception's __context__ instead of being lost.
PYOWNED_CORE_COLD PYOWNED_CORE void translate_exception(Python py);

}  // namespace pyowned

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE_COLD PYOWNED_CORE bool run_translators() noexcept {
    std::vector<Translator> list;
    {
        std::lock_guard<std::mutex> lock(translators.mutex);
        if (translators.list.empty()) return false;
        try {
            list = translators.list;
        } catch (...) {
            return false;
        }
    }
    for (auto it = list.rbegin(); it != list.rend(); ++it)
        if ((*it)()) return true;
    return false;
}

PYOWNED_CORE_COLD PYOWNED_CORE void translate_standard() noexcept {
    try {
        throw;
    } catch (const std::bad_alloc&) {
        PyErr_NoMemory();
    } catch (const std::invalid_argument& e) {
        detail::set_error(PyExc_ValueError, e.what());
    } catch (const std::domain_error& e) {
        detail::set_error(PyExc_ValueError, e.what());
    } catch (const std::length_error& e) {
        detail::set_error(PyExc_ValueError, e.what());
    } catch (const std::out_of_range& e) {
        detail::set_error(PyExc_IndexError, e.what());
    } catch (const std::overflow_error& e) {
        detail::set_error(PyExc_OverflowError, e.what());
    } catch (const std::exception& e) {
        detail::set_error(PyExc_RuntimeError, e.what());
    } catch (...) {
        PyErr_SetString(PyExc_SystemError, "unknown C++ exception");
    }
}

}  // namespace pyowned::detail

namespace pyowned {

PYOWNED_CORE_COLD PYOWNED_CORE void translate_exception(Python py) {
    PyObject* earlier = detail::compat::get_raised_exception();
    try {
        throw;
    } catch (abi::__forced_unwind&) {
        if (earlier) detail::compat::set_raised_exception(earlier);
        throw;
    } catch (Error& e) {
        std::move(e).restore(py);
    } catch (...) {
        if (!detail::run_translators()) detail::translate_standard();
    }
    if (earlier) {
        // chain as Python does for an exception raised while handling another
        PyObject* now = detail::compat::get_raised_exception();
        if (now != earlier) PyException_SetContext(now, earlier);  // steals `earlier`
        else Py_DECREF(earlier);
        detail::compat::set_raised_exception(now);
    }
}

}  // namespace pyowned
#endif  // PYOWNED_CORE_DEFINITIONS
