// Special methods in type slots: `len(v)`, `a + b`, `p == q`, `hash(p)` take CPython's direct
// path into shared slot functions, which call the method's records. A binary operator whose
// other operand does not convert returns NotImplemented, so Python tries the reflected one.
#pragma once
#include "method.h"
#include "type.h"
#include <cstring>

namespace pyowned::detail {

// The record of the bound class whose object `o` holds, if `o` is an instance of a bound
// class (made by this shared object); `bound` tells whether it is one at all.
PYOWNED_INLINE const ClassRecord* instance_record(PyObject* o, bool& bound) noexcept {
    PyTypeObject* t = Py_TYPE(o);
    while (t && !bound_dealloc(t)) t = t->tp_base;
    bound = t != nullptr;
    return bound ? head_of(o)->record.load(std::memory_order_acquire) : nullptr;
}

// The first overload of special method `which` for `self`; nullptr with an error set when
// `self` is uninitialized, nullptr with nothing set when the class has no such method.
// `self` is an instance of a class whose slot called this (so of a bound class).
PYOWNED_CORE const FunctionRecord* special_of(PyObject* self, SlotMethod which) noexcept;

// A special method with one overload made of a stateless callable has a method descriptor's
// C function (class/method.h), which converts its arguments inline: called directly.
using FastWithKeywords = PyObject* (*)(PyObject*, PyObject* const*, Py_ssize_t, PyObject*);
PYOWNED_INLINE bool direct(const FunctionRecord* f) noexcept { return f->def.ml_meth && !f->next_overload; }
PYOWNED_INLINE FastWithKeywords fast_entry(const FunctionRecord* f) noexcept {
    return reinterpret_cast<FastWithKeywords>(reinterpret_cast<void (*)()>(f->def.ml_meth));
}

PYOWNED_CORE PyObject* call_special(PyObject* self, SlotMethod which, PyObject* const* rest, std::size_t n) noexcept;

// With a foreign operand: NotImplemented instead of TypeError.
PYOWNED_CORE PyObject* call_special_soft(const FunctionRecord* f, PyObject* self, PyObject* other) noexcept;

template <SlotMethod M>
PyObject* unary_slot(PyObject* self) {
    return call_special(self, M, nullptr, 0);
}

PYOWNED_CORE Py_ssize_t length_slot(PyObject* self);

PYOWNED_CORE Py_hash_t hash_slot(PyObject* self);

PYOWNED_CORE int bool_slot(PyObject* self);

inline PyObject* getitem_slot(PyObject* self, PyObject* key) {
    return call_special(self, SlotMethod::getitem, &key, 1);
}
PYOWNED_CORE PyObject* sq_item_slot(PyObject* self, Py_ssize_t i);

PYOWNED_CORE int setitem_slot(PyObject* self, PyObject* key, PyObject* value);
PYOWNED_CORE int sq_setitem_slot(PyObject* self, Py_ssize_t i, PyObject* value);

PYOWNED_CORE int contains_slot(PyObject* self, PyObject* value);

PYOWNED_CORE PyObject* call_slot(PyObject* self, PyObject* args, PyObject* kwargs);

// __getattr__: called when normal lookup fails with AttributeError, as in Python.
PYOWNED_CORE PyObject* getattr_slot(PyObject* self, PyObject* name);

// Without __ne__, != is the negation of __eq__, as for Python classes.
PYOWNED_CORE PyObject* richcompare_slot(PyObject* self, PyObject* other, int op);

// a + b: a's __add__ if a is ours and accepts b; else b's __radd__ if b is ours.
template <SlotMethod Forward>
PyObject* binary_slot(PyObject* a, PyObject* b) {
    constexpr auto reflected = static_cast<SlotMethod>(static_cast<int>(Forward) + 1);
    bool bound_a, bound_b;
    const ClassRecord* ra = instance_record(a, bound_a);
    if (bound_a && !ra) return raise_not_initialized(a), nullptr;
    if (const FunctionRecord* f = ra ? ra->slot(Forward) : nullptr) {
        PyObject* result = call_special_soft(f, a, b);
        if (result != Py_NotImplemented) return result;
        Py_DECREF(result);
    }
    const ClassRecord* rb = instance_record(b, bound_b);
    if (bound_b && !rb) return raise_not_initialized(b), nullptr;
    if (const FunctionRecord* f = rb ? rb->slot(reflected) : nullptr) return call_special_soft(f, b, a);
    return Py_NewRef(Py_NotImplemented);
}

// a += b: a's __iadd__; NotImplemented lets CPython fall back to a + b. A method returning
// None (a C++ `void operator+=`) gives back a itself, as Python code's `return self` would.
template <SlotMethod Forward>
PyObject* inplace_slot(PyObject* a, PyObject* b) {
    constexpr auto inplace = static_cast<SlotMethod>(static_cast<int>(Forward) + 2);
    const FunctionRecord* f = special_of(a, inplace);
    if (!f) return PyErr_Occurred() ? nullptr : Py_NewRef(Py_NotImplemented);
    PyObject* result = call_special_soft(f, a, b);
    if (result == Py_None) {
        Py_DECREF(result);
        return Py_NewRef(a);
    }
    return result;
}

template <SlotMethod Forward>
PyObject* ternary_slot(PyObject* a, PyObject* b, PyObject* mod) {
    if (mod != Py_None) return Py_NewRef(Py_NotImplemented);  // pow(a, b, m): not bound
    return binary_slot<Forward>(a, b);
}
template <SlotMethod Forward>
PyObject* inplace_ternary_slot(PyObject* a, PyObject* b, PyObject* mod) {
    if (mod != Py_None) return Py_NewRef(Py_NotImplemented);
    return inplace_slot<Forward>(a, b);
}

// An operator's method object called by name (v.__add__(w), or CPython's generic slots of a
// Python subclass): a foreign operand gives NotImplemented, as from the slot, and an
// in-place method returning None gives back self.
template <bool InPlace>
PyObject* operator_vectorcall(PyObject* method, PyObject* const* args, std::size_t nargsf, PyObject* kwnames) noexcept {
    const Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    const FunctionRecord& first = record_of(method);
    if (nargs != 2 || kwnames) return dispatch_overloads(first, args, nargs, kwnames);
    PyObject* result = dispatch_overloads(first, args, 2, nullptr, true);
    if (result == no_match()) return Py_NewRef(Py_NotImplemented);
    if (InPlace && result == Py_None) {
        Py_DECREF(result);
        return Py_NewRef(args[0]);
    }
    return result;
}

// Which slot each special method fills.
struct SpecialMethod {
    const char* name;
    SlotMethod method;
    void (*install)(PyTypeObject*);
    binaryfunc PyNumberMethods::*forward_operator = nullptr;  // __add__: nb_add (a typed entry's slot)
};

PYOWNED_CORE const SpecialMethod* find_special(const char* name) noexcept;

// Records the special method's first overload for its slot and installs the slot function.
// A class with __eq__ and no __hash__ is unhashable, as in Python.
PYOWNED_CORE bool is_operator(SlotMethod m) noexcept;
PYOWNED_CORE bool is_inplace(SlotMethod m) noexcept;

// Whether `name` is an operator whose method object needs operator_vectorcall.
PYOWNED_CORE MethodVectorcall operator_entry(const char* name) noexcept;

// A special method with a typed entry (`typed`: its one overload is a stateless callable
// taking only regular parameters) puts that entry in the slot instead, where one fits.
PYOWNED_CORE void install_typed(ClassRecord& cls, const SpecialMethod& special, const MethodEntries& typed) noexcept;

PYOWNED_CORE void install_slot(Python, ClassRecord& cls, const char* name, const FunctionRecord* first,
                               const MethodEntries* typed);

}  // namespace pyowned::detail

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE const FunctionRecord* special_of(PyObject* self, SlotMethod which) noexcept {
    const ClassRecord* r = head_of(self)->record.load(std::memory_order_acquire);
    if (PYOWNED_UNLIKELY(!r)) {
        raise_not_initialized(self);
        return nullptr;
    }
    return r->slot(which);
}

