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
    while (t && !bound_dealloc(t)) t = api::type_base(t);
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
// Python subclass or of a limited build's class): a foreign operand gives NotImplemented, as
// from the slot, and an in-place method returning None gives back self. So does __pow__
// given a modulus no overload takes (CPython's slot calls __pow__(v, w, mod) for pow(v, w, mod)).
template <bool InPlace>
PyObject* operator_vectorcall(PyObject* method, PyObject* const* args, std::size_t nargsf, PyObject* kwnames) noexcept {
    const Py_ssize_t nargs = detail::api::vectorcall_nargs(nargsf);
    const FunctionRecord& first = record_of(method);
    const bool pow_with_mod = nargs == 3 && !InPlace && first.name.ends_with("__pow__");
    if ((nargs != 2 && !pow_with_mod) || kwnames) return dispatch_overloads(first, args, nargs, kwnames);
    PyObject* result = dispatch_overloads(first, args, nargs, nullptr, true);
    if (result == no_match()) return Py_NewRef(Py_NotImplemented);
    if (InPlace && result == Py_None) {
        Py_DECREF(result);
        return Py_NewRef(args[0]);
    }
    return result;
}

// The special method named `name` ("__add__"), if it is one a slot serves: false otherwise.
PYOWNED_CORE bool find_special(const char* name, SlotMethod& found) noexcept;

// Fills the slot of special method `m` with its slot function.
PYOWNED_CORE void install_special(PyTypeObject* t, SlotMethod m) noexcept;

// Records the special method's first overload for its slot and installs the slot function.
// A class with __eq__ and no __hash__ is unhashable, as in Python.
PYOWNED_CORE bool is_operator(SlotMethod m) noexcept;
PYOWNED_CORE bool is_inplace(SlotMethod m) noexcept;

// Whether `name` is an operator whose method object needs operator_vectorcall.
PYOWNED_CORE MethodVectorcall operator_entry(const char* name) noexcept;

// A special method with a typed entry (`typed`: its one overload is a stateless callable
// taking only regular parameters) puts that entry in the slot instead, where one fits.
PYOWNED_CORE void install_typed(ClassRecord& cls, SlotMethod special, const MethodEntries& typed) noexcept;

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
#if PYOWNED_LIMITED
        h = reinterpret_cast<hashfunc>(PyType_GetSlot(&PyLong_Type, Py_tp_hash))(result);
#else
        h = PyLong_Type.tp_hash(result);
