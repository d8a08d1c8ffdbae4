// The type tags: which Python type a handle refers to, how to check it, and its supertype.
#pragma once
#include "../core/fwd.h"
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace pyowned {

// Any Python object. The root of every tag's Base chain.
struct Any {
    static constexpr std::string_view name = "object";
    static int check(PyObject*) noexcept { return 1; }
};

struct None {
    using Base = Any;
    static constexpr std::string_view name = "None";
    static int check(PyObject* o) noexcept { return o == Py_None; }
    [[nodiscard]] static Owned<None> get(Python py) noexcept;
};

struct Int {
    using Base = Any;
    static constexpr std::string_view name = "int";
    static int check(PyObject* o) noexcept { return PyLong_Check(o); }
    template <class T>
    [[nodiscard]] static Owned<Int> from(Python py, T value);
    // int(x): TypeError or ValueError as Python's int() raises them.
    [[nodiscard]] static Owned<Int> from_object(Borrowed<Any> x);
};

struct Bool {
    using Base = Int;
    static constexpr std::string_view name = "bool";
    static int check(PyObject* o) noexcept { return PyBool_Check(o); }
    [[nodiscard]] static Owned<Bool> get(Python py, bool value) noexcept;
};

struct Float {
    using Base = Any;
    static constexpr std::string_view name = "float";
    static int check(PyObject* o) noexcept { return PyFloat_Check(o); }
    [[nodiscard]] static Owned<Float> from(Python py, double value);
    // float(x): TypeError or ValueError as Python's float() raises them.
    [[nodiscard]] static Owned<Float> from_object(Borrowed<Any> x);
};

struct Complex {
    using Base = Any;
    static constexpr std::string_view name = "complex";
    static int check(PyObject* o) noexcept { return PyComplex_Check(o); }
    [[nodiscard]] static Owned<Complex> from(Python py, double real, double imag);
};

struct Str {
    using Base = Any;
    static constexpr std::string_view name = "str";
    static int check(PyObject* o) noexcept { return PyUnicode_Check(o); }
    [[nodiscard]] static Owned<Str> from(Python py, std::string_view utf8);
    // str(x), which runs x.__str__ (or __repr__).
    [[nodiscard]] static Owned<Str> from_object(Borrowed<Any> x);
};

struct Bytes {
    using Base = Any;
    static constexpr std::string_view name = "bytes";
    static int check(PyObject* o) noexcept { return PyBytes_Check(o); }
    [[nodiscard]] static Owned<Bytes> from(Python py, std::string_view bytes);
    [[nodiscard]] static Owned<Bytes> from(Python py, std::span<const std::byte> bytes);
};

struct ByteArray {
    using Base = Any;
    static constexpr std::string_view name = "bytearray";
    static int check(PyObject* o) noexcept { return PyByteArray_Check(o); }
    [[nodiscard]] static Owned<ByteArray> from(Python py, std::string_view bytes);
};

namespace detail {
// isinstance(o, collections.abc.<name>) with the ABC looked up once per interpreter.
int check_abc(PyObject* o, int which) noexcept;
}  // namespace detail

// collections.abc.Sequence (list, tuple, range, str, ...).
struct Sequence {
    using Base = Any;
    static constexpr std::string_view name = "Sequence";
    static int check(PyObject* o) noexcept {
        if (PyList_Check(o) || PyTuple_Check(o)) return 1;
        return detail::check_abc(o, 0);
    }
};

// collections.abc.Mapping (dict, MappingProxyType, ...). Not a list, unlike PyMapping_Check.
struct Mapping {
    using Base = Any;
    static constexpr std::string_view name = "Mapping";
    static int check(PyObject* o) noexcept {
        if (PyDict_Check(o)) return 1;
        return detail::check_abc(o, 1);
    }
};

struct Tuple {
    using Base = Sequence;
    static constexpr std::string_view name = "tuple";
    static int check(PyObject* o) noexcept { return PyTuple_Check(o); }
    template <class... T>
    [[nodiscard]] static Owned<Tuple> of(Python py, T&&... items);
    template <class R>
    [[nodiscard]] static Owned<Tuple> from(Python py, R&& range);
};

struct List {
    using Base = Sequence;
    static constexpr std::string_view name = "list";
    static int check(PyObject* o) noexcept { return PyList_Check(o); }
    [[nodiscard]] static Owned<List> empty(Python py);
    template <class R>
    [[nodiscard]] static Owned<List> from(Python py, R&& range);
};

struct Dict {
    using Base = Mapping;
    static constexpr std::string_view name = "dict";
    static int check(PyObject* o) noexcept { return PyDict_Check(o); }
    [[nodiscard]] static Owned<Dict> empty(Python py);
    template <class M>
    [[nodiscard]] static Owned<Dict> from(Python py, M&& map);
};

struct Set {
    using Base = Any;
    static constexpr std::string_view name = "set";
    static int check(PyObject* o) noexcept { return PySet_Check(o); }
    [[nodiscard]] static Owned<Set> empty(Python py);
    template <class R>
    [[nodiscard]] static Owned<Set> from(Python py, R&& range);
};

struct FrozenSet {
    using Base = Any;
    static constexpr std::string_view name = "frozenset";
    static int check(PyObject* o) noexcept { return PyFrozenSet_Check(o); }
    template <class R>
    [[nodiscard]] static Owned<FrozenSet> from(Python py, R&& range);
};

struct Slice {
    using Base = Any;
    static constexpr std::string_view name = "slice";
    static int check(PyObject* o) noexcept { return PySlice_Check(o); }
    [[nodiscard]] static Owned<Slice> of(Python py, std::optional<Py_ssize_t> start, std::optional<Py_ssize_t> stop,
                                         std::optional<Py_ssize_t> step = std::nullopt);
};

// A capsule: a C pointer in a Python object (how extension modules share C APIs).
struct Capsule {
    using Base = Any;
    static constexpr std::string_view name = "PyCapsule";
    static int check(PyObject* o) noexcept { return PyCapsule_CheckExact(o); }
    // A capsule holding `pointer` (not null), named `name` (copied; nullptr: unnamed), which
    // calls `destructor(pointer)` when it is freed (if given). types/capsule.h.
    [[nodiscard]] static Owned<Capsule> make(Python py, void* pointer, const char* name = nullptr,
                                             void (*destructor)(void*) = nullptr);
};

struct Module {
    using Base = Any;
    static constexpr std::string_view name = "module";
    static int check(PyObject* o) noexcept { return PyModule_Check(o); }
};

struct Type {
    using Base = Any;
    static constexpr std::string_view name = "type";
    static int check(PyObject* o) noexcept { return PyType_Check(o); }
};

struct Iterator {
    using Base = Any;
    static constexpr std::string_view name = "iterator";
    static int check(PyObject* o) noexcept { return PyIter_Check(o); }
};

namespace detail {
// An exception tag: instances of the builtin exception type `*TypeObject`.
template <PyObject** TypeObject>
struct ExceptionTag {
    static PyObject* type_object() noexcept { return *TypeObject; }
    static int check(PyObject* o) noexcept {
        return PyObject_TypeCheck(o, reinterpret_cast<PyTypeObject*>(*TypeObject));
    }
};
}  // namespace detail

#define PYOWNED_EXCEPTION_TAG(Name, BaseTag)            \
    struct Name : detail::ExceptionTag<&PyExc_##Name> { \
        using Base = BaseTag;                           \
        static constexpr std::string_view name = #Name; \
    }

