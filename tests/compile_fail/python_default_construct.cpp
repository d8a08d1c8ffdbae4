// A py::Python token cannot be made from nothing: its default constructor is private.
// expect: (pyowned::Python::Python\(\)' is private|calling a private constructor of class 'pyowned::Python')
#include <pyowned/pyowned.h>
namespace py = pyowned;

void misuse() {
    py::Python py;  // must not compile: a token only comes from attach(), a bound call or a handle
    (void)py;
}
