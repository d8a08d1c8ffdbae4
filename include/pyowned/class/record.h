// ClassRecord: what pyowned knows at run time about a bound class (its Python type, the C++
// object's layout, how to destroy and upcast it, its special methods), the instance layout,
// and the registry through which every pyowned module of an interpreter finds a class.
#pragma once
#include "../bind/function.h"
#include <atomic>
#include <memory>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <typeindex>
#include <typeinfo>
#include <unordered_map>
#include <vector>

namespace pyowned::detail {

// The version of the instance layout and of ClassRecord: part of the registry's ABI tag, so
// modules built with another one never share a class.
inline constexpr unsigned class_layout_version = 3;

// How an instance holds its C++ object.
enum class Holder : std::uint8_t {
    none,          // not constructed yet (0: PyType_GenericAlloc's zeroed memory)
    inline_value,  // constructed inside the instance
    unique,        // adopted from a std::unique_ptr: the instance deletes it
    shared,        // a std::shared_ptr copy is kept (heap-allocated, in the keeper word)
    view,          // a view of an object the instance does not own (py::rv::reference)
    view_internal  // a view of a sub-object of another instance, kept alive (the keeper word)
};

// The borrow flag: 0 free, n > 0 shared borrows, `exclusive` one exclusive borrow. Atomic on
// free-threaded builds (threads race for it); a plain counter under the GIL.
inline constexpr std::uint32_t exclusive_borrow = 0xffffffffu;
#ifdef Py_GIL_DISABLED
using BorrowFlag = std::atomic<std::uint32_t>;
#else
using BorrowFlag = std::uint32_t;
#endif

struct ClassRecord;

// What every instance of a bound class has after the object header, before the C++ object.
struct InstanceHead {
    PyObject object;
    // The bound class whose C++ object this instance holds (the most derived one); null until
    // constructed. Stored with release order once the object is complete, so a thread that
    // reads it non-null (acquire) sees the whole object.
    std::atomic<const ClassRecord*> record;
    BorrowFlag borrow;
    // How the object is held; `none` until constructed. Stored (release) before the record,
    // so a thread that reads `inline_value` (acquire) sees the whole object, and one that
    // reads the record sees the holder.
    std::atomic<Holder> holder;
    // The objects py::keep_alive keeps alive as long as this instance (a tuple, made on first
    // use), or null. Visited by tp_traverse; dropped after the C++ object is destroyed.
    PyObject* patients;
};

PYOWNED_INLINE InstanceHead* head_of(PyObject* o) noexcept { return reinterpret_cast<InstanceHead*>(o); }

// Where the C++ object (or, for the pointer holders, the pointer to it) is stored: after the
// head, aligned for T. Over-aligned types (alignof > 16, more than the allocator promises)
// sit at an address rounded up inside a larger instance.
inline constexpr std::size_t storage_alignment = 16;
template <class T>
inline constexpr std::size_t storage_offset =
    (sizeof(InstanceHead) + (alignof(T) > storage_alignment ? storage_alignment : alignof(T)) - 1) &
    ~((alignof(T) > storage_alignment ? storage_alignment : alignof(T)) - 1);
// The storage holds the object, or [pointer to it][keeper]: a shared_ptr copy or the owner.
template <class T>
inline constexpr std::size_t storage_size = (sizeof(T) > 2 * sizeof(void*) ? sizeof(T) : 2 * sizeof(void*)) +
                                            (alignof(T) > storage_alignment ? alignof(T) - storage_alignment : 0);

// A bound type's instance layout, as made (class/type.h): the size, and the offsets of the
// __dict__ and weak-reference list (0: none). A limited-API build cannot read them from the
// type.
struct TypeLayout {
    Py_ssize_t basicsize = 0, dict_offset = 0, weaklist_offset = 0;
};

// The special methods that fill a type slot (class/slots.h), in one table per class.
enum class SlotMethod : std::uint8_t {
    repr,
    str,
    hash,
    bool_,
    len,
    getitem,
    setitem,
    delitem,
    contains,
    iter,
    next,
    call,
    int_,
    float_,
    index,
    neg,
    pos,
    abs,
    invert,
    getattr,
    lt,
    le,
    eq,
    ne,
    gt,
    ge,
    // binary operators: forward, reflected, in-place, in this order for each
    add,
    radd,
    iadd,
    sub,
    rsub,
    isub,
    mul,
    rmul,
    imul,
    truediv,
    rtruediv,
    itruediv,
    floordiv,
    rfloordiv,
    ifloordiv,
    mod,
    rmod,
    imod,
    pow,
    rpow,
    ipow,
    lshift,
    rlshift,
    ilshift,
    rshift,
    rrshift,
    irshift,
    and_,
    rand,
    iand,
    or_,
    ror,
    ior,
    xor_,
    rxor,
    ixor,
    matmul,
    rmatmul,
    imatmul,
    count
};

struct PropertyRecord;

struct ClassRecord {
    // --- facts every module using the class must agree on (checked by the registry) ---
    unsigned layout_version = class_layout_version;
    std::size_t size = 0, align = 0;
    bool frozen = false, unlocked = false;

