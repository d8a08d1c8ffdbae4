// Covers py::Str (UTF-8 in and out), py::Bytes (views) and py::ByteArray.
#include "harness.h"

#include <array>
#include <cstddef>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

using namespace std::string_view_literals;

namespace {

// Whether a view-returning method can be called on a temporary handle of type H.
template <class H>
concept StrViewOfTemporary = requires(H&& h) { std::move(h).to_string_view(); };
template <class H>
concept BytesViewOfTemporary = requires(H&& h) { std::move(h).as_string_view(); };
template <class H>
concept SpanOfTemporary = requires(H&& h) { std::move(h).as_span(); };

}  // namespace

// A view into a temporary Owned would dangle, so it does not compile; a Borrowed is fine.
static_assert(!StrViewOfTemporary<py::Owned<py::Str>>);
static_assert(StrViewOfTemporary<py::Borrowed<py::Str>>);
static_assert(!BytesViewOfTemporary<py::Owned<py::Bytes>>);
static_assert(!SpanOfTemporary<py::Owned<py::Bytes>>);
static_assert(BytesViewOfTemporary<py::Borrowed<py::Bytes>>);

// --- Str ---

PYOWNED_TEST(Str, FromAscii) {
    auto s = py::Str::from(py, "hello");
    EXPECT_EQ(s.len(), 5);
    EXPECT_EQ(s.to_string_view(), "hello");
    EXPECT_EQ(s.to_string(), "hello");
    EXPECT_TRUE(s.eq(py::eval(py, "'hello'")));
}

PYOWNED_TEST(Str, FromNonAsciiUtf8) {
    auto s = py::Str::from(py, "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x90\x8d");  // "héllo € 🐍"
    EXPECT_EQ(s.len(), 9);                                                     // code points, not bytes
    EXPECT_TRUE(s.eq(py::eval(py, "'h\\xe9llo \\u20ac \\U0001f40d'")));
    EXPECT_EQ(s.to_string(), "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x90\x8d");
}

PYOWNED_TEST(Str, EmbeddedNulKept) {
    auto s = py::Str::from(py, "a\0b\0"sv);
    EXPECT_EQ(s.len(), 4);
    EXPECT_TRUE(s.eq(py::eval(py, "'a\\x00b\\x00'")));
    EXPECT_EQ(s.to_string_view(), "a\0b\0"sv);
    EXPECT_EQ(s.to_string(), std::string("a\0b\0", 4));
}

PYOWNED_TEST(Str, Empty) {
    auto s = py::Str::from(py, "");
    EXPECT_EQ(s.len(), 0);
    EXPECT_EQ(s.to_string_view(), "");
}

PYOWNED_TEST(Str, InvalidUtf8IsUnicodeDecodeError) {
    EXPECT_PY_ERROR((void)py::Str::from(py, "ok\xff"), py::UnicodeDecodeError,
                    "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte");
    EXPECT_PY_ERROR((void)py::Str::from(py, "\xc3"), py::UnicodeDecodeError, "unexpected end of data");
    EXPECT_PY_ERROR((void)py::Str::from(py, "\xed\xb2\x80"), py::UnicodeDecodeError, "invalid continuation byte");
}

PYOWNED_TEST(Str, ToStringViewOfNonAsciiFromPython) {
    auto s = py::eval(py, "'\\u00fc\\u00df'").downcast_into<py::Str>();
    EXPECT_EQ(s.to_string_view(), "\xc3\xbc\xc3\x9f");
    EXPECT_EQ(s.to_string_view().data(), s.to_string_view().data());  // cached in the str, no copy
}

PYOWNED_TEST(Str, ToStringViewOnBorrowed) {
    auto owner = py::Str::from(py, "borrowed text");
    py::Borrowed<py::Str> view = owner;
    EXPECT_EQ(view.to_string_view(), "borrowed text");
    EXPECT_EQ(view.to_string(), "borrowed text");
}

PYOWNED_TEST(Str, LoneSurrogateIsUnicodeEncodeError) {
    auto s = py::eval(py, "'a\\udc80'").downcast_into<py::Str>();
    EXPECT_EQ(s.len(), 2);
    EXPECT_PY_ERROR((void)s.to_string_view(), py::UnicodeEncodeError,
                    "'utf-8' codec can't encode character '\\udc80' in position 1: surrogates not allowed");
    EXPECT_PY_ERROR((void)s.to_string(), py::UnicodeEncodeError, "surrogates not allowed");
}

PYOWNED_TEST(Str, FromIsNotInterned) {
    auto a = py::Str::from(py, std::string("not") + "interned");
    auto b = py::Str::from(py, std::string("not") + "interned");
    EXPECT_TRUE(a.eq(b));
    EXPECT_FALSE(a.is(b));
}