#endif
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
            PyErr_Format(PyExc_TypeError, "'%s' object does not support item %s",
                         detail::api::type_name_of(self).c_str(), del ? "deletion" : "assignment");
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
    const Py_ssize_t nargs = detail::api::tuple_size(args), nkw = kwargs ? detail::api::dict_size(kwargs) : 0;
    std::vector<PyObject*> all(static_cast<std::size_t>(1 + nargs + nkw));
    all[0] = self;
    for (Py_ssize_t i = 0; i < nargs; ++i) all[static_cast<std::size_t>(1 + i)] = detail::api::tuple_item(args, i);
    PyObject* kwnames = nullptr;
    if (nkw) {
        if (!(kwnames = PyTuple_New(nkw))) return nullptr;
        Py_ssize_t pos = 0, k = 0;
        PyObject *key, *value;
        while (PyDict_Next(kwargs, &pos, &key, &value)) {  // borrowed: the dict lives for the call
            detail::api::tuple_init(kwnames, k, Py_NewRef(key));
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

// The special methods' names, in SlotMethod's order (in place: a table of pointers would be
// one relocation each when the module loads).
inline constexpr char special_names[static_cast<std::size_t>(SlotMethod::count)][14] = {
    "__repr__",    "__str__",      "__hash__",     "__bool__",     "__len__",       "__getitem__",   "__setitem__",
    "__delitem__", "__contains__", "__iter__",     "__next__",     "__call__",      "__int__",       "__float__",
    "__index__",   "__neg__",      "__pos__",      "__abs__",      "__invert__",    "__getattr__",   "__lt__",
    "__le__",      "__eq__",       "__ne__",       "__gt__",       "__ge__",        "__add__",       "__radd__",
    "__iadd__",    "__sub__",      "__rsub__",     "__isub__",     "__mul__",       "__rmul__",      "__imul__",
    "__truediv__", "__rtruediv__", "__itruediv__", "__floordiv__", "__rfloordiv__", "__ifloordiv__", "__mod__",
    "__rmod__",    "__imod__",     "__pow__",      "__rpow__",     "__ipow__",      "__lshift__",    "__rlshift__",
    "__ilshift__", "__rshift__",   "__rrshift__",  "__irshift__",  "__and__",       "__rand__",      "__iand__",
    "__or__",      "__ror__",      "__ior__",      "__xor__",      "__rxor__",      "__ixor__",      "__matmul__",
    "__rmatmul__", "__imatmul__"};
static_assert(std::string_view(special_names[static_cast<std::size_t>(SlotMethod::count) - 1]) == "__imatmul__",
              "a name for every SlotMethod, in its order");

#if !PYOWNED_LIMITED  // (a limited build cannot write slots: install_slot below)
// Each binary operator's number slots (its reflected form shares the first), in SlotMethod's
// order; pow's are ternary (install_special fills them).
struct NumberSlots {
    binaryfunc PyNumberMethods::* binary;
    binaryfunc PyNumberMethods::* inplace;
};
inline constexpr NumberSlots number_slots[] = {
    {&PyNumberMethods::nb_add, &PyNumberMethods::nb_inplace_add},
    {&PyNumberMethods::nb_subtract, &PyNumberMethods::nb_inplace_subtract},
    {&PyNumberMethods::nb_multiply, &PyNumberMethods::nb_inplace_multiply},
    {&PyNumberMethods::nb_true_divide, &PyNumberMethods::nb_inplace_true_divide},
    {&PyNumberMethods::nb_floor_divide, &PyNumberMethods::nb_inplace_floor_divide},
    {&PyNumberMethods::nb_remainder, &PyNumberMethods::nb_inplace_remainder},
    {nullptr, nullptr},  // pow
    {&PyNumberMethods::nb_lshift, &PyNumberMethods::nb_inplace_lshift},
    {&PyNumberMethods::nb_rshift, &PyNumberMethods::nb_inplace_rshift},
    {&PyNumberMethods::nb_and, &PyNumberMethods::nb_inplace_and},
    {&PyNumberMethods::nb_or, &PyNumberMethods::nb_inplace_or},
    {&PyNumberMethods::nb_xor, &PyNumberMethods::nb_inplace_xor},
    {&PyNumberMethods::nb_matrix_multiply, &PyNumberMethods::nb_inplace_matrix_multiply},
};
inline const NumberSlots& number_slots_of(SlotMethod m) noexcept {
    return number_slots[(static_cast<int>(m) - static_cast<int>(SlotMethod::add)) / 3];
}

// Binary operator Forward's slot function, in the slot `m` (Forward, its reflected or its
// in-place form) fills.
template <SlotMethod Forward>
void install_binary(PyTypeObject* t, SlotMethod m) noexcept {
    const NumberSlots& slots = number_slots_of(Forward);
    if (is_inplace(m)) t->tp_as_number->*slots.inplace = &inplace_slot<Forward>;
    else t->tp_as_number->*slots.binary = &binary_slot<Forward>;
}
#endif

PYOWNED_CORE bool find_special(const char* name, SlotMethod& found) noexcept {
    for (std::size_t i = 0; i < static_cast<std::size_t>(SlotMethod::count); ++i) {
        if (std::strcmp(special_names[i], name) == 0) {
            found = static_cast<SlotMethod>(i);
            return true;
        }
    }
    return false;
}

#if !PYOWNED_LIMITED
PYOWNED_CORE void install_special(PyTypeObject* t, SlotMethod m) noexcept {
    using S = SlotMethod;
    switch (m) {
        case S::repr:
            t->tp_repr = &unary_slot<S::repr>;
            return;
        case S::str:
            t->tp_str = &unary_slot<S::str>;
            return;
        case S::hash:
            t->tp_hash = &hash_slot;
            return;
        case S::bool_:
            t->tp_as_number->nb_bool = &bool_slot;
            return;
        case S::len:
            t->tp_as_mapping->mp_length = &length_slot;
            t->tp_as_sequence->sq_length = &length_slot;
            return;
        case S::getitem:
            t->tp_as_mapping->mp_subscript = &getitem_slot;
            t->tp_as_sequence->sq_item = &sq_item_slot;
            return;
        case S::setitem:
        case S::delitem:
            t->tp_as_mapping->mp_ass_subscript = &setitem_slot;
            t->tp_as_sequence->sq_ass_item = &sq_setitem_slot;
            return;
        case S::contains:
            t->tp_as_sequence->sq_contains = &contains_slot;
            return;
        case S::iter:
            t->tp_iter = &unary_slot<S::iter>;
            return;
        case S::next:
            t->tp_iternext = &unary_slot<S::next>;
            return;
        case S::call:
            t->tp_call = &call_slot;
            return;
        case S::int_:
            t->tp_as_number->nb_int = &unary_slot<S::int_>;
            return;
        case S::float_:
            t->tp_as_number->nb_float = &unary_slot<S::float_>;
            return;
        case S::index:
            t->tp_as_number->nb_index = &unary_slot<S::index>;
            return;
        case S::neg:
            t->tp_as_number->nb_negative = &unary_slot<S::neg>;
            return;
        case S::pos:
            t->tp_as_number->nb_positive = &unary_slot<S::pos>;
            return;
        case S::abs:
            t->tp_as_number->nb_absolute = &unary_slot<S::abs>;
            return;
        case S::invert:
            t->tp_as_number->nb_invert = &unary_slot<S::invert>;
            return;
        case S::getattr:
            t->tp_getattro = &getattr_slot;
            return;
        case S::lt:
        case S::le:
        case S::eq:
        case S::ne:
        case S::gt:
        case S::ge:
            t->tp_richcompare = &richcompare_slot;
            return;
        case S::pow:
        case S::rpow:
            t->tp_as_number->nb_power = &ternary_slot<S::pow>;
            return;
        case S::ipow:
            t->tp_as_number->nb_inplace_power = &inplace_ternary_slot<S::pow>;
            return;
        default:
            break;
    }
    // the other binary operators: forward, reflected, in-place, in this order for each
    switch (static_cast<S>(static_cast<int>(m) - (static_cast<int>(m) - static_cast<int>(S::add)) % 3)) {
        case S::add:
            return install_binary<S::add>(t, m);
        case S::sub:
            return install_binary<S::sub>(t, m);
        case S::mul:
            return install_binary<S::mul>(t, m);
        case S::truediv:
            return install_binary<S::truediv>(t, m);
        case S::floordiv:
            return install_binary<S::floordiv>(t, m);
        case S::mod:
            return install_binary<S::mod>(t, m);
        case S::lshift:
            return install_binary<S::lshift>(t, m);
        case S::rshift:
            return install_binary<S::rshift>(t, m);
        case S::and_:
            return install_binary<S::and_>(t, m);
        case S::or_:
            return install_binary<S::or_>(t, m);
        case S::xor_:
            return install_binary<S::xor_>(t, m);
        case S::matmul:
            return install_binary<S::matmul>(t, m);
        default:
            return;
    }
}
#endif

PYOWNED_CORE bool is_operator(SlotMethod m) noexcept {
    return (m >= SlotMethod::lt && m <= SlotMethod::ge) || m >= SlotMethod::add;
}

PYOWNED_CORE bool is_inplace(SlotMethod m) noexcept {
    return m >= SlotMethod::add && (static_cast<int>(m) - static_cast<int>(SlotMethod::add)) % 3 == 2;
}

PYOWNED_CORE MethodVectorcall operator_entry(const char* name) noexcept {
    SlotMethod special;
    if (name[0] != '_' || name[1] != '_' || !find_special(name, special) || !is_operator(special)) return nullptr;
    return is_inplace(special) ? &operator_vectorcall<true> : &operator_vectorcall<false>;
}

#if !PYOWNED_LIMITED
PYOWNED_CORE void install_typed(ClassRecord& cls, SlotMethod special, const MethodEntries& typed) noexcept {
    PyTypeObject* t = cls.type;
    const bool forward_operator = special >= SlotMethod::add && special != SlotMethod::pow &&
                                  (static_cast<int>(special) - static_cast<int>(SlotMethod::add)) % 3 == 0;
    if (special == SlotMethod::len && typed.length_slot) {
        t->tp_as_mapping->mp_length = typed.length_slot;
        t->tp_as_sequence->sq_length = typed.length_slot;
    } else if (special == SlotMethod::getitem && typed.subscript_slot) {
        t->tp_as_mapping->mp_subscript = typed.subscript_slot;  // sq_item stays the shared one
    } else if (forward_operator && typed.operator_slot &&
               !cls.slot(static_cast<SlotMethod>(static_cast<int>(special) + 1))) {
        // no reflected form in the class or its bound bases: NotImplemented is the whole answer
        // for a foreign left operand
        t->tp_as_number->*number_slots_of(special).binary = typed.operator_slot;
    }
}
#endif

PYOWNED_CORE void install_slot(Python, ClassRecord& cls, const char* name, const FunctionRecord* first,
                               const MethodEntries* typed) {
    SlotMethod special;
    if (!find_special(name, special)) return;  // __init__ and others: a method like any
    cls.slots[static_cast<std::size_t>(special)] = first;
#if PYOWNED_LIMITED
    (void)typed;  // the method is set on the type: CPython's slot wrapper calls it
    if (special == SlotMethod::eq && !cls.slots[static_cast<std::size_t>(SlotMethod::hash)])
        define_in_class(cls.type, "__hash__", Py_None);  // sets tp_hash to PyObject_HashNotImplemented
#else
    install_special(cls.type, special);
    if (typed) install_typed(cls, special, *typed);
    if (special == SlotMethod::eq && !cls.slots[static_cast<std::size_t>(SlotMethod::hash)]) {
        cls.type->tp_hash = PyObject_HashNotImplemented;
        define_in_class(cls.type, "__hash__", Py_None);
    }
    PyType_Modified(cls.type);
#endif
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