    // --- the class ---
    PyTypeObject* type = nullptr;  // the type object; the module (or enclosing class) keeps it alive
    const std::type_info* cpp_type = nullptr;
    std::string tp_name;   // "geom.Outer.Inner" (the type's tp_name points here)
    std::string name;      // __qualname__ ("Outer.Inner")
    std::string cpp_name;  // the C++ type's name, for messages
    bool module_local = false;
    bool lean_alloc = false;  // no GC, __dict__ or weak references: instances need no zeroing
    bool has_init = false;
    Py_ssize_t offset = 0;              // of the storage in the instance
    TypeLayout layout;                  // the instance's size and where its dict and weak references are
    bool overaligned = false;           // storage address rounded up to `align` at run time
    const ClassRecord* base = nullptr;  // the bound base class, if any
    void* (*upcast)(void*) = nullptr;   // this class's object -> its base's subobject

    // --- the object's life; `self` is an instance of this class holding its object ---
    void (*destroy)(PyObject* self) = nullptr;  // ends the object's life as its holder says
    // A class with a trampoline: the Python object this class's object (a T*) lives in when it
    // is a trampoline made for one (a borrowed pointer), else null.
    PyObject* (*python_object)(void* object) = nullptr;
    // and this class's object in its trampoline (given the trampoline's address)
    void* (*trampoline_object)(void* trampoline) = nullptr;
    bool trivially_destructible = false;  // an object held inline needs no destroy
    // The Python references the object holds (.traverse, or T's own traverse/clear); null:
    // none. `gc_state` is what the two functions read (the member pointers named).
    int (*traverse)(const void* state, const void* value, visitproc visit, void* arg) = nullptr;
    void (*clear)(const void* state, void* value) = nullptr;
    std::shared_ptr<const void> gc_state;
    // def_buffer: fills a Py_buffer for an instance from `buffer_state` (the user's function);
    // -1 with an error set. Null: the class exports no buffer.
    int (*get_buffer)(const void* state, PyObject* self, Py_buffer* view, int flags) noexcept = nullptr;
    std::shared_ptr<const void> buffer_state;

    // --- special methods: the first overload of each, owned by its method object ---
    const FunctionRecord* slots[static_cast<std::size_t>(SlotMethod::count)] = {};
    PyObject* init = nullptr;  // the __init__ method object (borrowed: the type's dict owns it)
    // __init__'s record while it is one overload with a construct entry (bind/record.h), which
    // the class's call takes with `construct_nargs` positional arguments; else null
    const FunctionRecord* construct_record = nullptr;
    std::size_t construct_nargs = 0;
    std::vector<std::unique_ptr<PropertyRecord>> properties;
    // The method objects by name (strong references, kept for the rest of the process with
    // the record): each owns its FunctionRecords, which a method descriptor in the type's
    // dict may use instead of the object (class/method.h).
    std::vector<std::pair<std::string, PyObject*>> methods;
    // py::implicitly_convertible<From, T>: whether From loads an object (without conversions
    // of its own); then a parameter of T in the second overload pass takes T(object).
    std::vector<bool (*)(PyObject*) noexcept> implicit_from;

