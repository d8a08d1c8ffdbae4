// Conversions of bound classes: instances made from C++ values, std::unique_ptr (adopted),
// std::shared_ptr (held) and views (py::rv policies); copies and std::shared_ptr taken from
// instances. References and pointers as parameters are borrows (class/borrow.h).
#pragma once
#include "borrow.h"
#include "type.h"
#include <memory>
#include <new>

namespace pyowned {

// Return value policies: who owns the object a returned reference or raw pointer refers to.
namespace rv {
struct copy_t {
    static constexpr bool return_policy = true;
};
struct reference_t {
    static constexpr bool return_policy = true;
};
struct reference_internal_t {
    static constexpr bool return_policy = true;
};
// A new instance holding a copy.
inline constexpr copy_t copy{};
// A view of an object whose lifetime the caller guarantees (nothing keeps it alive).
inline constexpr reference_t reference{};
// A view of a sub-object of the method's self, which the view keeps alive and borrows
// (with its critical section) for every access.
inline constexpr reference_internal_t reference_internal{};
}  // namespace rv

namespace detail {

template <class T>
inline constexpr bool is_rv_policy_v = std::is_same_v<T, rv::copy_t> || std::is_same_v<T, rv::reference_t> ||
                                       std::is_same_v<T, rv::reference_internal_t>;

// The record of the class whose object `p` (of static type T) really is: a bound subclass
// found through RTTI when T is polymorphic, else T's own. nullptr with an error set if T is
// not bound.
PYOWNED_COLD inline const ClassRecord* registered_class(const std::type_info& type) noexcept {
    PyObject* registry = class_registry();
    if (!registry) return PyErr_Clear(), nullptr;
    PyObject* key = PyUnicode_FromString(type.name());
    if (!key) return PyErr_Clear(), nullptr;
    PyObject* found = PyDict_GetItemWithError(registry, key);  // borrowed
    Py_DECREF(key);
    if (!found) return PyErr_Clear(), nullptr;
    auto* record = static_cast<const ClassRecord*>(PyCapsule_GetPointer(found, "pyowned.class"));
    if (!record) return PyErr_Clear(), nullptr;
    return *record->cpp_type == type ? record : nullptr;
}
template <class T>
const ClassRecord* dynamic_class(const T* p, void*& object) noexcept {
    const ClassRecord* r = class_of<T>();
    object = const_cast<std::remove_cv_t<T>*>(p);
    if constexpr (std::is_polymorphic_v<T>) {
        const std::type_info& dynamic = typeid(*p);
        if (r && dynamic != typeid(T)) {
            if (const ClassRecord* derived = registered_class(dynamic)) {
                object = const_cast<void*>(dynamic_cast<const void*>(p));  // the most derived object
                return derived;
            }
        }
    }
    return r;
}

// A new, empty instance of `r`'s class (its object not yet made); throws py::Error. A class
// without GC, __dict__ or weak references needs only the head initialized (the storage is
// constructed into): no zeroing of the whole instance, as PyType_GenericAlloc does.
PYOWNED_INLINE PyObject* new_instance(const ClassRecord* r) {
    if (PYOWNED_UNLIKELY(!r)) throw_fetched();
    PyObject* self = alloc_instance(r);
    if (PYOWNED_UNLIKELY(!self)) throw_fetched();
    return self;
}

// Makes the instance's object visible: from here on it is constructed (release: a thread
// that sees the record sees the object).
PYOWNED_INLINE void publish(PyObject* self, const ClassRecord* r, Holder holder) noexcept {
    PYOWNED_ASSUME(self != nullptr);  // (g++ 12 warns of a store through null on a path that cannot run)
    head_of(self)->holder.store(holder, std::memory_order_release);
    head_of(self)->record.store(r, std::memory_order_release);
}

// An instance holding a pointer: [object][keeper] in the storage.
inline Owned<Any> pointer_instance(Python py, const ClassRecord* r, void* object, void* keeper, Holder holder) {
    PyObject* self = new_instance(r);
    auto** words = reinterpret_cast<void**>(r->storage(self));
    words[0] = object;
    words[1] = keeper;
    publish(self, r, holder);
    return Owned<Any>::from_owned_ptr(py, self);
}

// A view instance of *p: py::rv::reference (owner null) or reference_internal.
template <class T>
Owned<Any> view_instance(Python py, T* p, PyObject* owner) {
    if (!p) return Owned<Any>::from_borrowed_ptr(py, Py_None);
    void* object;
    const ClassRecord* r = dynamic_class(p, object);
    return pointer_instance(py, r, object, owner ? Py_NewRef(owner) : nullptr,
                            owner ? Holder::view_internal : Holder::view);
}

// Ends the life of the object in `self` (of class T's record), as its holder says.
template <class T>
void destroy_object(PyObject* self) {
    const ClassRecord* r = head_of(self)->record.load(std::memory_order_relaxed);
    char* at = r->storage(self);
    auto** words = reinterpret_cast<void**>(at);
    switch (head_of(self)->holder) {
        case Holder::inline_value: std::launder(reinterpret_cast<T*>(at))->~T(); break;
        case Holder::unique: delete static_cast<T*>(words[0]); break;
        case Holder::shared: delete static_cast<std::shared_ptr<void>*>(words[1]); break;
        case Holder::none:  // never constructed
        case Holder::view: break;
        case Holder::view_internal: Py_DECREF(static_cast<PyObject*>(words[1])); break;
    }
}

// A returned reference or pointer, converted as its policy says (bind/dispatch.h calls it
// with the call's first argument as the owner).
template <class Policy, class R>
struct WithPolicy {
    static constexpr bool policy_return = true;
    template <class V>
    static PyObject* into_python(Python py, V&& value, PyObject* owner) {
        if constexpr (!unowned_class_reference<R>) {
            return into_py(py, std::forward<V>(value)).into_ptr();  // the policy is for references only
        } else {
            auto* p = [&] {
                if constexpr (std::is_pointer_v<R>) return value;
                else return &value;
            }();
            using T = std::remove_cv_t<std::remove_pointer_t<decltype(p)>>;
            if constexpr (std::is_same_v<Policy, rv::copy_t>) {
                if (!p) return Py_NewRef(Py_None);
                return into_py(py, T(*p)).into_ptr();
            } else {
                return view_instance(py, p, std::is_same_v<Policy, rv::reference_internal_t> ? owner : nullptr)
                    .into_ptr();
            }
        }
    }
};

}  // namespace detail

// A bound class's value: a copy of the instance's object (a shared borrow while copying).
template <detail::BoundClass T>
struct FromPython<T> {
    static constexpr bool class_conversion = true;
    static constexpr std::string_view name = detail::class_name<T>();
    static std::optional<T> from_python(Borrowed<Any> obj, bool convert) {
        static_assert(std::is_copy_constructible_v<T>,
                      "pyowned: this bound class is taken by value but cannot be copied; take const T& or T&");
        detail::ClassBorrow<T, false> borrow;
        if (PYOWNED_LIKELY(borrow.acquire(obj.ptr(), false))) return std::optional<T>(*borrow.get());
        if (!convert || PyErr_Occurred()) return std::nullopt;
        // the second overload pass: a copy of T made by a py::implicitly_convertible<From, T>
        PyObject* made = detail::implicit_conversion(detail::class_of<T>(), obj.ptr());
        if (!made) return std::nullopt;
        Owned<Any> held = Owned<Any>::from_owned_ptr(obj.py(), made);
        detail::ClassBorrow<T, false> made_borrow;
        if (!made_borrow.acquire(made, false)) return std::nullopt;
        return std::optional<T>(*made_borrow.get());
    }
};

// T* and const T* parameters are borrows (class/borrow.h); this names them in signatures.
template <class T>
    requires detail::BoundClass<std::remove_const_t<T>>
struct FromPython<T*> {
    static constexpr std::string_view name = detail::class_name<std::remove_const_t<T>>();
};

// std::shared_ptr<T>: shares the instance. The pointer keeps the Python object alive through
// a py::Py its control block holds, so it may outlive every Python reference and be dropped
// on any thread. C++ code may then use the object without borrowing it: only for classes
// that need no borrow (py::frozen, py::unlocked).
template <detail::BoundClass T>
struct FromPython<std::shared_ptr<T>> {
    static constexpr std::string_view name = detail::class_name<T>();
    static std::optional<std::shared_ptr<T>> from_python(Borrowed<Any> obj) {
        static_assert(is_frozen<std::remove_cv_t<T>> || is_unlocked<std::remove_cv_t<T>>,
                      "pyowned: a std::shared_ptr parameter would let C++ use the object without borrowing it, "
                      "so it compiles only for py::frozen and py::unlocked classes; take py::Py<T> and "
                      "borrow it with get_mut() instead");
        const detail::ClassRecord* want = detail::class_of<std::remove_cv_t<T>>();
        if (!want) return std::nullopt;
        PyObject* o = obj.ptr();
        if (Py_TYPE(o) != want->type && !PyType_IsSubtype(Py_TYPE(o), want->type)) return std::nullopt;
        void* value = detail::value_of(o, want);
        if (!value) return std::nullopt;
        auto keeper = std::make_shared<Py<Any>>(Py<Any>::from_borrowed_ptr(obj.py(), o));
        return std::shared_ptr<T>(std::move(keeper), static_cast<T*>(value));
    }
};

// T by value: moved (or copied) into a new instance, constructed in place.
template <detail::BoundClass T>
struct IntoPython<T> {
    static constexpr bool class_conversion = true;
    template <class V>
    PYOWNED_INLINE static Owned<Any> into_python(Python py, V&& value) {
        const detail::ClassRecord* r = detail::class_of<T>();
        PyObject* self = detail::new_instance(r);
        // an instance of T's own class: T at its own offset unless over-aligned
        char* at = alignof(T) <= detail::storage_alignment ? reinterpret_cast<char*>(self) + detail::storage_offset<T>
                                                            : r->storage(self);
        if constexpr (std::is_nothrow_constructible_v<T, V&&>) {
            ::new (static_cast<void*>(at)) T(std::forward<V>(value));
        } else {
            try {
                ::new (static_cast<void*>(at)) T(std::forward<V>(value));
            } catch (...) {
                Py_DECREF(self);  // never constructed: dealloc does not destroy it
                throw;
            }
        }
        detail::publish(self, r, detail::Holder::inline_value);
        return Owned<Any>::from_owned_ptr(py, self);
    }
};

// std::unique_ptr<T>: adopted (the instance deletes it); of the bound subclass it really is.
template <detail::BoundClass T, class D>
struct IntoPython<std::unique_ptr<T, D>> {
    static_assert(std::is_same_v<D, std::default_delete<T>>, "pyowned: only std::unique_ptr with the default deleter is adopted");
    static Owned<Any> into_python(Python py, std::unique_ptr<T, D> p) {
        if (!p) return Owned<Any>::from_borrowed_ptr(py, Py_None);
        void* object;
        const detail::ClassRecord* r = detail::dynamic_class(p.get(), object);
        Owned<Any> made = detail::pointer_instance(py, r, object, nullptr, detail::Holder::unique);
        p.release();  // the instance owns it now
        return made;
    }
};

// std::shared_ptr<T>: the instance keeps a copy.
template <detail::BoundClass T>
struct IntoPython<std::shared_ptr<T>> {
    static Owned<Any> into_python(Python py, std::shared_ptr<T> p) {
        if (!p) return Owned<Any>::from_borrowed_ptr(py, Py_None);
        void* object;
        const detail::ClassRecord* r = detail::dynamic_class(p.get(), object);
        auto keeper = std::make_unique<std::shared_ptr<void>>(std::move(p));
        Owned<Any> made = detail::pointer_instance(py, r, object, keeper.get(), detail::Holder::shared);
        keeper.release();
        return made;
    }
};

}  // namespace pyowned
