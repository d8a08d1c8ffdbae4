// KeepAlive: the references a bound function's call holds for views into container items.
#pragma once
#include "../detail/compat.h"
#include <vector>

namespace pyowned::detail {

// A parameter such as std::vector<std::string_view> views strs that only the container,
// or a temporary made while converting it, holds: the list PySequence_Fast makes of a
// sequence, the items a generator yields, a list that a later item's __index__ empties.
// Those are gone before the C++ body runs. So while a call converts its arguments, the
// dispatcher keeps a KeepAlive active on this thread, and every item whose conversion is a
// view (FromPython<T>::views == Views::object, see item_from_python) is held by it until
// the call returns. Only signatures with such parameters have one: the others pay nothing.
class KeepAlive {
public:
    KeepAlive() noexcept : outer_(active_) { active_ = this; }
    KeepAlive(const KeepAlive&) = delete;
    KeepAlive& operator=(const KeepAlive&) = delete;
    ~KeepAlive() {
        done_converting();
        for (PyObject* item : held_) Py_DECREF(item);  // the call has returned: attached
    }

    // The arguments are converted: later conversions (in the body) are not this call's.
    void done_converting() noexcept {
        if (active_ == this) active_ = outer_;
    }

    // Holds `item` until the converting call returns. False, with RuntimeError set, when no
    // call is converting (a container of views converted outside a bound function).
    static bool keep(PyObject* item) {
        KeepAlive* keeper = active_;
        if (PYOWNED_UNLIKELY(!keeper)) {
            PyErr_SetString(PyExc_RuntimeError,
                            "pyowned: a container of views (such as std::vector<std::string_view>) can only be "
                            "converted for a bound function's parameter, which keeps its items alive");
            return false;
        }
        keeper->held_.push_back(item);  // may throw std::bad_alloc: then nothing is held
        Py_INCREF(item);
        return true;
    }

private:
    static inline thread_local KeepAlive* active_ = nullptr;
    KeepAlive* outer_;  // the call whose conversion ran Python code that called this one
    std::vector<PyObject*> held_;
};

// What a call whose parameters hold no views into items has instead: nothing.
struct NoKeepAlive {
    void done_converting() noexcept {}
};

}  // namespace pyowned::detail