    // The storage address in `self` (an instance holding this class's object).
    PYOWNED_INLINE char* storage(PyObject* self) const noexcept {
        char* at = reinterpret_cast<char*>(self) + offset;
        if (PYOWNED_UNLIKELY(overaligned)) {
            auto address = reinterpret_cast<std::uintptr_t>(at);
            at += (align - address % align) % align;
        }
        return at;
    }
    // The C++ object in `self` (an instance holding this class's object).
    PYOWNED_INLINE void* value(PyObject* self) const noexcept {
        char* at = storage(self);
        return head_of(self)->holder == Holder::inline_value ? at : *reinterpret_cast<void**>(at);
    }
    // The first overload of a special method of this class or its nearest bound base.
    const FunctionRecord* slot(SlotMethod which) const noexcept {
        for (const ClassRecord* r = this; r; r = r->base)
            if (const FunctionRecord* f = r->slots[static_cast<std::size_t>(which)]) return f;
        return nullptr;
    }
};

// Whether a type's name is unique to its shared object (a type in an anonymous namespace:
// the Itanium ABI names its namespace _GLOBAL__N_...): such a class is never shared.
inline bool internal_linkage(const std::type_info& type) noexcept {
    return std::strstr(type.name(), "_GLOBAL__N_") != nullptr;
}

// The facts a module expects of a class, compared with the registered record.
struct ClassFacts {
    std::size_t size, align;
    bool frozen, unlocked;
};
template <class T>
constexpr ClassFacts facts_of() {
    return {sizeof(T), alignof(T), is_frozen<T>, is_unlocked<T>};
}

// --- the per-shared-object store -----------------------------------------------------------
// Records live until the process ends: an instance, a method descriptor or a view may use
// its class's record until the very end of finalization, and nothing of a record touches
// Python when freed. Types made by this shared object map to their records (a type that is
// freed and whose address is reused by a new class is simply registered again).
struct ClassStore {
    std::mutex mutex;
    std::vector<std::unique_ptr<ClassRecord>> records;
    std::unordered_map<const PyTypeObject*, const ClassRecord*> by_type;
    // The trampolines of this shared object's classes, by their C++ type: a pointer whose
    // dynamic type is one is an object of that class.
    std::unordered_map<std::type_index, const ClassRecord*> trampolines;
};
PYOWNED_CORE_VARIABLE ClassStore class_store;

PYOWNED_CORE void instance_dealloc(PyObject* self);       // class/type.h
PYOWNED_CORE void lean_instance_dealloc(PyObject* self);  // class/type.h
PYOWNED_CORE void trivial_instance_dealloc(PyObject* self);

// Sets attribute `name` of a bound class to what the binding defines (a method, a property,
// __hash__ = None): into the type's dict directly, where setting it on the type would make
// CPython install its own slot wrappers for special methods (pyowned fills the slots, class/
// slots.h). A limited build cannot fill slots, and its types are mutable (class/type.h): it
// sets the attribute as a class statement would, and CPython's slot wrappers are the slots.
PYOWNED_CORE_COLD PYOWNED_CORE void define_in_class(PyTypeObject* type, const char* name, PyObject* value);

// Whether `type`'s instances are deallocated by this shared object's bound-class code.
PYOWNED_INLINE bool bound_dealloc(PyTypeObject* type) noexcept {
    const destructor dealloc = api::type_dealloc(type);
    return dealloc == &instance_dealloc || dealloc == &lean_instance_dealloc || dealloc == &trivial_instance_dealloc;
}

// The record of a type made by this shared object, or of its nearest such base (for a
// Python subclass); nullptr if there is none.
inline const ClassRecord* record_of_type(PyTypeObject* type) noexcept {
    while (type && !bound_dealloc(type)) type = api::type_base(type);
    if (!type) return nullptr;
    std::lock_guard<std::mutex> lock(class_store.mutex);
    auto found = class_store.by_type.find(type);
    return found == class_store.by_type.end() ? nullptr : found->second;
}

#if PYOWNED_LIMITED
// api::bound_tp_name: the tp_name of a type made here (not of its Python subclasses).
inline const char* tp_name_if_bound(PyTypeObject* type) noexcept {
    if (!bound_dealloc(type)) return nullptr;  // (a freed bound type's address may be reused)
    std::lock_guard<std::mutex> lock(class_store.mutex);
    auto found = class_store.by_type.find(type);
    return found == class_store.by_type.end() ? nullptr : found->second->tp_name.c_str();
}
#endif

// Whether `record` was made by this shared object (and may be replaced by a new binding of
// its class: the module imported again, or a new interpreter run).
inline bool made_here(const ClassRecord* record) noexcept {
    std::lock_guard<std::mutex> lock(class_store.mutex);
    for (const auto& r : class_store.records)
        if (r.get() == record) return true;
    return false;
}

// --- the registry, per interpreter ---------------------------------------------------------
// A dict in the interpreter's state dict, under a key that carries the ABI tag: modules built
// by another compiler, standard library, pyowned layout or CPython build flavour see another
// dict, and so never share a class whose layout they might read differently.
#if defined(__clang__)
#define PYOWNED_COMPILER_TAG "clang" PYOWNED_STRINGIFY(__clang_major__)
#elif defined(__GNUC__)
#define PYOWNED_COMPILER_TAG "gcc" PYOWNED_STRINGIFY(__GNUC__)
#else
#define PYOWNED_COMPILER_TAG "cc"
#endif
#define PYOWNED_STRINGIFY_(x) #x
#define PYOWNED_STRINGIFY(x) PYOWNED_STRINGIFY_(x)
#if defined(_LIBCPP_VERSION)
#define PYOWNED_STDLIB_TAG "libc++"
#elif defined(__GLIBCXX__)
#define PYOWNED_STDLIB_TAG "libstdc++"
#else
#define PYOWNED_STDLIB_TAG "std"
#endif
#if PYOWNED_LIMITED
// an abi3 module's types are made differently (class/type.h): it shares classes only with
// other abi3 modules
#define PYOWNED_BUILD_TAG "abi3"
#elif defined(Py_GIL_DISABLED)
#define PYOWNED_BUILD_TAG "t"
#elif defined(Py_DEBUG)
#define PYOWNED_BUILD_TAG "d"
#else
#define PYOWNED_BUILD_TAG ""
#endif

PYOWNED_CORE const char* abi_tag() noexcept;
static_assert(class_layout_version == 3, "update the version in abi_tag()");

// The registry dict (borrowed from the state dict), made on first use; nullptr with an error set.
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* class_registry() noexcept;

// The registry's entry under `key` (a new reference), or nullptr: with an error set when the
// look-up failed, with none when there is no such entry.
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* registry_entry(const char* key) noexcept;

// After a look-up found no entry: TypeError, the C++ `kind` ("type", "enum") is not bound to a
// Python `python_kind` by py::`binder`; unless the look-up itself set an error.
PYOWNED_CORE_COLD PYOWNED_CORE void raise_not_bound(const char* kind, std::string_view cpp_name,
                                                    const char* python_kind, const char* binder) noexcept;

// "sizeof 16, expected 24": the first fact that differs, or "" when they agree.
PYOWNED_CORE_COLD PYOWNED_CORE std::string fact_mismatch(const ClassRecord& r, const ClassFacts& f);

PYOWNED_CORE_COLD PYOWNED_CORE void raise_layout_mismatch(const ClassRecord& r, const std::string& what);

// Registers `record` under its C++ type's name: an error (ImportError) if another module
// registered the name with different facts; a second registration with the same facts
// (the module imported again, a new interpreter run) replaces the first.
PYOWNED_CORE_COLD PYOWNED_CORE bool register_class(const ClassRecord& record) noexcept;

// Finds the class bound for `cpp_type` in this interpreter, checking the facts this module
// expects; nullptr with an error set (TypeError when it is not bound, ImportError when the
// layouts differ).
PYOWNED_CORE_COLD PYOWNED_CORE const ClassRecord* find_class(const std::type_info& cpp_type, std::string_view cpp_name,
                                                             const ClassFacts& facts) noexcept;

// Stores `r` and its type in `slot` for the run (the record first: a thread that sees the
// type finds the record).
PYOWNED_CORE void fill_slot(ClassSlot& slot, const ClassRecord* r) noexcept;

// The record of the class bound for T, and its Python type, cached for the interpreter run
// (the run's end clears them) in its ClassSlot (bind/record.h): one load and a test on the hot
// path. class_of is nullptr with an error set when T is not bound; the slot's type is nullptr
// until class_of found the record.
template <class T>
struct ClassCache {
    PYOWNED_COLD static const ClassRecord* fill() noexcept {
        const ClassRecord* found = find_class(typeid(T), cpp_type_name<T>(), facts_of<T>());
        if (found) fill_slot(slot, found);
        return found;
    }
    // constant-initialized: the dispatchers' tables hold its address (ClassSlots)
    static constinit inline ClassSlot slot{{}, {}, &fill, cpp_type_name<T>()};
};

// The record of the class `slot` caches, looked up on first use; nullptr with an error set
// when it is not bound.
PYOWNED_INLINE const ClassRecord* class_in(const ClassSlot* slot) noexcept {
    if (const ClassRecord* r = slot->record.get(); PYOWNED_LIKELY(r != nullptr)) return r;
    return slot->fill();
}

template <class T>
PYOWNED_INLINE const ClassRecord* class_of() noexcept {
    return class_in(&ClassCache<std::remove_cv_t<T>>::slot);
}

// T's own Python type in this run, or nullptr (not bound, or not looked up yet).
template <class T>
PYOWNED_INLINE PyTypeObject* own_type_of() noexcept {
    return ClassCache<std::remove_cv_t<T>>::slot.type.get();
}

// The C++ object of class `want` in instance `self` (of want's type or a subtype, as the
// caller checked): `self`'s own object, or its base subobject. nullptr with TypeError set
// when the instance was never initialized.
PYOWNED_CORE_COLD PYOWNED_CORE void raise_not_initialized(PyObject* self) noexcept;
PYOWNED_CORE_COLD PYOWNED_CORE void* upcast_value(PyObject* self, const ClassRecord* have,
                                                  const ClassRecord* want) noexcept;
PYOWNED_INLINE void* value_of(PyObject* self, const ClassRecord* want) noexcept {
    const ClassRecord* have = head_of(self)->record.load(std::memory_order_acquire);
    if (PYOWNED_LIKELY(have == want)) return want->value(self);
    if (!have) {
        raise_not_initialized(self);
        return nullptr;
    }
    return upcast_value(self, have, want);
}

}  // namespace pyowned::detail

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE_COLD PYOWNED_CORE void define_in_class(PyTypeObject* type, const char* name, PyObject* value) {
#if PYOWNED_LIMITED
    check_status(PyObject_SetAttrString(reinterpret_cast<PyObject*>(type), name, value));  // PyType_Modified too
#else
    check_status(PyDict_SetItemString(type->tp_dict, name, value));
    PyType_Modified(type);
#endif
}

