// None, bool, int, float and complex: their constructors (their operations are Any's).
#pragma once
#include "../convert/floating.h"
#include "../convert/integer.h"

namespace pyowned {

inline Owned<None> None::get(Python py) noexcept { return Owned<None>::from_borrowed_ptr(py, Py_None); }

inline Owned<Bool> Bool::get(Python py, bool value) noexcept {
    return Owned<Bool>::from_borrowed_ptr(py, value ? Py_True : Py_False);
}

template <class T>
Owned<Int> Int::from(Python py, T value) {
    static_assert(detail::Integer<T>, "py::Int::from takes an integer");
    return IntoPython<T>::into_python(py, value);
}

inline Owned<Int> Int::from_object(Borrowed<Any> x) {
    return detail::steal_or_throw<Owned<Int>>(PyNumber_Long(x.ptr()));
}

inline Owned<Float> Float::from_object(Borrowed<Any> x) {
    return detail::steal_or_throw<Owned<Float>>(PyNumber_Float(x.ptr()));
}

inline Owned<Float> Float::from(Python, double value) {
    return detail::steal_or_throw<Owned<Float>>(PyFloat_FromDouble(value));
}

inline Owned<Complex> Complex::from(Python, double real, double imag) {
    return detail::steal_or_throw<Owned<Complex>>(PyComplex_FromDoubles(real, imag));
}

}  // namespace pyowned
