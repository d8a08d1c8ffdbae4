// Extension modules: PYOWNED_MODULE (multi-phase init, PEP 489) and the module operations
// def, add, doc and add_submodule.
#pragma once
#include "describe.h"
#include "function.h"

namespace pyowned {

namespace detail {

template <class Self>
struct Methods<Module, Self> : Methods<Any, Self> {
    PYOWNED_HANDLE_ALIASES;

    // Binds a C++ callable as a module function:
    //     m.def("add", &add, "Add two integers.", py::arg("a"), py::arg("b") = 1);
    // Defining the same name again adds an overload.
    template <class F, class... Extra>
    void def(const char* name, F&& f, Extra&&... extra) const {
        define_function(this->self().py(), this->ptr(), name, std::forward<F>(f), std::forward<Extra>(extra)...);
    }

    // Sets the module's docstring.
    void doc(const char* text) const { this->setattr("__doc__", text); }

    // Adds a constant or object: m.add("VERSION", "1.0").
    template <class V>
    void add(const char* name, V&& value) const {
        this->setattr(name, std::forward<V>(value));
    }

    // Declares that this module needs the GIL: importing it on a free-threaded build turns
    // the GIL back on (with a RuntimeWarning), as for a C extension without Py_mod_gil.
    // pyowned modules run without the GIL by default. A no-op on GIL builds.
    void require_gil() const noexcept {
#ifdef Py_GIL_DISABLED
        PyUnstable_Module_SetGIL(this->ptr(), Py_MOD_GIL_USED);
#endif
    }

    // Creates the submodule <module>.<name>, adds it, registers it in sys.modules (so
    // `import pkg.name` works) and returns it.
    Borrowed<Module> add_submodule(const char* name) const {
        std::string full = this->getattr("__name__").template extract<std::string>() + "." + name;
        PyObject* sub = PyImport_AddModule(full.c_str());  // borrowed from sys.modules
        if (!sub) throw_fetched();
#ifdef Py_GIL_DISABLED
        PyUnstable_Module_SetGIL(sub, Py_MOD_GIL_NOT_USED);
#endif
        check_status(PyModule_AddObjectRef(this->ptr(), name, sub));
        return Borrowed<Module>::from_ptr(this->self().py(), sub);
    }
};

// Py_mod_exec: runs the module's body; a C++ exception becomes the import's Python error.
template <void (*Body)(Borrowed<Module>)>
int module_exec(PyObject* module) noexcept {
    Python py = token();
    lifetimes.track();
    drain_pending_decrefs();
    if (publish_describer() < 0) return -1;
#if PYOWNED_LIMITED && PYOWNED_API_VERSION < 0x030D0000
    if (compat::watch_exit() < 0) return -1;
#endif
    try {
        Body(Borrowed<Module>::from_ptr(py, module));
        return 0;
    } catch (...) {
        translate_exception(py);
        return -1;
    }
}

}  // namespace detail
}  // namespace pyowned

#if PYOWNED_API_VERSION >= 0x030C0000
#define PYOWNED_SLOT_INTERPRETERS {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},
#else
#define PYOWNED_SLOT_INTERPRETERS
#endif
#if PYOWNED_API_VERSION >= 0x030D0000
#define PYOWNED_SLOT_GIL {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#else
#define PYOWNED_SLOT_GIL
#endif

// Defines the extension module `name`; the body that follows runs at import with the
// module as `m` (a py::Borrowed<py::Module>):
//     PYOWNED_MODULE(example, m) { m.def("add", &add); }
// Multi-phase initialization: nothing is created until the module object exists. pyowned's
// own state is per shared object (pending decrefs, interned names), so the module declares
// that it does not support several interpreters. On free-threaded builds the module
// declares that it does not need the GIL (m.require_gil() says otherwise).
// The body runs once, at import: cold, so it and the definitions inlined into it are
// compiled for size (the bound functions' entry points are functions of their own).
#define PYOWNED_MODULE(name, m)                                                                                   \
    PYOWNED_COLD static void pyowned_module_body_##name(::pyowned::Borrowed<::pyowned::Module>);                  \
    PyMODINIT_FUNC PyInit_##name() {                                                                              \
        static PyModuleDef_Slot slots[] = {                                                                       \
            {Py_mod_exec, reinterpret_cast<void*>(&::pyowned::detail::module_exec<&pyowned_module_body_##name>)}, \
            PYOWNED_SLOT_INTERPRETERS PYOWNED_SLOT_GIL{0, nullptr}};                                              \
        static PyModuleDef def = {                                                                                \
            PyModuleDef_HEAD_INIT, #name, nullptr, 0, nullptr, slots, nullptr, nullptr, nullptr};                 \
        return PyModuleDef_Init(&def);                                                                            \
    }                                                                                                             \
    static void pyowned_module_body_##name([[maybe_unused]] ::pyowned::Borrowed<::pyowned::Module> m)