PYOWNED_CORE PyObject* call_special(PyObject* self, SlotMethod which, PyObject* const* rest, std::size_t n) noexcept {
    const FunctionRecord* f = special_of(self, which);
    if (!f) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "special method missing");
        return nullptr;
    }
    if (PYOWNED_LIKELY(direct(f))) {
        if (f->def.ml_flags != METH_NOARGS) return fast_entry(f)(self, rest, static_cast<Py_ssize_t>(n), nullptr);
        if (n == 0) return f->def.ml_meth(self, nullptr);
    }
    PyObject* args[3] = {self, n > 0 ? rest[0] : nullptr, n > 1 ? rest[1] : nullptr};
    return dispatch_overloads(*f, args, static_cast<Py_ssize_t>(n + 1), nullptr);
}

PYOWNED_CORE PyObject* call_special_soft(const FunctionRecord* f, PyObject* self, PyObject* other) noexcept {
    PyObject* result;
    if (PYOWNED_LIKELY(direct(f) && f->def.ml_flags != METH_NOARGS)) {
        result = fast_entry(f)(self, &other, 1, soft_call());
    } else {
        PyObject* args[2] = {self, other};
        result = dispatch_overloads(*f, args, 2, nullptr, true);
    }
    return result == no_match() ? Py_NewRef(Py_NotImplemented) : result;
}

