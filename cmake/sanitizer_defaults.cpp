// Default sanitizer and interpreter settings compiled into pyowned's sanitizer test build,
// so that any run of the binary (ctest's test discovery included) behaves like ctest's.
#include <cstdlib>

#ifndef PYOWNED_LSAN_SUPPRESSIONS
#error "PYOWNED_LSAN_SUPPRESSIONS must name the LeakSanitizer suppressions file"
#endif

extern "C" {
// Environment variables ASAN_OPTIONS / UBSAN_OPTIONS / LSAN_OPTIONS still override these.
const char* __asan_default_options() { return "halt_on_error=1:detect_leaks=1:strict_init_order=1"; }
const char* __ubsan_default_options() { return "halt_on_error=1:print_stacktrace=1"; }
const char* __lsan_default_options() { return "suppressions=" PYOWNED_LSAN_SUPPRESSIONS ":print_suppressions=0"; }
}

namespace {
// pymalloc hides heap errors from ASan; Python reads PYTHONMALLOC when it initializes,
// which is after static initialization. An explicit setting in the environment wins.
[[maybe_unused]] const int pyowned_python_malloc = ::setenv("PYTHONMALLOC", "malloc", 0);
}  // namespace
