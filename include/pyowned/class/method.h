// A bound class's methods: a callable object carrying its FunctionRecord (like a module
// function's carrier), flagged as a method descriptor, so `p.norm()` is one vectorcall with
// self in front and no bound method made.
#pragma once
#include "record.h"
#include <cstring>
#include <span>

namespace pyowned::detail {

// Layout: the object header, the vectorcall pointer, and the record pointer at the same
// offset as in a carrier (record_of reads both).
inline constexpr Py_ssize_t method_vectorcall_offset = Py_ssize_t{sizeof(PyObject)};
using MethodVectorcall = PyObject* (*)(PyObject*, PyObject* const*, std::size_t, PyObject*) noexcept;

PYOWNED_CORE MethodVectorcall& vectorcall_slot(PyObject* method) noexcept;

PYOWNED_CORE void method_dealloc(PyObject* self);

PYOWNED_CORE int method_traverse(PyObject* self, visitproc visit, void* arg);

// Read from the class (Point.norm): the method itself; from an instance outside a call
// (p.norm): a bound method.
PYOWNED_CORE PyObject* method_descr_get(PyObject* self, PyObject* obj, PyObject*);

inline std::string short_name(const FunctionRecord& r) {
    std::size_t dot = r.name.rfind('.');
    return dot == std::string::npos ? r.name : r.name.substr(dot + 1);
}

PYOWNED_CORE PyObject* method_get_name(PyObject* self, void*);
inline PyObject* method_get_qualname(PyObject* self, void*) {
    return PyUnicode_FromString(record_of(self).name.c_str());
}
// One overload: its docstring (the signature is __text_signature__'s). Several: every
// overload's signature and docstring, as for module functions.
PYOWNED_CORE PyObject* method_get_doc(PyObject* self, void*);
// "($self, k)": what inspect.signature reads; None for overloaded methods.
PYOWNED_CORE PyObject* method_get_text_signature(PyObject* self, void*);
inline PyObject* method_get_module(PyObject* self, void*) {
    return PyUnicode_FromString(record_of(self).module.c_str());
}
PYOWNED_CORE PyObject* method_repr(PyObject* self);

// The class the method was defined in, as a method descriptor's __objclass__ (inspect and
// stubtest read it to tell a class's own __init__ from an inherited one).
PYOWNED_CORE PyObject* method_get_objclass(PyObject* self, void*);

PYOWNED_CORE PyObject* method_type();

// The class's text signature, from its constructor: "Point(x=0.0, y=0.0)\n--\n\n" in tp_doc,
// where type.__text_signature__ finds it (inspect.signature and help() of the class; the
// docstring proper stays __doc__). None for overloaded constructors.
PYOWNED_CORE_COLD PYOWNED_CORE void set_class_signature(ClassRecord& cls, const FunctionRecord& init);

// Names the parameters of a method: `self`, then the user's py::arg names, or, without
// any, arg0, arg1, ... positional-only (as for module functions).
PYOWNED_CORE_COLD PYOWNED_CORE void apply_method_annotations(FunctionRecord& r, std::span<const Annotation> annotations,
                                                             std::size_t regular, std::size_t args_at,
                                                             const bool* takes_none);

// Special methods fill type slots (class/slots.h); operators' method objects have their own
// vectorcall (NotImplemented for a foreign operand).
inline void install_slot(Python py, ClassRecord& cls, const char* name, const FunctionRecord* first,
                         const MethodEntries* typed);
PYOWNED_CORE MethodVectorcall operator_entry(const char* name) noexcept;

// Adds the method `name` to the class (or an overload to the one there); `is_static`: a
// static method (no self; in the dict as a staticmethod). Takes ownership of `callable`.
// Returns the method object (borrowed: the type's dict owns it).
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* add_method(Python py, ClassRecord& cls, const char* name,
                                                    const FunctionSpec& spec, Invoker invoke, void* callable,
                                                    void (*destroy)(void*), std::span<const Annotation> annotations,
                                                    bool is_static = false);

}  // namespace pyowned::detail

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE MethodVectorcall& vectorcall_slot(PyObject* method) noexcept {
    return *reinterpret_cast<MethodVectorcall*>(reinterpret_cast<char*>(method) + method_vectorcall_offset);
}

PYOWNED_CORE void method_dealloc(PyObject* self) {
    PyTypeObject* type = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    delete std::exchange(record_slot(self), nullptr);
    api::type_free(type, self);
    Py_DECREF(type);
}

