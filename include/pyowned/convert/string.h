// String conversions: std::string and std::string_view from str; strings and C strings into str.
#pragma once
#include "../types/str.h"
#include <string>
#include <string_view>

namespace pyowned {

// str only (never bytes); embedded NULs are kept.
template <>
struct FromPython<std::string> {
    static constexpr std::string_view name = "str";
    PYOWNED_INLINE static std::optional<std::string> from_python(Borrowed<Any> obj, bool /*convert*/) noexcept {
        if (!PyUnicode_Check(obj.ptr())) return std::nullopt;
        auto view = detail::utf8_view(obj.ptr());
        if (!view) return std::nullopt;
        return std::string(*view);
    }
};

// A view of the str's own UTF-8, no copy: valid while the str lives (for a bound
// function's parameter, the whole call).
template <>
struct FromPython<std::string_view> {
    static constexpr std::string_view name = "str";
    static constexpr Views views = Views::object;
    PYOWNED_INLINE static std::optional<std::string_view> from_python(Borrowed<Any> obj, bool /*convert*/) noexcept {
        if (!PyUnicode_Check(obj.ptr())) return std::nullopt;
        return detail::utf8_view(obj.ptr());
    }
};

// Text must be valid UTF-8 (UnicodeDecodeError otherwise).
template <>
struct IntoPython<std::string> {
    static Owned<Str> into_python(Python, std::string_view text) { return detail::str_from_utf8(text); }
};
template <>
struct IntoPython<std::string_view> : IntoPython<std::string> {};

// A null pointer becomes None.
template <>
struct IntoPython<const char*> {
    static Owned<Any> into_python(Python py, const char* text) {
        if (!text) return Owned<Any>::from_borrowed_ptr(py, Py_None);
        return detail::str_from_utf8(text);
    }
};
template <>
struct IntoPython<char*> : IntoPython<const char*> {};
template <std::size_t N>
struct IntoPython<char[N]> {
    static Owned<Str> into_python(Python, const char (&text)[N]) {
        return detail::str_from_utf8(std::string_view(text));  // up to the first NUL, as a C string
    }
};

}  // namespace pyowned
