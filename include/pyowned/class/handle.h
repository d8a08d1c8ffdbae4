// Handles to instances of bound classes: h.get() / h.get_mut() borrow the C++ object,
// py::Owned<T>::make constructs a new instance, Py<T>::get() reads a frozen one without a token.
#pragma once
#include "borrow.h"
#include "convert.h"

namespace pyowned {

namespace detail {

// isinstance(o, <T's class>): 1, 0, or -1 with TypeError set when T is not bound.
template <class T>
int class_check(PyObject* o) noexcept {
    const ClassRecord* r = class_of<T>();
    if (!r) return -1;
    return Py_TYPE(o) == r->type || PyType_IsSubtype(Py_TYPE(o), r->type);
}

template <class T, class Self>
    requires BoundClass<T>
struct Methods<T, Self> : Methods<Any, Self> {
    // A shared borrow of the C++ object while the guard lives (RuntimeError if it is
    // mutably borrowed, TypeError if the instance is uninitialized).
    [[nodiscard]] Ref<T> get() const { return Ref<T>(this->self().ptr()); }
    // An exclusive borrow (RuntimeError if it is borrowed at all). Not for py::frozen classes.
    [[nodiscard]] RefMut<T> get_mut() const
        requires(!is_frozen<T>)
    {
        return RefMut<T>(this->self().ptr());
    }
};

}  // namespace detail

template <class T>
template <class... A>
    requires detail::BoundClass<T>
Owned<T> Owned<T>::make(Python py, A&&... args) {
    const detail::ClassRecord* r = detail::class_of<T>();
    PyObject* self = detail::new_instance(r);
    try {
        void* at = r->storage(self);
        if constexpr (std::is_constructible_v<T, A&&...>) ::new (at) T(std::forward<A>(args)...);
        else ::new (at) T{std::forward<A>(args)...};
    } catch (...) {
        Py_DECREF(self);  // never constructed: dealloc does not destroy it
        throw;
    }
    detail::publish(self, r, detail::Holder::inline_value);
    return Owned<T>::from_owned_ptr(py, self);
}

template <class T>
const T& Py<T>::get() const
    requires(detail::BoundClass<T> && is_frozen<T>)
{
    if (!ptr_) detail::throw_empty_py();
    const detail::ClassRecord* have = detail::head_of(ptr_)->record.load(std::memory_order_acquire);
    if (!have)
        throw Error::of<TypeError>(std::string(detail::api::type_name_of(ptr_).c_str()) + " object is not initialized");
    // the bound class T among the instance's classes, found without Python (no token)
    void* value = have->value(ptr_);
    for (const detail::ClassRecord* r = have; r; value = r->base ? r->upcast(value) : value, r = r->base)
        if (*r->cpp_type == typeid(T)) return *static_cast<const T*>(value);
    throw Error::of<TypeError>(std::string(detail::api::type_name_of(ptr_).c_str()) + " object holds no C++ " +
                               have->cpp_name);
}

}  // namespace pyowned