PYOWNED_CORE int method_traverse(PyObject* self, visitproc visit, void* arg) {
    Py_VISIT(Py_TYPE(self));
    for (const FunctionRecord* r = record_slot(self); r; r = r->next_overload.get())
        for (PyObject* d : r->defaults) Py_VISIT(d);
    return 0;
}

PYOWNED_CORE PyObject* method_descr_get(PyObject* self, PyObject* obj, PyObject*) {
    if (!obj) return Py_NewRef(self);
#if PYOWNED_LIMITED
    static RunCache method_type;  // no PyMethod_New in the limited API: types.MethodType
    PyObject* make = method_type.import("types", "MethodType");
    PyObject* args[] = {self, obj};
    return make ? PyObject_Vectorcall(make, args, 2, nullptr) : nullptr;
#else
    return PyMethod_New(self, obj);
#endif
}

PYOWNED_CORE PyObject* method_get_name(PyObject* self, void*) {
    return PyUnicode_FromString(short_name(record_of(self)).c_str());
}

PYOWNED_CORE PyObject* method_get_doc(PyObject* self, void*) {
    const FunctionRecord& r = record_of(self);
    if (!r.next_overload) return r.doc.empty() ? Py_NewRef(Py_None) : PyUnicode_FromString(r.doc.c_str());
    return PyUnicode_FromString(r.doc_text.c_str());
}

PYOWNED_CORE PyObject* method_get_text_signature(PyObject* self, void*) {
    const FunctionRecord& r = record_of(self);
    if (r.next_overload) return Py_NewRef(Py_None);
    return PyUnicode_FromString((r.is_static ? r.signature : "($" + r.signature.substr(1)).c_str());
}

PYOWNED_CORE PyObject* method_repr(PyObject* self) {
    return PyUnicode_FromFormat("<method '%s' of pyowned class>", record_of(self).name.c_str());
}

PYOWNED_CORE PyObject* method_get_objclass(PyObject* self, void*) {
    const ClassRecord* owner = record_of(self).owner;
    if (!owner || !owner->type) {
        PyErr_SetString(PyExc_AttributeError, "__objclass__");
        return nullptr;
    }
    return Py_NewRef(reinterpret_cast<PyObject*>(owner->type));
}

PYOWNED_CORE PyObject* method_type() {
#if PYOWNED_LIMITED
    if (!read_record_offset()) return nullptr;  // (the spec's size below is read once, after it)
#endif
    static PyGetSetDef getset[] = {
        {"__name__", &method_get_name, nullptr, nullptr, nullptr},
        {"__qualname__", &method_get_qualname, nullptr, nullptr, nullptr},
        {"__doc__", &method_get_doc, nullptr, nullptr, nullptr},
        {"__text_signature__", &method_get_text_signature, nullptr, nullptr, nullptr},
        {"__module__", &method_get_module, nullptr, nullptr, nullptr},
        {"__objclass__", &method_get_objclass, nullptr, nullptr, nullptr},
        {nullptr, nullptr, nullptr, nullptr, nullptr},
    };
    static PyMemberDef members[] = {
        {"__vectorcalloffset__", Py_T_PYSSIZET, method_vectorcall_offset, Py_READONLY, nullptr},
        {nullptr, 0, 0, 0, nullptr},
    };
    static PyType_Slot slots[] = {
        {Py_tp_dealloc, reinterpret_cast<void*>(&method_dealloc)},
        {Py_tp_traverse, reinterpret_cast<void*>(&method_traverse)},
        {Py_tp_descr_get, reinterpret_cast<void*>(&method_descr_get)},
        {Py_tp_call, reinterpret_cast<void*>(&PyVectorcall_Call)},
        {Py_tp_repr, reinterpret_cast<void*>(&method_repr)},
        {Py_tp_getset, getset},
        {Py_tp_members, members},
        {0, nullptr},
    };
    static PyType_Spec spec = {
        "pyowned.method",
        static_cast<int>(record_offset + Py_ssize_t{sizeof(void*)}),
        0,
        Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR |
            Py_TPFLAGS_IMMUTABLETYPE,
        slots,
    };
    static_assert(sizeof(PyObject) + sizeof(void*) <= 48, "the vectorcall pointer must fit before the record");
    return shared_object_type("pyowned.method", spec, nullptr);
}

