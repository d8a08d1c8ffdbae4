// py::Error: a Python exception carried through C++; py::raise and the lazily made errors.
#pragma once
#include "../types/any.h"
#include "../detail/compat.h"
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace pyowned::detail {
// The Python type py::register_exception made for the C++ exception type E in this run
// (core/exception_type.h), or null.
template <class E>
struct RegisteredException {
    static inline RunPointer<PyObject> type;
};
}  // namespace pyowned::detail

namespace pyowned {

struct BaseException;
struct Type;

// A Python exception in C++. Copyable and movable without a token; what() needs no
// attachment. Made lazily (a type and a message, no Python object) by Error::of and
// py::raise, so raising from C++ costs no Python allocation until Python sees it.
class Error : public std::exception {
public:
    // Takes the exception currently set in this thread (a SystemError if none is set).
    [[nodiscard]] static Error fetch(Python) noexcept {
        if (PyObject* exc = detail::compat::get_raised_exception()) return Error(exc);
        return Error(PyExc_SystemError, false, "error return without exception set");
    }

    // An exception of the tag's type with a message, made without a token.
    template <class E>
    [[nodiscard]] static Error of(std::string message) noexcept {
        return Error(E::type_object(), false, std::move(message));
    }

    // An exception of any exception type with a message.
    [[nodiscard]] static Error of(Borrowed<Type> type, std::string message);

    // An error holding the given exception instance.
    [[nodiscard]] static Error from_value(Borrowed<BaseException> value) noexcept;

    Error(const Error& other) : Error(other.copy_refs()) {}
    Error(Error&& other) noexcept
        : value_(other.value_.exchange(nullptr, std::memory_order_relaxed)),
          lazy_type_(std::exchange(other.lazy_type_, nullptr)),
          owns_type_(other.owns_type_),
          run_(other.run_),
          message_(std::move(other.message_)) {}
    Error& operator=(Error other) noexcept {
        swap(other);
        return *this;
    }
    ~Error() override;

    void swap(Error& other) noexcept {
        PyObject* v = value_.load(std::memory_order_relaxed);
        value_.store(other.value_.load(std::memory_order_relaxed), std::memory_order_relaxed);
        other.value_.store(v, std::memory_order_relaxed);
        std::swap(lazy_type_, other.lazy_type_);
        std::swap(owns_type_, other.owns_type_);
        std::swap(run_, other.run_);
        std::swap(message_, other.message_);
        std::swap(what_, other.what_);
        bool ready = what_ready_.load(std::memory_order_relaxed);
        what_ready_.store(other.what_ready_.load(std::memory_order_relaxed), std::memory_order_relaxed);
        other.what_ready_.store(ready, std::memory_order_relaxed);
    }

    // "KeyError: 'x'", as the last line of a Python traceback reads. Attaches if needed.
    [[nodiscard]] const char* what() const noexcept override;

    // Whether the exception is an instance of the tag's type (or of a subclass); for a C++
    // exception type given to py::register_exception, of the Python type registered for it.
    template <class E>
    [[nodiscard]] bool matches(Python) const noexcept {
        if constexpr (requires { E::type_object(); }) {
            return PyErr_GivenExceptionMatches(type_ptr(), E::type_object());
        } else {
            PyObject* registered = detail::RegisteredException<E>::type.get();
            return registered && PyErr_GivenExceptionMatches(type_ptr(), registered);
        }
    }
    // Whether the exception matches `type` (an exception type or a tuple of them).
    [[nodiscard]] bool matches(Python, Borrowed<Any> type) const noexcept;

    // The exception object (made now if the error was lazy).
    [[nodiscard]] Owned<BaseException> value(Python py) const;
    // The exception's type.
    [[nodiscard]] Owned<Type> type(Python py) const;

    // Sets the exception as this thread's current Python exception, giving it away.
    void restore(Python py) && noexcept;

