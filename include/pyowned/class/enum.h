// Enums: py::Enum<E> binds a C++ enum as a real Python enum (enum.Enum, IntEnum, Flag or
// IntFlag), made by the enum module's functional API, and converts E both ways by its members.
#pragma once
#include "type.h"
#include <exception>
#include <limits>

namespace pyowned {

// py::Enum options: an enum.IntEnum (members are ints), an enum.Flag (members combine with
// |, & and ~); both together, an enum.IntFlag.
struct int_enum_t {};
inline constexpr int_enum_t int_enum{};
struct flag_t {};
inline constexpr flag_t flag{};

namespace detail {

inline constexpr unsigned enum_layout_version = 1;

enum class EnumKind : std::uint8_t { plain, int_enum, flag, int_flag };

// A member and its C++ value: the underlying integer, sign-extended to 64 bits.
struct EnumMember {
    PyObject* object;
    std::uint64_t bits;
};

// What pyowned knows of a bound enum. It holds strong references to the Python enum and its
// members while the interpreter's class registry holds it (a capsule, whose destructor
// releases them: the interpreter's end, or the enum bound again); then `type` is null.
// Records live until the process ends, like classes' (caches may point to them).
struct EnumRecord {
    unsigned layout_version = enum_layout_version;
    bool is_signed = false;
    unsigned bytes = 0;  // sizeof the underlying type
    EnumKind kind = EnumKind::plain;
    const std::type_info* cpp_type = nullptr;
    std::string cpp_name, name;  // the C++ name; __qualname__
    std::atomic<PyTypeObject*> type{nullptr};
    std::vector<EnumMember> members;  // in definition order (an alias: its canonical member)
    bool dense = false;               // members[i].bits == i for every i

    bool flag() const noexcept { return kind == EnumKind::flag || kind == EnumKind::int_flag; }
    bool int_based() const noexcept { return kind == EnumKind::int_enum || kind == EnumKind::int_flag; }
    PYOWNED_INLINE PyTypeObject* live_type() const noexcept { return type.load(std::memory_order_relaxed); }

    // Drops the references (attached: the registry's capsule is being freed).
    void release() noexcept {
        PyTypeObject* t = type.exchange(nullptr, std::memory_order_relaxed);
        if (!t) return;
        for (const EnumMember& m : members) Py_DECREF(m.object);
        Py_DECREF(reinterpret_cast<PyObject*>(t));
    }
};

struct EnumStore {
    std::mutex mutex;
    std::vector<std::unique_ptr<EnumRecord>> records;
};
PYOWNED_CORE_VARIABLE EnumStore enum_store;

// The registry's key of a C++ enum: its type's name; a type of internal linkage gets its
// record's address too, so no other module finds it.
PYOWNED_CORE_COLD PYOWNED_CORE std::string enum_key(const std::type_info& type, const EnumRecord* record);

PYOWNED_COLD inline const EnumRecord* enum_record_of(PyObject* capsule) noexcept {
    return static_cast<const EnumRecord*>(PyCapsule_GetPointer(capsule, "pyowned.enum"));
}

// Puts `record` in the registry (replacing a record of the same type made by this shared
// object: the module imported again). False with ImportError set when another module bound
// the enum, or another error; the record's references are then released.
PYOWNED_CORE_COLD PYOWNED_CORE bool insert_enum(EnumRecord& record) noexcept;
PYOWNED_CORE_COLD PYOWNED_CORE bool register_enum(EnumRecord& record) noexcept;

// The record bound for a C++ enum in this interpreter, checking that its underlying type is
// the one this module expects; nullptr with an error set (TypeError: not bound).
PYOWNED_CORE_COLD PYOWNED_CORE const EnumRecord* find_enum(const std::type_info& type, std::string_view cpp_name,
                                                           bool is_signed, unsigned bytes) noexcept;

class EnumBuilder;

// The record bound for E, cached for the interpreter run. `pending` is a py::Enum<E> of this
// thread whose Python enum is not made yet: a conversion of E made while the module is being
// defined (a default argument) makes it first.
template <class E>
struct EnumCache {
    static inline RunPointer<const EnumRecord> record;
    static inline thread_local EnumBuilder* pending = nullptr;
    PYOWNED_COLD static const EnumRecord* fill() noexcept;
};

template <class E>
PYOWNED_INLINE const EnumRecord* enum_of() noexcept {
    const EnumRecord* r = EnumCache<E>::record.get();
    if (PYOWNED_LIKELY(r != nullptr && r->live_type() != nullptr)) return r;
    return EnumCache<E>::fill();
}

// E's value as the record stores it.
template <class E>
constexpr std::uint64_t bits_of(E value) noexcept {
    using U = std::underlying_type_t<E>;
    if constexpr (std::is_signed_v<U>)
        return static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<U>(value)));
    else return static_cast<std::uint64_t>(static_cast<U>(value));
}

