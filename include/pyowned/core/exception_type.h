// py::create_exception: a new exception class, added to a module.
#pragma once
#include "error.h"
#include <string>

namespace pyowned {

// Creates `<module>.<name>` deriving from `base` (Exception by default) and adds it to the
// module under `name`. Returns the new type.
inline Owned<Type> create_exception(Borrowed<Module> module, const char* name,
                                    std::optional<Borrowed<Type>> base = std::nullopt) {
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