    // Where it was raised: the exception's traceback object, or nullopt for an error made in
    // C++ (Error::of, py::raise) that Python has not seen raised.
    [[nodiscard]] std::optional<Owned<Any>> traceback(Python py) const;
    // The whole report Python prints for it, as traceback.format_exception gives it: the
    // traceback, chained causes and contexts, and the last line what() gives; ends in "\n".
    [[nodiscard]] std::string format(Python py) const;
    // Prints that report to sys.stderr, as the interpreter prints an uncaught exception.
    void print(Python py) const;

    // Throws this error with `cause` as its __cause__ (Python's `raise e from cause`).
    [[noreturn]] void raise_from(Python py, const Error& cause) const;
    [[noreturn]] void raise_from(Python py, Borrowed<BaseException> cause) const;

private:
    explicit Error(PyObject* value) noexcept : value_(value) {}
    Error(PyObject* type, bool owns_type, std::string message) noexcept
        : lazy_type_(type), owns_type_(owns_type), message_(std::move(message)) {}

    Error copy_refs() const;
    // Whether the error holds Python objects of an interpreter run that has ended (freed).
    bool holds_ended_run() const noexcept {
        return (value_.load(std::memory_order_relaxed) || owns_type_) && run_ != detail::current_run();
    }
    PyObject* type_ptr() const noexcept {
        if (holds_ended_run()) return nullptr;
        PyObject* v = value_.load(std::memory_order_acquire);
        return v ? reinterpret_cast<PyObject*>(Py_TYPE(v)) : lazy_type_;
    }
    PyObject* normalized(Python) const noexcept;  // the instance, or nullptr with an error set
    std::string describe() const;