PYOWNED_CORE_COLD PYOWNED_CORE void set_class_signature(ClassRecord& cls, const FunctionRecord& init) {
#if PYOWNED_LIMITED
    // tp_doc cannot be set after the type is made: inspect.signature(cls) reads __init__'s
    (void)cls, (void)init;
#else
    PyTypeObject* type = cls.type;
    std::string doc;
    if (!init.next_overload) {
        const std::string& sig = init.signature;  // "(self, x=0.0, y=0.0)", "(self)", "(self, arg0, /)"
        std::string params = sig.rfind("(self, ", 0) == 0  ? "(" + sig.substr(7)
                             : sig.rfind("(self)", 0) == 0 ? "()"
                                                           : sig;
        if (params.rfind("(/, ", 0) == 0) params = "(" + params.substr(4);
        doc = cls.tp_name.substr(cls.tp_name.rfind('.') + 1) + params + "\n--\n\n";
    }
    PyObject* own_doc = PyDict_GetItemString(type->tp_dict, "__doc__");  // borrowed
    if (own_doc && PyUnicode_Check(own_doc)) {
        const char* text = detail::api::utf8(own_doc);
        if (!text) throw_fetched();
        doc += text;
    }
    // freed with the type, by the allocator CPython's type_dealloc uses for a heap type's
    // tp_doc: PyObject_Free up to 3.12, PyMem_Free from 3.13 (PYTHONMALLOC=debug checks)
#if PY_VERSION_HEX >= 0x030D0000
    char* copy = static_cast<char*>(PyMem_Malloc(doc.size() + 1));
#else
    char* copy = static_cast<char*>(PyObject_Malloc(doc.size() + 1));
#endif
    if (!copy) {
        PyErr_NoMemory();
        throw_fetched();
    }
    std::memcpy(copy, doc.c_str(), doc.size() + 1);
#if PY_VERSION_HEX >= 0x030D0000
    PyMem_Free(const_cast<char*>(type->tp_doc));
#else
    PyObject_Free(const_cast<char*>(type->tp_doc));
#endif
    type->tp_doc = copy;
#endif
}

PYOWNED_CORE_COLD PYOWNED_CORE void apply_method_annotations(FunctionRecord& r, std::span<const Annotation> annotations,
                                                             std::size_t regular, std::size_t args_at,
                                                             const bool* takes_none) {
    bool named = false;
    for (const Annotation& a : annotations) named = named || a.kind == Annotation::Kind::param;
    std::vector<std::string> names;
    for (std::size_t i = 1; !named && i < regular; ++i) names.push_back("arg" + std::to_string(i - 1));
    std::vector<Annotation> all;
    all.reserve(annotations.size() + names.size() + 2);
    if (regular > 0) all.emplace_back(Annotation::Kind::param, "self");
    for (const std::string& n : names) all.emplace_back(Annotation::Kind::param, n.c_str());
    if (!names.empty()) all.emplace_back(Annotation::Kind::pos_only);
    all.insert(all.end(), annotations.begin(), annotations.end());
    apply_annotations(r, all, regular, args_at, takes_none);
}

