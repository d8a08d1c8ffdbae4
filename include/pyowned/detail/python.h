// The one place pyowned includes <Python.h>: size-correct argument parsing, nothing else.
#pragma once
#ifndef PY_SSIZE_T_CLEAN
#define PY_SSIZE_T_CLEAN
#endif
#include <Python.h>

#if PY_VERSION_HEX < 0x030A0000
#error "pyowned supports CPython 3.10 and newer"
#endif
#include "limited.h"
