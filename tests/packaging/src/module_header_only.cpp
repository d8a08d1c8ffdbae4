// Packaging test extension module, built with pyowned_add_module(... HEADER_ONLY ...).
#include "bindings.h"

PYOWNED_MODULE(pyowned_packaging_header_only, m) { packaging::define(m); }
