// Attributes of a bound class: fields (def_rw, def_ro) and properties (def_prop_ro,
// def_prop_rw) as getset descriptors, each access a borrow of the instance.
#pragma once
#include "../convert/number.h"
#include "convert.h"
#include <cstring>

namespace pyowned::detail {

struct PropertyRecord {
    PyGetSetDef def{};
    std::string name, doc;
    const char* type = "";  // its value's Python type, as a stub names it (a constant: result_name_z)
    // A field's member pointer, copied in (no allocation, nothing compiled per field to own
    // it), or the accessors object, owned.
    alignas(std::max_align_t) unsigned char member[16]{};
    // A field's: the class whose object holds it, where an instance of the class itself
    // holds that object inline (0: over-aligned, never there), and where in it the field is:
    // at `member_offset` where the C++ ABI says (below), else where `member_at` finds it
    const ClassRecord* cls = nullptr;
    std::size_t inline_offset = 0;
    std::ptrdiff_t member_offset = 0;
    void* (*member_at)(void* object, const unsigned char* member) noexcept = nullptr;
    void* state = nullptr;
    void (*destroy_state)(void*) = nullptr;
    PropertyRecord() = default;
    PropertyRecord(const PropertyRecord&) = delete;
    PropertyRecord& operator=(const PropertyRecord&) = delete;
    ~PropertyRecord() {
        if (destroy_state) destroy_state(state);
    }
};

inline const PropertyRecord& property_of(void* closure) noexcept {
    return *static_cast<const PropertyRecord*>(closure);
}

PYOWNED_CORE_COLD PYOWNED_CORE int fail_borrow(PyObject* self, const char* class_name) noexcept;

PYOWNED_CORE_COLD PYOWNED_CORE int cannot_delete(PyObject* self, void* closure) noexcept;

PYOWNED_CORE_COLD PYOWNED_CORE int wrong_value(PyObject* self, PyObject* value, void* closure,
                                               std::string_view expected) noexcept;

// A value read from an instance's object: a reference to a bound class becomes a view that
// keeps `self` alive (reference_internal); anything else is converted (a copy).
template <class V>
PyObject* attribute_value(Python py, V&& value, PyObject* self) {
    if constexpr (std::is_lvalue_reference_v<V> && class_conversion<std::remove_reference_t<V>>)
        return view_instance(py, &value, self).into_ptr();
    else return into_py(py, std::forward<V>(value)).into_ptr();
}

// Where a field is in an object of class T: `member` holds its `M T::*`.
template <class T, class M>
void* member_at(void* object, const unsigned char* member) noexcept {
    static_assert(sizeof(M T::*) <= sizeof(PropertyRecord::member) && std::is_trivially_copyable_v<M T::*>);
    M T::* m;
    std::memcpy(&m, member, sizeof m);
    return &(static_cast<T*>(object)->*m);
}
// The Itanium C++ ABI (GCC and Clang outside Windows) represents a pointer to data member as
// the member's offset from the object's address, a ptrdiff_t: a field is then read without a
// call. Elsewhere, member_at finds it.
#if defined(__GXX_ABI_VERSION) && !defined(_WIN32)
inline constexpr bool member_pointer_is_offset = true;
#else
inline constexpr bool member_pointer_is_offset = false;
#endif
template <class T, class M>
std::ptrdiff_t member_offset(M T::* member) noexcept {
    if constexpr (member_pointer_is_offset) {
        static_assert(sizeof member == sizeof(std::ptrdiff_t));
        std::ptrdiff_t offset;
        std::memcpy(&offset, &member, sizeof offset);
        return offset;
    } else {
        return 0;
    }
}

// The field of the property record `p` in `self` (an instance of its class), borrowed for as
// long as `borrow` lives; nullptr (nothing held) when `self` is no initialized instance of it
// (with nothing set) or is borrowed in a conflicting way (with RuntimeError set).
PYOWNED_CORE void* field_object(PyObject* self, const PropertyRecord& p) noexcept;
template <bool Exclusive, bool Flagged>
PYOWNED_INLINE void* borrow_field(PyObject* self, const PropertyRecord& p,
                                  InstanceBorrow<Exclusive, Flagged>& borrow) noexcept {
    // the common instance: of the class itself, the object inline (so no view, no owners)
    const bool plain = Py_TYPE(self) == p.cls->type && p.inline_offset != 0 &&
                       head_of(self)->holder.load(std::memory_order_acquire) == Holder::inline_value;
    void* object = plain ? reinterpret_cast<char*>(self) + p.inline_offset : field_object(self, p);
    if (PYOWNED_UNLIKELY(!object) || PYOWNED_UNLIKELY(!borrow.take(self, plain, true))) return nullptr;
    if constexpr (member_pointer_is_offset) return static_cast<char*>(object) + p.member_offset;
    else return p.member_at(object, p.member);
}

// def_rw / def_ro of a member of type M, compiled per member type (and whether the class has
// a borrow flag), not per class: the record says which class and where (member_at).
template <class M, bool Flagged>
struct Field {
    static PyObject* get(PyObject* self, void* closure) noexcept {
        const PropertyRecord& p = property_of(closure);
        if constexpr (PlainNumber<M>) {
            M value;
            {
                InstanceBorrow<false, Flagged> borrow;
                const void* field = borrow_field(self, p, borrow);
                if (!field) return fail_borrow(self, p.cls->name.c_str()), nullptr;
                value = *static_cast<const M*>(field);
            }  // the borrow ends before the conversion: a copied number needs no object
            return number_ptr(value);
        } else {
            Python py = token();
            InstanceBorrow<false, Flagged> borrow;
            void* field = borrow_field(self, p, borrow);
            if (!field) return fail_borrow(self, p.cls->name.c_str()), nullptr;
            try {
                return attribute_value<M&>(py, *static_cast<M*>(field), self);
            } catch (...) {
                translate_exception(py);
                return nullptr;
            }
        }
    }
    static int set(PyObject* self, PyObject* value, void* closure) noexcept {
        if (!value) return cannot_delete(self, closure);
        Python py = token();
        const PropertyRecord& p = property_of(closure);
        try {
            std::optional<M> converted = from_python<M>(Borrowed<Any>::from_ptr(py, value), true);
            if (!converted) return wrong_value(self, value, closure, python_name<M>());
            InstanceBorrow<true, Flagged> borrow;
            void* field = borrow_field(self, p, borrow);
            if (!field) return fail_borrow(self, p.cls->name.c_str());
            *static_cast<M*>(field) = std::move(*converted);
            return 0;
        } catch (...) {
            translate_exception(py);
            return -1;
        }
    }
};

// def_prop_ro / def_prop_rw: a getter taking the object (const T&: a shared borrow; T&: an
// exclusive one; or a const member function) and a setter taking the object and the value
// (or a member function taking the value).
template <class List>
struct last_of;
template <class Last>
struct last_of<type_list<Last>> {
    using type = Last;
};
template <class First, class... Rest>
    requires(sizeof...(Rest) > 0)
struct last_of<type_list<First, Rest...>> : last_of<type_list<Rest...>> {};

template <class T, class G, class S>
struct Accessors {
    G getter;
    std::optional<S> setter;
    static void destroy(void* p) { delete static_cast<Accessors*>(p); }

