// The Python type of a bound class: made from a spec by shared code, with the instance's
// allocation, deallocation, garbage-collection support and construction entry points.
#pragma once
#include "record.h"
#include <cstddef>

namespace pyowned::detail {

// The type that installed a bound-class dealloc on `type`'s instances: `type` itself, or for
// a Python subclass its nearest bound base (a Python subclass's own dealloc is CPython's).
inline PyTypeObject* bound_type_of(PyTypeObject* type) noexcept {
    while (!bound_dealloc(type)) type = api::type_base(type);
    return type;
}

// Where the bound type's instances keep their dict and weak-reference list (py::dynamic_attr,
// py::weakref; 0: nowhere); a Python subclass's own are handled by CPython's subtype_dealloc.
// The type's fields, or in a limited build its record's copy.
inline TypeLayout layout_of(PyObject* self, PyTypeObject* bound) noexcept {
#if PYOWNED_LIMITED
    // the class it was made as, when that is the bound type (a base's __init__ may have made
    // a derived class's instance: then the bound type's own record)
    const ClassRecord* r = head_of(self)->record.load(std::memory_order_acquire);
    if (!r || r->type != bound) r = record_of_type(bound);
    return r ? r->layout : TypeLayout{};
#else
    (void)self;
    return {bound->tp_basicsize, bound->tp_dictoffset, bound->tp_weaklistoffset};
#endif
}
inline PyObject** dict_slot(PyObject* self, const TypeLayout& layout) noexcept {
    return layout.dict_offset > 0 ? reinterpret_cast<PyObject**>(reinterpret_cast<char*>(self) + layout.dict_offset)
                                  : nullptr;
}

// Whether the instance's C++ object may be visited: not while a mutation holds it (a Py
// dropped inside a mutation can start a collection mid-mutation).
inline bool visitable(PyObject* self) noexcept {
#ifdef Py_GIL_DISABLED
    return head_of(self)->borrow.load(std::memory_order_relaxed) != exclusive_borrow;
#else
    return head_of(self)->borrow != exclusive_borrow;
#endif
}

// tp_traverse. Takes no lock: the free-threaded collector stops the world, and a stopped
// thread may hold one.
PYOWNED_CORE int instance_traverse(PyObject* self, visitproc visit, void* arg);

// tp_clear: breaks a reference cycle through the C++ object's Python references. The
// patients stay until dealloc (the C++ object may point into them); a cycle through them is
// broken at the patient's side.
PYOWNED_CORE int instance_clear(PyObject* self);

PYOWNED_CORE void instance_dealloc(PyObject* self);

// The dealloc of a class without GC, __dict__ or weak references (ClassRecord::lean_alloc),
// whose instances come from PyObject_Malloc: only the object to destroy, if it was made.
PYOWNED_CORE void lean_instance_dealloc(PyObject* self);
// The same for a trivially destructible C++ type: only an object held through a pointer is
// destroyed (a holder past inline_value; the record is then set).
PYOWNED_CORE void trivial_instance_dealloc(PyObject* self);

// tp_new: an empty instance (its C++ object is made by __init__), or TypeError for a class
// without a constructor, as CPython words it.
PYOWNED_CORE PyObject* instance_new(PyTypeObject* type, PyObject*, PyObject*);

// tp_init, for Python subclasses (the bound class itself is called through its vectorcall):
// the __init__ found on the type (the bound class's method object) called with self.
PYOWNED_CORE int instance_init(PyObject* self, PyObject* args, PyObject* kwargs);

// Calling the bound class itself (tp_vectorcall, not inherited by subclasses): a new
// instance, then its __init__ with the instance prepended to the arguments.
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* init_many(vectorcallfunc call, PyObject* init, PyObject* self,
                                                   PyObject* const* args, std::size_t nargs, std::size_t total,
                                                   PyObject* kwnames);
// A new, empty instance of `r`'s own class, or nullptr with an error set. A class without
// GC, __dict__ or weak references needs only the head initialized (the storage is
// constructed into): no zeroing of the whole instance, as PyType_GenericAlloc does.
PYOWNED_INLINE PyObject* alloc_instance(const ClassRecord* r) noexcept {
    PyTypeObject* type = r->type;
    if (PYOWNED_UNLIKELY(!r->lean_alloc)) return api::type_alloc(type);
    // PyObject_Malloc of tp_basicsize and PyObject_Init (which increfs the heap type) in one
    // call; MemoryError set on failure
    PyObject* self = PyObject_New(PyObject, type);
    if (PYOWNED_UNLIKELY(!self)) return nullptr;
    InstanceHead* head = head_of(self);
    head->record.store(nullptr, std::memory_order_relaxed);
    head->borrow = 0;
    head->holder.store(Holder::none, std::memory_order_relaxed);
    head->patients = nullptr;
    return self;
}

PYOWNED_CORE PyObject* construct_instance(const ClassRecord* r, PyObject* const* args, std::size_t nargsf,
                                          PyObject* kwnames) noexcept;

// __weakref__: the first weak reference to the instance, or None.
PYOWNED_CORE PyObject* weakref_of(PyObject* self, void*);

// What the template side of py::Class hands to make_class_type.
struct ClassSpec {
    const char* name;  // Python name
    const char* doc;
    PyObject* scope;          // the module or enclosing class
    const ClassRecord* base;  // the bound base's record, or nullptr
    Py_ssize_t basicsize;     // head + storage
    bool final, dynamic_attr, weakref, gc;
};

// The names of a class or enum `name` defined in `scope` (a module or a class): its module's
// name (a new reference, a str whose UTF-8 is cached) and its __qualname__ ("Outer.Inner").
// nullptr with an error set.
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* scope_names(PyObject* scope, const char* name, std::string& qualname);

// Makes the type (a new reference), with __module__, __qualname__ and __doc__ set.
// `tp_name` and `qualname` receive the names, `layout` the instance layout; tp_name must
// outlive the type (3.10 keeps the spec's pointer), so the caller stores it in the class
// record. A regular build makes the type immutable; a limited one cannot write its slots
// afterwards, so leaves it mutable (methods are set as on a Python class: special methods
// get CPython's slot wrappers), and makes it garbage-collected from the start.
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* make_class_type(const ClassSpec& s, std::string& tp_name,
                                                         std::string& qualname, TypeLayout& layout);

}  // namespace pyowned::detail

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE int instance_traverse(PyObject* self, visitproc visit, void* arg) {
    Py_VISIT(Py_TYPE(self));  // instances of heap types own a reference to their type
    if (PyObject** dict = dict_slot(self, layout_of(self, bound_type_of(Py_TYPE(self))))) Py_VISIT(*dict);
    Py_VISIT(head_of(self)->patients);
    const ClassRecord* r = head_of(self)->record.load(std::memory_order_acquire);
    if (r && visitable(self)) {
        for (const ClassRecord* c = r; c; c = c->base) {  // every bound class's members
            if (!c->traverse) continue;
            void* value = c == r ? r->value(self) : upcast_value(self, r, c);
            if (int status = c->traverse(c->gc_state.get(), value, visit, arg)) return status;
        }
    }
    return 0;
}