PYOWNED_CORE_COLD PYOWNED_CORE PyObject* add_method(Python py, ClassRecord& cls, const char* name,
                                                    const FunctionSpec& spec, Invoker invoke, void* callable,
                                                    void (*destroy)(void*), std::span<const Annotation> annotations,
                                                    bool is_static) {
    std::unique_ptr<FunctionRecord> record = new_record(spec, invoke, callable, destroy);
    record->name = cls.name + "." + name;
    record->module = cls.tp_name.substr(0, cls.tp_name.size() - cls.name.size() - 1);  // "geom.Outer.Inner"
    record->is_static = is_static;
    record->owner = &cls;
    const SignatureSpec& sig = spec.signature();
    const MethodEntries& entries = spec.methods();
    record->construct = entries.construct;
    record->class_call = entries.class_call;
    if (is_static) {
        apply_annotations(*record, annotations, sig.regular, sig.args_at, sig.takes_none);
    } else {
        if (sig.regular > 0) record->type_names[0] = cls.name;
        apply_method_annotations(*record, annotations, sig.regular, sig.args_at, sig.takes_none);
    }
    check_keeping(*record, sig);
    if (!record->has_args && !record->has_kwargs && record->keyword_only_from == record->names.size())
        record->fast_nargs = static_cast<Py_ssize_t>(record->names.size());
    record->signature = render_signature(*record, false);
    record->typed_signature = render_signature(*record, true);

    PyObject* mtype = method_type();
    if (!mtype) throw_fetched();
    Owned<Any> mtype_owned = Owned<Any>::from_owned_ptr(py, mtype);
    for (auto& [method_name, existing] : cls.methods) {
        if (method_name != name) continue;
        // another overload: the method object dispatches them all (a method descriptor,
        // which calls one C function, gives way to it)
        FunctionRecord& first = *record_slot(existing);
        if (first.is_static != is_static)
            throw Error::of<TypeError>(cls.name + "." + name +
                                       ": a static method and an instance method cannot overload each other");
        FunctionRecord* last = &first;
        while (last->next_overload) last = last->next_overload.get();
        last->next_overload = std::move(record);
        MethodVectorcall op = operator_entry(name);
        vectorcall_slot(existing) = op ? op : &overloaded_vectorcall;
        update_doc(first);
        if (!is_static) define_in_class(cls.type, name, existing);                           // a staticmethod holds it
        if (name[0] == '_' && name[1] == '_') install_slot(py, cls, name, &first, nullptr);  // no typed entry
        return existing;
    }
    update_doc(*record);
    PyObject* method = api::type_alloc(reinterpret_cast<PyTypeObject*>(mtype));
    if (!method) throw_fetched();
    Owned<Any> holder = Owned<Any>::from_owned_ptr(py, method);
    MethodVectorcall op = is_static ? nullptr : operator_entry(name);
    // a method with a noconvert parameter is called through its record, which holds the
    // flags; so is a stateless method's object (its descriptor's entries are the typed ones)
    vectorcall_slot(method) = op                                                      ? op
                              : record->through_record() || !spec.entries->vectorcall ? &overloaded_vectorcall
                                                                                      : spec.entries->vectorcall;
    FunctionRecord* first = record.get();
    record_slot(method) = record.release();  // the method object owns it from here on
    cls.methods.emplace_back(name, Py_NewRef(method));

    // A stateless callable's entry knows its record without the object: CPython's own method
    // descriptor then calls it directly (the specializing interpreter's fastest call path).
    // One method per callable type and run: a second definition with the same lambda type
    // keeps the method object.
    PyObject* in_dict = method;
    std::optional<Owned<Any>> descriptor;
    const std::uint64_t run = current_run();
    // Not __init__: inspect (3.13) binds a class's __init__ to the class itself, which a
    // method descriptor refuses. An operator keeps its method object in the dict (for the
    // NotImplemented rule); its slot calls the descriptor's C function (class/slots.h).
    if (is_static) {
#if PYOWNED_LIMITED
        static RunCache staticmethod;  // no PyStaticMethod_New in the limited API
        PyObject* make = staticmethod.import("builtins", "staticmethod");
        if (!make) throw_fetched();
        descriptor.emplace(steal_or_throw<Owned<Any>>(api::call_one(make, method)));
#else
        descriptor.emplace(steal_or_throw<Owned<Any>>(PyStaticMethod_New(method)));
#endif
        in_dict = descriptor->ptr();
    } else if (spec.claim && !first->through_record() && std::strcmp(name, "__init__") != 0 &&
               spec.claim->run.load(std::memory_order_acquire) != run) {
        spec.claim->record.store(first, std::memory_order_relaxed);
        spec.claim->run.store(run, std::memory_order_release);
        first->method_name = name;
        first->method_doc = first->method_name + "($" + first->signature.substr(1) + "\n--\n\n" + first->doc;
        first->def.ml_name = first->method_name.c_str();
        first->def.ml_doc = first->method_doc.c_str();
        if (entries.method_noargs) {
            first->def.ml_meth = as_method(entries.method_noargs);
            first->def.ml_flags = METH_NOARGS;
        } else if (entries.method_o && !op && !(name[0] == '_' && name[1] == '_') && first->fast_nargs == 2 &&
                   first->positional_only == 2 && !first->defaults[1]) {
            // one argument, positional-only and required: CPython checks the count (and
            // refuses keywords) before the call, which then takes its cheapest path
            first->def.ml_meth = as_method(entries.method_o);
            first->def.ml_flags = METH_O;
        } else {
            first->def.ml_meth = as_method(entries.method_fastcall);
            first->def.ml_flags = METH_FASTCALL | METH_KEYWORDS;
        }
        if (!op) {
            descriptor.emplace(steal_or_throw<Owned<Any>>(PyDescr_NewMethod(cls.type, &first->def)));
            in_dict = descriptor->ptr();
        }
    }
    define_in_class(cls.type, name, in_dict);
    if (!is_static && name[0] == '_' && name[1] == '_') {
        // the typed entries read the descriptor's record: only for the method that claimed it
        const bool typed =
            first->def.ml_meth && !first->through_record() && first->fast_nargs == static_cast<Py_ssize_t>(sig.regular);
        install_slot(py, cls, name, first, typed ? &entries : nullptr);
    }
    return method;
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
