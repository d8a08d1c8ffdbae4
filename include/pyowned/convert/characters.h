// Characters and the wide strings: char, char16_t, char32_t and wchar_t as a str of one
// character; std::u16string, std::u32string and std::wstring (and, into Python, their views)
// as str, encoded as UTF-16 or UTF-32; std::nullptr_t as None.
#pragma once
#include "../types/str.h"
#include <bit>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace pyowned {

namespace detail {

// The code units of one of the wide character types, and the codec CPython names for them
// (native byte order, no byte-order mark).
template <class C>
inline constexpr const char* wide_codec =
    sizeof(C) == 2 ? (std::endian::native == std::endian::little ? "utf-16-le" : "utf-16-be")
                   : (std::endian::native == std::endian::little ? "utf-32-le" : "utf-32-be");

// The str `o` as code units of C (UTF-16 or UTF-32): false with UnicodeEncodeError set for
// a lone surrogate, which no valid UTF-16 or UTF-32 string holds.
template <class C>
bool wide_from_str(PyObject* o, std::basic_string<C>& out) noexcept {
    PyObject* bytes = PyUnicode_AsEncodedString(o, wide_codec<C>, "strict");
    if (!bytes) return false;
    const auto size = static_cast<std::size_t>(detail::api::bytes_size(bytes)) / sizeof(C);
    try {
        out.resize(size);
    } catch (...) {
        Py_DECREF(bytes);
        PyErr_NoMemory();
        return false;
    }
    std::memcpy(out.data(), detail::api::bytes_data(bytes), size * sizeof(C));
    Py_DECREF(bytes);
    return true;
}

// A new str from UTF-16 or UTF-32 code units (UnicodeDecodeError for an invalid sequence:
// a lone surrogate, a code point past U+10FFFF).
template <class C>
Owned<Str> str_from_wide(std::basic_string_view<C> text) {
    const char* data = reinterpret_cast<const char*>(text.data());
    const auto size = static_cast<Py_ssize_t>(text.size() * sizeof(C));
    // byte order given, so a leading U+FEFF is kept as a character, not taken for a BOM
    int order = std::endian::native == std::endian::little ? -1 : 1;
    PyObject* s = sizeof(C) == 2 ? PyUnicode_DecodeUTF16(data, size, "strict", &order)
                                 : PyUnicode_DecodeUTF32(data, size, "strict", &order);
    return steal_or_throw<Owned<Str>>(s);
}

// The one character of a str, for a character parameter: nullopt with no error for what is
// not a str, with ValueError set for a str of another length.
inline std::optional<Py_UCS4> single_character(PyObject* o, const char* type) noexcept {
    if (!PyUnicode_Check(o)) return std::nullopt;
    const Py_ssize_t n = PyUnicode_GetLength(o);
    if (n != 1) {
        PyErr_Format(PyExc_ValueError, "expected a str of one character for %s, got a str of length %zd", type, n);
        return std::nullopt;
    }
    return PyUnicode_ReadChar(o, 0);
}

template <class C>
struct WideCharacter {
    static std::optional<C> from_python(Borrowed<Any> obj) noexcept {
        constexpr const char* type = std::is_same_v<C, char16_t>   ? "char16_t"
                                     : std::is_same_v<C, char32_t> ? "char32_t"
                                                                   : "wchar_t";
        if (!single_character(obj.ptr(), type)) return std::nullopt;
        std::basic_string<C> units;
        if (!wide_from_str(obj.ptr(), units)) return std::nullopt;  // a lone surrogate
        if (units.size() != 1) {  // a character past U+FFFF in UTF-16: a surrogate pair
            PyErr_Format(PyExc_ValueError, "%R does not fit in one %s (it takes a surrogate pair); use char32_t",
                         obj.ptr(), type);
            return std::nullopt;
        }
        return units[0];
    }
    static Owned<Str> into_python(Python, C c) { return str_from_wide(std::basic_string_view<C>(&c, 1)); }
};

template <class C>
struct WideString {
    static constexpr std::string_view name = "str";  // both ways: a view is only ever returned
    static std::optional<std::basic_string<C>> from_python(Borrowed<Any> obj) noexcept {
        if (!PyUnicode_Check(obj.ptr())) return std::nullopt;
        std::basic_string<C> out;
        if (!wide_from_str(obj.ptr(), out)) return std::nullopt;
        return out;
    }
    static Owned<Str> into_python(Python, std::basic_string_view<C> text) { return str_from_wide(text); }
};

}  // namespace detail

// char: a str of one ASCII character (a char is one UTF-8 code unit; a longer UTF-8
// sequence does not fit: ValueError, naming char32_t). Into Python: a str of that character
// (UnicodeDecodeError for a byte that is not ASCII alone).
template <>
struct FromPython<char> {
    static constexpr std::string_view name = "str";
    static std::optional<char> from_python(Borrowed<Any> obj) noexcept {
        auto c = detail::single_character(obj.ptr(), "char");
        if (!c) return std::nullopt;
        if (*c >= 0x80) {
            PyErr_Format(PyExc_ValueError, "%R is not an ASCII character and does not fit in a char; use char32_t",
                         obj.ptr());
            return std::nullopt;
        }
        return static_cast<char>(*c);
    }
};
template <>
struct IntoPython<char> {
    static Owned<Str> into_python(Python, char c) { return detail::str_from_utf8(std::string_view(&c, 1)); }
};

template <>
struct FromPython<char16_t> : detail::WideCharacter<char16_t> {
    static constexpr std::string_view name = "str";
};
template <>
struct IntoPython<char16_t> : detail::WideCharacter<char16_t> {};
template <>
struct FromPython<char32_t> : detail::WideCharacter<char32_t> {
    static constexpr std::string_view name = "str";
};
template <>
struct IntoPython<char32_t> : detail::WideCharacter<char32_t> {};
template <>
struct FromPython<wchar_t> : detail::WideCharacter<wchar_t> {
    static constexpr std::string_view name = "str";
};
template <>
struct IntoPython<wchar_t> : detail::WideCharacter<wchar_t> {};

// The wide strings: from a str only (UnicodeEncodeError for a lone surrogate); into a str.
#define PYOWNED_WIDE_STRING(C)                                          \
    template <>                                                         \
    struct FromPython<std::basic_string<C>> : detail::WideString<C> {}; \
    template <>                                                         \
    struct IntoPython<std::basic_string<C>> : detail::WideString<C> {}; \
    template <>                                                         \
    struct IntoPython<std::basic_string_view<C>> : detail::WideString<C> {};
PYOWNED_WIDE_STRING(char16_t)
PYOWNED_WIDE_STRING(char32_t)
PYOWNED_WIDE_STRING(wchar_t)
#undef PYOWNED_WIDE_STRING

// nullptr: None, both ways.
template <>
struct FromPython<std::nullptr_t> {
    static constexpr std::string_view name = "None";
    static std::optional<std::nullptr_t> from_python(Borrowed<Any> obj) noexcept {
        if (!obj.is_none()) return std::nullopt;
        return nullptr;
    }
};
template <>
struct IntoPython<std::nullptr_t> {
    static Owned<Any> into_python(Python py, std::nullptr_t) { return Owned<Any>::from_borrowed_ptr(py, Py_None); }
};

}  // namespace pyowned
