// Packaging test program: embeds Python through pyowned and checks one evaluation.
#include <pyowned/pyowned.h>

int main() {
    pyowned::Interpreter interp;
    return pyowned::attach([](pyowned::Python py) { return pyowned::eval(py, "6*7").extract<int>() == 42 ? 0 : 1; });
}
