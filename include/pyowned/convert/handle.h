// Handles as conversion targets and sources: a checked downcast in, the object itself out.
#pragma once
#include "../types/any_impl.h"

namespace pyowned {

namespace detail {
template <class T>
PYOWNED_INLINE bool tag_matches(PyObject* o) noexcept {
    if constexpr (std::is_same_v<T, Any>) {
        (void)o;
        return true;
    } else {
        return tag_ops<T>::check(o) > 0;  // -1 leaves its error set: the failure outcome
    }
}
}  // namespace detail

template <class T>
struct FromPython<Borrowed<T>> {
    static constexpr std::string_view name = detail::tag_ops<T>::name;
    static constexpr Views views = Views::object;
    PYOWNED_INLINE static std::optional<Borrowed<T>> from_python(Borrowed<Any> obj) noexcept {
        if (!detail::tag_matches<T>(obj.ptr())) return std::nullopt;
        return obj.cast_unchecked<T>();
    }
};

template <class T>
struct FromPython<Owned<T>> {
    static constexpr std::string_view name = detail::tag_ops<T>::name;
    PYOWNED_INLINE static std::optional<Owned<T>> from_python(Borrowed<Any> obj) noexcept {
        if (!detail::tag_matches<T>(obj.ptr())) return std::nullopt;
        return Owned<T>::from_borrowed_ptr(obj.py(), obj.ptr());
    }
};

template <class T>
struct FromPython<Py<T>> {
    static constexpr std::string_view name = detail::tag_ops<T>::name;
    PYOWNED_INLINE static std::optional<Py<T>> from_python(Borrowed<Any> obj) noexcept {
        if (!detail::tag_matches<T>(obj.ptr())) return std::nullopt;
        return Py<T>::from_borrowed_ptr(obj.py(), obj.ptr());
    }
};

template <class T>
struct IntoPython<Owned<T>> {
    static Owned<T> into_python(Python, const Owned<T>& o) noexcept { return o; }
    static Owned<T> into_python(Python, Owned<T>&& o) noexcept { return std::move(o); }
};

template <class T>
struct IntoPython<Borrowed<T>> {
    static Owned<T> into_python(Python, Borrowed<T> b) noexcept { return b.to_owned(); }
};

template <class T>
struct IntoPython<Py<T>> {
    static Owned<T> into_python(Python py, const Py<T>& p) { return p.clone_ref(py).into_bound(py); }
    static Owned<T> into_python(Python py, Py<T>&& p) { return std::move(p).into_bound(py); }
};

}  // namespace pyowned
