// str: constructor and zero-copy UTF-8 access.
#pragma once
#include "../types/any_impl.h"
#include <string>
#include <string_view>

namespace pyowned {

namespace detail {

// The UTF-8 of a str, cached by CPython in the str itself (so the view lives as long as the
// str). A lone surrogate cannot be UTF-8: UnicodeEncodeError, nullopt.
PYOWNED_INLINE std::optional<std::string_view> utf8_view(PyObject* str) noexcept {
    Py_ssize_t size;
    const char* data = PyUnicode_AsUTF8AndSize(str, &size);
    if (PYOWNED_UNLIKELY(!data)) return std::nullopt;
    return std::string_view(data, static_cast<std::size_t>(size));
}

template <class Self>
struct Methods<Str, Self> : Methods<Any, Self> {
    PYOWNED_HANDLE_ALIASES;

    // The UTF-8 text, no copy; valid while the str lives. A lone surrogate cannot be
    // UTF-8: UnicodeEncodeError. Unavailable on a temporary Owned, whose view would dangle.
    [[nodiscard]] std::string_view to_string_view() const& PYOWNED_LIFETIMEBOUND { return view(); }
    std::string_view to_string_view() const&&
        requires is_owned_v<Self>
    = delete;
    [[nodiscard]] std::string_view to_string_view() const&&
        requires(!is_owned_v<Self>)
    {
        return view();
    }

    // A copy of the UTF-8 text.
    [[nodiscard]] std::string to_string() const { return std::string(view()); }

private:
    std::string_view view() const {
        auto v = utf8_view(this->ptr());
        if (PYOWNED_UNLIKELY(!v)) throw_fetched();
        return *v;
    }
};

// A new str from UTF-8 text (UnicodeDecodeError when it is not valid UTF-8).
inline Owned<Str> str_from_utf8(std::string_view text) {
    return steal_or_throw<Owned<Str>>(
        PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "strict"));
}

}  // namespace detail

inline Owned<Str> Str::from(Python, std::string_view utf8) { return detail::str_from_utf8(utf8); }

inline Owned<Str> Str::from_object(Borrowed<Any> x) { return x.str(); }

// A name as an interned str: made once per C string and kept (string literals, mostly).
[[nodiscard]] inline Owned<Str> intern(Python py, const char* name) {
    detail::NameRef ref = detail::intern_table.get(name);
    if (!ref.get()) detail::throw_fetched();
    return Owned<Str>::from_borrowed_ptr(py, ref.get());
}

}  // namespace pyowned