PYOWNED_CORE int instance_clear(PyObject* self) {
    if (PyObject** dict = dict_slot(self, layout_of(self, bound_type_of(Py_TYPE(self))))) Py_CLEAR(*dict);
    const ClassRecord* r = head_of(self)->record.load(std::memory_order_acquire);
    if (r && visitable(self)) {
        for (const ClassRecord* c = r; c; c = c->base) {
            if (!c->clear) continue;
            void* value = c == r ? r->value(self) : upcast_value(self, r, c);
            c->clear(c->gc_state.get(), value);
        }
    }
    return 0;
}

PYOWNED_CORE void instance_dealloc(PyObject* self) {
    PyTypeObject* type = Py_TYPE(self);
    const TypeLayout layout = layout_of(self, bound_type_of(type));
    if (PyType_IS_GC(type)) PyObject_GC_UnTrack(self);
    if (layout.weaklist_offset > 0) PyObject_ClearWeakRefs(self);
    if (PyObject** dict = dict_slot(self, layout)) Py_CLEAR(*dict);
    // only a constructed object is destroyed: one whose constructor threw never existed
    if (const ClassRecord* r = head_of(self)->record.load(std::memory_order_acquire)) r->destroy(self);
    Py_XDECREF(head_of(self)->patients);  // after the object, which may point into them
    api::type_free(type, self);
    Py_DECREF(type);  // instances of heap types own a reference to their type
}

