// FunctionRecord: what a bound function knows at run time (names, defaults, the C++ callable),
// and the object that carries it as the `self` of a builtin function.
#pragma once
#include "../types/any_impl.h"
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <utility>
#include <memory>
#include <string>
#include <vector>

namespace pyowned::detail {

struct FunctionRecord;

// One overload's dispatcher: binds and converts the arguments and calls the C++ callable.
// Returns a new reference or nullptr with an error set; with `soft` (overload resolution)
// also no_match() (nothing set: the arguments are not for this overload) or
// conversion_failed() (an argument of the right type failed to convert; its error is set).
using Dispatcher = PyObject* (*)(const FunctionRecord& record, PyObject* const* args, Py_ssize_t nargs,
                                 PyObject* kwnames, bool convert, bool soft) noexcept;

// One overload's invoker, type-erased: a function of its signature's type,
// Raw (*)(const FunctionRecord*, Pass<P>...) (Calls::Typed in dispatch.h), which calls the
// record's C++ callable with the converted arguments and returns its result. Cast when the
// definition runs (a constant expression cannot cast function pointer types), so the
// module's constant tables hold no per-callable pointer for it.
using Invoker = void (*)();

// The record a stateless method's descriptor entries read (dispatch.h), one per callable type,
// and the interpreter run that claimed it (class/method.h).
struct DescriptorClaim {
    std::atomic<const FunctionRecord*> record{nullptr};
    std::atomic<std::uint64_t> run{0};
};

// Per bound C++ class, in each shared object that binds or uses it (class/record.h's
// ClassCache<T>::slot): its record and its Python type for the interpreter run (the run's end
// clears them), and the look-up that fills them. The dispatcher, compiled once for every
// class's methods of one shape, is given the slot of the class each parameter borrows an
// instance of; its fast lane compares an argument's type with `type`, with no call.
struct ClassRecord;
template <class T>
struct ClassCache;  // holds T's slot
struct ClassSlot {
    RunPointer<PyTypeObject> type;  // null until the class is bound or looked up
    RunPointer<const ClassRecord> record;
    const ClassRecord* (*fill)() noexcept;  // finds the record (nullptr with an error set)
    std::string_view cpp_name;              // the C++ class's, in full ("geom::Point")
};

inline PyObject* no_match() noexcept { return reinterpret_cast<PyObject*>(std::uintptr_t{1}); }
inline PyObject* conversion_failed() noexcept { return reinterpret_cast<PyObject*>(std::uintptr_t{2}); }

// How the arguments of one call shape (a kwnames tuple and a positional count) fill the
// parameters: source[i] is the index in the argument array of parameter i's value, or
// `use_default`. Made once, for the first call shape with keywords that binds simply,
// and immutable after; call sites pass the same kwnames tuple at every call.
struct KeywordLayout {
    static constexpr std::uint8_t use_default = 0xff;
    PyObject* kwnames;  // a strong reference: its identity is the key
    Py_ssize_t nargs;
    std::vector<std::uint8_t> source;
};

struct FunctionRecord {
    PyMethodDef def{};                   // ml_name/ml_doc point into name/doc_text below
    PyMethodDef overload_def{};          // the overloaded function's, when `def` takes no keywords
    std::string name;                    // Python name
    std::string doc;                     // the user's docstring
    std::string doc_text;                // what ml_doc shows: text signature(s) and docstring
    std::string signature;               // "(a, b=1, *, k=2.0)"
    std::string typed_signature;         // "(a: int, b: int = 1, *, k: float = 2.0)", for overload listings
    const char* returns = "";            // the result's Python type, as a stub names it (a constant: result_name_z)
    std::string method_name;             // a bound-class method descriptor's ml_name ("norm")
    std::string method_doc;              // and its ml_doc: "norm($self)\n--\n\ndoc"
    std::string module;                  // a bound-class method's: its class's module
    bool is_static = false;              // a bound-class static method (no self)
    const ClassRecord* owner = nullptr;  // a bound-class method's class (records live until the process ends)
    Dispatcher dispatch = nullptr;