PYOWNED_CORE const char* abi_tag() noexcept {
    return "pyowned.classes." PYOWNED_COMPILER_TAG "." PYOWNED_STDLIB_TAG ".v" PYOWNED_STRINGIFY(3) PYOWNED_BUILD_TAG;
}

PYOWNED_CORE_COLD PYOWNED_CORE PyObject* class_registry() noexcept {
    PyObject* state = PyInterpreterState_GetDict(PyInterpreterState_Get());
    if (!state) {
        PyErr_SetString(PyExc_RuntimeError, "pyowned: no interpreter state dict");
        return nullptr;
    }
    PyObject* key = PyUnicode_InternFromString(abi_tag());
    if (!key) return nullptr;
    PyObject* found = PyDict_GetItemWithError(state, key);  // borrowed: the state dict holds it
    if (found || PyErr_Occurred()) {
        Py_DECREF(key);
        return found;
    }
    PyObject* registry = PyDict_New();
    PyObject* stored = registry ? api::dict_setdefault(state, key, registry) : nullptr;  // borrowed
    Py_XDECREF(registry);
    Py_DECREF(key);
    return stored;
}

PYOWNED_CORE_COLD PYOWNED_CORE PyObject* registry_entry(const char* key_text) noexcept {
    PyObject* registry = class_registry();
    if (!registry) return nullptr;
    PyObject* key = PyUnicode_FromString(key_text);
    if (!key) return nullptr;
    PyObject* found = nullptr;  // a strong reference while read (free-threaded builds: another thread may write)
    compat::dict_get_item_ref(registry, key, &found);
    Py_DECREF(key);
    return found;
}

