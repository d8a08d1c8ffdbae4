// std::filesystem::path: from str, bytes or any os.PathLike; into pathlib.Path.
#pragma once
#include "common.h"
#include <filesystem>

namespace pyowned {

namespace detail {

// Whether os.fspath() takes `o`: str, bytes, or a type with __fspath__. -1: error set.
inline int is_path_like(PyObject* o) noexcept {
    if (PyUnicode_Check(o) || PyBytes_Check(o)) return 1;
    return type_has_attr(o, "__fspath__");
}

}  // namespace detail

// Through os.fspath(): a str is encoded with the filesystem encoding and its error handler
// (surrogateescape on POSIX, so any bytes round-trip); bytes are taken as they are. An
// embedded NUL is a ValueError, as in every os function.
template <>
struct FromPython<std::filesystem::path> {
    static constexpr std::string_view name = "str | os.PathLike";
    static std::optional<std::filesystem::path> from_python(Borrowed<Any> obj, bool /*convert*/) {
        int path_like = detail::is_path_like(obj.ptr());
        if (path_like != 1) return std::nullopt;  // -1 keeps its error
#ifdef _WIN32
        PyObject* text = nullptr;  // PyUnicode_FSDecoder: a new str reference on success
        if (!PyUnicode_FSDecoder(obj.ptr(), &text)) return std::nullopt;
        Owned<Any> holder = Owned<Any>::from_owned_ptr(obj.py(), text);
        Py_ssize_t size;
        wchar_t* wide = PyUnicode_AsWideCharString(text, &size);
        if (!wide) return std::nullopt;
        std::filesystem::path path(std::wstring(wide, static_cast<std::size_t>(size)));
        PyMem_Free(wide);
        return path;
#else
        PyObject* bytes = nullptr;  // PyUnicode_FSConverter: a new bytes reference on success
        if (!PyUnicode_FSConverter(obj.ptr(), &bytes)) return std::nullopt;
        Owned<Any> holder = Owned<Any>::from_owned_ptr(obj.py(), bytes);
        return std::filesystem::path(
            std::string(detail::api::bytes_data(bytes), static_cast<std::size_t>(detail::api::bytes_size(bytes))));
#endif
    }
};

// A pathlib.Path. On POSIX the native bytes are decoded with the filesystem encoding and
// surrogateescape, so a path that is not valid UTF-8 survives the round trip.
template <>
struct IntoPython<std::filesystem::path> {
    static Owned<Any> into_python(Python py, const std::filesystem::path& path) {
        static detail::RunCache slot;
        Borrowed<Any> path_type = detail::cached_global_or_throw(slot, "pathlib", "Path");
        const auto& native = path.native();
#ifdef _WIN32
        PyObject* text = PyUnicode_FromWideChar(native.data(), static_cast<Py_ssize_t>(native.size()));
#else
        PyObject* text = PyUnicode_DecodeFSDefaultAndSize(native.data(), static_cast<Py_ssize_t>(native.size()));
#endif
        auto str = detail::steal_or_throw<Owned<Str>>(text);
        (void)py;
        return path_type.call(str);
    }
};

}  // namespace pyowned