// A Python int as the bits of the record's underlying type; false with OverflowError set
// when it does not fit. A flag's negative value (~ of an IntFlag on 3.10) is taken modulo
// 2^width, as C++'s ~ gives it, when the underlying type is unsigned.
PYOWNED_CORE_COLD PYOWNED_CORE bool int_to_bits(const EnumRecord& r, PyObject* value, std::uint64_t& bits) noexcept;

// The value of a member of the enum (a flag's combination too): its _value_.
PYOWNED_CORE_COLD PYOWNED_CORE bool member_to_bits(const EnumRecord& r, PyObject* member, std::uint64_t& bits) noexcept;

// What enum_bits does when `o` is not one of the members named in the binding: a flag's
// combination of them, or (in the convert pass, for IntEnum and IntFlag) an int that the
// enum accepts: the enum's own ValueError for one it does not.
PYOWNED_CORE_COLD PYOWNED_CORE bool enum_bits_slow(const EnumRecord& r, PyObject* o, bool convert,
                                                   std::uint64_t& bits) noexcept;

// One of the members named in the binding as the bits of its C++ value: true, else false
// (nothing set).
PYOWNED_INLINE bool named_member_bits(const EnumRecord& r, PyObject* o, std::uint64_t& bits) noexcept {
    if (Py_TYPE(o) == r.live_type())
        for (const EnumMember& m : r.members)
            if (m.object == o) {
                bits = m.bits;
                return true;
            }
    return false;
}

// Any member of the enum as the bits of its C++ value: true; false with an error set (the
// object is an enum member that does not fit) or not (not a member of this enum).
inline bool enum_bits(const EnumRecord& r, PyObject* o, bool convert, std::uint64_t& bits) noexcept {
    return named_member_bits(r, o, bits) || enum_bits_slow(r, o, convert, bits);
}

// The member for a C++ value not found among the named ones: a flag's combination (made by
// the enum, unnamed bits kept), else ValueError.
PYOWNED_CORE_COLD PYOWNED_CORE PyObject* enum_member_slow(const EnumRecord& r, std::uint64_t bits) noexcept;

// The member whose C++ value is `bits`, a new reference; nullptr with an error set.
PYOWNED_INLINE PyObject* enum_member(const EnumRecord& r, std::uint64_t bits) noexcept {
    if (PYOWNED_LIKELY(r.dense && bits < r.members.size())) return Py_NewRef(r.members[bits].object);
    for (const EnumMember& m : r.members)
        if (m.bits == bits) return Py_NewRef(m.object);
    return enum_member_slow(r, bits);
}

// The non-template part of py::Enum: collects the members, then makes the Python enum once
// (at the end of the py::Enum, or when something needs it first).
class EnumBuilder {
public:
    EnumBuilder(const EnumBuilder&) = delete;
    EnumBuilder& operator=(const EnumBuilder&) = delete;

    // Makes the Python enum, registers and publishes it: true, or false with an error set.
    // Later calls return the first one's outcome.
    PYOWNED_COLD bool finish() noexcept {
        if (record_) return true;
        if (failed_) return PyErr_SetString(PyExc_RuntimeError, "pyowned: making this enum failed before"), false;
        *pending_ = nullptr;
        bool ok = false;
        try {
            ok = make();
        } catch (const std::bad_alloc&) {
            PyErr_NoMemory();
        }
        failed_ = !ok;
        return ok;
    }

protected:
    struct Pending {
        std::string name;
        std::uint64_t bits;
        const char* doc;
    };

