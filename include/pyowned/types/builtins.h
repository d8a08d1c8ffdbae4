// Python's builtins as free functions: py::print, py::len, py::isinstance, py::iter,
// py::next, and the builtin singletons and module. Each raises what the builtin raises.
#pragma once
#include "../bind/module.h"
#include "iterator.h"

namespace pyowned {

// The `builtins` module.
[[nodiscard]] inline Owned<Module> builtins(Python) {
    return detail::steal_or_throw<Owned<Module>>(PyImport_ImportModule("builtins"));
}

// Python's print(*args, sep=..., end=..., file=..., flush=...): arguments as for h.call(...),
// keyword arguments as py::arg("sep") = ", ". Writes to sys.stdout unless `file` is given.
template <class... A>
void print(Python py, A&&... args) {
    (void)builtins(py).getattr("print").call(std::forward<A>(args)...);
}

namespace detail {
// The builtins below on any handle (a Py<T> too: the token is in hand), through the
// operations of Any, which are Python's own (len runs a list subclass's __len__).
template <class H>
Borrowed<Any> view_of(const H& h) noexcept {
    return Borrowed<Any>::from_ptr(token(), h.ptr());
}
}  // namespace detail

// len(h): TypeError for an object without a length, as Python's len.
template <class H>
    requires detail::is_handle_v<H>
[[nodiscard]] Py_ssize_t len(const H& h) {
    return detail::view_of(h).len();
}

// isinstance(h, type): `type` a type, a tuple of types (or any handle that answers
// __instancecheck__); TypeError otherwise, as Python's isinstance.
template <class H, class T>
    requires(detail::is_handle_v<H> && detail::is_handle_v<T>)
[[nodiscard]] bool isinstance(const H& h, const T& type) {
    return detail::view_of(h).is_instance(type);
}
// isinstance(h, <the tag's type>): py::isinstance<py::Str>(h).
template <TypeTag U, class H>
    requires detail::is_handle_v<H>
[[nodiscard]] bool isinstance(const H& h) {
    return detail::view_of(h).template is_instance<U>();
}

// iter(h): TypeError "'int' object is not iterable" as Python's iter.
template <class H>
    requires detail::is_handle_v<H>
[[nodiscard]] Owned<Iterator> iter(const H& h) {
    return detail::view_of(h).iter();
}

// next(it): the next item, or nullopt when exhausted (StopIteration is not an error here);
// an error the iterator raises is thrown, and an object that is not an iterator is the
// TypeError Python's next raises.
template <class H>
    requires detail::is_handle_v<H>
[[nodiscard]] std::optional<Owned<Any>> next(const H& it) {
    if (PYOWNED_UNLIKELY(!PyIter_Check(it.ptr()))) {
        PyErr_Format(PyExc_TypeError, "'%.200s' object is not an iterator",
                     detail::api::type_name_of(it.ptr()).c_str());
        detail::throw_fetched();
    }
    return Borrowed<Iterator>::from_ptr(detail::token(), it.ptr()).next();
}

// The builtin singletons `...` and NotImplemented (return the latter from a binary operator
// written in C++ that does not handle the other operand, so Python tries the reflected one).
[[nodiscard]] inline Owned<Any> ellipsis(Python py) noexcept { return Owned<Any>::from_borrowed_ptr(py, Py_Ellipsis); }
[[nodiscard]] inline Owned<Any> not_implemented(Python py) noexcept {
    return Owned<Any>::from_borrowed_ptr(py, Py_NotImplemented);
}

}  // namespace pyowned
