// std::complex<float/double/long double>: from complex (converting pass: also int, float and
// objects with __complex__, __float__ or __index__); into complex.
#pragma once
#include "common.h"
#include <cmath>
#include <complex>
#include <concepts>

namespace pyowned {

namespace detail {

struct ComplexParts {
    double real, imag;
};

// complex(o)'s parts; real is -1.0 with an error set on failure.
inline ComplexParts complex_value(PyObject* o) noexcept {
#if PYOWNED_LIMITED
    // Py_complex is not in the limited API, and before 3.13 PyComplex_RealAsDouble does not
    // call __complex__: convert with complex() first
    PyObject* c = PyComplex_Check(o) ? Py_NewRef(o) : api::call_one(reinterpret_cast<PyObject*>(&PyComplex_Type), o);
    if (!c) return {-1.0, 0.0};
    ComplexParts parts{PyComplex_RealAsDouble(c), PyComplex_ImagAsDouble(c)};
    Py_DECREF(c);
    return parts;
#else
    const Py_complex c = PyComplex_AsCComplex(o);
    return {c.real, c.imag};
#endif
}

}  // namespace detail

template <std::floating_point T>
struct FromPython<std::complex<T>> {
    static constexpr std::string_view name = "complex";
    static std::optional<std::complex<T>> from_python(Borrowed<Any> obj, bool convert) noexcept {
        PyObject* o = obj.ptr();
        if (!PyComplex_Check(o)) {
            if (!convert || detail::is_text(o)) return std::nullopt;
            if (!PyFloat_Check(o) && !PyLong_Check(o) && !detail::api::has_float_or_index(Py_TYPE(o)) &&
                detail::type_has_attr(o, "__complex__") != 1)
                return std::nullopt;  // -1 keeps its error
        }
        const auto c = detail::complex_value(o);  // an int too large for a double: OverflowError
        if (c.real == -1.0 && PyErr_Occurred()) return std::nullopt;
        if constexpr (std::same_as<T, float>) {
            // a finite part too large for a float is an OverflowError, as for float itself
            auto too_large = [](double d) { return std::isfinite(d) && std::isinf(static_cast<float>(d)); };
            if (too_large(c.real) || too_large(c.imag)) {
                PyErr_SetString(PyExc_OverflowError, "Python complex too large to convert to C++ std::complex<float>");
                return std::nullopt;
            }
        }
        return std::complex<T>(static_cast<T>(c.real), static_cast<T>(c.imag));
    }
};

template <std::floating_point T>
struct IntoPython<std::complex<T>> {
    static Owned<Complex> into_python(Python py, const std::complex<T>& value) {
        return Complex::from(py, static_cast<double>(value.real()), static_cast<double>(value.imag()));
    }
};

}  // namespace pyowned