    // Regular parameters, in order: interned names and defaults (strong references, or null).
    std::vector<PyObject*> names;
    std::vector<PyObject*> defaults;
    std::vector<std::string> type_names;
    std::vector<unsigned char> no_convert;  // per parameter: py::arg(...).noconvert()
    // Whether any parameter is noconvert: the function is then always called through its
    // record (dispatch), where the flags are read; its direct entries are not used.
    bool any_no_convert = false;
    bool any_keep_alive = false;  // keep_alive is not empty (one byte for the call to read)
    // py::keep_alive<nurse, patient> pairs (0 the result, i the i-th regular parameter),
    // applied after a successful call through the record.
    std::vector<std::pair<unsigned, unsigned>> keep_alive;
    // Whether calls must go through the record (dispatch), which holds what the direct
    // entries do not read: noconvert flags, keep-alive pairs.
    bool through_record() const noexcept { return any_no_convert || any_keep_alive; }
    std::size_t positional_only = 0;    // the first n regular parameters are positional-only
    std::size_t keyword_only_from = 0;  // regular parameters from this index are keyword-only
    bool has_args = false, has_kwargs = false;
    std::string args_name = "args", kwargs_name = "kwargs";  // as the signature shows them
    // The argument count that may skip argument matching: all parameters given
    // positionally, in order (-1 when keyword-only parameters, *args or **kwargs exist).
    Py_ssize_t fast_nargs = -1;

    // A bound class's __init__ with only regular parameters: the entry the class's call
    // takes with exactly the positional arguments (class/type.h), or null.
    bool (*construct)(const FunctionRecord*, PyObject* self, PyObject* const* args) noexcept = nullptr;
    // and the class's call made for it (its tp_vectorcall while it is the only constructor)
    PyObject* (*class_call)(PyObject*, PyObject* const*, std::size_t, PyObject*) noexcept = nullptr;

    // The C++ callable, type-erased, and what calls it with the converted arguments: the
    // dispatcher is compiled once per signature, the invoker once per callable (dispatch.h).
    void* callable = nullptr;
    void (*destroy_callable)(void*) = nullptr;
    Invoker invoke = nullptr;
    // Per regular parameter: the slot of the class it borrows an instance of, else null
    // (no array when none does).
    const ClassSlot* const* param_classes = nullptr;

    std::unique_ptr<FunctionRecord> next_overload;

    FunctionRecord() = default;
    FunctionRecord(const FunctionRecord&) = delete;
    FunctionRecord& operator=(const FunctionRecord&) = delete;
    // The cached layout of the first keyword call shape (published once; freed with the record).
    std::atomic<KeywordLayout*> keyword_layout{nullptr};

    ~FunctionRecord() {
        if (KeywordLayout* layout = keyword_layout.load(std::memory_order_relaxed)) {
            Py_DECREF(layout->kwnames);
            delete layout;
        }
        for (PyObject* o : names) Py_XDECREF(o);
        for (PyObject* o : defaults) Py_XDECREF(o);
        if (destroy_callable) destroy_callable(callable);
    }

    std::size_t positional_capacity() const noexcept { return keyword_only_from; }
};

// --- the carrier object -----------------------------------------------------------------
// A builtin function (PyCFunction) is the fastest callable CPython has: 3.11's specializing
// interpreter calls METH_FASTCALL|METH_KEYWORDS builtins directly. Its `self` carries the
// FunctionRecord. `self` is an instance of a small subclass of ModuleType, because CPython
// derives a builtin's __qualname__ from a module self as just the function's name (any
// other self would give "SomeType.add"). The record pointer sits after the module fields.

// PyModule_Type's basicsize, pointer-aligned; a constant of the CPython build, read once
// when this shared object is loaded. A limited build cannot read type fields: it asks
// ModuleType.__basicsize__ when it makes the carrier type, before any carrier exists.
PYOWNED_INLINE Py_ssize_t pointer_aligned(Py_ssize_t size) noexcept {
    return (size + Py_ssize_t{alignof(void*)} - 1) & ~(Py_ssize_t{alignof(void*)} - 1);
}
#if PYOWNED_LIMITED
PYOWNED_CORE_VARIABLE Py_ssize_t record_offset;
// Sets record_offset once (attached); false with an error set.
PYOWNED_CORE_COLD PYOWNED_CORE bool read_record_offset() noexcept;
#else
inline const Py_ssize_t record_offset = pointer_aligned(PyModule_Type.tp_basicsize);
#endif

// ModuleType's traverse, which the carrier's extends (its dealloc: api::type_dealloc).
PYOWNED_INLINE traverseproc module_traverse() noexcept {
#if PYOWNED_LIMITED
    return reinterpret_cast<traverseproc>(PyType_GetSlot(&PyModule_Type, Py_tp_traverse));
#else
    return PyModule_Type.tp_traverse;
#endif
}

PYOWNED_INLINE const FunctionRecord& record_of(PyObject* carrier) noexcept {
    return **reinterpret_cast<FunctionRecord**>(reinterpret_cast<char*>(carrier) + record_offset);
}
PYOWNED_CORE FunctionRecord*& record_slot(PyObject* carrier) noexcept;

PYOWNED_CORE int carrier_traverse(PyObject* self, visitproc visit, void* arg);

PYOWNED_CORE void carrier_dealloc(PyObject* self);

// A type made once per interpreter and per shared object that includes pyowned (records of
// another build must never meet this build's dealloc), kept in the interpreter's state dict,
// not in a C++ static. A new reference, or nullptr with an error set.
PYOWNED_CORE PyObject* shared_object_type(const char* name, PyType_Spec& spec, PyObject* base);

// The carrier type: a module subclass whose instances hold a record.
PYOWNED_CORE PyObject* carrier_type();

}  // namespace pyowned::detail

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE FunctionRecord*& record_slot(PyObject* carrier) noexcept {
    return *reinterpret_cast<FunctionRecord**>(reinterpret_cast<char*>(carrier) + record_offset);
}

