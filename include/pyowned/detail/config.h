// Compiler attributes and the debug-build attachment check used throughout pyowned.
#pragma once
#include "python.h"
#include <cassert>

#if defined(__clang__) && defined(__has_cpp_attribute)
#if __has_cpp_attribute(clang::lifetimebound)
#define PYOWNED_LIFETIMEBOUND [[clang::lifetimebound]]
#endif
#endif
#ifndef PYOWNED_LIFETIMEBOUND
#define PYOWNED_LIFETIMEBOUND
#endif

// PYOWNED_COLD: out of line and compiled for size, for error paths and for what runs once
// per definition (making records, classes, signatures).
#if defined(__GNUC__)
#define PYOWNED_COLD [[gnu::cold, gnu::noinline]]
#define PYOWNED_INLINE [[gnu::always_inline]] inline
#define PYOWNED_NOINLINE [[gnu::noinline]]
#define PYOWNED_LIKELY(x) __builtin_expect(!!(x), 1)
#define PYOWNED_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define PYOWNED_ASSUME(x) (!(x) ? __builtin_unreachable() : (void)0)
#else
#define PYOWNED_COLD
#define PYOWNED_INLINE inline
#define PYOWNED_NOINLINE
#define PYOWNED_LIKELY(x) (x)
#define PYOWNED_UNLIKELY(x) (x)
#define PYOWNED_ASSUME(x) ((void)0)
#endif

// In debug builds every reference-count operation of Owned/Borrowed checks that this
// thread is attached; release builds compile the check away.
#ifdef NDEBUG
#define PYOWNED_ASSERT_ATTACHED() ((void)0)
#else
#define PYOWNED_ASSERT_ATTACHED() \
    assert(PyGILState_Check() && "pyowned: reference count touched while the thread is detached")
#endif