    EnumBuilder(PyObject* scope, const char* name, const char* doc, EnumKind kind, const std::type_info& cpp_type,
                std::string_view cpp_name, bool is_signed, unsigned bytes, EnumBuilder** pending,
                void (*publish)(const EnumRecord*))
        : scope_(Py_NewRef(scope)),
          name_(name),
          doc_(doc),
          kind_(kind),
          cpp_type_(&cpp_type),
          cpp_name_(cpp_name),
          is_signed_(is_signed),
          bytes_(bytes),
          pending_(pending),
          publish_(publish),
          uncaught_(std::uncaught_exceptions()) {
        *pending_ = this;
    }
    ~EnumBuilder() {
        if (*pending_ == this) *pending_ = nullptr;
        Py_DECREF(scope_);  // attached: a py::Enum is used while a module is defined
    }

    void add(const char* name, std::uint64_t bits, const char* doc) {
        if (record_ || failed_)
            throw Error::of<RuntimeError>("pyowned: the Python enum " + std::string(name_) +
                                          " is already made (by a conversion of it, or export_values()): add "
                                          "every value before using the enum");
        for (const Pending& p : values_)
            if (p.name == name)
                throw Error::of<TypeError>("pyowned: " + std::string(name_) + " already has a member named " + name);
        values_.push_back({name, bits, doc});
    }
    // Finishes at the end of the py::Enum, unless an exception is unwinding it.
    void finish_at_end() {
        if (!record_ && !failed_ && std::uncaught_exceptions() == uncaught_ && !finish()) throw_fetched();
    }
    const EnumRecord& made() {
        if (!finish()) throw_fetched();
        return *record_;
    }
    PyObject* scope() const noexcept { return scope_; }

private:
    static PyObject* enum_base(EnumKind kind) noexcept {
        static RunCache plain, int_enum, flag, int_flag;
        switch (kind) {
            case EnumKind::plain:
                return plain.import("enum", "Enum");
            case EnumKind::int_enum:
                return int_enum.import("enum", "IntEnum");
#if PY_VERSION_HEX >= 0x030B0000
            case EnumKind::flag:
                return flag.import("enum", "Flag");
#else
            case EnumKind::flag:
                return flag.import("enum", "IntFlag");  // 3.10's Flag drops unnamed bits
#endif
            case EnumKind::int_flag:
                return int_flag.import("enum", "IntFlag");
        }
        return nullptr;
    }

    // enum_base(name, [(member, value), ...], module=..., qualname=..., boundary=KEEP).
    PyObject* call_functional_api(PyObject* module_name, const std::string& qualname) const noexcept {
        PyObject* base = enum_base(kind_);
        if (!base) return nullptr;
        PyObject* names = PyList_New(static_cast<Py_ssize_t>(values_.size()));
        if (!names) return nullptr;
        for (std::size_t i = 0; i < values_.size(); ++i) {
            const Pending& p = values_[i];
            PyObject* value = is_signed_ ? PyLong_FromLongLong(static_cast<long long>(p.bits))
                                         : PyLong_FromUnsignedLongLong(static_cast<unsigned long long>(p.bits));
            PyObject* pair = value ? Py_BuildValue("(sN)", p.name.c_str(), value) : nullptr;
            if (!pair) return Py_DECREF(names), nullptr;
            detail::api::list_init(names, static_cast<Py_ssize_t>(i), pair);
        }
        PyObject* args = Py_BuildValue("(sN)", name_, names);
        PyObject* kwargs =
            args ? Py_BuildValue("{sOss}", "module", module_name, "qualname", qualname.c_str()) : nullptr;
#if PY_VERSION_HEX >= 0x030B0000
        if (kwargs && (kind_ == EnumKind::flag || kind_ == EnumKind::int_flag)) {
            static RunCache keep;
            PyObject* boundary = keep.import("enum", "KEEP");  // unnamed bits of a flag are kept
            if (!boundary || PyDict_SetItemString(kwargs, "boundary", boundary) < 0) Py_CLEAR(kwargs);
        }
#endif
        PyObject* type = kwargs ? PyObject_Call(base, args, kwargs) : nullptr;
        Py_XDECREF(kwargs);
        Py_XDECREF(args);
        return type;
    }