PYOWNED_EXCEPTION_TAG(BaseException, Any);
PYOWNED_EXCEPTION_TAG(Exception, BaseException);
PYOWNED_EXCEPTION_TAG(KeyboardInterrupt, BaseException);
PYOWNED_EXCEPTION_TAG(ArithmeticError, Exception);
PYOWNED_EXCEPTION_TAG(OverflowError, ArithmeticError);
PYOWNED_EXCEPTION_TAG(ZeroDivisionError, ArithmeticError);
PYOWNED_EXCEPTION_TAG(LookupError, Exception);
PYOWNED_EXCEPTION_TAG(KeyError, LookupError);
PYOWNED_EXCEPTION_TAG(IndexError, LookupError);
PYOWNED_EXCEPTION_TAG(TypeError, Exception);
PYOWNED_EXCEPTION_TAG(ValueError, Exception);
PYOWNED_EXCEPTION_TAG(UnicodeError, ValueError);
PYOWNED_EXCEPTION_TAG(UnicodeEncodeError, UnicodeError);
PYOWNED_EXCEPTION_TAG(UnicodeDecodeError, UnicodeError);
PYOWNED_EXCEPTION_TAG(RuntimeError, Exception);
PYOWNED_EXCEPTION_TAG(NotImplementedError, RuntimeError);
PYOWNED_EXCEPTION_TAG(AttributeError, Exception);
PYOWNED_EXCEPTION_TAG(NameError, Exception);
PYOWNED_EXCEPTION_TAG(ImportError, Exception);
PYOWNED_EXCEPTION_TAG(MemoryError, Exception);
PYOWNED_EXCEPTION_TAG(StopIteration, Exception);
PYOWNED_EXCEPTION_TAG(OSError, Exception);
PYOWNED_EXCEPTION_TAG(SyntaxError, Exception);
PYOWNED_EXCEPTION_TAG(SystemError, Exception);
PYOWNED_EXCEPTION_TAG(BufferError, Exception);

#undef PYOWNED_EXCEPTION_TAG

}  // namespace pyowned
