// The Python token: proof that this thread is attached; attach() and Python::detach().
#pragma once
#include "fwd.h"
#include "lifetime.h"
#include <stdexcept>
#include <utility>

namespace pyowned {

namespace detail {
struct TokenAccess;
}

// Proof that the calling thread is attached to the interpreter (holds the GIL on GIL
// builds). It has no state; it cannot be made from nothing.
class Python {
    constexpr Python() noexcept = default;
    friend struct detail::TokenAccess;

public:
    // For C callbacks that Python calls with the thread attached. Asserting, not checking:
    // calling it on a detached thread is undefined behaviour.
    [[nodiscard]] static Python assume_attached() noexcept {
        PYOWNED_ASSERT_ATTACHED();
        return Python{};
    }

    // Runs f() with this thread detached (the GIL released), re-attaches afterwards, also
    // when f throws, and then drains the pending decrefs of Py<T> dropped meanwhile.
    template <class F>
    decltype(auto) detach(F&& f) const {
        struct Reattach {
            PyThreadState* state;
            ~Reattach() {
                PyEval_RestoreThread(state);
                detail::drain_pending_decrefs();
            }
        } guard{PyEval_SaveThread()};
        return std::forward<F>(f)();
    }
};

namespace detail {
struct TokenAccess {
    static constexpr Python make() noexcept { return Python{}; }
};
// Only for pyowned's own code, at places where attachment is already known.
constexpr Python token() noexcept { return TokenAccess::make(); }
}  // namespace detail

// Calls f(py) with this thread attached and returns its result. Reentrant; works on
// threads Python never saw. Drains decrefs queued by Py<T> dropped while detached.
template <class F>
decltype(auto) attach(F&& f) {
    if (PYOWNED_UNLIKELY(!Py_IsInitialized()))
        throw std::logic_error("pyowned::attach: the Python interpreter is not initialized");
    struct Release {
        PyGILState_STATE state;
        ~Release() { PyGILState_Release(state); }
    } guard{PyGILState_Ensure()};
    detail::lifetimes.track();
    detail::drain_pending_decrefs();
    return std::forward<F>(f)(detail::token());
}

}  // namespace pyowned
