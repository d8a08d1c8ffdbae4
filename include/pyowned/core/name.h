// AttrName: how an attribute or method name is passed (C string, std::string, or a str handle).
#pragma once
#include "../types/tags.h"
#include "intern.h"
#include <string>
#include <string_view>

namespace pyowned::detail {

// A C string is interned once and found again by its address (string literals, mostly);
// any other string becomes a new str per use; a str handle is used as it is.
class AttrName {
public:
    AttrName(const char* name) noexcept : text_(name), size_(kCString) {}
    AttrName(std::string_view name) noexcept : text_(name.data()), size_(name.size()) {}
    AttrName(const std::string& name) noexcept : text_(name.data()), size_(name.size()) {}
    template <class H>
        requires(is_handle_v<H> && SubtypeOf<typename std::remove_cvref_t<H>::tag, Str>)
    AttrName(const H& str) noexcept : str_(str.ptr()) {}

    // The str, or a null NameRef with a Python error set.
    PYOWNED_INLINE NameRef resolve() const noexcept {
        if (str_) return {str_, false};
        if (size_ == kCString) return intern_table.get(text_);
        return {PyUnicode_FromStringAndSize(text_, static_cast<Py_ssize_t>(size_)), true};
    }

private:
    static constexpr std::size_t kCString = ~std::size_t{0};
    const char* text_ = nullptr;
    std::size_t size_ = 0;
    PyObject* str_ = nullptr;
};

}  // namespace pyowned::detail