PYOWNED_CORE int carrier_traverse(PyObject* self, visitproc visit, void* arg) {
    Py_VISIT(Py_TYPE(self));
    for (const FunctionRecord* r = record_slot(self); r; r = r->next_overload.get())
        for (PyObject* d : r->defaults) Py_VISIT(d);
    return module_traverse()(self, visit, arg);
}

PYOWNED_CORE void carrier_dealloc(PyObject* self) {
    PyTypeObject* type = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    delete std::exchange(record_slot(self), nullptr);
    api::type_dealloc (&PyModule_Type)(self);  // untracks again (harmless) and frees
    Py_DECREF(type);                           // instances of a heap type own a reference to it
}

PYOWNED_CORE PyObject* shared_object_type(const char* name, PyType_Spec& spec, PyObject* base) {
    static const char marker = 0;  // its address tells this shared object apart
    char key[96];
    std::snprintf(key, sizeof key, "%s.%p", name, static_cast<const void*>(&marker));
    PyObject* state = PyInterpreterState_GetDict(PyInterpreterState_Get());
    if (!state) {
        PyErr_SetString(PyExc_RuntimeError, "pyowned: no interpreter state dict");
        return nullptr;
    }
    PyObject* key_str = PyUnicode_FromString(key);
    if (!key_str) return nullptr;
    PyObject* type;
    int found = compat::dict_get_item_ref(state, key_str, &type);
    if (found != 0) {
        Py_DECREF(key_str);
        return found > 0 ? type : nullptr;
    }
    type = PyType_FromSpecWithBases(&spec, base);
    if (type) {
        // two threads may get here at once (free-threaded builds): the first type stored wins
        PyObject* stored = detail::api::dict_setdefault(state, key_str, type);  // borrowed
        Py_XINCREF(stored);
        Py_DECREF(type);
        type = stored;
    }
    Py_DECREF(key_str);
    return type;
}

#if PYOWNED_LIMITED
PYOWNED_CORE bool read_record_offset() noexcept {
    if (record_offset) return true;
    PyObject* size = PyObject_GetAttrString(reinterpret_cast<PyObject*>(&PyModule_Type), "__basicsize__");
    const Py_ssize_t basicsize = size ? PyLong_AsSsize_t(size) : -1;
    Py_XDECREF(size);
    if (basicsize <= 0) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_SystemError, "pyowned: ModuleType.__basicsize__ unreadable");
        return false;
    }
    record_offset = pointer_aligned(basicsize);
    return true;
}
#endif

PYOWNED_CORE PyObject* carrier_type() {
#if PYOWNED_LIMITED
    if (!read_record_offset()) return nullptr;
#endif
    static PyType_Slot slots[] = {
        {Py_tp_dealloc, reinterpret_cast<void*>(&carrier_dealloc)},
        {Py_tp_traverse, reinterpret_cast<void*>(&carrier_traverse)},
        {0, nullptr},
    };
    static PyType_Spec spec = {
        "pyowned.function_carrier",
        static_cast<int>(record_offset + Py_ssize_t{sizeof(void*)}),
        0,
        Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
        slots,
    };
    return shared_object_type("pyowned.function_carrier", spec, reinterpret_cast<PyObject*>(&PyModule_Type));
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
