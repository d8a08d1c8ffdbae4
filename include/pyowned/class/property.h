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
    // A field's member pointer, copied in (no allocation, nothing compiled per field to own
    // it), or the accessors object, owned.
    alignas(std::max_align_t) unsigned char member[16]{};
    void* state = nullptr;
    void (*destroy_state)(void*) = nullptr;
    PropertyRecord() = default;
    PropertyRecord(const PropertyRecord&) = delete;
    PropertyRecord& operator=(const PropertyRecord&) = delete;
    ~PropertyRecord() {
        if (destroy_state) destroy_state(state);
    }
};

inline const PropertyRecord& property_of(void* closure) noexcept { return *static_cast<const PropertyRecord*>(closure); }

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
    else
        return into_py(py, std::forward<V>(value)).into_ptr();
}

// def_rw / def_ro of `M T::*`.
template <class T, class M>
struct Field {
    static_assert(sizeof(M T::*) <= sizeof(PropertyRecord::member) && std::is_trivially_copyable_v<M T::*>);
    static M T::* member_of(void* closure) noexcept {
        M T::* member;
        std::memcpy(&member, property_of(closure).member, sizeof member);
        return member;
    }
    static PyObject* get(PyObject* self, void* closure) noexcept {
        auto member = member_of(closure);
        if constexpr (PlainNumber<M>) {
            M value;
            {
                ClassBorrow<T, false> borrow;
                if (!borrow.acquire(self, true)) return fail_borrow(self, class_name<T>().data()), nullptr;
                value = borrow.get()->*member;
            }  // the borrow ends before the conversion: a copied number needs no object
            return number_ptr(value);
        } else {
            Python py = token();
            ClassBorrow<T, false> borrow;
            if (!borrow.acquire(self, true)) return fail_borrow(self, class_name<T>().data()), nullptr;
            try {
                return attribute_value<M&>(py, borrow.get()->*member, self);
            } catch (...) {
                translate_exception(py);
                return nullptr;
            }
        }
    }
    static int set(PyObject* self, PyObject* value, void* closure) noexcept {
        if (!value) return cannot_delete(self, closure);
        Python py = token();
        auto member = member_of(closure);
        try {
            std::optional<M> converted = from_python<M>(Borrowed<Any>::from_ptr(py, value), true);
            if (!converted) return wrong_value(self, value, closure, python_name<M>());
            ClassBorrow<T, true> borrow;
            if (!borrow.acquire(self, true)) return fail_borrow(self, class_name<T>().data());
            borrow.get()->*member = std::move(*converted);
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
template <class List> struct last_of;
template <class Last> struct last_of<type_list<Last>> { using type = Last; };
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

// Adds a getset descriptor to the class (the record keeps the PyGetSetDef alive for as long
// as the descriptor may be used: the rest of the process). Owns `state` from its first line
// (`destroy` frees it); `member`: a field's member pointer, copied into the record.
PYOWNED_CORE void add_property(ClassRecord& cls, const char* name, const char* doc, getter get, setter set, void* state,
                               void (*destroy)(void*), const void* member = nullptr, std::size_t member_size = 0);

// A field's getset descriptor: def_rw (with its setter) and def_ro.
template <class T, class M>
void add_field(ClassRecord& cls, const char* name, const char* doc, M T::*member, bool writable) {
    add_property(cls, name, doc, &Field<T, M>::get, writable ? &Field<T, M>::set : nullptr, nullptr, nullptr, &member,
                 sizeof member);
}

}  // namespace pyowned::detail

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE_COLD PYOWNED_CORE int fail_borrow(PyObject* self, const char* class_name) noexcept {
    if (!PyErr_Occurred())
        PyErr_Format(PyExc_TypeError, "descriptor for '%s' objects does not apply to a '%s' object", class_name,
                     Py_TYPE(self)->tp_name);
    return -1;
}

PYOWNED_CORE_COLD PYOWNED_CORE int cannot_delete(PyObject* self, void* closure) noexcept {
    PyErr_Format(PyExc_AttributeError, "cannot delete attribute '%s' of '%s' objects",
                 property_of(closure).name.c_str(), Py_TYPE(self)->tp_name);
    return -1;
}

PYOWNED_CORE_COLD PYOWNED_CORE int wrong_value(PyObject* self, PyObject* value, void* closure,
                                               std::string_view expected) noexcept {
    if (!PyErr_Occurred()) {
        std::string type(expected);
        PyErr_Format(PyExc_TypeError, "attribute '%s' of '%s' objects must be %s, not %s",
                     property_of(closure).name.c_str(), Py_TYPE(self)->tp_name, type.c_str(),
                     value == Py_None ? "None" : Py_TYPE(value)->tp_name);
    }
    return -1;
}

PYOWNED_CORE void add_property(ClassRecord& cls, const char* name, const char* doc, getter get, setter set, void* state,
                               void (*destroy)(void*), const void* member, std::size_t member_size) {
    std::unique_ptr<void, void (*)(void*)> owned(state, destroy ? destroy : [](void*) {});
    auto p = std::make_unique<PropertyRecord>();
    p->state = owned.release();
    p->destroy_state = destroy;
    if (member) std::memcpy(p->member, member, member_size);
    p->name = name;
    p->doc = doc ? doc : "";
    p->def = {p->name.c_str(), get, set, doc ? p->doc.c_str() : nullptr, p.get()};
    PyObject* descriptor = PyDescr_NewGetSet(cls.type, &p->def);
    if (!descriptor) throw_fetched();
    int status = PyDict_SetItemString(cls.type->tp_dict, name, descriptor);
    Py_DECREF(descriptor);
    check_status(status);
    PyType_Modified(cls.type);
    cls.properties.push_back(std::move(p));
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