PYOWNED_CORE Py_ssize_t length_slot(PyObject* self) {
    PyObject* result = call_special(self, SlotMethod::len, nullptr, 0);
    if (!result) return -1;
    Py_ssize_t n = PyLong_AsSsize_t(result);
    Py_DECREF(result);
    if (n < 0 && !PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "__len__() should return >= 0");
    return n;
}

PYOWNED_CORE Py_hash_t hash_slot(PyObject* self) {
    PyObject* result = call_special(self, SlotMethod::hash, nullptr, 0);
    if (!result) return -1;
    Py_hash_t h = PyLong_AsSsize_t(result);
    if (h == -1 && PyErr_Occurred() && PyLong_Check(result) && PyErr_ExceptionMatches(PyExc_OverflowError)) {
        PyErr_Clear();  // a hash beyond Py_ssize_t: reduced as Python reduces an int's
        h = PyLong_Type.tp_hash(result);
    }
    Py_DECREF(result);
    if (h == -1 && !PyErr_Occurred()) h = -2;  // -1 means error to CPython
    return h;
}

PYOWNED_CORE int bool_slot(PyObject* self) {
    PyObject* result = call_special(self, SlotMethod::bool_, nullptr, 0);
    if (!result) return -1;
    int truth = PyObject_IsTrue(result);
    Py_DECREF(result);
    return truth;
}

PYOWNED_CORE PyObject* sq_item_slot(PyObject* self, Py_ssize_t i) {
    PyObject* index = PyLong_FromSsize_t(i);
    if (!index) return nullptr;
    PyObject* result = getitem_slot(self, index);
    Py_DECREF(index);
    return result;
}

PYOWNED_CORE int setitem_slot(PyObject* self, PyObject* key, PyObject* value) {
    PyObject* args[2] = {key, value};
    const bool del = value == nullptr;
    if (!special_of(self, del ? SlotMethod::delitem : SlotMethod::setitem)) {
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_TypeError, "'%s' object does not support item %s", Py_TYPE(self)->tp_name,
                         del ? "deletion" : "assignment");
        return -1;
    }
    PyObject* result = call_special(self, del ? SlotMethod::delitem : SlotMethod::setitem, args, del ? 1 : 2);
    if (!result) return -1;
    Py_DECREF(result);
    return 0;
}

PYOWNED_CORE int sq_setitem_slot(PyObject* self, Py_ssize_t i, PyObject* value) {
    PyObject* index = PyLong_FromSsize_t(i);
    if (!index) return -1;
    int status = setitem_slot(self, index, value);
    Py_DECREF(index);
    return status;
}

PYOWNED_CORE int contains_slot(PyObject* self, PyObject* value) {
    PyObject* result = call_special(self, SlotMethod::contains, &value, 1);
    if (!result) return -1;
    int truth = PyObject_IsTrue(result);
    Py_DECREF(result);
    return truth;
}

