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
// PYOWNED_COLD for a PYOWNED_CORE function, declared before it is defined: cold only (GCC
// rejects noinline beside an inline declaration; compiled, the core is out of line anyway).
#define PYOWNED_CORE_COLD [[gnu::cold]]
#define PYOWNED_INLINE [[gnu::always_inline]] inline
#define PYOWNED_NOINLINE [[gnu::noinline]]
#define PYOWNED_LIKELY(x) __builtin_expect(!!(x), 1)
#define PYOWNED_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define PYOWNED_ASSUME(x) (!(x) ? __builtin_unreachable() : (void)0)
#else
#define PYOWNED_COLD
#define PYOWNED_CORE_COLD
#define PYOWNED_INLINE inline
#define PYOWNED_NOINLINE
#define PYOWNED_LIKELY(x) (x)
#define PYOWNED_UNLIKELY(x) (x)
#define PYOWNED_ASSUME(x) ((void)0)
#endif

// The shared code (records, argument binding and its errors, the class machinery, error
// formatting): functions marked PYOWNED_CORE, defined in the headers' sections guarded by
// PYOWNED_CORE_DEFINITIONS. By default they are inline and every translation unit compiles
// what it uses (header-only). With PYOWNED_COMPILED_CORE, which pyowned_add_module defines,
// a translation unit sees only their declarations, and the core defines them: one source
// holding `#define PYOWNED_BUILDING_CORE` and `#include <pyowned/pyowned.h>`, which
// pyowned_add_module generates and builds once per build tree, linked statically with hidden
// visibility, so each module still has its own copy of pyowned's state.
// PYOWNED_CORE_VARIABLE declares the core's variables (the stores of bound classes and enums)
// the same way: inline, or extern and defined by the core.
#if defined(PYOWNED_BUILDING_CORE)
#define PYOWNED_CORE
#define PYOWNED_CORE_VARIABLE
#define PYOWNED_CORE_DEFINITIONS 1
#elif defined(PYOWNED_COMPILED_CORE)
#define PYOWNED_CORE
#define PYOWNED_CORE_VARIABLE extern
#define PYOWNED_CORE_DEFINITIONS 0
#else
#define PYOWNED_CORE inline
#define PYOWNED_CORE_VARIABLE inline
#define PYOWNED_CORE_DEFINITIONS 1
#endif

// In debug builds every reference-count operation of Owned/Borrowed checks that this
// thread is attached; release builds compile the check away.
#ifdef NDEBUG
#define PYOWNED_ASSERT_ATTACHED() ((void)0)
#else
#if PYOWNED_LIMITED
#define PYOWNED_ASSERT_ATTACHED()                        \
    assert(::pyowned::detail::api::limited_attached() && \
           "pyowned: reference count touched while the thread is detached")
#else
#define PYOWNED_ASSERT_ATTACHED() \
    assert(PyGILState_Check() && "pyowned: reference count touched while the thread is detached")
#endif
#endif
