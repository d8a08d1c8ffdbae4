// Element types of arrays: what pyowned reads from a buffer's format or a DLPack tensor, what
// it writes into them, and how values convert between them when a copy is allowed.
#pragma once
#include "../core/fwd.h"
#include <bit>
#include <complex>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace pyowned::detail {

// An element type: its kind and size in bytes. Byte order is native: a buffer in the other
// order is a mismatch, refused even in the conversion pass (its format named).
enum class DtypeKind : std::uint8_t { none, boolean, signed_int, unsigned_int, floating, complex };
struct Dtype {
    DtypeKind kind = DtypeKind::none;
    std::uint8_t size = 0;
    bool swapped = false;  // stored in the other byte order
    constexpr bool operator==(const Dtype&) const = default;
};

template <class T>
inline constexpr bool is_complex_v = false;
template <class F>
inline constexpr bool is_complex_v<std::complex<F>> = std::is_floating_point_v<F>;

// The element types an array may hold: bool, every fixed-width integer, float, double,
// std::complex<float> and std::complex<double>.
template <class T>
concept ArrayElement =
    std::is_same_v<T, bool> ||
    (std::is_integral_v<T> && !std::is_same_v<T, char> && sizeof(T) <= 8 && !std::is_same_v<T, wchar_t> &&
     !std::is_same_v<T, char8_t> && !std::is_same_v<T, char16_t> && !std::is_same_v<T, char32_t>) ||
    ((std::is_same_v<T, float> || std::is_same_v<T, double>)) ||
    (is_complex_v<T> && sizeof(T) <= 16 && !std::is_same_v<T, std::complex<long double>>);

template <ArrayElement T>
constexpr Dtype dtype_of() {
    using U = std::remove_cv_t<T>;
    if constexpr (std::is_same_v<U, bool>) return {DtypeKind::boolean, 1};
    else if constexpr (std::is_integral_v<U> && std::is_signed_v<U>) return {DtypeKind::signed_int, sizeof(U)};
    else if constexpr (std::is_integral_v<U>) return {DtypeKind::unsigned_int, sizeof(U)};
    else if constexpr (is_complex_v<U>) return {DtypeKind::complex, sizeof(U)};
    else return {DtypeKind::floating, sizeof(U)};
}

// NumPy's name of a dtype ("float64", "complex128", "bool"), for messages.
constexpr std::string_view dtype_name(Dtype d) noexcept {
    switch (d.kind) {
        case DtypeKind::boolean:
            return "bool";
        case DtypeKind::signed_int:
            return d.size == 1   ? "int8"
                   : d.size == 2 ? "int16"
                   : d.size == 4 ? "int32"
                   : d.size == 8 ? "int64"
                                 : "int?";
        case DtypeKind::unsigned_int:
            return d.size == 1   ? "uint8"
                   : d.size == 2 ? "uint16"
                   : d.size == 4 ? "uint32"
                   : d.size == 8 ? "uint64"
                                 : "uint?";
        case DtypeKind::floating:
            return d.size == 2 ? "float16" : d.size == 4 ? "float32" : d.size == 8 ? "float64" : "float?";
        case DtypeKind::complex:
            return d.size == 8 ? "complex64" : d.size == 16 ? "complex128" : "complex?";
        default:
            return "unsupported";
    }
}

// Whether pyowned can read and write elements of `d` (a copy's source or target).
constexpr bool dtype_supported(Dtype d) noexcept {
    if (d.swapped) return false;
    switch (d.kind) {
        case DtypeKind::boolean:
            return d.size == 1;
        case DtypeKind::signed_int:
        case DtypeKind::unsigned_int:
            return d.size == 1 || d.size == 2 || d.size == 4 || d.size == 8;
        case DtypeKind::floating:
            return d.size == 4 || d.size == 8;
        case DtypeKind::complex:
            return d.size == 8 || d.size == 16;
        default:
            return false;
    }
}

// The dtype a buffer's struct-module format describes, with the item size the exporter gave:
// "d", "<f", "=q", "Zd", "?"; none for anything else (structs, pointers, strings).
inline Dtype dtype_of_format(const char* format, Py_ssize_t itemsize) noexcept {
    if (!format) format = "B";
    bool swapped = false;
    constexpr bool little = std::endian::native == std::endian::little;
    switch (*format) {
        case '@':
        case '=':
            ++format;
            break;
        case '<':
            swapped = !little;
            ++format;
            break;
        case '>':
        case '!':
            swapped = little;
            ++format;
            break;
        default:
            break;
    }
    bool complex = false;
    if (*format == 'Z') {
        complex = true;
        ++format;
    }
    if (!*format || format[1]) return {};
    if (itemsize <= 0 || itemsize > 16) return {};
    auto size = static_cast<std::uint8_t>(itemsize);
    DtypeKind kind;
    switch (*format) {
        case '?':
            kind = DtypeKind::boolean;
            break;
        case 'b':
        case 'h':
        case 'i':
        case 'l':
        case 'q':
        case 'n':
            kind = DtypeKind::signed_int;
            break;
        case 'B':
        case 'H':
        case 'I':
        case 'L':
        case 'Q':
        case 'N':
            kind = DtypeKind::unsigned_int;
            break;
        case 'e':
        case 'f':
        case 'd':
            kind = DtypeKind::floating;
            break;
        default:
            return {};
    }
    if (complex) {
        if (kind != DtypeKind::floating) return {};
        kind = DtypeKind::complex;
    }
    return {kind, size, swapped && size > 1};
}

