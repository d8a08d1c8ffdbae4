// py::Interpreter: the RAII owner of an embedded interpreter (one at a time per process).
#pragma once
#include "../types/any_impl.h"
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace pyowned {

// Initializes Python (inside an active virtual environment when VIRTUAL_ENV is set) and
// leaves this thread detached, so py::attach works from any thread. Its destructor
// attaches, runs the pending decrefs, and finalizes. Destroy it on the thread that made it.
class Interpreter {
public:
    Interpreter() {
        if (Py_IsInitialized()) throw std::logic_error("pyowned::Interpreter: Python is already initialized");
        PyConfig config;
        PyConfig_InitPythonConfig(&config);
        config.parse_argv = 0;
        // A virtual environment is found from the interpreter's program path: point that at
        // the environment's python so CPython reads its pyvenv.cfg and sets sys.prefix.
        if (const char* venv = std::getenv("VIRTUAL_ENV"); venv && *venv) {
            std::string program = std::string(venv) + "/bin/python";
            PyStatus status = PyConfig_SetBytesString(&config, &config.program_name, program.c_str());
            if (PyStatus_Exception(status)) fail(config, status);
        }
        PyStatus status = Py_InitializeFromConfig(&config);
        if (PyStatus_Exception(status)) fail(config, status);
        PyConfig_Clear(&config);
        detail::lifetimes.track();
        main_thread_ = PyEval_SaveThread();  // detached; attach() takes the GIL when needed
    }

    Interpreter(const Interpreter&) = delete;
    Interpreter& operator=(const Interpreter&) = delete;

    // References kept from this run (a Py<T> in a global, a py::Error) are never touched
    // again: dropped later, even while another Interpreter runs, they do nothing.
    ~Interpreter() {
        PyEval_RestoreThread(main_thread_);
        detail::drain_pending_decrefs();
        const std::uint64_t run = detail::current_run();
        Py_FinalizeEx();
        // The Py_AtExit callback ended the run already, unless CPython had no room for it.
        if (detail::current_run() == run) detail::lifetimes.end_run();
    }

private:
    [[noreturn]] static void fail(PyConfig& config, PyStatus status) {
        PyConfig_Clear(&config);
        std::string message = "pyowned::Interpreter: Python failed to initialize";
        if (status.func) message += std::string(" in ") + status.func;
        if (status.err_msg) message += std::string(": ") + status.err_msg;
        throw std::runtime_error(message);
    }

    PyThreadState* main_thread_;
};

}  // namespace pyowned
