// Borrowed<T>: a non-owning view of an object, the size and representation of PyObject*.
#pragma once
#include "python.h"

namespace pyowned {

template <class T>
class Borrowed : public detail::Methods<T, Borrowed<T>> {
public:
    using tag = T;

    // The caller guarantees that `ptr` is a live object of type T for as long as the view is used.
    [[nodiscard]] static Borrowed from_ptr(Python, PyObject* ptr) noexcept { return Borrowed(ptr); }

    Borrowed(const Borrowed&) noexcept = default;
    Borrowed& operator=(const Borrowed&) noexcept = default;

    template <class U>
        requires(!std::is_same_v<U, T> && SubtypeOf<U, T>)
    Borrowed(Borrowed<U> other) noexcept : ptr_(other.ptr()) {}

    // Views an Owned (or an Owned of a subtype). Valid while that Owned lives.
    template <class U>
        requires SubtypeOf<U, T>
    Borrowed(const Owned<U>& owner PYOWNED_LIFETIMEBOUND) noexcept : ptr_(owner.ptr()) {}

    [[nodiscard]] PyObject* ptr() const noexcept { return ptr_; }
    [[nodiscard]] Python py() const noexcept { return detail::token(); }

    // A new strong reference to the same object.
    [[nodiscard]] Owned<T> to_owned() const noexcept;

private:
    explicit Borrowed(PyObject* ptr) noexcept : ptr_(ptr) {}
    template <class>
    friend class Borrowed;
    template <class>
    friend class Owned;
    template <class>
    friend class Py;
    friend struct detail::HandleAccess;

    PyObject* ptr_;
};

}  // namespace pyowned
