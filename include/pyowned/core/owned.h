// Owned<T>: a strong reference usable while attached. Copy increfs, move steals, drop decrefs.
#pragma once
#include "borrowed.h"

namespace pyowned {

template <class T>
class Owned : public detail::Methods<T, Owned<T>> {
public:
    using tag = T;

    // Takes over the strong reference `ptr` (non-null, of type T; unchecked).
    [[nodiscard]] static Owned from_owned_ptr(Python, PyObject* ptr) noexcept { return Owned(ptr); }
    // Takes a new strong reference to `ptr` (non-null, of type T; unchecked).
    [[nodiscard]] static Owned from_borrowed_ptr(Python, PyObject* ptr) noexcept {
        PYOWNED_ASSERT_ATTACHED();
        return Owned(Py_NewRef(ptr));
    }

    Owned(const Owned& other) noexcept : ptr_(other.ptr_) {
        PYOWNED_ASSERT_ATTACHED();
        Py_XINCREF(ptr_);
    }
    Owned(Owned&& other) noexcept : ptr_(std::exchange(other.ptr_, nullptr)) {}

    template <class U>
        requires(!std::is_same_v<U, T> && SubtypeOf<U, T>)
    Owned(const Owned<U>& other) noexcept : ptr_(other.ptr()) {
        PYOWNED_ASSERT_ATTACHED();
        Py_XINCREF(ptr_);
    }
    template <class U>
        requires(!std::is_same_v<U, T> && SubtypeOf<U, T>)
    Owned(Owned<U>&& other) noexcept : ptr_(std::move(other).into_ptr()) {}

    Owned& operator=(const Owned& other) noexcept {
        Owned(other).swap(*this);
        return *this;
    }
    Owned& operator=(Owned&& other) noexcept {
        Owned(std::move(other)).swap(*this);
        return *this;
    }

    ~Owned() {
        if (ptr_) {
            PYOWNED_ASSERT_ATTACHED();
            Py_DECREF(ptr_);
        }
    }

    void swap(Owned& other) noexcept { std::swap(ptr_, other.ptr_); }

    [[nodiscard]] PyObject* ptr() const noexcept { return ptr_; }
    [[nodiscard]] Python py() const noexcept { return detail::token(); }

    // A view; unavailable on a temporary, whose view would dangle.
    [[nodiscard]] Borrowed<T> borrow() const& noexcept PYOWNED_LIFETIMEBOUND { return Borrowed<T>(ptr_); }
    Borrowed<T> borrow() const&& = delete;

    // Gives the strong reference away, leaving this handle empty.
    [[nodiscard]] PyObject* into_ptr() && noexcept { return std::exchange(ptr_, nullptr); }

    // A storable reference that needs no token.
    [[nodiscard]] Py<T> unbind() && noexcept;

    // A new instance of a bound class, its C++ object constructed in place from `args`.
    template <class... A>
        requires detail::BoundClass<T>
    [[nodiscard]] static Owned make(Python py, A&&... args);

private:
    explicit Owned(PyObject* ptr) noexcept : ptr_(ptr) {}
    template <class>
    friend class Owned;
    template <class>
    friend class Borrowed;
    template <class>
    friend class Py;
    friend struct detail::HandleAccess;

    PyObject* ptr_;
};

template <class T>
Owned<T> Borrowed<T>::to_owned() const noexcept {
    PYOWNED_ASSERT_ATTACHED();
    return Owned<T>(Py_NewRef(ptr_));
}

}  // namespace pyowned