PYOWNED_CORE PyObject* call_slot(PyObject* self, PyObject* args, PyObject* kwargs) {
    const FunctionRecord* f = special_of(self, SlotMethod::call);
    if (!f) return PyErr_Occurred() ? nullptr : (PyErr_SetString(PyExc_TypeError, "not callable"), nullptr);
    // tuple and dict to the vectorcall convention, with self in front
    const Py_ssize_t nargs = PyTuple_GET_SIZE(args), nkw = kwargs ? PyDict_GET_SIZE(kwargs) : 0;
    std::vector<PyObject*> all(static_cast<std::size_t>(1 + nargs + nkw));
    all[0] = self;
    for (Py_ssize_t i = 0; i < nargs; ++i) all[static_cast<std::size_t>(1 + i)] = PyTuple_GET_ITEM(args, i);
    PyObject* kwnames = nullptr;
    if (nkw) {
        if (!(kwnames = PyTuple_New(nkw))) return nullptr;
        Py_ssize_t pos = 0, k = 0;
        PyObject *key, *value;
        while (PyDict_Next(kwargs, &pos, &key, &value)) {  // borrowed: the dict lives for the call
            PyTuple_SET_ITEM(kwnames, k, Py_NewRef(key));
            all[static_cast<std::size_t>(1 + nargs + k++)] = value;
        }
    }
    PyObject* result = dispatch_overloads(*f, all.data(), 1 + nargs, kwnames);
    Py_XDECREF(kwnames);
    return result;
}

PYOWNED_CORE PyObject* getattr_slot(PyObject* self, PyObject* name) {
    PyObject* found = PyObject_GenericGetAttr(self, name);
    if (found || !PyErr_ExceptionMatches(PyExc_AttributeError)) return found;
    PyErr_Clear();
    return call_special(self, SlotMethod::getattr, &name, 1);
}

PYOWNED_CORE PyObject* richcompare_slot(PyObject* self, PyObject* other, int op) {
    static constexpr SlotMethod methods[] = {SlotMethod::lt, SlotMethod::le, SlotMethod::eq,
                                             SlotMethod::ne, SlotMethod::gt, SlotMethod::ge};
    const FunctionRecord* f = special_of(self, methods[op]);
    if (f) return call_special_soft(f, self, other);
    if (PyErr_Occurred()) return nullptr;
    if (op == Py_NE && (f = special_of(self, SlotMethod::eq))) {
        PyObject* equal = call_special_soft(f, self, other);
        if (!equal || equal == Py_NotImplemented) return equal;
        int truth = PyObject_IsTrue(equal);
        Py_DECREF(equal);
        return truth < 0 ? nullptr : PyBool_FromLong(!truth);
    }
    return Py_NewRef(Py_NotImplemented);
}

#define PYOWNED_NUMBER_OPERATOR(name, slot, inplace_slot_name, Forward)                                       \
    {"__" name "__", SlotMethod::Forward, [](PyTypeObject* t) { t->tp_as_number->slot = &binary_slot<SlotMethod::Forward>; }, \
     &PyNumberMethods::slot},                                                                                   \
    {"__r" name "__", static_cast<SlotMethod>(static_cast<int>(SlotMethod::Forward) + 1),                      \
     [](PyTypeObject* t) { t->tp_as_number->slot = &binary_slot<SlotMethod::Forward>; }},                     \
    {"__i" name "__", static_cast<SlotMethod>(static_cast<int>(SlotMethod::Forward) + 2),                      \
     [](PyTypeObject* t) { t->tp_as_number->inplace_slot_name = &inplace_slot<SlotMethod::Forward>; }}
