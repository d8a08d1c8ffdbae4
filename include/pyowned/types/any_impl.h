// Definitions of the operations every handle has (declared in any.h).
#pragma once
#include "../core/call.h"
#include "../core/error.h"
#include "../core/result.h"
#include "../convert/traits.h"
#include "any.h"

namespace pyowned {

namespace detail {

#define PYOWNED_RESOLVE(var, name)  \
    NameRef var = (name).resolve(); \
    if (PYOWNED_UNLIKELY(!var.get())) throw_fetched()

template <class Self>
auto Methods<Any, Self>::getattr(AttrName name) const -> Owned<Any> {
    PYOWNED_RESOLVE(n, name);
    return steal_or_throw<Owned<Any>>(PyObject_GetAttr(ptr(), n.get()));
}

template <class Self>
template <class V>
void Methods<Any, Self>::setattr(AttrName name, V&& value) const {
    PYOWNED_RESOLVE(n, name);
    auto v = hold(self().py(), std::forward<V>(value));
    check_status(PyObject_SetAttr(ptr(), n.get(), v.ptr()));
}

template <class Self>
void Methods<Any, Self>::delattr(AttrName name) const {
    PYOWNED_RESOLVE(n, name);
    check_status(PyObject_SetAttr(ptr(), n.get(), nullptr));
}

template <class Self>
bool Methods<Any, Self>::hasattr(AttrName name) const {
    PYOWNED_RESOLVE(n, name);
    PyObject* value;
    int found = compat::get_optional_attr(ptr(), n.get(), &value);
    check_status(found);
    Py_XDECREF(value);
    return found == 1;
}

template <class Self>
template <class... A>
auto Methods<Any, Self>::call(A&&... args) const -> Owned<Any> {
    return steal_or_throw<Owned<Any>>(vectorcall(self().py(), ptr(), nullptr, std::forward<A>(args)...));
}

template <class Self>
template <class... A>
auto Methods<Any, Self>::operator()(A&&... args) const -> Owned<Any> {
    return steal_or_throw<Owned<Any>>(vectorcall(self().py(), ptr(), nullptr, std::forward<A>(args)...));
}

template <class Self>
template <class... A>
auto Methods<Any, Self>::try_call(A&&... args) const -> Result<Owned<Any>> {
    try {
        PyObject* r = vectorcall(self().py(), ptr(), nullptr, std::forward<A>(args)...);
        if (PYOWNED_UNLIKELY(!r)) return Error::fetch(self().py());
        return Owned<Any>::from_owned_ptr(self().py(), r);
    } catch (Error& e) {  // an argument that failed to convert
        return std::move(e);
    }
}

template <class Self>
template <class... A>
auto Methods<Any, Self>::call_method(AttrName name, A&&... args) const -> Owned<Any> {
    PYOWNED_RESOLVE(n, name);
    return steal_or_throw<Owned<Any>>(vectorcall(self().py(), ptr(), n.get(), std::forward<A>(args)...));
}

#undef PYOWNED_RESOLVE

template <class Self>
template <class K>
auto Methods<Any, Self>::get_item(K&& key) const -> Owned<Any> {
    auto k = hold(self().py(), std::forward<K>(key));
    return steal_or_throw<Owned<Any>>(PyObject_GetItem(ptr(), k.ptr()));
}

template <class Self>
template <class K, class V>
void Methods<Any, Self>::set_item(K&& key, V&& value) const {
    auto k = hold(self().py(), std::forward<K>(key));
    auto v = hold(self().py(), std::forward<V>(value));
    check_status(PyObject_SetItem(ptr(), k.ptr(), v.ptr()));
}

template <class Self>
template <class K>
void Methods<Any, Self>::del_item(K&& key) const {
    auto k = hold(self().py(), std::forward<K>(key));
    check_status(PyObject_DelItem(ptr(), k.ptr()));
}

template <class Self>
template <class V>
bool Methods<Any, Self>::contains(V&& value) const {
    auto v = hold(self().py(), std::forward<V>(value));
    int r = PySequence_Contains(ptr(), v.ptr());
    check_status(r);
    return r == 1;
}

template <class Self>
Py_ssize_t Methods<Any, Self>::len() const {
    Py_ssize_t n = PyObject_Size(ptr());
    if (PYOWNED_UNLIKELY(n < 0)) throw_fetched();
    return n;
}

template <class Self>
auto Methods<Any, Self>::iter() const -> Owned<Iterator> {
    return steal_or_throw<Owned<Iterator>>(PyObject_GetIter(ptr()));
}

template <class Self>
auto Methods<Any, Self>::repr() const -> Owned<Str> {
    return steal_or_throw<Owned<Str>>(PyObject_Repr(ptr()));
}

template <class Self>
auto Methods<Any, Self>::str() const -> Owned<Str> {
    return steal_or_throw<Owned<Str>>(PyObject_Str(ptr()));
}

template <class Self>
Py_hash_t Methods<Any, Self>::hash() const {
    Py_hash_t h = PyObject_Hash(ptr());
    if (PYOWNED_UNLIKELY(h == -1)) throw_fetched();
    return h;
}

template <class Self>
bool Methods<Any, Self>::is_truthy() const {
    int r = PyObject_IsTrue(ptr());
    check_status(r);
    return r == 1;
}

template <class Self>
template <class V>
bool Methods<Any, Self>::compare(V&& other, int op) const {
    auto o = hold(self().py(), std::forward<V>(other));
    PyObject* result = PyObject_RichCompare(ptr(), o.ptr(), op);
    if (PYOWNED_UNLIKELY(!result)) throw_fetched();
    int truth = PyObject_IsTrue(result);
    Py_DECREF(result);
    check_status(truth);
    return truth == 1;
}

template <class Self>
template <class T>
bool Methods<Any, Self>::is_instance(T&& type) const {
    auto t = hold(self().py(), std::forward<T>(type));
    int r = PyObject_IsInstance(ptr(), t.ptr());
    check_status(r);
    return r == 1;
}

template <class Self>
template <TypeTag U>
bool Methods<Any, Self>::is_instance() const {
    return try_check<U>();
}

template <class Self>
auto Methods<Any, Self>::type() const -> Owned<Type> {
    return Owned<Type>::from_borrowed_ptr(self().py(), reinterpret_cast<PyObject*>(Py_TYPE(ptr())));
}

template <class Self>
template <Extractable T>
PYOWNED_INLINE auto Methods<Any, Self>::extract() const& -> std::remove_cvref_t<T> {
    static_assert(views_of<T>() != Views::items,
                  "pyowned: extract/try_extract cannot give views into a container's items (such as "
                  "std::vector<std::string_view>): nothing would keep the items alive. Extract owning "
                  "values (std::vector<std::string>) or iterate the container's handles instead.");
    auto value = detail::from_python<T>(Borrowed<Any>::from_ptr(self().py(), ptr()), true);
    if (PYOWNED_UNLIKELY(!value)) throw_extract_failed(ptr(), python_name<T>());
    return std::move(*value);
}

template <class Self>
template <Extractable T>
PYOWNED_INLINE auto Methods<Any, Self>::try_extract() const& -> std::optional<std::remove_cvref_t<T>> {
    static_assert(views_of<T>() != Views::items,
                  "pyowned: extract/try_extract cannot give views into a container's items (such as "
                  "std::vector<std::string_view>): nothing would keep the items alive. Extract owning "
                  "values (std::vector<std::string>) or iterate the container's handles instead.");
    auto value = detail::from_python<T>(Borrowed<Any>::from_ptr(self().py(), ptr()), true);
    if (PYOWNED_UNLIKELY(!value)) detail::clear_conversion_error();
    return value;
}

template <class Self>
template <TypeTag U>
auto Methods<Any, Self>::downcast() const& -> Borrowed<U> {
    check_downcast<U>();
    return Borrowed<U>::from_ptr(self().py(), ptr());
}

template <class Self>
template <TypeTag U>
auto Methods<Any, Self>::downcast() && {
    check_downcast<U>();
    return std::move(*this).template cast_unchecked<U>();
}

template <class Self>
template <TypeTag U>
auto Methods<Any, Self>::try_downcast() const& -> std::optional<Borrowed<U>> {
    if (!try_check<U>()) return std::nullopt;
    return Borrowed<U>::from_ptr(self().py(), ptr());
}

template <class Self>
template <TypeTag U>
auto Methods<Any, Self>::try_downcast() && {
    using Out = decltype(std::move(*this).template cast_unchecked<U>());
    if (!try_check<U>()) return std::optional<Out>();
    return std::optional<Out>(std::move(*this).template cast_unchecked<U>());
}

template <class Self>
template <TypeTag U>
auto Methods<Any, Self>::downcast_into() && -> Owned<U> {
    check_downcast<U>();
    return Owned<U>::from_owned_ptr(self().py(), take());
}

template <class Self>
template <TypeTag U>
auto Methods<Any, Self>::cast_unchecked() const& noexcept -> Borrowed<U> {
    return Borrowed<U>::from_ptr(self().py(), ptr());
}

template <class Self>
template <TypeTag U>
auto Methods<Any, Self>::cast_unchecked() && noexcept {
    if constexpr (is_owned_v<Self>) return Owned<U>::from_owned_ptr(self().py(), take());
    else return Borrowed<U>::from_ptr(self().py(), ptr());
}

// The strong reference of an Owned being consumed; a new one for a Borrowed.
template <class Self>
PyObject* Methods<Any, Self>::take() noexcept {
    if constexpr (is_owned_v<Self>) return std::move(static_cast<Self&>(*this)).into_ptr();
    else return Py_NewRef(ptr());
}

template <class Self>
template <class U>
void Methods<Any, Self>::check_downcast() const {
    int r = tag_ops<U>::check(ptr());
    check_status(r);
    if (!r) throw_cannot_convert(ptr(), tag_ops<U>::name);
}

template <class Self>
template <class U>
bool Methods<Any, Self>::try_check() const {
    int r = tag_ops<U>::check(ptr());
    check_status(r);
    return r == 1;
}

}  // namespace detail
}  // namespace pyowned
