// Callbacks: std::function<R(Args...)> parameters and returns. A Python callable becomes a
// std::function that holds it and may be called (and dropped) on any thread; a C++ one
// becomes a Python function. Opt-in, as <pyowned/stl.h>:  #include <pyowned/functional.h>
#pragma once
#include "pyowned.h"
#include "stl/common.h"
#include <functional>
#include <memory>
#include <stdexcept>

namespace pyowned {

namespace detail {

// "Callable[[int, str], bool]": a callback's type as messages and stubs name it.
inline constexpr std::string_view closing_bracket = "]";
template <class R, class... Args>
using callable_name =
    joined_name<generic_name<"Callable[[", ", ", "], ", Args...>::value, result_name_of<R>::value, closing_bracket>;

template <class T>
inline constexpr bool is_py_v = false;
template <class T>
inline constexpr bool is_py_v<Py<T>> = true;

// A Python callable in a std::function. Shared through a shared_ptr, so the std::function
// copies without a token; the last copy drops the reference directly when attached, queued
// when not (Py's queue), or not at all once the run it was made in has ended.
template <class R, class... Args>
struct PythonCallback {
    std::shared_ptr<const Py<Any>> callable;
    std::uint64_t run;  // the interpreter run it belongs to

    // Attaches if the thread is not attached (a thread Python never saw, or one inside
    // py.detach), calls, converts the result; throws py::Error for a Python exception, and
    // std::runtime_error once the interpreter is finalizing or finalized (without touching
    // Python: the callable may be gone).
    R operator()(Args... args) const {
        // attached implies initialized; up to 3.11 is_attached() checks that itself
        const bool attached = run == current_run() && compat::is_attached();
        if (PYOWNED_LIKELY(attached && !compat::is_finalizing())) return invoke(token(), std::forward<Args>(args)...);
        if (attached || run != current_run() || !Py_IsInitialized() || compat::is_finalizing()) throw_finalizing();
        return attach([&](Python py) -> R { return invoke(py, std::forward<Args>(args)...); });
    }

private:
    [[noreturn]] PYOWNED_COLD static void throw_finalizing() {
        throw std::runtime_error(
            "pyowned: a Python callback was called after the interpreter began finalizing (join the threads that "
            "call callbacks before ~Interpreter)");
    }
    R invoke(Python py, Args... args) const {
        Owned<Any> result = callable->bind(py).call(std::forward<Args>(args)...);
        if constexpr (!std::is_void_v<R>) return result.template extract<R>();
    }
};

}  // namespace detail

// A Python callable as a std::function (TypeError at the call for anything not callable).
template <class R, class... Args>
struct FromPython<std::function<R(Args...)>> {
    static_assert(!std::is_reference_v<R> && detail::views_of<R>() == Views::none &&
                      (!detail::is_handle_v<R> || detail::is_py_v<R>),
                  "pyowned: a callback's result must own its value: not a reference, a view (std::string_view) or "
                  "an Owned/Borrowed handle, which would outlive the Python result or the attachment; return "
                  "std::string, a value, or a py::Py");
    static constexpr std::string_view name = detail::callable_name<R, Args...>::value;
    static std::optional<std::function<R(Args...)>> from_python(Borrowed<Any> obj) {
        if (!PyCallable_Check(obj.ptr())) return std::nullopt;
        auto held = std::make_shared<const Py<Any>>(Py<Any>::from_borrowed_ptr(obj.py(), obj.ptr()));
        return std::function<R(Args...)>(detail::PythonCallback<R, Args...>{std::move(held), detail::current_run()});
    }
};

// A std::function as a Python function (typed signature, as m.def makes); one that holds a
// Python callable gives that callable back; an empty one is None.
template <class R, class... Args>
struct IntoPython<std::function<R(Args...)>> {
    template <class V>
    static Owned<Any> into_python(Python py, V&& f) {
        if (!f) return Owned<Any>::from_borrowed_ptr(py, Py_None);
        if (const auto* held = f.template target<detail::PythonCallback<R, Args...>>();
            held && held->run == detail::current_run())
            return Owned<Any>::from_borrowed_ptr(py, held->callable->ptr());
        return make_function(py, "function", std::function<R(Args...)>(std::forward<V>(f)));
    }
};

}  // namespace pyowned