    bool make() {
        std::string qualname;
        PyObject* module_name = scope_names(scope_, name_, qualname);
        if (!module_name) return false;
        // everything that may throw before the enum exists: the record, in the store already
        EnumRecord* made;
        try {
            auto record = std::make_unique<EnumRecord>();
            record->is_signed = is_signed_;
            record->bytes = bytes_;
            record->kind = kind_;
            record->cpp_type = cpp_type_;
            record->cpp_name = std::string(cpp_name_);
            record->name = qualname;
            record->members.reserve(values_.size());
            made = record.get();
            std::lock_guard<std::mutex> lock(enum_store.mutex);
            enum_store.records.push_back(std::move(record));
        } catch (...) {
            Py_DECREF(module_name);
            throw;
        }
        EnumRecord& r = *made;
        PyObject* type = call_functional_api(module_name, qualname);
        Py_DECREF(module_name);
        if (!type) return false;
        bool ok = !doc_ || set_doc(type, doc_);
        for (std::size_t i = 0; ok && i < values_.size(); ++i) {
            PyObject* member = PyObject_GetAttrString(type, values_[i].name.c_str());  // an alias: its canonical member
            ok = member && (!values_[i].doc || set_doc(member, values_[i].doc));
            if (member) r.members.push_back({member, values_[i].bits});
        }
        if (!ok) {
            for (const EnumMember& m : r.members) Py_DECREF(m.object);
            Py_DECREF(type);
            return false;
        }
        r.dense = true;
        for (std::size_t i = 0; i < r.members.size(); ++i) r.dense = r.dense && r.members[i].bits == i;
        r.type.store(reinterpret_cast<PyTypeObject*>(type), std::memory_order_relaxed);  // the references: r's now
        if (!register_enum(r)) return false;                                             // r's references are released
        publish_(&r);
        record_ = &r;
        if (PyType_Check(scope_)) {
            auto* scope_type = reinterpret_cast<PyTypeObject*>(scope_);
            PyObject* key = PyUnicode_FromString(name_);
            int status = key ? api::type_dict_set(scope_type, key, type) : -1;
            Py_XDECREF(key);
            PyType_Modified(scope_type);
            return status == 0;
        }
        return PyObject_SetAttrString(scope_, name_, type) == 0;
    }

    static bool set_doc(PyObject* o, const char* doc) noexcept {
        PyObject* text = PyUnicode_FromString(doc);
        int status = text ? PyObject_SetAttrString(o, "__doc__", text) : -1;
        Py_XDECREF(text);
        return status == 0;
    }

    PyObject* scope_;  // a strong reference
    const char* name_;
    const char* doc_;
    EnumKind kind_;
    const std::type_info* cpp_type_;
    std::string_view cpp_name_;
    bool is_signed_;
    unsigned bytes_;
    EnumBuilder** pending_;
    void (*publish_)(const EnumRecord*);
    int uncaught_;
    std::vector<Pending> values_;
    const EnumRecord* record_ = nullptr;
    bool failed_ = false;
};

template <class E>
const EnumRecord* EnumCache<E>::fill() noexcept {
    if (EnumBuilder* b = pending; b && !b->finish()) return nullptr;
    if (const EnumRecord* r = record.get(); r && r->live_type()) return r;
    using U = std::underlying_type_t<E>;
    const EnumRecord* found = find_enum(typeid(E), cpp_type_name<E>(), std::is_signed_v<U>, sizeof(U));
    if (found) record.set(found);
    return found;
}

template <class... Extra>
constexpr EnumKind enum_kind() {
    constexpr bool is_int = (std::is_same_v<Extra, int_enum_t> || ...);
    constexpr bool is_flag = (std::is_same_v<Extra, flag_t> || ...);
    return is_flag ? (is_int ? EnumKind::int_flag : EnumKind::flag) : (is_int ? EnumKind::int_enum : EnumKind::plain);
}

