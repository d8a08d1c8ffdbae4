// Turning the C++ exception in flight into a Python exception, at the boundary with C.
#pragma once
#include "error.h"
#include <cxxabi.h>
#include <new>
#include <stdexcept>

namespace pyowned {

// Call inside a `catch (...)` block: sets the Python error indicator from the exception
// being handled, so that C code can see it (the caller then returns NULL or -1).
//   py::Error -> itself; std::invalid_argument, std::domain_error, std::length_error ->
//   ValueError; std::out_of_range -> IndexError; std::overflow_error -> OverflowError;
//   std::bad_alloc -> MemoryError; any other std::exception -> RuntimeError (each with the
//   C++ what() as message); anything else -> SystemError.
// The forced unwinding that ends a thread (abi::__forced_unwind) is rethrown. If a Python
// error was already set, it becomes the new exception's __context__ instead of being lost.
PYOWNED_COLD inline void translate_exception(Python py) {
    PyObject* earlier = detail::compat::get_raised_exception();
    try {
        throw;
    } catch (abi::__forced_unwind&) {
        if (earlier) detail::compat::set_raised_exception(earlier);
        throw;
    } catch (Error& e) {
        std::move(e).restore(py);
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
    if (earlier) {
        // chain as Python does for an exception raised while handling another
        PyObject* now = detail::compat::get_raised_exception();
        if (now != earlier) PyException_SetContext(now, earlier);  // steals `earlier`
        else Py_DECREF(earlier);
        detail::compat::set_raised_exception(now);
    }
}

}  // namespace pyowned