PYOWNED_CORE_COLD PYOWNED_CORE void raise_not_bound(const char* kind, std::string_view cpp_name,
                                                    const char* python_kind, const char* binder) noexcept {
    if (PyErr_Occurred()) return;
    PyErr_Format(PyExc_TypeError,
                 "pyowned: the C++ %s '%s' is not bound to a Python %s (by py::%s in a module built with the same "
                 "compiler, standard library and pyowned ABI: %s)",
                 kind, std::string(cpp_name).c_str(), python_kind, binder, abi_tag());
}

PYOWNED_CORE_COLD PYOWNED_CORE std::string fact_mismatch(const ClassRecord& r, const ClassFacts& f) {
    auto one = [](const char* what, std::size_t have, std::size_t want) {
        return std::string(what) + " is " + std::to_string(have) + " there and " + std::to_string(want) + " here";
    };
    if (r.layout_version != class_layout_version)
        return one("the layout version", r.layout_version, class_layout_version);
    if (r.size != f.size) return one("sizeof", r.size, f.size);
    if (r.align != f.align) return one("alignof", r.align, f.align);
    if (r.frozen != f.frozen) return one("py::frozen", r.frozen, f.frozen);
    if (r.unlocked != f.unlocked) return one("py::unlocked", r.unlocked, f.unlocked);
    return "";
}