    mutable std::atomic<PyObject*> value_{nullptr};  // strong; null while lazy
    PyObject* lazy_type_ = nullptr;                  // the type while lazy
    bool owns_type_ = false;                         // lazy_type_ is a strong reference
    std::uint64_t run_ = detail::current_run();      // the interpreter run of those references
    std::string message_;                            // the message while lazy
    mutable std::string what_;
    mutable std::atomic<bool> what_ready_{false};
};

// Throws the tag's exception type with a message.
template <class E>
[[noreturn]] inline void raise(std::string message) {
    throw Error::of<E>(std::move(message));
}

// Throws an exception of any exception type with a message.
[[noreturn]] inline void raise(Borrowed<Type> type, std::string message) { throw Error::of(type, std::move(message)); }

namespace detail {

// Throws the current Python exception. Kept out of line: it is every operation's failure path.
[[noreturn]] PYOWNED_CORE_COLD PYOWNED_CORE void throw_fetched();

// A new strong reference `p` as the handle H (an Owned<T>), or throw the current Python
// error when p is null.
template <class H>
PYOWNED_INLINE H steal_or_throw(PyObject* p) {
    if (PYOWNED_UNLIKELY(!p)) throw_fetched();
    return H::from_owned_ptr(token(), p);
}

// Throws the current error when a C API call that returns -1 on failure failed.
PYOWNED_INLINE void check_status(int status) {
    if (PYOWNED_UNLIKELY(status < 0)) throw_fetched();
}

// An empty py::Py (moved from, or cleared by tp_clear) used where an object is needed.
template <class>
[[noreturn]] PYOWNED_COLD void throw_empty_py() {
    throw Error::of<ValueError>("pyowned: this py::Py is empty (moved from, or cleared to break a reference cycle)");
}

// Throws TypeError: 'list' object cannot be converted to 'dict'.
[[noreturn]] PYOWNED_CORE_COLD PYOWNED_CORE void throw_cannot_convert(PyObject* obj, std::string_view to);

// An extract that found no value: the Python exception the conversion set, else
// throw_cannot_convert's TypeError. One out-of-line call, so that extract's inline path is
// the conversion alone.
[[noreturn]] PYOWNED_CORE_COLD PYOWNED_CORE void throw_extract_failed(PyObject* obj, std::string_view to);

// Sets `message` (UTF-8; undecodable bytes replaced) as an exception of `type`.
PYOWNED_CORE_COLD PYOWNED_CORE void set_error(PyObject* type, std::string_view message) noexcept;

// Whether an exception (a type or an instance) must end any search for a conversion: the
// user's interrupt and exit requests (every BaseException that is not an Exception), and
// the interpreter running out of memory or stack. Overload resolution and try_extract let
// other errors (TypeError, OverflowError, ...) mean "not this one" and propagate these.
PYOWNED_CORE_COLD PYOWNED_CORE bool must_propagate(PyObject* exc) noexcept;

// A try_extract that found no value: the error the conversion set is cleared, unless it is
// one that must reach the caller (KeyboardInterrupt, MemoryError, ...), which is thrown.
PYOWNED_CORE_COLD PYOWNED_CORE void clear_conversion_error();

PYOWNED_CORE std::mutex& what_mutex();

}  // namespace detail

inline PyObject* Error::normalized(Python) const noexcept {
    if (PYOWNED_UNLIKELY(holds_ended_run())) {
        PyErr_SetString(PyExc_SystemError, "a py::Error of a Python interpreter run that has ended");
        return nullptr;
    }
    if (PyObject* v = value_.load(std::memory_order_acquire)) return v;
    PyObject* text = PyUnicode_DecodeUTF8(message_.data(), static_cast<Py_ssize_t>(message_.size()), "replace");
    if (!text) return nullptr;
    PyObject* made = detail::api::call_one(lazy_type_, text);
    Py_DECREF(text);
    if (!made) return nullptr;
    if (!PyExceptionInstance_Check(made)) {
        Py_DECREF(made);
        PyErr_Format(PyExc_TypeError, "calling %R should have returned an instance of BaseException", lazy_type_);
        return nullptr;
    }
    PyObject* expected = nullptr;
    if (value_.compare_exchange_strong(expected, made, std::memory_order_acq_rel)) return made;
    Py_DECREF(made);  // another thread normalized first
    return expected;
}

inline void Error::restore(Python py) && noexcept {
    if (PYOWNED_UNLIKELY(holds_ended_run())) {  // its objects are gone: forget them
        value_.store(nullptr, std::memory_order_relaxed);
        owns_type_ = false;
        lazy_type_ = nullptr;
        PyErr_SetString(PyExc_SystemError, "a py::Error of a Python interpreter run that has ended was raised");
        return;
    }
    if (PyObject* v = value_.exchange(nullptr, std::memory_order_acq_rel)) {
        detail::compat::set_raised_exception(v);  // steals
    } else {
        (void)py;
        detail::set_error(lazy_type_ ? lazy_type_ : PyExc_SystemError, message_);
    }
}

inline Error Error::from_value(Borrowed<BaseException> value) noexcept { return Error(Py_NewRef(value.ptr())); }

inline bool Error::matches(Python, Borrowed<Any> type) const noexcept {
    return PyErr_GivenExceptionMatches(type_ptr(), type.ptr());
}

inline Owned<BaseException> Error::value(Python py) const {
    PyObject* v = normalized(py);
    if (!v) detail::throw_fetched();
    return Owned<BaseException>::from_borrowed_ptr(py, v);
}

inline Owned<Type> Error::type(Python py) const { return Owned<Type>::from_borrowed_ptr(py, type_ptr()); }

inline void Error::raise_from(Python py, Borrowed<BaseException> cause) const {
    Owned<BaseException> v = value(py);
    PyException_SetCause(v.ptr(), Py_NewRef(cause.ptr()));  // steals the new reference
    throw Error(std::move(v).into_ptr());
}

inline void Error::raise_from(Python py, const Error& cause) const { raise_from(py, cause.value(py)); }

inline std::optional<Owned<Any>> Error::traceback(Python py) const {
    Owned<BaseException> v = value(py);
    PyObject* tb = PyException_GetTraceback(v.ptr());  // a new reference, or nullptr (none set)
    if (!tb) return std::nullopt;
    return Owned<Any>::from_owned_ptr(py, tb);
}

}  // namespace pyowned

