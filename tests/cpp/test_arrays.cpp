// Arrays from an embedding program: py::Buffer views (moved, released detached), py::NDArray
// taken from Python objects (moved, copied when converting) and made from C++ memory.
#include "harness.h"

#include <pyowned/ndarray.h>

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

py::Owned<py::Any> expr(py::Python py, const char* expression) { return py::eval(py, expression); }

}  // namespace

PYOWNED_TEST(Buffers, RequestDescribesTheExport) {
    auto data = expr(py, "__import__('array').array('d', [1.5, 2.5, 3.5])");
    py::BufferView v = data.downcast<py::Buffer>().request(PyBUF_RECORDS_RO);
    EXPECT_EQ(v.format(), "d");
    EXPECT_EQ(v.itemsize(), 8);
    EXPECT_EQ(v.len(), 24);
    EXPECT_EQ(v.ndim(), 1);
    ASSERT_EQ(v.shape().size(), 1u);
    EXPECT_EQ(v.shape()[0], 3);
    EXPECT_EQ(v.strides()[0], 8);
    EXPECT_FALSE(v.readonly());
    EXPECT_EQ(static_cast<const double*>(v.ptr())[2], 3.5);
}

PYOWNED_TEST(Buffers, RefusedRequestsAreErrors) {
    auto bytes = expr(py, "b'abc'");
    EXPECT_PY_ERROR((void)bytes.downcast<py::Buffer>().request(PyBUF_WRITABLE), py::BufferError, "");
    EXPECT_PY_ERROR((void)expr(py, "'text'").downcast<py::Buffer>(), py::TypeError, "Buffer");
}

// bytes' exporter points shape and strides into the Py_buffer itself: a moved view re-points them.
PYOWNED_TEST(Buffers, MovedViewKeepsItsShape) {
    auto bytes = expr(py, "b'abcdef'");
    std::vector<py::BufferView> views;
    views.push_back(bytes.downcast<py::Buffer>().request(PyBUF_STRIDES));
    views.push_back(bytes.downcast<py::Buffer>().request(PyBUF_STRIDES));
    views.erase(views.begin());  // moves the second view
    EXPECT_EQ(views[0].shape()[0], 6);
    EXPECT_EQ(views[0].strides()[0], 1);
}

// A view dropped on a thread that never attached is released at the next attach: until then
// the bytearray cannot be resized, afterwards it can.
PYOWNED_TEST(Buffers, DroppedDetachedIsReleasedLater) {
    auto array = expr(py, "bytearray(b'abc')");
    auto view = std::make_unique<py::BufferView>(array.downcast<py::Buffer>().request(PyBUF_SIMPLE));
    EXPECT_PY_ERROR(array.call_method("append", 1), py::BufferError, "");
    std::thread([&] { view.reset(); }).join();  // this thread is attached, the other never was
    py.detach([] {});                           // re-attaching drains the queue
    array.call_method("append", 100);
    EXPECT_EQ(array.len(), 4);
}

PYOWNED_TEST(NDArrays, TakenFromPythonObjects) {
    auto matrix = expr(py, "memoryview(__import__('array').array('d', range(6))).cast('B').cast('d', (2, 3))");
    auto a = matrix.extract<py::NDArray<const double, py::ndim<2>>>();
    EXPECT_EQ(a.shape(0), 2);
    EXPECT_EQ(a.shape(1), 3);
    EXPECT_EQ(a.stride(0), 3);
    EXPECT_EQ(a(1, 2), 5.0);
    EXPECT_EQ(a.size(), 6);
    auto moved = std::move(a);
    EXPECT_EQ(moved(1, 0), 3.0);
    EXPECT_TRUE(moved.owner().is(matrix));
    // shorts copied to float64 (a safe cast), as a parameter's conversion pass would
    auto shorts = expr(py, "__import__('array').array('h', [1, 2, 3])").extract<py::NDArray<const double>>();
    EXPECT_EQ(shorts(2), 3.0);
    EXPECT_FALSE(shorts.owner().is(matrix));
    EXPECT_PY_ERROR((void)expr(py, "__import__('array').array('d', [1.0])").extract<py::NDArray<const std::int32_t>>(),
                    py::TypeError, "expected a int32 array, not float64");
    EXPECT_PY_ERROR((void)expr(py, "b'xy'").extract<py::NDArray<std::uint8_t>>(), py::TypeError, "writable");
}

PYOWNED_TEST(NDArrays, MovedFromBytesKeepsItsShape) {
    auto bytes = expr(py, "b'hello'");
    std::vector<py::NDArray<const std::uint8_t>> arrays;
    for (int i = 0; i < 4; ++i) arrays.push_back(bytes.extract<py::NDArray<const std::uint8_t>>());  // reallocates
    for (auto& a : arrays) {
        EXPECT_EQ(a.shape(0), 5);
        EXPECT_EQ(a.stride(0), 1);
        EXPECT_EQ(a(4), 'o');
    }
}

PYOWNED_TEST(NDArrays, MadeFromCppMemory) {
    std::vector<std::int32_t> values{1, 2, 3, 4, 5, 6};
    std::int32_t* data = values.data();
    py::NDArray<std::int32_t, py::memoryview> a(data, {2, 3}, std::move(values));
    EXPECT_EQ(a(1, 1), 5);
    auto view = py::into_py(py, std::move(a));
    EXPECT_EQ(view.getattr("shape").extract<std::vector<Py_ssize_t>>(), (std::vector<Py_ssize_t>{2, 3}));
    EXPECT_EQ(view.getattr("format").extract<std::string>(), "i");
    EXPECT_EQ(view.call_method("tolist").extract<std::vector<std::vector<int>>>(),
              (std::vector<std::vector<int>>{{1, 2, 3}, {4, 5, 6}}));
    EXPECT_PY_ERROR((py::NDArray<double, py::ndim<2>>(nullptr, {3}, 0)), py::ValueError, "extents");
}

// An array dropped on a thread that never attached: its buffer is released at the next attach.
PYOWNED_TEST(NDArrays, DroppedDetached) {
    auto array = expr(py, "bytearray(8)");
    auto a = std::make_unique<py::NDArray<std::uint8_t>>(array.extract<py::NDArray<std::uint8_t>>());
    (*a)(0) = 7;
    std::thread([&] { a.reset(); }).join();
    py.detach([] {});
    array.call_method("append", 1);
    EXPECT_EQ(array.len(), 9);
    EXPECT_EQ(expr(py, "0").extract<int>(), 0);
}