template <class T>
inline constexpr bool is_enum_option_v = std::is_same_v<T, int_enum_t> || std::is_same_v<T, flag_t>;

}  // namespace detail

// Binds the C++ enum E as a Python enum in `scope` (a module or a bound class):
//     py::Enum<Color>(m, "Color", "A color.")
//         .value("RED", Color::red, "The red one.")
//         .value("GREEN", Color::green);
//     py::Enum<Perm>(m, "Perm", py::flag).value("R", Perm::r).value("W", Perm::w);
// The Python enum is made when the py::Enum ends (or when a conversion of E needs it
// first, such as a default argument): add every value before that.
template <class E>
class Enum : detail::EnumBuilder {
    static_assert(std::is_enum_v<E>, "pyowned: py::Enum<E> binds a C++ enum type");
    using U = std::underlying_type_t<E>;

public:
    template <class Scope, class... Extra>
        requires(requires(const Scope& s) { s.ptr(); } && (detail::is_enum_option_v<Extra> && ...))
    Enum(const Scope& scope, const char* name, const char* doc, Extra...)
        : EnumBuilder(scope.ptr(), name, doc, detail::enum_kind<Extra...>(), typeid(E), detail::cpp_type_name<E>(),
                      std::is_signed_v<U>, sizeof(U), &detail::EnumCache<E>::pending,
                      [](const detail::EnumRecord* r) { detail::EnumCache<E>::record.set(r); }) {}
    template <class Scope, class... Extra>
        requires(requires(const Scope& s) { s.ptr(); } && (detail::is_enum_option_v<Extra> && ...))
    Enum(const Scope& scope, const char* name, Extra... extra) : Enum(scope, name, nullptr, extra...) {}

    Enum(const Enum&) = delete;
    Enum& operator=(const Enum&) = delete;
    // Makes the Python enum if nothing made it yet; throws py::Error if that fails (not
    // while an exception unwinds it).
    ~Enum() noexcept(false) { finish_at_end(); }

    // A member: `name` for the C++ value `value`. A second name for a value is an alias.
    Enum& value(const char* name, E value, const char* doc = nullptr) {
        add(name, detail::bits_of(value), doc);
        return *this;
    }

    // Makes every member an attribute of the scope too (Color.RED as RED), as pybind11's.
    Enum& export_values() {
        const detail::EnumRecord& r = made();
        for (const detail::EnumMember& m : r.members) {
            PyObject* name = PyObject_GetAttrString(m.object, "_name_");
            if (!name) detail::throw_fetched();
            Owned<Any> held = Owned<Any>::from_owned_ptr(detail::token(), name);
            detail::set_scope_attr(scope(), name, m.object);
        }
        return *this;
    }

    // The Python enum (made now if it is not yet).
    Borrowed<Type> type() { return Borrowed<Type>::from_ptr(detail::token(), ptr()); }
    PyObject* ptr() { return reinterpret_cast<PyObject*>(made().live_type()); }
};

// A bound enum: a member of its Python enum (a flag's combination too); in the convert pass
// an int that an IntEnum or IntFlag accepts.
template <class E>
    requires std::is_enum_v<E>
struct FromPython<E> {
    static constexpr std::string_view name = detail::class_name<E>();
    PYOWNED_INLINE static std::optional<E> from_python(Borrowed<Any> obj, bool convert) {
        // a named member: the cached record's type, then a scan (a dead record has no type)
        const detail::EnumRecord* r = detail::EnumCache<E>::record.get();
        std::uint64_t bits;
        if (PYOWNED_LIKELY(r != nullptr && detail::named_member_bits(*r, obj.ptr(), bits))) return of(bits);
        return from_python_slow(obj, convert);
    }

private:
    static E of(std::uint64_t bits) noexcept { return static_cast<E>(static_cast<std::underlying_type_t<E>>(bits)); }
    PYOWNED_COLD static std::optional<E> from_python_slow(Borrowed<Any> obj, bool convert) {
        const detail::EnumRecord* r = detail::enum_of<E>();
        if (!r) return std::nullopt;  // not bound: TypeError set
        std::uint64_t bits;
        if (!detail::enum_bits(*r, obj.ptr(), convert, bits)) return std::nullopt;
        return of(bits);
    }
};