    static PyObject* get(PyObject* self, void* closure) noexcept {
        Python py = token();
        const auto& a = *static_cast<const Accessors*>(property_of(closure).state);
        constexpr bool shared = std::is_invocable_v<const G&, const T&>;
        ClassBorrow<T, !shared> borrow;
        if (!borrow.acquire(self, true)) return fail_borrow(self, class_name<T>().data()), nullptr;
        try {
            return attribute_value<std::invoke_result_t<const G&, T&>>(py, std::invoke(a.getter, *borrow.get()), self);
        } catch (...) {
            translate_exception(py);
            return nullptr;
        }
    }
    static int set(PyObject* self, PyObject* value, void* closure) noexcept {
        if (!value) return cannot_delete(self, closure);
        Python py = token();
        const auto& a = *static_cast<const Accessors*>(property_of(closure).state);
        using V = std::remove_cvref_t<typename last_of<typename callable_traits<S>::params>::type>;
        try {
            std::optional<V> converted = from_python<V>(Borrowed<Any>::from_ptr(py, value), true);
            if (!converted) return wrong_value(self, value, closure, python_name<V>());
            ClassBorrow<T, true> borrow;
            if (!borrow.acquire(self, true)) return fail_borrow(self, class_name<T>().data());
            std::invoke(*a.setter, *borrow.get(), std::move(*converted));
            return 0;
        } catch (...) {
            translate_exception(py);
            return -1;
        }
    }
};

// Where a field is, as add_property copies it into its record: its member pointer (`member`,
// `size` bytes), and the record's members of the same names.
struct FieldPlace {
    const void* member;
    std::size_t size;
    void* (*member_at)(void*, const unsigned char*) noexcept;
    std::size_t inline_offset;
    std::ptrdiff_t member_offset;
};

// Adds a getset descriptor to the class (the record keeps the PyGetSetDef alive for as long
// as the descriptor may be used: the rest of the process). Owns `state` from its first line
// (`destroy` frees it); `field`: a field's place.
PYOWNED_CORE void add_property(ClassRecord& cls, const char* name, const char* doc, const char* type, getter get,
                               setter set, void* state, void (*destroy)(void*), const FieldPlace* field = nullptr);

// A field's getset descriptor: def_rw (with its setter) and def_ro.
template <class T, class M>
void add_field(ClassRecord& cls, const char* name, const char* doc, M T::* member, bool writable) {
    using F = Field<M, flagged_v<T>>;
    FieldPlace place{&member, sizeof member, nullptr, inline_offset<T>, member_offset(member)};
    if constexpr (!member_pointer_is_offset) place.member_at = &member_at<T, M>;  // (else not needed)
    add_property(cls, name, doc, result_name_z<M>::chars.data(), &F::get, writable ? &F::set : nullptr, nullptr,
                 nullptr, &place);
}

}  // namespace pyowned::detail

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE_COLD PYOWNED_CORE int fail_borrow(PyObject* self, const char* class_name) noexcept {
    if (!PyErr_Occurred())
        PyErr_Format(PyExc_TypeError, "descriptor for '%s' objects does not apply to a '%s' object", class_name,
                     detail::api::type_name_of(self).c_str());
    return -1;
}