// The shared code, compiled once in the core or inline (PYOWNED_CORE in detail/config.h).
#if PYOWNED_CORE_DEFINITIONS
namespace pyowned::detail {

[[noreturn]] PYOWNED_CORE_COLD PYOWNED_CORE void throw_cannot_convert(PyObject* obj, std::string_view to) {
    throw Error::of<TypeError>("'" + std::string(detail::api::type_name_of(obj).c_str()) +
                               "' object cannot be converted to '" + std::string(to) + "'");
}

[[noreturn]] PYOWNED_CORE_COLD PYOWNED_CORE void throw_extract_failed(PyObject* obj, std::string_view to) {
    if (PyErr_Occurred()) throw_fetched();
    throw_cannot_convert(obj, to);
}

PYOWNED_CORE_COLD PYOWNED_CORE void set_error(PyObject* type, std::string_view message) noexcept {
    PyObject* text = PyUnicode_DecodeUTF8(message.data(), static_cast<Py_ssize_t>(message.size()), "replace");
    if (!text) return;  // MemoryError is set instead
    PyErr_SetObject(type, text);
    Py_DECREF(text);
}

PYOWNED_CORE_COLD PYOWNED_CORE bool must_propagate(PyObject* exc) noexcept {
    return !PyErr_GivenExceptionMatches(exc, PyExc_Exception) || PyErr_GivenExceptionMatches(exc, PyExc_MemoryError) ||
           PyErr_GivenExceptionMatches(exc, PyExc_RecursionError);
}

PYOWNED_CORE_COLD PYOWNED_CORE void clear_conversion_error() {
    PyObject* error = PyErr_Occurred();
    if (!error) return;
    if (must_propagate(error)) throw_fetched();
    PyErr_Clear();
}

PYOWNED_CORE std::mutex& what_mutex() {
    static std::mutex m;
    return m;
}

}  // namespace pyowned::detail

