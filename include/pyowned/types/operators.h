// Python's operators on handles: `a + b`, `1 + h`, `-h`, ... (each Python's binary or unary
// operator, NotImplemented and reflected methods included), `+=` on Owned<Any> (which Python's
// in-place protocol may rebind to another object), the named forms of every handle
// (a.floor_div(b), a.pow(b), a.iadd(b), ...), and == between handles refused.
#pragma once
#include "any_impl.h"

namespace pyowned {

namespace detail {

// A handle that carries the token (Owned or Borrowed): an operator needs one on either side.
template <class T>
struct is_bound_handle : std::false_type {};
template <class T>
struct is_bound_handle<Owned<T>> : std::true_type {};
template <class T>
struct is_bound_handle<Borrowed<T>> : std::true_type {};
template <class T>
inline constexpr bool is_bound_handle_v = is_bound_handle<std::remove_cvref_t<T>>::value;

// An operand: any handle, or a C++ value with a conversion to Python other than a bound
// class's (every class type would match that one, std::ostream included: `std::cout << h`
// must not become Python's <<; a bound object is an operand through its handle).
template <class T>
concept Operand =
    is_handle_v<T> || (Convertible<T> && !requires { IntoPython<std::remove_cvref_t<T>>::class_conversion; });

template <class A, class B>
concept OperandPair = Operand<A> && Operand<B> && (is_bound_handle_v<A> || is_bound_handle_v<B>);

using BinaryOp = PyObject* (*)(PyObject*, PyObject*);

// `op` applied to two operands, as a new reference; a C++ value is converted first (a
// handle is passed as it is). Throws py::Error: the TypeError Python words for unsupported
// operand types, or whatever the operator raised.
template <class A, class B>
Owned<Any> apply_binary(Python py, BinaryOp op, A&& a, B&& b) {
    auto x = hold(py, std::forward<A>(a));
    auto y = hold(py, std::forward<B>(b));
    return steal_or_throw<Owned<Any>>(op(x.ptr(), y.ptr()));
}

template <class A, class B>
Owned<Any> apply_operator(BinaryOp op, A&& a, B&& b) {
    Python py = [&] {
        if constexpr (is_bound_handle_v<A>) return a.py();
        else return b.py();
    }();
    return apply_binary(py, op, std::forward<A>(a), std::forward<B>(b));
}

// Python's three-argument power with None as the modulus (what `**` is).
inline PyObject* power(PyObject* a, PyObject* b) noexcept { return PyNumber_Power(a, b, Py_None); }
inline PyObject* in_place_power(PyObject* a, PyObject* b) noexcept { return PyNumber_InPlacePower(a, b, Py_None); }

template <class>
inline constexpr bool handle_equality_refused = false;

// --- the named forms (declared in any.h) --------------------------------------------------

#define PYOWNED_NAMED_BINARY(name, function)                         \
    template <class Self>                                            \
    template <class V>                                               \
    auto Methods<Any, Self>::name(V&& other) const -> Owned<Any> {   \
        auto o = hold(self().py(), std::forward<V>(other));          \
        return steal_or_throw<Owned<Any>>(function(ptr(), o.ptr())); \
    }
PYOWNED_NAMED_BINARY(floor_div, PyNumber_FloorDivide)
PYOWNED_NAMED_BINARY(pow, power)
PYOWNED_NAMED_BINARY(matmul, PyNumber_MatrixMultiply)
PYOWNED_NAMED_BINARY(iadd, PyNumber_InPlaceAdd)
PYOWNED_NAMED_BINARY(isub, PyNumber_InPlaceSubtract)
PYOWNED_NAMED_BINARY(imul, PyNumber_InPlaceMultiply)
PYOWNED_NAMED_BINARY(itruediv, PyNumber_InPlaceTrueDivide)
PYOWNED_NAMED_BINARY(ifloor_div, PyNumber_InPlaceFloorDivide)
PYOWNED_NAMED_BINARY(imod, PyNumber_InPlaceRemainder)
PYOWNED_NAMED_BINARY(ipow, in_place_power)
PYOWNED_NAMED_BINARY(imatmul, PyNumber_InPlaceMatrixMultiply)
PYOWNED_NAMED_BINARY(ilshift, PyNumber_InPlaceLshift)
PYOWNED_NAMED_BINARY(irshift, PyNumber_InPlaceRshift)
PYOWNED_NAMED_BINARY(iand, PyNumber_InPlaceAnd)
PYOWNED_NAMED_BINARY(ior, PyNumber_InPlaceOr)
PYOWNED_NAMED_BINARY(ixor, PyNumber_InPlaceXor)
#undef PYOWNED_NAMED_BINARY

template <class Self>
template <class V, class M>
auto Methods<Any, Self>::pow(V&& exponent, M&& modulus) const -> Owned<Any> {
    Python py = self().py();
    auto e = hold(py, std::forward<V>(exponent));
    auto m = hold(py, std::forward<M>(modulus));
    return steal_or_throw<Owned<Any>>(PyNumber_Power(ptr(), e.ptr(), m.ptr()));
}

template <class Self>
auto Methods<Any, Self>::abs() const -> Owned<Any> {
    return steal_or_throw<Owned<Any>>(PyNumber_Absolute(ptr()));
}

}  // namespace detail

// --- binary operators: a handle on at least one side --------------------------------------

#define PYOWNED_BINARY_OPERATOR(op, function)                                            \
    template <class A, class B>                                                          \
        requires detail::OperandPair<A, B>                                               \
    [[nodiscard]] Owned<Any> operator op(A && a, B && b) {                               \
        return detail::apply_operator(function, std::forward<A>(a), std::forward<B>(b)); \
    }
PYOWNED_BINARY_OPERATOR(+, PyNumber_Add)
PYOWNED_BINARY_OPERATOR(-, PyNumber_Subtract)
PYOWNED_BINARY_OPERATOR(*, PyNumber_Multiply)
PYOWNED_BINARY_OPERATOR(/, PyNumber_TrueDivide)
PYOWNED_BINARY_OPERATOR(%, PyNumber_Remainder)
PYOWNED_BINARY_OPERATOR(<<, PyNumber_Lshift)
PYOWNED_BINARY_OPERATOR(>>, PyNumber_Rshift)
PYOWNED_BINARY_OPERATOR(&, PyNumber_And)
PYOWNED_BINARY_OPERATOR(|, PyNumber_Or)
PYOWNED_BINARY_OPERATOR(^, PyNumber_Xor)
#undef PYOWNED_BINARY_OPERATOR

// --- unary operators ----------------------------------------------------------------------

#define PYOWNED_UNARY_OPERATOR(op, function)                          \
    template <class H>                                                \
        requires detail::is_bound_handle_v<H>                         \
    [[nodiscard]] Owned<Any> operator op(const H & h) {               \
        return detail::steal_or_throw<Owned<Any>>(function(h.ptr())); \
    }
PYOWNED_UNARY_OPERATOR(-, PyNumber_Negative)
PYOWNED_UNARY_OPERATOR(+, PyNumber_Positive)
PYOWNED_UNARY_OPERATOR(~, PyNumber_Invert)
#undef PYOWNED_UNARY_OPERATOR

// --- in-place operators: Owned<Any> only ----------------------------------------------------
// Python's `a += b` rebinds `a` to what __iadd__ returns, which may be another object of
// another type (a tuple's += makes a new tuple; a list's extends the list itself): only an
// Owned<Any> can be rebound to it. Every other handle has a.iadd(b), ..., returning the result.

#define PYOWNED_IN_PLACE_OPERATOR(op, method)             \
    template <class B>                                    \
        requires detail::Operand<B>                       \
    Owned<Any>& operator op(Owned<Any>& a, B && b) {      \
        Owned<Any> result = a.method(std::forward<B>(b)); \
        a = std::move(result);                            \
        return a;                                         \
    }
PYOWNED_IN_PLACE_OPERATOR(+=, iadd)
PYOWNED_IN_PLACE_OPERATOR(-=, isub)
PYOWNED_IN_PLACE_OPERATOR(*=, imul)
PYOWNED_IN_PLACE_OPERATOR(/=, itruediv)
PYOWNED_IN_PLACE_OPERATOR(%=, imod)
PYOWNED_IN_PLACE_OPERATOR(<<=, ilshift)
PYOWNED_IN_PLACE_OPERATOR(>>=, irshift)
PYOWNED_IN_PLACE_OPERATOR(&=, iand)
PYOWNED_IN_PLACE_OPERATOR(|=, ior)
PYOWNED_IN_PLACE_OPERATOR(^=, ixor)
#undef PYOWNED_IN_PLACE_OPERATOR

// --- == between handles: refused ------------------------------------------------------------
// Whether `a == b` meant identity (`is`) or Python's equality (`__eq__`, which may raise)
// would be a guess; say which. (!= is rewritten to this one and refused with it.)
template <class A, class B>
    requires(detail::is_handle_v<A> || detail::is_handle_v<B>)
bool operator==(const A&, const B&) {
    static_assert(detail::handle_equality_refused<A>,
                  "pyowned: == is not defined for handles: use a.is(b) for identity (Python's `is`) "
                  "or a.eq(b) for equality (Python's ==)");
    return false;
}

}  // namespace pyowned
