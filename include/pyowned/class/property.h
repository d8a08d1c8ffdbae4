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
    std::shared_ptr<void> state;  // the member pointer, or the getter and setter
};

inline const PropertyRecord& property_of(void* closure) noexcept { return *static_cast<const PropertyRecord*>(closure); }

PYOWNED_COLD inline int fail_borrow(PyObject* self, const char* class_name) noexcept {
    if (!PyErr_Occurred())
        PyErr_Format(PyExc_TypeError, "descriptor for '%s' objects does not apply to a '%s' object", class_name,
                     Py_TYPE(self)->tp_name);
    return -1;
}

PYOWNED_COLD inline int cannot_delete(PyObject* self, void* closure) noexcept {
    PyErr_Format(PyExc_AttributeError, "cannot delete attribute '%s' of '%s' objects", property_of(closure).name.c_str(),
                 Py_TYPE(self)->tp_name);
    return -1;
}

PYOWNED_COLD inline int wrong_value(PyObject* self, PyObject* value, void* closure, std::string_view expected) noexcept {
    if (!PyErr_Occurred()) {
        std::string type(expected);
        PyErr_Format(PyExc_TypeError, "attribute '%s' of '%s' objects must be %s, not %s",
                     property_of(closure).name.c_str(), Py_TYPE(self)->tp_name, type.c_str(),
                     value == Py_None ? "None" : Py_TYPE(value)->tp_name);
    }
    return -1;
}

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
    static PyObject* get(PyObject* self, void* closure) noexcept {
        auto member = *static_cast<M T::**>(property_of(closure).state.get());
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
        auto member = *static_cast<M T::**>(property_of(closure).state.get());
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

    static PyObject* get(PyObject* self, void* closure) noexcept {
        Python py = token();
        const auto& a = *static_cast<const Accessors*>(property_of(closure).state.get());
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
        const auto& a = *static_cast<const Accessors*>(property_of(closure).state.get());
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
// as the descriptor may be used: the rest of the process).
inline void add_property(ClassRecord& cls, const char* name, const char* doc, getter get, setter set,
                         std::shared_ptr<void> state) {
    auto p = std::make_unique<PropertyRecord>();
    p->name = name;
    p->doc = doc ? doc : "";
    p->state = std::move(state);
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