namespace pyowned {

PYOWNED_CORE Error::~Error() {
    if (PyObject* v = value_.load(std::memory_order_relaxed)) detail::release_anywhere(v, run_);
    if (owns_type_ && lazy_type_) detail::release_anywhere(lazy_type_, run_);
}

PYOWNED_CORE Error Error::copy_refs() const {
    // Copying needs increfs; attach briefly if this thread is not attached.
    Error copy(nullptr);
    copy.lazy_type_ = lazy_type_;
    copy.owns_type_ = owns_type_;
    copy.message_ = message_;
    PyObject* v = value_.load(std::memory_order_acquire);
    if (holds_ended_run()) {  // never touched again, so shared without references
        copy.value_.store(v, std::memory_order_relaxed);
        copy.run_ = run_;
    } else if ((v || owns_type_) && Py_IsInitialized()) {
        PyGILState_STATE state = PyGILState_Ensure();
        if (v) copy.value_.store(Py_NewRef(v), std::memory_order_relaxed);
        if (owns_type_) Py_XINCREF(lazy_type_);
        PyGILState_Release(state);
    } else if (v || owns_type_) {
        copy.lazy_type_ = nullptr;  // the interpreter is gone: nothing to reference
        copy.owns_type_ = false;
    }
    return copy;
}

PYOWNED_CORE_COLD PYOWNED_CORE std::string Error::describe() const {
    PyObject* type = type_ptr();  // nullptr once the run of its objects has ended
    if (!Py_IsInitialized() || !type) {
        std::string name = type                ? detail::api::type_name(reinterpret_cast<PyTypeObject*>(type)).c_str()
                           : holds_ended_run() ? "Exception (of a Python interpreter run that has ended)"
                                               : "Exception";
        return message_.empty() ? name : name + ": " + message_;
    }
    PyGILState_STATE state = PyGILState_Ensure();
    std::string out;
    PyObject* saved = detail::compat::get_raised_exception();  // keep any pending error intact
    PyObject* value = normalized(detail::token());
    auto utf8 = [](PyObject* s) -> std::string {
        std::string text;
        // a lone surrogate (in a message naming a str's content) as \udc80, not a blank
        PyObject* bytes =
            (s && PyUnicode_Check(s)) ? PyUnicode_AsEncodedString(s, "utf-8", "backslashreplace") : nullptr;
        if (bytes) text.assign(detail::api::bytes_data(bytes), static_cast<size_t>(detail::api::bytes_size(bytes)));
        Py_XDECREF(bytes);
        Py_XDECREF(s);
        PyErr_Clear();  // describing must neither fail nor leave an error behind
        return text;
    };
    std::string mod, qual, str;
    if (value) {
        mod = utf8(PyObject_GetAttrString(type, "__module__"));
        qual = utf8(PyObject_GetAttrString(type, "__qualname__"));
        str = utf8(PyObject_Str(value));
    } else {
        str = message_;
        PyErr_Clear();
    }
    if (qual.empty()) qual = detail::api::type_name(reinterpret_cast<PyTypeObject*>(type)).c_str();
    if (saved) detail::compat::set_raised_exception(saved);
    PyGILState_Release(state);
    out = (mod.empty() || mod == "builtins" || mod == "__main__") ? qual : mod + "." + qual;
    if (!str.empty()) out += ": " + str;
    return out;
}

PYOWNED_CORE const char* Error::what() const noexcept {
    if (!what_ready_.load(std::memory_order_acquire)) {
        try {
            std::string text = describe();
            std::lock_guard<std::mutex> lock(detail::what_mutex());
            if (!what_ready_.load(std::memory_order_relaxed)) {
                what_ = std::move(text);
                what_ready_.store(true, std::memory_order_release);
            }
        } catch (...) {
            return "pyowned::Error (out of memory while describing it)";
        }
    }
    return what_.c_str();
}

PYOWNED_CORE Error Error::of(Borrowed<Type> type, std::string message) {
    if (!PyExceptionClass_Check(type.ptr()))
        return Error::of<TypeError>(
            "exceptions must derive from BaseException, not " +
            std::string(detail::api::type_name(reinterpret_cast<PyTypeObject*>(type.ptr())).c_str()));
    return Error(Py_NewRef(type.ptr()), true, std::move(message));
}

PYOWNED_CORE_COLD PYOWNED_CORE std::string Error::format(Python py) const {
    Owned<BaseException> v = value(py);
    // format_exception(exc) with the exception alone: 3.10 and later
    PyObject* module = PyImport_ImportModule("traceback");
    if (!module) detail::throw_fetched();
    PyObject* lines = PyObject_CallMethod(module, "format_exception", "O", v.ptr());
    Py_DECREF(module);
    if (!lines) detail::throw_fetched();
    PyObject* empty = PyUnicode_FromStringAndSize(nullptr, 0);
    PyObject* text = empty ? PyUnicode_Join(empty, lines) : nullptr;
    Py_XDECREF(empty);
    Py_DECREF(lines);
    if (!text) detail::throw_fetched();
    // UTF-8, a lone surrogate in a message written as \udc80 rather than failing the report
    PyObject* bytes = PyUnicode_AsEncodedString(text, "utf-8", "backslashreplace");
    Py_DECREF(text);
    if (!bytes) detail::throw_fetched();
    std::string out(detail::api::bytes_data(bytes), static_cast<std::size_t>(detail::api::bytes_size(bytes)));
    Py_DECREF(bytes);
    return out;
}

PYOWNED_CORE_COLD PYOWNED_CORE void Error::print(Python py) const {
    Owned<BaseException> v = value(py);
    detail::compat::display_exception(v.ptr());
}

}  // namespace pyowned
namespace pyowned::detail {

[[noreturn]] PYOWNED_CORE_COLD PYOWNED_CORE void throw_fetched() { throw Error::fetch(token()); }

}  // namespace pyowned::detail
#endif  // PYOWNED_CORE_DEFINITIONS
