// py::create_exception: a new exception class, added to a module; py::register_exception:
// one that a C++ exception type becomes at the boundary.
#pragma once
#include "translate.h"
#include <string>

namespace pyowned {

// Creates `<module>.<name>` deriving from `base` (Exception by default) and adds it to the
// module under `name`. Returns the new type.
PYOWNED_CORE Owned<Type> create_exception(Borrowed<Module> module, const char* name,
                                          std::optional<Borrowed<Type>> base = std::nullopt);

namespace detail {

// Sets the registered Python exception for E when E is the exception in flight.
template <class E>
bool translate_registered() noexcept {
    try {
        throw;
    } catch (const E& e) {
        PyObject* type = RegisteredException<E>::type.get();
        if (!type) return false;  // registered in an earlier run only: not this one's
        if constexpr (requires { e.what(); }) set_error(type, e.what());
        else set_error(type, cpp_type_name<E>());
        return true;
    } catch (...) {
        return false;
    }
}

}  // namespace detail

// Creates `<module>.<name>` deriving from `base` (Exception by default), adds it to the module,
// and makes it what the C++ exception type E (and types derived from it) becomes when it
// leaves a bound function: an exception of the new type with E's what() as the message.
// A Python exception of that type reaching C++ is a py::Error for which
// e.matches<E>(py) is true. Returns the new type.
template <class E>
Owned<Type> register_exception(Borrowed<Module> module, const char* name,
                               std::optional<Borrowed<Type>> base = std::nullopt) {
    Owned<Type> type = create_exception(module, name, base);
    // kept for the run (the module holds it too); forgotten, not dropped, when the run ends;
    // one registered before in this run (the module imported again) is dropped
    PyObject* earlier = detail::RegisteredException<E>::type.get();
    detail::RegisteredException<E>::type.set(Py_NewRef(type.ptr()));
    Py_XDECREF(earlier);
    static std::once_flag once;  // one translation per type, for every run
    std::call_once(once, [] {
        std::lock_guard<std::mutex> lock(detail::translators.mutex);
        detail::translators.list.push_back(&detail::translate_registered<E>);
    });
    return type;
}

}  // namespace pyowned

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned {

PYOWNED_CORE Owned<Type> create_exception(Borrowed<Module> module, const char* name,
                                          std::optional<Borrowed<Type>> base) {
    Python py = module.py();
    PyObject* module_name = PyModule_GetNameObject(module.ptr());
    if (!module_name) detail::throw_fetched();
    Py_ssize_t size;
    const char* text = PyUnicode_AsUTF8AndSize(module_name, &size);
    std::string qualified = text ? std::string(text, static_cast<std::size_t>(size)) + "." + name : std::string();
    Py_DECREF(module_name);
    if (!text) detail::throw_fetched();
    PyObject* type = PyErr_NewException(qualified.c_str(), base ? base->ptr() : nullptr, nullptr);
    if (!type) detail::throw_fetched();
    auto owned = Owned<Type>::from_owned_ptr(py, type);
    detail::check_status(PyModule_AddObjectRef(module.ptr(), name, type));
    return owned;
}

}  // namespace pyowned
#endif  // PYOWNED_CORE_DEFINITIONS