PYOWNED_CORE const SpecialMethod* find_special(const char* name) noexcept {
    static const SpecialMethod table[] = {
        {"__repr__", SlotMethod::repr, [](PyTypeObject* t) { t->tp_repr = &unary_slot<SlotMethod::repr>; }},
        {"__str__", SlotMethod::str, [](PyTypeObject* t) { t->tp_str = &unary_slot<SlotMethod::str>; }},
        {"__hash__", SlotMethod::hash, [](PyTypeObject* t) { t->tp_hash = &hash_slot; }},
        {"__bool__", SlotMethod::bool_, [](PyTypeObject* t) { t->tp_as_number->nb_bool = &bool_slot; }},
        {"__len__", SlotMethod::len,
         [](PyTypeObject* t) {
             t->tp_as_mapping->mp_length = &length_slot;
             t->tp_as_sequence->sq_length = &length_slot;
         }},
        {"__getitem__", SlotMethod::getitem,
         [](PyTypeObject* t) {
             t->tp_as_mapping->mp_subscript = &getitem_slot;
             t->tp_as_sequence->sq_item = &sq_item_slot;
         }},
        {"__setitem__", SlotMethod::setitem,
         [](PyTypeObject* t) {
             t->tp_as_mapping->mp_ass_subscript = &setitem_slot;
             t->tp_as_sequence->sq_ass_item = &sq_setitem_slot;
         }},
        {"__delitem__", SlotMethod::delitem,
         [](PyTypeObject* t) {
             t->tp_as_mapping->mp_ass_subscript = &setitem_slot;
             t->tp_as_sequence->sq_ass_item = &sq_setitem_slot;
         }},
        {"__contains__", SlotMethod::contains, [](PyTypeObject* t) { t->tp_as_sequence->sq_contains = &contains_slot; }},
        {"__iter__", SlotMethod::iter, [](PyTypeObject* t) { t->tp_iter = &unary_slot<SlotMethod::iter>; }},
        {"__next__", SlotMethod::next, [](PyTypeObject* t) { t->tp_iternext = &unary_slot<SlotMethod::next>; }},
        {"__call__", SlotMethod::call, [](PyTypeObject* t) { t->tp_call = &call_slot; }},
        {"__int__", SlotMethod::int_, [](PyTypeObject* t) { t->tp_as_number->nb_int = &unary_slot<SlotMethod::int_>; }},
        {"__float__", SlotMethod::float_, [](PyTypeObject* t) { t->tp_as_number->nb_float = &unary_slot<SlotMethod::float_>; }},
        {"__index__", SlotMethod::index, [](PyTypeObject* t) { t->tp_as_number->nb_index = &unary_slot<SlotMethod::index>; }},
        {"__neg__", SlotMethod::neg, [](PyTypeObject* t) { t->tp_as_number->nb_negative = &unary_slot<SlotMethod::neg>; }},
        {"__pos__", SlotMethod::pos, [](PyTypeObject* t) { t->tp_as_number->nb_positive = &unary_slot<SlotMethod::pos>; }},
        {"__abs__", SlotMethod::abs, [](PyTypeObject* t) { t->tp_as_number->nb_absolute = &unary_slot<SlotMethod::abs>; }},
        {"__invert__", SlotMethod::invert, [](PyTypeObject* t) { t->tp_as_number->nb_invert = &unary_slot<SlotMethod::invert>; }},
        {"__getattr__", SlotMethod::getattr, [](PyTypeObject* t) { t->tp_getattro = &getattr_slot; }},
        {"__lt__", SlotMethod::lt, [](PyTypeObject* t) { t->tp_richcompare = &richcompare_slot; }},
        {"__le__", SlotMethod::le, [](PyTypeObject* t) { t->tp_richcompare = &richcompare_slot; }},
        {"__eq__", SlotMethod::eq, [](PyTypeObject* t) { t->tp_richcompare = &richcompare_slot; }},
        {"__ne__", SlotMethod::ne, [](PyTypeObject* t) { t->tp_richcompare = &richcompare_slot; }},
        {"__gt__", SlotMethod::gt, [](PyTypeObject* t) { t->tp_richcompare = &richcompare_slot; }},
        {"__ge__", SlotMethod::ge, [](PyTypeObject* t) { t->tp_richcompare = &richcompare_slot; }},
        PYOWNED_NUMBER_OPERATOR("add", nb_add, nb_inplace_add, add),
        PYOWNED_NUMBER_OPERATOR("sub", nb_subtract, nb_inplace_subtract, sub),
        PYOWNED_NUMBER_OPERATOR("mul", nb_multiply, nb_inplace_multiply, mul),
        PYOWNED_NUMBER_OPERATOR("truediv", nb_true_divide, nb_inplace_true_divide, truediv),
        PYOWNED_NUMBER_OPERATOR("floordiv", nb_floor_divide, nb_inplace_floor_divide, floordiv),
        PYOWNED_NUMBER_OPERATOR("mod", nb_remainder, nb_inplace_remainder, mod),
        PYOWNED_NUMBER_OPERATOR("lshift", nb_lshift, nb_inplace_lshift, lshift),
        PYOWNED_NUMBER_OPERATOR("rshift", nb_rshift, nb_inplace_rshift, rshift),
        PYOWNED_NUMBER_OPERATOR("and", nb_and, nb_inplace_and, and_),
        PYOWNED_NUMBER_OPERATOR("or", nb_or, nb_inplace_or, or_),
        PYOWNED_NUMBER_OPERATOR("xor", nb_xor, nb_inplace_xor, xor_),
        PYOWNED_NUMBER_OPERATOR("matmul", nb_matrix_multiply, nb_inplace_matrix_multiply, matmul),
        {"__pow__", SlotMethod::pow, [](PyTypeObject* t) { t->tp_as_number->nb_power = &ternary_slot<SlotMethod::pow>; }},
        {"__rpow__", SlotMethod::rpow, [](PyTypeObject* t) { t->tp_as_number->nb_power = &ternary_slot<SlotMethod::pow>; }},
        {"__ipow__", SlotMethod::ipow,
         [](PyTypeObject* t) { t->tp_as_number->nb_inplace_power = &inplace_ternary_slot<SlotMethod::pow>; }},
    };
    for (const SpecialMethod& s : table)
        if (std::strcmp(s.name, name) == 0) return &s;
    return nullptr;
}
#undef PYOWNED_NUMBER_OPERATOR