// A bound enum's member; a C++ value without one is ValueError (a flag's is its combination).
template <class E>
    requires std::is_enum_v<E>
struct IntoPython<E> {
    PYOWNED_INLINE static Owned<Any> into_python(Python py, E value) {
        const detail::EnumRecord* r = detail::enum_of<E>();
        if (PYOWNED_UNLIKELY(!r)) detail::throw_fetched();
        PyObject* member = detail::enum_member(*r, detail::bits_of(value));
        if (PYOWNED_UNLIKELY(!member)) detail::throw_fetched();
        return Owned<Any>::from_owned_ptr(py, member);
    }
};

}  // namespace pyowned

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

PYOWNED_CORE_COLD PYOWNED_CORE std::string enum_key(const std::type_info& type, const EnumRecord* record) {
    std::string key = std::string("enum:") + type.name();
    if (internal_linkage(type)) key += "@" + std::to_string(reinterpret_cast<std::uintptr_t>(record));
    return key;
}

PYOWNED_CORE_COLD PYOWNED_CORE bool insert_enum(EnumRecord& record) noexcept {
    PyObject* registry = class_registry();
    if (!registry) return false;
    std::string key_text;
    try {
        key_text = enum_key(*record.cpp_type, &record);
    } catch (...) {
        return PyErr_NoMemory(), false;
    }
    PyObject* key = PyUnicode_FromString(key_text.c_str());
    if (!key) return false;
    PyObject* existing = PyDict_GetItemWithError(registry, key);  // borrowed
    if (existing || PyErr_Occurred()) {
        const EnumRecord* other = existing ? enum_record_of(existing) : nullptr;
        bool here = false;
        if (other) {
            std::lock_guard<std::mutex> lock(enum_store.mutex);
            for (const auto& r : enum_store.records) here = here || r.get() == other;
        }
        if (!here) {
            if (other)
                PyErr_Format(PyExc_ImportError,
                             "pyowned: the C++ enum '%s' is already bound as '%s' by another module; bind it once "
                             "and use it from there",
                             record.cpp_name.c_str(), other->name.c_str());
            Py_DECREF(key);
            return false;
        }
    }
    PyObject* capsule = PyCapsule_New(&record, "pyowned.enum", [](PyObject* c) {
        if (auto* r = const_cast<EnumRecord*>(enum_record_of(c))) r->release();
    });
    if (!capsule) {
        Py_DECREF(key);
        return false;
    }
    int status = PyDict_SetItem(registry, key, capsule);  // frees a replaced record's references
    Py_DECREF(capsule);                                   // on failure, this releases the record's references
    Py_DECREF(key);
    return status == 0;
}

PYOWNED_CORE_COLD PYOWNED_CORE bool register_enum(EnumRecord& record) noexcept {
    class_describer.store(&describe_class_objects, std::memory_order_release);  // stub generators see enums
    if (insert_enum(record)) return true;
    record.release();  // (again, if a capsule already did: release is idempotent)
    return false;
}

PYOWNED_CORE_COLD PYOWNED_CORE const EnumRecord* find_enum(const std::type_info& type, std::string_view cpp_name,
                                                           bool is_signed, unsigned bytes) noexcept {
    PyObject* found = registry_entry((std::string("enum:") + type.name()).c_str());
    const EnumRecord* r = found ? enum_record_of(found) : nullptr;
    Py_XDECREF(found);  // the registry keeps the capsule, and so the record, for the run
    if (!r) return raise_not_bound("enum", cpp_name, "enum", "Enum"), nullptr;
    if (r->layout_version != enum_layout_version || r->is_signed != is_signed || r->bytes != bytes) {
        PyErr_Format(PyExc_ImportError,
                     "pyowned: the C++ enum '%s' is bound by another module with a different underlying type or "
                     "pyowned layout; the two modules cannot share it",
                     std::string(cpp_name).c_str());  // (not the record's fields: its layout may differ)
        return nullptr;
    }
    return r;
}