PYOWNED_CORE void lean_instance_dealloc(PyObject* self) {
    PyTypeObject* type = Py_TYPE(self);
    // an instance of a Python subclass (CPython's subtype_dealloc called this): the full path
    if (PYOWNED_UNLIKELY(api::type_dealloc(type) != &lean_instance_dealloc)) return instance_dealloc(self);
    if (const ClassRecord* r = head_of(self)->record.load(std::memory_order_acquire)) r->destroy(self);
    Py_XDECREF(head_of(self)->patients);  // after the object, which may point into them
    Py_DECREF(type);                      // first: nothing below needs the type, and the free is then a tail call
    PyObject_Free(self);
}

PYOWNED_CORE void trivial_instance_dealloc(PyObject* self) {
    PyTypeObject* type = Py_TYPE(self);
    if (PYOWNED_UNLIKELY(api::type_dealloc(type) != &trivial_instance_dealloc)) return instance_dealloc(self);
    if (PYOWNED_UNLIKELY(head_of(self)->holder.load(std::memory_order_relaxed) > Holder::inline_value))
        head_of(self)->record.load(std::memory_order_acquire)->destroy(self);
    Py_XDECREF(head_of(self)->patients);
    Py_DECREF(type);  // as above
    PyObject_Free(self);
}

PYOWNED_CORE PyObject* instance_new(PyTypeObject* type, PyObject*, PyObject*) {
    const ClassRecord* r = record_of_type(type);
    if (!r || !r->has_init) {
        PyErr_Format(PyExc_TypeError, "cannot create '%s' instances",
                     detail::api::type_name(bound_type_of(type)).c_str());
        return nullptr;
    }
    return api::type_alloc(type);
}

PYOWNED_CORE int instance_init(PyObject* self, PyObject* args, PyObject* kwargs) {
    PyObject* init = PyObject_GetAttrString(reinterpret_cast<PyObject*>(Py_TYPE(self)), "__init__");
    if (!init) return -1;
#if PYOWNED_LIMITED
    // no PyMethod_New in the limited API: __init__ called with self in front
    PyObject* self_only = PyTuple_Pack(1, self);
    PyObject* all = self_only ? PySequence_Concat(self_only, args) : nullptr;
    Py_XDECREF(self_only);
    PyObject* result = all ? PyObject_Call(init, all, kwargs) : nullptr;
    Py_XDECREF(all);
    Py_DECREF(init);
#else
    PyObject* bound = PyMethod_New(init, self);
    Py_DECREF(init);
    if (!bound) return -1;
    PyObject* result = PyObject_Call(bound, args, kwargs);
    Py_DECREF(bound);
#endif
    if (!result) return -1;
    Py_DECREF(result);
    return 0;
}

PYOWNED_CORE_COLD PYOWNED_CORE PyObject* init_many(vectorcallfunc call, PyObject* init, PyObject* self,
                                                   PyObject* const* args, std::size_t nargs, std::size_t total,
                                                   PyObject* kwnames) {
    std::vector<PyObject*> all(total + 1);
    all[0] = self;
    std::copy(args, args + total, all.begin() + 1);
    return call(init, all.data(), nargs + 1, kwnames);
}

