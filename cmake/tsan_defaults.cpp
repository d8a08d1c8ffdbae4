// Default ThreadSanitizer settings compiled into pyowned's TSan test build (PYOWNED_TSAN=ON),
// so that any run of the binary (ctest's test discovery included, which gets no test
// ENVIRONMENT) uses the suppressions for CPython's own races.
#ifndef PYOWNED_TSAN_OPTIONS
#error "PYOWNED_TSAN_OPTIONS must hold the TSAN_OPTIONS of pyowned's test runs"
#endif

// The environment variable TSAN_OPTIONS still overrides these.
extern "C" const char* __tsan_default_options() { return PYOWNED_TSAN_OPTIONS; }