PYOWNED_CORE_COLD PYOWNED_CORE bool int_to_bits(const EnumRecord& r, PyObject* value, std::uint64_t& bits) noexcept {
    const unsigned width = 8 * r.bytes;
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (v == -1 && PyErr_Occurred()) return false;
    bool fits = false;
    if (overflow == 0 && r.is_signed) {
        fits = width == 64 || (v >= -(1LL << (width - 1)) && v < (1LL << (width - 1)));
        bits = static_cast<std::uint64_t>(v);
    } else if (overflow == 0 && v < 0) {
        fits = r.flag() && width < 64 && v >= -(1LL << width);
        bits = static_cast<std::uint64_t>(v) & ((std::uint64_t{1} << width) - 1);
    } else if (overflow == 0) {
        fits = width == 64 || static_cast<unsigned long long>(v) < (1ULL << width);
        bits = static_cast<std::uint64_t>(v);
    } else if (overflow > 0 && !r.is_signed && width == 64) {  // above LLONG_MAX
        unsigned long long u = PyLong_AsUnsignedLongLong(value);
        fits = !(u == std::numeric_limits<unsigned long long>::max() && PyErr_Occurred());
        if (!fits) PyErr_Clear();
        bits = u;
    }
    if (!fits)
        PyErr_Format(PyExc_OverflowError, "%R is out of range for the C++ enum '%s' (a %u-bit %s integer)", value,
                     r.cpp_name.c_str(), width, r.is_signed ? "signed" : "unsigned");
    return fits;
}

PYOWNED_CORE_COLD PYOWNED_CORE bool member_to_bits(const EnumRecord& r, PyObject* member,
                                                   std::uint64_t& bits) noexcept {
    PyObject* value = PyObject_GetAttrString(member, "_value_");
    if (!value) return false;
    bool ok = PyLong_Check(value) ? int_to_bits(r, value, bits)
                                  : (PyErr_Format(PyExc_TypeError, "%R has a value that is not an int", member), false);
    Py_DECREF(value);
    return ok;
}

PYOWNED_CORE_COLD PYOWNED_CORE bool enum_bits_slow(const EnumRecord& r, PyObject* o, bool convert,
                                                   std::uint64_t& bits) noexcept {
    PyTypeObject* type = r.live_type();
    if (!type) {
        PyErr_Format(PyExc_RuntimeError, "pyowned: the Python enum of the C++ enum '%s' is gone", r.cpp_name.c_str());
        return false;
    }
    if (Py_TYPE(o) == type) return member_to_bits(r, o, bits);
    if (!convert || !r.int_based() || !PyLong_Check(o)) return false;
    PyObject* member = detail::api::call_one(reinterpret_cast<PyObject*>(type), o);
    if (!member) return false;
    bool ok = member_to_bits(r, member, bits);
    Py_DECREF(member);
    return ok;
}

PYOWNED_CORE_COLD PYOWNED_CORE PyObject* enum_member_slow(const EnumRecord& r, std::uint64_t bits) noexcept {
    PyObject* value = r.is_signed ? PyLong_FromLongLong(static_cast<long long>(bits))
                                  : PyLong_FromUnsignedLongLong(static_cast<unsigned long long>(bits));
    if (!value) return nullptr;
    PyTypeObject* type = r.live_type();
    PyObject* member = nullptr;
    if (!type)
        PyErr_Format(PyExc_RuntimeError, "pyowned: the Python enum of the C++ enum '%s' is gone", r.cpp_name.c_str());
    else if (r.flag()) member = detail::api::call_one(reinterpret_cast<PyObject*>(type), value);
    else
        PyErr_Format(PyExc_ValueError, "%R is not a valid %s: the C++ enum '%s' has no member of that value", value,
                     r.name.c_str(), r.cpp_name.c_str());
    Py_DECREF(value);
    return member;
}

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
