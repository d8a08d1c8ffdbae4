// The type tags: which Python type a handle refers to, how to check it, and its supertype.
#pragma once
#include "../core/fwd.h"
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
};

struct Int {
    using Base = Any;
    static constexpr std::string_view name = "int";
    static int check(PyObject* o) noexcept { return PyLong_Check(o); }
};

struct Bool {
    using Base = Int;
    static constexpr std::string_view name = "bool";
    static int check(PyObject* o) noexcept { return PyBool_Check(o); }
};

struct Float {
    using Base = Any;
    static constexpr std::string_view name = "float";
    static int check(PyObject* o) noexcept { return PyFloat_Check(o); }
};

struct Complex {
    using Base = Any;
    static constexpr std::string_view name = "complex";
    static int check(PyObject* o) noexcept { return PyComplex_Check(o); }
};

struct Str {
    using Base = Any;
    static constexpr std::string_view name = "str";
    static int check(PyObject* o) noexcept { return PyUnicode_Check(o); }
};

struct Bytes {
    using Base = Any;
    static constexpr std::string_view name = "bytes";
    static int check(PyObject* o) noexcept { return PyBytes_Check(o); }
};

struct ByteArray {
    using Base = Any;
    static constexpr std::string_view name = "bytearray";
    static int check(PyObject* o) noexcept { return PyByteArray_Check(o); }
};

namespace detail {
// isinstance(o, collections.abc.<name>) with the ABC looked up once per interpreter.
int check_abc(PyObject* o, int which) noexcept;
}

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
};

struct List {
    using Base = Sequence;
    static constexpr std::string_view name = "list";
    static int check(PyObject* o) noexcept { return PyList_Check(o); }
};

struct Dict {
    using Base = Mapping;
    static constexpr std::string_view name = "dict";
    static int check(PyObject* o) noexcept { return PyDict_Check(o); }
};

struct Set {
    using Base = Any;
    static constexpr std::string_view name = "set";
    static int check(PyObject* o) noexcept { return PySet_Check(o); }
};

struct FrozenSet {
    using Base = Any;
    static constexpr std::string_view name = "frozenset";
    static int check(PyObject* o) noexcept { return PyFrozenSet_Check(o); }
};

struct Slice {
    using Base = Any;
    static constexpr std::string_view name = "slice";
    static int check(PyObject* o) noexcept { return PySlice_Check(o); }
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

#define PYOWNED_EXCEPTION_TAG(Name, BaseTag)                            \
    struct Name : detail::ExceptionTag<&PyExc_##Name> {                 \
        using Base = BaseTag;                                           \
        static constexpr std::string_view name = #Name;                 \
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

#undef PYOWNED_EXCEPTION_TAG

}  // namespace pyowned
