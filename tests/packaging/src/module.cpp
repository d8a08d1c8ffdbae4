// Packaging test extension module, built with pyowned_add_module (the compiled core).
#include "bindings.h"

PYOWNED_MODULE(pyowned_packaging_mod, m) { packaging::define(m); }
