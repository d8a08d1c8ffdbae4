// Arrays: py::NDArray<T, Constraints...> (parameters viewing any buffer or DLPack exporter,
// results handed to NumPy, memoryview or DLPack without a copy). Opt-in: NumPy is needed
// only at run time, and only by a function that returns a numpy.ndarray.
#pragma once
#include "pyowned.h"
#include "ndarray/ndarray.h"
