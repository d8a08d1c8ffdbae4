// py::check_signals: lets KeyboardInterrupt (and other signal handlers) reach a long native loop.
#pragma once
#include "error.h"

namespace pyowned {

// Runs pending Python signal handlers (main thread only; elsewhere a no-op, as in CPython).
// Throws the handler's exception, e.g. KeyboardInterrupt for Ctrl-C.
inline void check_signals(Python) {
    if (PyErr_CheckSignals() < 0) detail::throw_fetched();
}

}  // namespace pyowned
