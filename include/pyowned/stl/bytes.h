// Bytes as std::byte: std::vector<std::byte> and std::array<std::byte, N> as bytes (not a list
// of ints), and std::span<const std::byte>, a view of a bytes object's contents.
#pragma once
#include "common.h"
#include "../detail/compat.h"
#include <array>
#include <cstddef>
#include <cstring>
#include <span>
#include <vector>

namespace pyowned {

namespace detail {
// The contents of a bytes or bytearray object, or nullopt (no error) for anything else.
// Valid while the object lives and, for a bytearray, is not resized.
inline std::optional<std::span<const std::byte>> byte_contents(PyObject* o) noexcept {
    if (PyBytes_Check(o))
        return std::span<const std::byte>(reinterpret_cast<const std::byte*>(detail::api::bytes_data(o)),
                                          static_cast<std::size_t>(detail::api::bytes_size(o)));
    if (PyByteArray_Check(o))
        return std::span<const std::byte>(reinterpret_cast<const std::byte*>(detail::api::bytearray_data(o)),
                                          static_cast<std::size_t>(detail::api::bytearray_size(o)));
    return std::nullopt;
}
}  // namespace detail

// A copy of a bytes or bytearray object's contents.
template <>
struct FromPython<std::vector<std::byte>> {
    static constexpr std::string_view name = "bytes";
    static std::optional<std::vector<std::byte>> from_python(Borrowed<Any> obj) {
        std::optional<std::vector<std::byte>> out;
        // a bytearray's own lock while copying (free-threaded builds: another thread may resize it)
        Py_BEGIN_CRITICAL_SECTION(obj.ptr());
        if (auto bytes = detail::byte_contents(obj.ptr())) out.emplace(bytes->begin(), bytes->end());
        Py_END_CRITICAL_SECTION();
        return out;
    }
};

// Exactly N bytes: a bytes or bytearray of another length is a ValueError.
template <std::size_t N>
struct FromPython<std::array<std::byte, N>> {
    static constexpr std::string_view name = "bytes";
    static std::optional<std::array<std::byte, N>> from_python(Borrowed<Any> obj) noexcept {
        std::optional<std::array<std::byte, N>> out;
        std::size_t size = 0;
        bool found = false;
        Py_BEGIN_CRITICAL_SECTION(obj.ptr());  // as above
        if (auto bytes = detail::byte_contents(obj.ptr())) {
            found = true;
            size = bytes->size();
            if (size == N) {
                out.emplace();
                std::memcpy(out->data(), bytes->data(), N);
            }
        }
        Py_END_CRITICAL_SECTION();
        if (found && !out) PyErr_Format(PyExc_ValueError, "expected %zu bytes, got %zu", N, size);
        return out;
    }
};

// A view of a bytes object's contents, no copy: valid while the bytes lives (for a bound
// function's parameter, the whole call). Only bytes, which cannot change; a bytearray could
// be resized under the view (take std::vector<std::byte> for a copy of one).
template <>
struct FromPython<std::span<const std::byte>> {
    static constexpr std::string_view name = "bytes";
    static constexpr Views views = Views::object;
    static std::optional<std::span<const std::byte>> from_python(Borrowed<Any> obj) noexcept {
        if (!PyBytes_Check(obj.ptr())) return std::nullopt;
        return detail::byte_contents(obj.ptr());
    }
};

template <>
struct IntoPython<std::span<const std::byte>> {
    static Owned<Bytes> into_python(Python py, std::span<const std::byte> bytes) { return Bytes::from(py, bytes); }
};
template <>
struct IntoPython<std::span<std::byte>> : IntoPython<std::span<const std::byte>> {};
template <>
struct IntoPython<std::vector<std::byte>> : IntoPython<std::span<const std::byte>> {};
template <std::size_t N>
struct IntoPython<std::array<std::byte, N>> : IntoPython<std::span<const std::byte>> {};

}  // namespace pyowned
