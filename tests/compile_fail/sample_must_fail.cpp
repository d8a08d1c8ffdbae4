// Sample must-not-compile test (temporary, for checking check.cmake).
#include <pyowned/pyowned.h>
// expect: error: .*no_such_thing
// expect: was not declared|undeclared identifier|has not been declared|is not a member
// expect-gcc: error: 'no_such_thing'
// expect-clang: use of undeclared identifier 'no_such_thing'|no member named 'no_such_thing'
int main() { return pyowned::no_such_thing; } // expect: \[\]|[;]|.