PYOWNED_CORE PyObject* construct_instance(const ClassRecord* r, PyObject* const* args, std::size_t nargsf,
                                          PyObject* kwnames) noexcept {
    PyTypeObject* type = r->type;
    if (PYOWNED_UNLIKELY(!r->has_init)) {
        PyErr_Format(PyExc_TypeError, "cannot create '%s' instances", detail::api::type_name(type).c_str());
        return nullptr;
    }
    PyObject* self = alloc_instance(r);
    if (PYOWNED_UNLIKELY(!self)) return nullptr;
    const std::size_t nargs = detail::api::vectorcall_nargs(nargsf);
    if (const FunctionRecord* init = r->construct_record; init && !kwnames && nargs == r->construct_nargs) {
        // the constructor's own entry, with nothing rearranged
        if (PYOWNED_UNLIKELY(!init->construct(init, self, args))) {
            Py_DECREF(self);
            return nullptr;
        }
        return self;
    }
#if PYOWNED_LIMITED
    const vectorcallfunc call = [](PyObject* f, PyObject* const* a, std::size_t n, PyObject* k) {
        return PyObject_Vectorcall(f, a, n, k);
    };
#else
    // the __init__ method object's own entry, without PyObject_Vectorcall's result check
    const vectorcallfunc call = PyVectorcall_Function(r->init);
#endif
    PyObject* result;
    if (nargsf & PY_VECTORCALL_ARGUMENTS_OFFSET) {
        // the caller lets us use args[-1] for the duration of the call
        PyObject** slots = const_cast<PyObject**>(args) - 1;
        PyObject* saved = slots[0];
        slots[0] = self;
        result = call(r->init, slots, nargs + 1, kwnames);
        slots[0] = saved;
    } else if (const std::size_t total =
                   nargs + (kwnames ? static_cast<std::size_t>(detail::api::tuple_size(kwnames)) : 0);
               total < 8) {
        // CPython's specialized call of an immutable class passes no spare slot
        PyObject* slots[8];
        slots[0] = self;
        for (std::size_t i = 0; i < total; ++i) slots[i + 1] = args[i];  // (std::copy: a memmove call)
        result = call(r->init, slots, nargs + 1, kwnames);
    } else {
        result = init_many(call, r->init, self, args, nargs, total, kwnames);
    }
    if (PYOWNED_UNLIKELY(!result)) {
        Py_DECREF(self);
        return nullptr;
    }
    Py_DECREF(result);  // None
    return self;
}

PYOWNED_CORE PyObject* weakref_of(PyObject* self, void*) {
    PyObject** list = reinterpret_cast<PyObject**>(reinterpret_cast<char*>(self) +
                                                   layout_of(self, bound_type_of(Py_TYPE(self))).weaklist_offset);
    return Py_NewRef(*list ? *list : Py_None);
}

PYOWNED_CORE_COLD PYOWNED_CORE PyObject* scope_names(PyObject* scope, const char* name, std::string& qualname) {
    PyObject* module_name =
        PyModule_Check(scope) ? PyModule_GetNameObject(scope) : PyObject_GetAttrString(scope, "__module__");
    if (!module_name) return nullptr;
    if (!detail::api::utf8(module_name)) return Py_DECREF(module_name), nullptr;
    qualname = name;
    if (!PyModule_Check(scope)) {
        PyObject* outer = PyObject_GetAttrString(scope, "__qualname__");
        const char* outer_text = outer ? detail::api::utf8(outer) : nullptr;
        if (!outer_text) return Py_XDECREF(outer), Py_DECREF(module_name), nullptr;
        qualname = std::string(outer_text) + "." + name;
        Py_DECREF(outer);
    }
    return module_name;
}