PYOWNED_CORE_COLD PYOWNED_CORE int cannot_delete(PyObject* self, void* closure) noexcept {
    PyErr_Format(PyExc_AttributeError, "cannot delete attribute '%s' of '%s' objects",
                 property_of(closure).name.c_str(), detail::api::type_name_of(self).c_str());
    return -1;
}

PYOWNED_CORE_COLD PYOWNED_CORE int wrong_value(PyObject* self, PyObject* value, void* closure,
                                               std::string_view expected) noexcept {
    if (!PyErr_Occurred()) {
        std::string type(expected);
        PyErr_Format(PyExc_TypeError, "attribute '%s' of '%s' objects must be %s, not %s",
                     property_of(closure).name.c_str(), detail::api::type_name_of(self).c_str(), type.c_str(),
                     value == Py_None ? "None" : detail::api::type_name_of(value).c_str());
    }
    return -1;
}

PYOWNED_CORE void* field_object(PyObject* self, const PropertyRecord& p) noexcept {
    return instance_value(self, p.cls);  // a subclass's instance, a base subobject, a view
}

PYOWNED_CORE void add_property(ClassRecord& cls, const char* name, const char* doc, const char* type, getter get,
                               setter set, void* state, void (*destroy)(void*), const FieldPlace* field) {
    std::unique_ptr<void, void (*)(void*)> owned(state, destroy ? destroy : [](void*) {});
    auto p = std::make_unique<PropertyRecord>();
    p->state = owned.release();
    p->destroy_state = destroy;
    p->cls = &cls;
    if (field) {
        std::memcpy(p->member, field->member, field->size);
        p->member_at = field->member_at;
        p->inline_offset = field->inline_offset;
        p->member_offset = field->member_offset;
    }
    p->name = name;
    p->type = type;
    p->doc = doc ? doc : "";
    p->def = {p->name.c_str(), get, set, doc ? p->doc.c_str() : nullptr, p.get()};
    PyObject* descriptor = PyDescr_NewGetSet(cls.type, &p->def);
    if (!descriptor) throw_fetched();
    Owned<Any> held = Owned<Any>::from_owned_ptr(token(), descriptor);
    define_in_class(cls.type, name, descriptor);
    cls.properties.push_back(std::move(p));
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
