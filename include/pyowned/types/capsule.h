// Capsules: a C pointer in a Python object, with a name and a destructor; and void*'s
// conversions (a capsule or None in, a capsule or None out).
#pragma once
#include "../convert/traits.h"
#include "any_impl.h"
#include <string>

namespace pyowned {

namespace detail {

// What Capsule::make keeps in the capsule's context: the user's destructor and the copied
// name (the capsule's name pointer points into it, so it lives exactly as long).
struct CapsuleData {
    void (*destructor)(void*);
    std::string name;
};

// The capsule's destructor (CPython calls it from the capsule's dealloc, attached): the
// user's destructor with the pointer, then the data freed.
PYOWNED_CORE void capsule_destructor(PyObject* capsule) noexcept;

template <class Self>
struct Methods<Capsule, Self> : Methods<Any, Self> {
    PYOWNED_HANDLE_ALIASES;

    // The pointer held (whatever the capsule's name).
    [[nodiscard]] void* pointer() const {
        void* p = PyCapsule_GetPointer(this->ptr(), PyCapsule_GetName(this->ptr()));
        if (PYOWNED_UNLIKELY(!p)) throw_fetched();
        return p;
    }
    // The capsule's name, or nullptr for an unnamed capsule. Valid while the capsule lives.
    [[nodiscard]] const char* name() const noexcept { return PyCapsule_GetName(this->ptr()); }
};

}  // namespace detail

// void*: a capsule's pointer (any name), or None as nullptr.
template <>
struct FromPython<void*> {
    static constexpr std::string_view name = "PyCapsule | None";
    static std::optional<void*> from_python(Borrowed<Any> obj) noexcept {
        if (obj.is_none()) return nullptr;
        if (!PyCapsule_CheckExact(obj.ptr())) return std::nullopt;
        void* p = PyCapsule_GetPointer(obj.ptr(), PyCapsule_GetName(obj.ptr()));
        if (!p) return std::nullopt;  // the error set: the failure outcome
        return p;
    }
};

// void* out: an unnamed capsule without a destructor (the pointer is not owned), or None
// for nullptr.
template <>
struct IntoPython<void*> {
    static Owned<Any> into_python(Python py, void* p) {
        if (!p) return Owned<Any>::from_borrowed_ptr(py, Py_None);
        return Capsule::make(py, p);
    }
};

}  // namespace pyowned

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE void capsule_destructor(PyObject* capsule) noexcept {
    auto* data = static_cast<CapsuleData*>(PyCapsule_GetContext(capsule));
    if (!data) return;
    void* pointer = PyCapsule_GetPointer(capsule, PyCapsule_GetName(capsule));
    if (data->destructor && pointer) data->destructor(pointer);
    delete data;
}

}  // namespace pyowned::detail

namespace pyowned {

PYOWNED_CORE Owned<Capsule> Capsule::make(Python, void* pointer, const char* name, void (*destructor)(void*)) {
    if (PYOWNED_UNLIKELY(!pointer)) raise<ValueError>("a capsule cannot hold a null pointer");
    auto* data = new detail::CapsuleData{destructor, name ? name : ""};
    PyObject* capsule = PyCapsule_New(pointer, name ? data->name.c_str() : nullptr, &detail::capsule_destructor);
    if (PYOWNED_UNLIKELY(!capsule) || PyCapsule_SetContext(capsule, data) < 0) {
        if (capsule) {
            Py_DECREF(capsule);  // its destructor finds no context yet: frees nothing
        }
        delete data;
        detail::throw_fetched();
    }
    return Owned<Capsule>::from_owned_ptr(detail::token(), capsule);
}

}  // namespace pyowned
#endif  // PYOWNED_CORE_DEFINITIONS