PYOWNED_CORE_COLD PYOWNED_CORE PyObject* make_class_type(const ClassSpec& s, std::string& tp_name,
                                                         std::string& qualname, TypeLayout& layout) {
    const TypeLayout base = s.base ? s.base->layout : TypeLayout{};
    Py_ssize_t size = s.basicsize;
    if (base.basicsize > size) size = base.basicsize;
    size = (size + Py_ssize_t{alignof(void*)} - 1) & ~(Py_ssize_t{alignof(void*)} - 1);
    Py_ssize_t dict_offset = 0, weaklist_offset = 0;
    if (s.dynamic_attr)
        dict_offset =
            base.dict_offset > 0 ? base.dict_offset : (size += sizeof(PyObject*)) - Py_ssize_t{sizeof(PyObject*)};
    if (s.weakref)
        weaklist_offset = base.weaklist_offset > 0 ? base.weaklist_offset
                                                   : (size += sizeof(PyObject*)) - Py_ssize_t{sizeof(PyObject*)};
    // a limited build's types are collected from the start: GC cannot be turned on later
    // (py::Class::traverse)
    const bool gc = PYOWNED_LIMITED || s.gc || s.dynamic_attr || (s.base && PyType_IS_GC(s.base->type));

    PyMemberDef members[3] = {};
    int m = 0;
    if (dict_offset) members[m++] = {"__dictoffset__", Py_T_PYSSIZET, dict_offset, Py_READONLY, nullptr};
    if (weaklist_offset) members[m++] = {"__weaklistoffset__", Py_T_PYSSIZET, weaklist_offset, Py_READONLY, nullptr};
    // __dict__ and __weakref__, as a Python class with them has. Static: CPython keeps the
    // pointer (it copies tp_members, not tp_getset).
    static PyGetSetDef dict_and_weakref[] = {
        {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, nullptr, nullptr},
        {"__weakref__", &weakref_of, nullptr, nullptr, nullptr},
        {nullptr, nullptr, nullptr, nullptr, nullptr},
    };
    PyGetSetDef* getset = dict_offset ? dict_and_weakref : dict_and_weakref + 1;  // __weakref__ only
    if (!weaklist_offset) {
        static PyGetSetDef dict_only[] = {
            {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, nullptr, nullptr},
            {nullptr, nullptr, nullptr, nullptr, nullptr},
        };
        getset = dict_offset ? dict_only : dict_and_weakref + 2;  // none
    }

    std::vector<PyType_Slot> slots = {
        {Py_tp_dealloc, reinterpret_cast<void*>(&instance_dealloc)},
        {Py_tp_new, reinterpret_cast<void*>(&instance_new)},
        {Py_tp_init, reinterpret_cast<void*>(&instance_init)},
        {Py_tp_members, members},
        {Py_tp_getset, getset},
    };
    if (gc) {
        slots.push_back({Py_tp_traverse, reinterpret_cast<void*>(&instance_traverse)});
        slots.push_back({Py_tp_clear, reinterpret_cast<void*>(&instance_clear)});
    }
    slots.push_back({0, nullptr});

    PyObject* module_name = scope_names(s.scope, s.name, qualname);
    if (!module_name) return nullptr;
    tp_name = std::string(detail::api::utf8(module_name)) + "." + qualname;  // "geom.Outer.Inner"
    unsigned flags = Py_TPFLAGS_DEFAULT | (s.final ? 0u : Py_TPFLAGS_BASETYPE) | (gc ? Py_TPFLAGS_HAVE_GC : 0u);
    PyType_Spec spec = {tp_name.c_str(), static_cast<int>(size), 0, flags, slots.data()};
    PyObject* bases = s.base ? PyTuple_Pack(1, reinterpret_cast<PyObject*>(s.base->type)) : nullptr;
    if (s.base && !bases) return Py_DECREF(module_name), nullptr;
    PyObject* type = PyType_FromSpecWithBases(&spec, bases);
    Py_XDECREF(bases);
    if (!type) return Py_DECREF(module_name), nullptr;
    PyObject* qualname_str = PyUnicode_FromString(qualname.c_str());
    PyObject* doc = PyUnicode_FromString(s.doc ? s.doc : "");
    bool ok = qualname_str && doc && PyObject_SetAttrString(type, "__qualname__", qualname_str) == 0 &&
              PyObject_SetAttrString(type, "__module__", module_name) == 0 &&
              (!s.doc || PyObject_SetAttrString(type, "__doc__", doc) == 0);
    Py_XDECREF(qualname_str);
    Py_XDECREF(doc);
    Py_DECREF(module_name);
    if (!ok) return Py_DECREF(type), nullptr;
    layout = {size, dict_offset, weaklist_offset};
#if !PYOWNED_LIMITED
    // Immutable from here on, as builtins and PyO3's classes: Python code cannot replace a
    // method (the binding writes the type's dict itself, set_scope_attr). CPython 3.11+
    // specializes calls of immutable classes with a vectorcall (Point(1.0, 2.0)) only.
    reinterpret_cast<PyTypeObject*>(type)->tp_flags |= Py_TPFLAGS_IMMUTABLETYPE;
#endif
    return type;
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