PYOWNED_CORE_COLD PYOWNED_CORE void raise_layout_mismatch(const ClassRecord& r, const std::string& what) {
    PyErr_Format(PyExc_ImportError,
                 "pyowned: the C++ type '%s' is bound as '%s' by another module with a different layout (%s); "
                 "the two modules cannot share it",
                 r.cpp_name.c_str(), r.name.c_str(), what.c_str());
}

PYOWNED_CORE_COLD PYOWNED_CORE bool register_class(const ClassRecord& record) noexcept {
    PyObject* registry = class_registry();
    if (!registry) return false;
    PyObject* key = PyUnicode_FromString(record.cpp_type->name());
    if (!key) return false;
    PyObject* existing = PyDict_GetItemWithError(registry, key);  // borrowed
    if (existing) {
        auto* other = static_cast<const ClassRecord*>(PyCapsule_GetPointer(existing, "pyowned.class"));
        if (!other) return Py_DECREF(key), false;
        std::string what = fact_mismatch(*other, {record.size, record.align, record.frozen, record.unlocked});
        if (!what.empty()) {
            raise_layout_mismatch(*other, what);
            Py_DECREF(key);
            return false;
        }
        if (!made_here(other)) {  // two modules binding one C++ type: whose instances would count?
            PyErr_Format(PyExc_ImportError,
                         "pyowned: the C++ type '%s' is already bound as '%s' by another module; bind it once "
                         "and use it from there, or bind this one with py::module_local",
                         record.cpp_name.c_str(), other->name.c_str());
            Py_DECREF(key);
            return false;
        }
    } else if (PyErr_Occurred()) {
        return Py_DECREF(key), false;
    }
    PyObject* capsule = PyCapsule_New(const_cast<ClassRecord*>(&record), "pyowned.class", nullptr);
    int status = capsule ? PyDict_SetItem(registry, key, capsule) : -1;
    Py_XDECREF(capsule);
    Py_DECREF(key);
    return status == 0;
}

PYOWNED_CORE_COLD PYOWNED_CORE const ClassRecord* find_class(const std::type_info& cpp_type, std::string_view cpp_name,
                                                             const ClassFacts& facts) noexcept {
    PyObject* found = registry_entry(cpp_type.name());
    if (!found) return raise_not_bound("type", cpp_name, "class", "Class"), nullptr;
    auto* record = static_cast<const ClassRecord*>(PyCapsule_GetPointer(found, "pyowned.class"));
    Py_DECREF(found);  // records live until the process ends
    if (!record) return nullptr;
    if (*record->cpp_type != cpp_type) {  // the same name, another type (one local to its module)
        PyErr_Format(PyExc_TypeError, "pyowned: the C++ type '%s' is not bound to a Python class in this module",
                     std::string(cpp_name).c_str());
        return nullptr;
    }
    std::string what = fact_mismatch(*record, facts);
    if (!what.empty()) {
        raise_layout_mismatch(*record, what);
        return nullptr;
    }
    return record;
}

PYOWNED_CORE void fill_slot(ClassSlot& slot, const ClassRecord* r) noexcept {
    slot.record.set(r);  // first: a thread that sees the type finds the record
    slot.type.set(r->type);
}

PYOWNED_CORE_COLD PYOWNED_CORE void raise_not_initialized(PyObject* self) noexcept {
    PyErr_Format(PyExc_TypeError,
                 "%s object is not initialized: its __init__ did not call the bound base class's __init__",
                 detail::api::type_name_of(self).c_str());
}

PYOWNED_CORE_COLD PYOWNED_CORE void* upcast_value(PyObject* self, const ClassRecord* have,
                                                  const ClassRecord* want) noexcept {
    void* value = have->value(self);
    for (const ClassRecord* r = have; r != want; r = r->base) {
        if (!r->base) {
            PyErr_Format(PyExc_TypeError, "'%s' object holds a C++ '%s', which is not a '%s'",
                         detail::api::type_name_of(self).c_str(), have->cpp_name.c_str(), want->cpp_name.c_str());
            return nullptr;
        }
        value = r->upcast(value);
    }
    return value;
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
