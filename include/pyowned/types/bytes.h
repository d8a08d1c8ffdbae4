// bytes and bytearray: constructors and zero-copy access to bytes' contents.
#pragma once
#include "../types/any_impl.h"
#include <cstring>
#include <span>

namespace pyowned {

namespace detail {

template <class Self>
struct Methods<Bytes, Self> : Methods<Any, Self> {
    PYOWNED_HANDLE_ALIASES;

    // The contents, no copy; valid while the bytes object lives (bytes are immutable).
    // Unavailable on a temporary Owned, whose view would dangle.
    [[nodiscard]] std::string_view as_string_view() const& noexcept PYOWNED_LIFETIMEBOUND { return view(); }
    std::string_view as_string_view() const&&
        requires is_owned_v<Self>
    = delete;
    [[nodiscard]] std::string_view as_string_view() const&& noexcept
        requires(!is_owned_v<Self>)
    {
        return view();
    }

    [[nodiscard]] std::span<const std::byte> as_span() const& noexcept PYOWNED_LIFETIMEBOUND { return span(); }
    std::span<const std::byte> as_span() const&&
        requires is_owned_v<Self>
    = delete;
    [[nodiscard]] std::span<const std::byte> as_span() const&& noexcept
        requires(!is_owned_v<Self>)
    {
        return span();
    }

    [[nodiscard]] Py_ssize_t len() const noexcept { return detail::api::bytes_size(this->ptr()); }

private:
    std::string_view view() const noexcept {
        return {detail::api::bytes_data(this->ptr()), static_cast<std::size_t>(detail::api::bytes_size(this->ptr()))};
    }
    std::span<const std::byte> span() const noexcept {
        std::string_view v = view();
        return {reinterpret_cast<const std::byte*>(v.data()), v.size()};
    }
};

template <class Self>
struct Methods<ByteArray, Self> : Methods<Any, Self> {
    PYOWNED_HANDLE_ALIASES;

    // A copy of the contents (a bytearray may be resized, so no view is offered).
    [[nodiscard]] std::string to_string() const {
        return {detail::api::bytearray_data(this->ptr()),
                static_cast<std::size_t>(detail::api::bytearray_size(this->ptr()))};
    }
    [[nodiscard]] Py_ssize_t len() const noexcept { return detail::api::bytearray_size(this->ptr()); }
    // Grows (with zero bytes) or shrinks the bytearray to `size` bytes: ValueError for a
    // negative size, BufferError while a memoryview of it exists, as Python's resizes raise.
    void resize(Py_ssize_t size) const {
        if (PYOWNED_UNLIKELY(size < 0)) raise<ValueError>("bytearray size cannot be negative");
        const Py_ssize_t old = detail::api::bytearray_size(this->ptr());
        check_status(PyByteArray_Resize(this->ptr(), size));
        if (size > old)
            std::memset(detail::api::bytearray_data(this->ptr()) + old, 0, static_cast<std::size_t>(size - old));
    }
};

}  // namespace detail

inline Owned<Bytes> Bytes::from(Python, std::string_view bytes) {
    return detail::steal_or_throw<Owned<Bytes>>(
        PyBytes_FromStringAndSize(bytes.data(), static_cast<Py_ssize_t>(bytes.size())));
}
inline Owned<Bytes> Bytes::from(Python py, std::span<const std::byte> bytes) {
    return from(py, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}
inline Owned<ByteArray> ByteArray::from(Python, std::string_view bytes) {
    return detail::steal_or_throw<Owned<ByteArray>>(
        PyByteArray_FromStringAndSize(bytes.data(), static_cast<Py_ssize_t>(bytes.size())));
}

}  // namespace pyowned