PYOWNED_CORE bool is_operator(SlotMethod m) noexcept {
    return (m >= SlotMethod::lt && m <= SlotMethod::ge) || m >= SlotMethod::add;
}

PYOWNED_CORE bool is_inplace(SlotMethod m) noexcept {
    return m >= SlotMethod::add && (static_cast<int>(m) - static_cast<int>(SlotMethod::add)) % 3 == 2;
}

PYOWNED_CORE MethodVectorcall operator_entry(const char* name) noexcept {
    const SpecialMethod* special = name[0] == '_' && name[1] == '_' ? find_special(name) : nullptr;
    if (!special || !is_operator(special->method)) return nullptr;
    return is_inplace(special->method) ? &operator_vectorcall<true> : &operator_vectorcall<false>;
}

PYOWNED_CORE void install_typed(ClassRecord& cls, const SpecialMethod& special, const MethodEntries& typed) noexcept {
    PyTypeObject* t = cls.type;
    if (special.method == SlotMethod::len && typed.length_slot) {
        t->tp_as_mapping->mp_length = typed.length_slot;
        t->tp_as_sequence->sq_length = typed.length_slot;
    } else if (special.method == SlotMethod::getitem && typed.subscript_slot) {
        t->tp_as_mapping->mp_subscript = typed.subscript_slot;  // sq_item stays the shared one
    } else if (special.forward_operator && typed.operator_slot &&
               !cls.slot(static_cast<SlotMethod>(static_cast<int>(special.method) + 1))) {
        // no reflected form in the class or its bound bases: NotImplemented is the whole answer
        // for a foreign left operand
        t->tp_as_number->*special.forward_operator = typed.operator_slot;
    }
}

PYOWNED_CORE void install_slot(Python, ClassRecord& cls, const char* name, const FunctionRecord* first,
                               const MethodEntries* typed) {
    const SpecialMethod* special = find_special(name);
    if (!special) return;  // __init__ and others: a method like any
    cls.slots[static_cast<std::size_t>(special->method)] = first;
    special->install(cls.type);
    if (typed) install_typed(cls, *special, *typed);
    if (special->method == SlotMethod::eq && !cls.slots[static_cast<std::size_t>(SlotMethod::hash)]) {
        cls.type->tp_hash = PyObject_HashNotImplemented;
        check_status(PyDict_SetItemString(cls.type->tp_dict, "__hash__", Py_None));
    }
    PyType_Modified(cls.type);
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
