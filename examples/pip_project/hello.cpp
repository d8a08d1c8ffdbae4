// hello: the smallest useful pyowned extension module, built with `pip install .`.
//
//     >>> import hello
//     >>> hello.greet("world")
//     'Hello, world!'
//     >>> hello.add(2)
//     3
#include <pyowned/pyowned.h>

#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>

namespace py = pyowned;

namespace {

// std::string_view parameters view the caller's str: no copy until the result is built.
std::string greet(std::string_view name, std::string_view punctuation) {
    if (name.empty()) throw std::invalid_argument("greet() name must not be empty");  // ValueError
    return "Hello, " + std::string(name) + std::string(punctuation);
}

long long add(long long a, long long b) {
    using limits = std::numeric_limits<long long>;
    if ((b > 0 && a > limits::max() - b) || (b < 0 && a < limits::min() - b))
        throw std::overflow_error("add() result does not fit in 64 bits");  // OverflowError
    return a + b;
}

}  // namespace

PYOWNED_MODULE(hello, m) {
    m.doc("A minimal extension module written in C++ with pyowned.");
    m.def("greet", &greet, "Return a greeting for `name`, ending with `punctuation`.", py::arg("name"), py::kw_only(),
          py::arg("punctuation") = "!");
    m.def("add", &add, "Return a + b (64-bit integers; OverflowError beyond).", py::arg("a"), py::arg("b") = 1);
}
