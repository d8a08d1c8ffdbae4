// Py<T>: a strong reference that needs no token: storable, and movable across threads.
#pragma once
#include "owned.h"

namespace pyowned {

namespace detail {
template <class = void>
[[noreturn]] void throw_empty_py();  // core/error.h
}

template <class T>
class Py {
public:
    using tag = T;

    [[nodiscard]] static Py from_owned_ptr(Python, PyObject* ptr) noexcept { return Py(ptr); }
    [[nodiscard]] static Py from_borrowed_ptr(Python, PyObject* ptr) noexcept {
        PYOWNED_ASSERT_ATTACHED();
        return Py(Py_NewRef(ptr));
    }

    // Copying needs the token: use clone_ref(py).
    Py(const Py&) = delete;
    Py& operator=(const Py&) = delete;

    Py(Py&& other) noexcept : ptr_(std::exchange(other.ptr_, nullptr)), run_(other.run_) {}
    template <class U>
        requires(!std::is_same_v<U, T> && SubtypeOf<U, T>)
    Py(Py<U>&& other) noexcept : ptr_(std::exchange(other.ptr_, nullptr)), run_(other.run_) {}

    Py& operator=(Py&& other) noexcept {
        Py(std::move(other)).swap(*this);
        return *this;
    }

    // Decrefs directly when attached, queues the decref when detached (done at the next
    // attach or bound-function entry), and does nothing once the interpreter run it was
    // made in has ended, even while a later run (a new py::Interpreter) is going on.
    ~Py() {
        if (ptr_) detail::release_anywhere(ptr_, run_);
    }

    void swap(Py& other) noexcept {
        std::swap(ptr_, other.ptr_);
        std::swap(run_, other.run_);
    }

    // An empty Py (moved from, or a member that tp_clear emptied to break a cycle) has no
    // object to hand out: clone_ref, bind and into_bound throw py::Error (ValueError).
    [[nodiscard]] bool is_empty() const noexcept { return ptr_ == nullptr; }

    [[nodiscard]] Py clone_ref(Python) const {
        PYOWNED_ASSERT_ATTACHED();
        if (PYOWNED_UNLIKELY(!ptr_)) detail::throw_empty_py();
        return Py(Py_NewRef(ptr_));
    }

    // A view bound to the token; unavailable on a temporary, whose view would dangle.
    [[nodiscard]] Borrowed<T> bind(Python) const& PYOWNED_LIFETIMEBOUND {
        if (PYOWNED_UNLIKELY(!ptr_)) detail::throw_empty_py();
        return Borrowed<T>(ptr_);
    }
    Borrowed<T> bind(Python) const&& = delete;

    [[nodiscard]] Owned<T> into_bound(Python) && {
        if (PYOWNED_UNLIKELY(!ptr_)) detail::throw_empty_py();
        return Owned<T>(std::exchange(ptr_, nullptr));
    }

    [[nodiscard]] PyObject* ptr() const noexcept { return ptr_; }
    [[nodiscard]] PyObject* into_ptr() && noexcept { return std::exchange(ptr_, nullptr); }

    // The C++ object of an instance of a py::frozen class, without a token: immutable after
    // construction, it needs no borrow. Throws py::Error (TypeError) if this Py is empty or
    // the instance was never initialized.
    [[nodiscard]] const T& get() const
        requires(detail::BoundClass<T> && is_frozen<T>);

private:
    explicit Py(PyObject* ptr) noexcept : ptr_(ptr), run_(detail::current_run()) {}
    template <class>
    friend class Py;
    template <class>
    friend class Owned;
    friend struct detail::HandleAccess;

    PyObject* ptr_;
    // The interpreter run the reference belongs to (core/lifetime.h): a second word, since
    // only the handle itself can tell a later run's drop that its object is long gone.
    std::uint64_t run_;
};

template <class T>
Py<T> Owned<T>::unbind() && noexcept {
    return Py<T>(std::exchange(ptr_, nullptr));
}

}  // namespace pyowned
