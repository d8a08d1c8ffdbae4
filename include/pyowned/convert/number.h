// A number (bool, int, float) as a new reference without an exception on the way: what a
// binding returns once its borrows have ended (a copied number needs no object).
#pragma once
#include "floating.h"
#include "integer.h"

namespace pyowned::detail {

template <class T>
concept PlainNumber = std::same_as<T, bool> || std::floating_point<T> || Integer<T>;

// A new reference, or nullptr with MemoryError set.
template <PlainNumber T>
PYOWNED_INLINE PyObject* number_ptr(T value) noexcept {
    if constexpr (std::same_as<T, bool>) return Py_NewRef(value ? Py_True : Py_False);
    else if constexpr (std::floating_point<T>) return PyFloat_FromDouble(static_cast<double>(value));
    else return int_ptr(value);
}

}  // namespace pyowned::detail