// The struct-module format of a dtype's elements, for buffers pyowned exports.
constexpr const char* format_of(Dtype d) noexcept {
    switch (d.kind) {
        case DtypeKind::boolean:
            return "?";
        case DtypeKind::signed_int:
            return d.size == 1 ? "b" : d.size == 2 ? "h" : d.size == 4 ? "i" : "q";
        case DtypeKind::unsigned_int:
            return d.size == 1 ? "B" : d.size == 2 ? "H" : d.size == 4 ? "I" : "Q";
        case DtypeKind::floating:
            return d.size == 4 ? "f" : "d";
        default:
            return d.size == 8 ? "Zf" : "Zd";
    }
}
template <ArrayElement T>
constexpr const char* format_of() {
    return format_of(dtype_of<T>());
}

// The format character NumPy and the array module give T (its C type's: 'l' for a 64-bit
// long on LP64 systems where format_of says 'q').
template <ArrayElement T>
constexpr char native_format_char() {
    constexpr Dtype d = dtype_of<T>();
    if constexpr ((d.kind == DtypeKind::signed_int || d.kind == DtypeKind::unsigned_int) && d.size == sizeof(long) &&
                  sizeof(long) != sizeof(int))
        return d.kind == DtypeKind::signed_int ? 'l' : 'L';
    else if constexpr (d.kind == DtypeKind::complex) return 'Z';  // never matches a one-character format
    else return format_of<T>()[0];
}

// Whether every value of `from` is a value of `to` (NumPy's "safe" casting): the copies an
// array parameter makes when conversion is allowed. bool goes anywhere; an integer to a wider
// one of a kind that holds it, or to a float or complex with enough mantissa (int64 to
// float64, as NumPy allows); a float to a wider float or a complex; a complex to a wider one.
constexpr bool safe_cast(Dtype from, Dtype to) noexcept {
    if (from == to) return true;
    using K = DtypeKind;
    switch (from.kind) {
        case K::boolean:
            return to.kind != K::none;
        case K::signed_int:
            if (to.kind == K::signed_int) return to.size >= from.size;
            if (to.kind == K::floating) return to.size > from.size || to.size == 8;
            if (to.kind == K::complex) return to.size / 2 > from.size || to.size == 16;
            return false;
        case K::unsigned_int:
            if (to.kind == K::unsigned_int) return to.size >= from.size;
            if (to.kind == K::signed_int) return to.size > from.size;
            if (to.kind == K::floating) return to.size > from.size || to.size == 8;
            if (to.kind == K::complex) return to.size / 2 > from.size || to.size == 16;
            return false;
        case K::floating:
            if (to.kind == K::floating) return to.size >= from.size;
            return to.kind == K::complex && to.size / 2 >= from.size;
        case K::complex:
            return to.kind == K::complex && to.size >= from.size;
        default:
            return false;
    }
}

// One element of dtype `d` at `p` (any alignment), read as T (a safe cast: see safe_cast).
template <class T>
T load_element(const char* p, Dtype d) noexcept {
    auto read = [p]<class S>(S*) {
        S s;
        std::memcpy(&s, p, sizeof s);
        return s;
    };
    auto as = [](auto v) -> T {
        if constexpr (is_complex_v<T>) {
            if constexpr (is_complex_v<decltype(v)>)
                return T(static_cast<typename T::value_type>(v.real()), static_cast<typename T::value_type>(v.imag()));
            else return T(static_cast<typename T::value_type>(v), 0);
        } else if constexpr (is_complex_v<decltype(v)>) {
            return static_cast<T>(v.real());  // not reached: complex never casts to a real safely
        } else {
            return static_cast<T>(v);
        }
    };
    switch (d.kind) {
        case DtypeKind::boolean:
            return as(read(static_cast<std::uint8_t*>(nullptr)) != 0);  // any nonzero byte is true
        case DtypeKind::signed_int:
            switch (d.size) {
                case 1:
                    return as(read(static_cast<std::int8_t*>(nullptr)));
                case 2:
                    return as(read(static_cast<std::int16_t*>(nullptr)));
                case 4:
                    return as(read(static_cast<std::int32_t*>(nullptr)));
                default:
                    return as(read(static_cast<std::int64_t*>(nullptr)));
            }
        case DtypeKind::unsigned_int:
            switch (d.size) {
                case 1:
                    return as(read(static_cast<std::uint8_t*>(nullptr)));
                case 2:
                    return as(read(static_cast<std::uint16_t*>(nullptr)));
                case 4:
                    return as(read(static_cast<std::uint32_t*>(nullptr)));
                default:
                    return as(read(static_cast<std::uint64_t*>(nullptr)));
            }
        case DtypeKind::floating:
            if (d.size == 4) return as(read(static_cast<float*>(nullptr)));
            return as(read(static_cast<double*>(nullptr)));
        default:
            if (d.size == 8) return as(read(static_cast<std::complex<float>*>(nullptr)));
            return as(read(static_cast<std::complex<double>*>(nullptr)));
    }
}

}  // namespace pyowned::detail
