// Packaging test extension module: built with pyowned_add_module, imported by the script.
#include <pyowned/pyowned.h>

namespace {
PyModuleDef packaging_module = {
    PyModuleDef_HEAD_INIT,
    "pyowned_packaging_mod",
    "pyowned packaging test module",
    0,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};
}  // namespace

PyMODINIT_FUNC PyInit_pyowned_packaging_mod() { return PyModuleDef_Init(&packaging_module); }
