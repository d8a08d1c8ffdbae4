// Running Python source from C++: py::import, py::eval, py::run.
#pragma once
#include "../types/any_impl.h"

namespace pyowned {

// import <name>
[[nodiscard]] PYOWNED_CORE Owned<Module> import(Python, const char* name);

namespace detail {
// The globals to run in: the given dict, or a fresh namespace (a new dict whose
// __builtins__ CPython fills in), so eval/run never leak names into __main__ by accident.
PYOWNED_CORE Owned<Dict> globals_or_fresh(const Borrowed<Dict>* globals);

PYOWNED_CORE Owned<Any> run_source(Python, const char* source, int start, const Borrowed<Dict>* globals,
                                   const Borrowed<Mapping>* locals);
}  // namespace detail

// Evaluates one expression, in `globals` (and `locals`) when given, else in a fresh namespace.
[[nodiscard]] PYOWNED_CORE Owned<Any> eval(Python py, const char* expression);
[[nodiscard]] PYOWNED_CORE Owned<Any> eval(Python py, const char* expression, Borrowed<Dict> globals);
[[nodiscard]] PYOWNED_CORE Owned<Any> eval(Python py, const char* expression, Borrowed<Dict> globals,
                                           Borrowed<Mapping> locals);

// Executes statements, in `globals` (and `locals`) when given, else in a fresh namespace.
PYOWNED_CORE void run(Python py, const char* statements);
PYOWNED_CORE void run(Python py, const char* statements, Borrowed<Dict> globals);
PYOWNED_CORE void run(Python py, const char* statements, Borrowed<Dict> globals, Borrowed<Mapping> locals);

}  // namespace pyowned

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned {

[[nodiscard]] PYOWNED_CORE Owned<Module> import(Python, const char* name) {
    return detail::steal_or_throw<Owned<Module>>(PyImport_ImportModule(name));
}

}  // namespace pyowned

namespace pyowned::detail {

PYOWNED_CORE Owned<Dict> globals_or_fresh(const Borrowed<Dict>* globals) {
    if (globals) return globals->to_owned();
    return steal_or_throw<Owned<Dict>>(PyDict_New());
}

PYOWNED_CORE Owned<Any> run_source(Python, const char* source, int start, const Borrowed<Dict>* globals,
                                   const Borrowed<Mapping>* locals) {
    Owned<Dict> g = globals_or_fresh(globals);
    PyObject* l = locals ? locals->ptr() : g.ptr();
#if PYOWNED_LIMITED
    // PyRun_StringFlags is not in the limited API: compile, then run, giving the globals
    // __builtins__ as it does
    if (!PyDict_GetItemString(g.ptr(), "__builtins__")) {
        // the interpreter's builtins, as PyRun_StringFlags gives (not the calling frame's)
        Owned<Any> builtins = steal_or_throw<Owned<Any>>(PyImport_ImportModule("builtins"));
        if (PyDict_SetItemString(g.ptr(), "__builtins__", PyModule_GetDict(builtins.ptr())) < 0) throw_fetched();
    }
    Owned<Any> code = steal_or_throw<Owned<Any>>(Py_CompileString(source, "<string>", start));
    return steal_or_throw<Owned<Any>>(PyEval_EvalCode(code.ptr(), g.ptr(), l));
#else
    return steal_or_throw<Owned<Any>>(PyRun_StringFlags(source, start, g.ptr(), l, nullptr));
#endif
}

}  // namespace pyowned::detail

namespace pyowned {

[[nodiscard]] PYOWNED_CORE Owned<Any> eval(Python py, const char* expression) {
    return detail::run_source(py, expression, Py_eval_input, nullptr, nullptr);
}

[[nodiscard]] PYOWNED_CORE Owned<Any> eval(Python py, const char* expression, Borrowed<Dict> globals) {
    return detail::run_source(py, expression, Py_eval_input, &globals, nullptr);
}

[[nodiscard]] PYOWNED_CORE Owned<Any> eval(Python py, const char* expression, Borrowed<Dict> globals,
                                           Borrowed<Mapping> locals) {
    return detail::run_source(py, expression, Py_eval_input, &globals, &locals);
}

PYOWNED_CORE void run(Python py, const char* statements) {
    (void)detail::run_source(py, statements, Py_file_input, nullptr, nullptr);
}

PYOWNED_CORE void run(Python py, const char* statements, Borrowed<Dict> globals) {
    (void)detail::run_source(py, statements, Py_file_input, &globals, nullptr);
}

PYOWNED_CORE void run(Python py, const char* statements, Borrowed<Dict> globals, Borrowed<Mapping> locals) {
    (void)detail::run_source(py, statements, Py_file_input, &globals, &locals);
}

}  // namespace pyowned
#endif  // PYOWNED_CORE_DEFINITIONS