PYOWNED_TEST(Str, ConversionsBalanceReferences) {
    auto s = py::Str::from(py, std::string("fresh \xc3\xa9 ") + "string");
    auto before = pyowned_test::refcnt(s);
    for (int i = 0; i < 1000; ++i) {
        ASSERT_EQ(s.to_string_view(), "fresh \xc3\xa9 string");
        ASSERT_EQ(s.to_string(), "fresh \xc3\xa9 string");
        ASSERT_EQ(s.extract<std::string_view>(), "fresh \xc3\xa9 string");
    }
    EXPECT_EQ(pyowned_test::refcnt(s), before);
}

// --- Bytes ---

PYOWNED_TEST(Bytes, FromStringViewWithNuls) {
    auto b = py::Bytes::from(py, "x\0y\0\xff"sv);
    EXPECT_EQ(b.len(), 5);
    EXPECT_TRUE(b.eq(py::eval(py, "b'x\\x00y\\x00\\xff'")));
    EXPECT_EQ(b.as_string_view(), "x\0y\0\xff"sv);
}

PYOWNED_TEST(Bytes, FromSpan) {
    std::array<std::byte, 4> raw = {std::byte{0}, std::byte{1}, std::byte{0}, std::byte{255}};
    auto b = py::Bytes::from(py, std::span<const std::byte>(raw));
    EXPECT_EQ(b.len(), 4);
    EXPECT_TRUE(b.eq(py::eval(py, "bytes([0, 1, 0, 255])")));
    auto span = b.as_span();
    ASSERT_EQ(span.size(), 4u);
    EXPECT_EQ(std::memcmp(span.data(), raw.data(), raw.size()), 0);
    EXPECT_NE(static_cast<const void*>(span.data()), static_cast<const void*>(raw.data()));  // a copy
}

PYOWNED_TEST(Bytes, FromByteVector) {
    std::vector<std::byte> raw = {std::byte{'h'}, std::byte{0}, std::byte{'i'}};
    auto b = py::Bytes::from(py, raw);
    EXPECT_EQ(b.as_string_view(), "h\0i"sv);
}

PYOWNED_TEST(Bytes, ViewsOfPythonBytes) {
    auto b = py::eval(py, "b'\\x00abc\\x00'").downcast_into<py::Bytes>();
    EXPECT_EQ(b.as_string_view(), "\0abc\0"sv);
    auto span = b.as_span();
    ASSERT_EQ(span.size(), 5u);
    EXPECT_EQ(span[0], std::byte{0});
    EXPECT_EQ(span[1], std::byte{'a'});
    EXPECT_EQ(span[4], std::byte{0});
    EXPECT_EQ(static_cast<const void*>(span.data()), static_cast<const void*>(b.as_string_view().data()));
}

PYOWNED_TEST(Bytes, ViewsOnBorrowed) {
    auto owner = py::Bytes::from(py, "abc"sv);
    py::Borrowed<py::Bytes> view = owner;
    EXPECT_EQ(view.as_string_view(), "abc");
    EXPECT_EQ(view.as_span().size(), 3u);
}

PYOWNED_TEST(Bytes, Empty) {
    auto b = py::Bytes::from(py, ""sv);
    EXPECT_EQ(b.len(), 0);
    EXPECT_TRUE(b.as_string_view().empty());
    EXPECT_TRUE(b.as_span().empty());
}

PYOWNED_TEST(Bytes, IsNotStr) {
    auto b = py::Bytes::from(py, "abc"sv);
    EXPECT_FALSE(b.eq("abc"));
    EXPECT_FALSE(b.is_instance<py::Str>());
    py::Borrowed<py::Any> any = b;
    EXPECT_PY_ERROR((void)any.downcast<py::Str>(), py::TypeError, "'bytes' object cannot be converted to 'str'");
}

// --- ByteArray ---

PYOWNED_TEST(ByteArray, FromAndToString) {
    auto a = py::ByteArray::from(py, "p\0q\xfe"sv);
    EXPECT_TRUE(a.is_instance<py::ByteArray>());
    EXPECT_EQ(a.len(), 4);
    EXPECT_TRUE(a.eq(py::eval(py, "bytearray(b'p\\x00q\\xfe')")));
    EXPECT_EQ(a.to_string(), std::string("p\0q\xfe", 4));
}

PYOWNED_TEST(ByteArray, ToStringSeesMutation) {
    auto a = py::ByteArray::from(py, "ab"sv);
    a.call_method("extend", py::Bytes::from(py, "\0c"sv));
    EXPECT_EQ(a.to_string(), std::string("ab\0c", 4));
    a.call_method("clear");
    EXPECT_EQ(a.to_string(), "");
}
