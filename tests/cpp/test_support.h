// Helpers shared by several C++ test files: a deadlock watchdog and a range without a size.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <ranges>
#include <thread>
#include <vector>

namespace pyowned_test {

// Aborts the program if it is still alive after `limit`: a deadlock must fail, not hang.
class Watchdog {
public:
    Watchdog(std::chrono::seconds limit, const char* what)
        : thread_([this, limit, what] {
              std::unique_lock<std::mutex> lock(mutex_);
              if (!cv_.wait_for(lock, limit, [this] { return done_; })) {
                  std::fprintf(stderr, "deadlock: %s did not finish within %llds\n", what,
                               static_cast<long long>(limit.count()));
                  std::abort();
              }
          }) {}
    ~Watchdog() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            done_ = true;
        }
        cv_.notify_one();
        thread_.join();
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool done_ = false;
    std::thread thread_;
};

// clang before 16 cannot compile libstdc++'s std::views; Unsized stands in for them there.
#if defined(__clang__) && __clang_major__ < 16 && defined(__GLIBCXX__)
#define PYOWNED_TEST_STD_VIEWS 0
#else
#define PYOWNED_TEST_STD_VIEWS 1
#endif

// A view of a vector that hides its size, as std::views::filter's result does.
template <class T>
struct Unsized {
    const std::vector<T>* items;
    struct sentinel {};
    struct iterator {
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        const T* p;
        const T* end;
        const T& operator*() const { return *p; }
        iterator& operator++() {
            ++p;
            return *this;
        }
        void operator++(int) { ++p; }
        bool operator==(sentinel) const { return p == end; }
    };
    iterator begin() const { return {items->data(), items->data() + items->size()}; }
    sentinel end() const { return {}; }
};
static_assert(std::ranges::input_range<Unsized<int>> && !std::ranges::sized_range<Unsized<int>>);

}  // namespace pyowned_test

using pyowned_test::Unsized;
using pyowned_test::Watchdog;
