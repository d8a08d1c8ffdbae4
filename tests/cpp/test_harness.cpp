// The harness itself: the debug interpreter's leak check must catch a real leak.
#include "harness.h"

namespace {

void leaks_one_reference(py::Python py) {
    // A deliberate leak: a new reference to a fresh object that nobody releases.
    (void)pyowned_test::fresh_object(py).into_ptr();
}

void balanced(py::Python py) {
    auto obj = pyowned_test::fresh_object(py);
    auto copy = obj;
    (void)copy;
}
}  // namespace

TEST(Harness, LeakCheckSeesALeakAndOnlyALeak) {
    auto debug = py::attach([](py::Python py) { return py::import(py, "sys").hasattr("gettotalrefcount"); });
    auto leaky = pyowned_test::refcount_deltas(&leaks_one_reference);
    auto clean = pyowned_test::refcount_deltas(&balanced);
    if (!debug) {
        // A release interpreter has no total to measure: the check must say so, not pass.
        EXPECT_FALSE(leaky.has_value());
        EXPECT_FALSE(clean.has_value());
        return;
    }
    ASSERT_TRUE(leaky && clean);
    EXPECT_TRUE(pyowned_test::is_leak(*leaky));
    EXPECT_FALSE(pyowned_test::is_leak(*clean));
}
