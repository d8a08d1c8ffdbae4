// Running Python source from C++: py::import, py::eval, py::run.
#pragma once
#include "../types/any_impl.h"

namespace pyowned {

// import <name>
[[nodiscard]] inline Owned<Module> import(Python, const char* name) {
    return detail::steal_or_throw<Owned<Module>>(PyImport_ImportModule(name));
}

namespace detail {
// The globals to run in: the given dict, or a fresh namespace (a new dict whose
// __builtins__ CPython fills in), so eval/run never leak names into __main__ by accident.
inline Owned<Dict> globals_or_fresh(const Borrowed<Dict>* globals) {
    if (globals) return globals->to_owned();
    return steal_or_throw<Owned<Dict>>(PyDict_New());
}

inline Owned<Any> run_source(Python, const char* source, int start, const Borrowed<Dict>* globals,
                             const Borrowed<Mapping>* locals) {
    Owned<Dict> g = globals_or_fresh(globals);
    PyObject* l = locals ? locals->ptr() : g.ptr();
    return steal_or_throw<Owned<Any>>(PyRun_StringFlags(source, start, g.ptr(), l, nullptr));
}
}  // namespace detail

// Evaluates one expression, in `globals` (and `locals`) when given, else in a fresh namespace.
[[nodiscard]] inline Owned<Any> eval(Python py, const char* expression) {
    return detail::run_source(py, expression, Py_eval_input, nullptr, nullptr);
}
[[nodiscard]] inline Owned<Any> eval(Python py, const char* expression, Borrowed<Dict> globals) {
    return detail::run_source(py, expression, Py_eval_input, &globals, nullptr);
}
[[nodiscard]] inline Owned<Any> eval(Python py, const char* expression, Borrowed<Dict> globals,
                                     Borrowed<Mapping> locals) {
    return detail::run_source(py, expression, Py_eval_input, &globals, &locals);
}

// Executes statements, in `globals` (and `locals`) when given, else in a fresh namespace.
inline void run(Python py, const char* statements) {
    (void)detail::run_source(py, statements, Py_file_input, nullptr, nullptr);
}
inline void run(Python py, const char* statements, Borrowed<Dict> globals) {
    (void)detail::run_source(py, statements, Py_file_input, &globals, nullptr);
}
inline void run(Python py, const char* statements, Borrowed<Dict> globals, Borrowed<Mapping> locals) {
    (void)detail::run_source(py, statements, Py_file_input, &globals, &locals);
}

}  // namespace pyowned
