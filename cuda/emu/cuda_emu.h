// CUDA emulation for the host compiler (docs/porting.md#the-emulator).
//
// The kernels in cuda/*.cu compile unchanged with g++ -std=c++20 -include cuda/emu/cuda_emu.h. A launch runs every
// block of the grid, one after another on the launching thread, in a random order drawn from the schedule seed
// (emu_set_schedule_seed). Each CUDA thread of a block is a fiber: a user-space context with its own stack,
// switched by emu::switch_stack (a few instructions, no system call). A scheduler runs every runnable fiber, in a
// fresh random order on each pass, until it returns or reaches a synchronisation point, where it yields:
//   - __syncthreads(): released when every live (not yet returned) thread of the block has arrived;
//   - a warp shuffle: released when every lane of the warp that exists (thread index < blockDim.x) has arrived.
// Threads therefore interleave only at barriers, so a missing barrier still shows up as a wrong result (a thread
// reads what its neighbour has not written yet). A block that cannot progress (one lane of a warp at a shuffle
// while another has returned or waits at __syncthreads) is a divergent synchronisation: the launch fails with
// EMU_DIVERGENT_SYNC and a line on stderr instead of hanging. A kernel with no barrier costs one call per thread
// and reuses a single stack.
//
// Stacks: EMU_STACK_BYTES (256 KiB) each, mmap'ed MAP_NORESERVE with a PROT_NONE guard page below, so an overflow
// faults at once instead of corrupting a neighbour. Kernels here use at most a few hundred bytes of locals (their
// arrays are __shared__); 256 KiB leaves room for AddressSanitizer's larger frames and for future per-thread
// arrays. A block needs as many stacks as threads suspended at once (up to 1024); they are pooled for the life of
// the process (virtual memory only until touched: a few pages each).
//
// Supported: threadIdx/blockIdx/blockDim/gridDim (x only is varied; y = z = 1), __global__/__device__/
// __forceinline__/__launch_bounds__ (enforced: a larger block fails the launch), static __shared__ (function-local
// statics in one section, blocks run sequentially), dynamic shared memory through PROXYNAS_DYNAMIC_SHARED(type,
// name) (48 KiB unless the launcher opted the kernel in to more); both are filled with garbage before each block,
// __syncthreads, __shfl_down_sync and __shfl_xor_sync (every existing lane of a warp must call them convergently:
// full mask only), atomicAdd on float/int, __fmul_rn/__fadd_rn, expf and friends from <cmath>. Launches are
// serialised by a mutex. Under -fsanitize=address the fiber switches are announced to ASan.
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>
#include <pthread.h>
#include <signal.h>
#include <ucontext.h>
#include <sys/mman.h>
#include <unistd.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

#if !defined(__x86_64__)
#error "cuda_emu.h: emu::switch_stack is written for x86-64 (System V ABI); port it to this architecture"
#endif

#define PROXYNAS_EMU 1
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__ __restrict
#define __launch_bounds__(...)
// Static shared memory: function-local statics gathered in one section, so that a launch can fill all of it with
// garbage before each block (the linker's __start_/__stop_ symbols bound the section).
#define __shared__ static __attribute__((section("proxynas_emu_shared")))
extern "C" __attribute__((weak)) unsigned char __start_proxynas_emu_shared[], __stop_proxynas_emu_shared[];

struct emu_dim3 { unsigned x = 1, y = 1, z = 1; };

// Launch results other than 0 (EmulatedLauncher names them).
#define EMU_BAD_LAUNCH (-1)
#define EMU_NO_STACK_MEMORY (-2)
#define EMU_DIVERGENT_SYNC (-3)
#define EMU_LAUNCH_BOUNDS (-4)
#define EMU_SHARED_LIMIT (-5)
#define EMU_BAD_ADDRESS (-6)
// Dynamic shared memory a launch may use unless its kernel opted in to more (cuFuncSetAttribute
// CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES), and the most an opt-in may reach here (an H100's 227 KiB).
#define EMU_DEFAULT_SHARED_BYTES (48 * 1024)
#define EMU_MAX_SHARED_OPT_IN (227 * 1024)

namespace emu {
inline constexpr size_t EMU_STACK_BYTES = 256 * 1024;

// Saves the callee-saved registers on the current stack, stores the stack pointer in *from and resumes the stack
// saved in `to` (by this function, or laid out by start()). MXCSR and the x87 control word are not
// switched: no kernel changes them. noipa keeps the compiler from assuming anything about what it touches.
__attribute__((naked, noipa)) inline void switch_stack(void ** /*from*/, void * /*to*/) {
    asm volatile(
        "pushq %rbp\n\tpushq %rbx\n\tpushq %r12\n\tpushq %r13\n\tpushq %r14\n\tpushq %r15\n\t"
        "movq %rsp, (%rdi)\n\tmovq %rsi, %rsp\n\t"
        "popq %r15\n\tpopq %r14\n\tpopq %r13\n\tpopq %r12\n\tpopq %rbx\n\tpopq %rbp\n\tret\n\t");
}

struct Stack { unsigned char *base = nullptr; size_t bytes = 0; };  // usable [base, base + bytes)

// A fresh stack with a guard page below it, or {} when the system refuses the memory.
inline Stack map_stack() {
    size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    size_t total = EMU_STACK_BYTES + page;
    void *m = mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (m == MAP_FAILED) return {};
    if (mprotect(m, page, PROT_NONE) != 0) {
        munmap(m, total);
        return {};
    }
    return {static_cast<unsigned char *>(m) + page, EMU_STACK_BYTES};
}

enum class State : unsigned char { NotStarted, Running, AtBarrier, AtShuffle, Done, Faulted };

struct Fiber {
    void *sp = nullptr;
    int stack = -1;  // index into emu::stacks while started and not done
    State state = State::NotStarted;
    void *asanFakeStack = nullptr;
};

// Runs the blocks of one launch; lives on the launching thread's stack.
struct Scheduler {
    void (*body)(void *) = nullptr;
    void *bodyArg = nullptr;
    std::vector<Fiber> fibers;      // one per thread of the block
    std::vector<uint64_t> slots;    // a shuffle's operand, one per thread
    std::vector<int> freeStacks;    // indices into stacks
    std::vector<unsigned> atShuffle;         // per warp: lanes parked at a shuffle
    std::vector<unsigned char> warpOpen;     // per warp: its shuffle is released
    std::vector<unsigned> order;             // this pass's order of the threads
    unsigned current = 0;           // the fiber running now
    void *hostSp = nullptr;         // the scheduler's own context while a fiber runs
    const void *hostStackBottom = nullptr;
    size_t hostStackBytes = 0;
    void *hostFakeStack = nullptr;
    uintptr_t faultAddress = 0;     // the address a Faulted fiber touched
    bool faultWasWrite = false;
};

inline std::vector<Stack> stacks;  // the pool, guarded by launchMutex
inline Scheduler *scheduler_ = nullptr;
inline emu_dim3 threadIdx_;
inline emu_dim3 blockIdx_;
inline emu_dim3 blockDim_;
inline emu_dim3 gridDim_;
inline unsigned char *dynamicShared_ = nullptr;
inline std::mutex launchMutex;
// The schedule: blocks of a grid, and the threads of a block between two synchronisation points, run in an order
// drawn from this seed (emu_set_schedule_seed; the same seed and launches give the same order), so code that
// depends on the order of blocks or of threads between barriers (a race) fails under some seed instead of passing
// by the luck of ascending order.
inline uint64_t scheduleState = 1;

// splitmix64: the next value of the schedule's random stream.
inline uint64_t schedule_next() {
    uint64_t z = (scheduleState += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// order[0..n) = a random permutation of 0..n-1 (Fisher-Yates).
inline void shuffle_order(std::vector<unsigned> &order, unsigned n) {
    order.resize(n);
    for (unsigned i = 0; i < n; i++) order[i] = i;
    for (unsigned i = n; i > 1; i--) std::swap(order[i - 1], order[static_cast<unsigned>(schedule_next() % i)]);
}

// ASan must be told about every switch between stacks, or it reports the foreign stack as an overflow.
inline void asan_start_switch(void **fakeStackSave, const void *bottom, size_t bytes) {
#if defined(__SANITIZE_ADDRESS__)
    __sanitizer_start_switch_fiber(fakeStackSave, bottom, bytes);
#endif
}
inline void asan_finish_switch(void *fakeStackSave, const void **oldBottom, size_t *oldBytes) {
#if defined(__SANITIZE_ADDRESS__)
    __sanitizer_finish_switch_fiber(fakeStackSave, oldBottom, oldBytes);
#endif
}

// First code on a fiber's stack: runs the kernel for threadIdx, then hands its stack back for good.
[[noreturn]] inline void fiber_entry() {
    Scheduler *s = scheduler_;
    asan_finish_switch(nullptr, &s->hostStackBottom, &s->hostStackBytes);
    s->body(s->bodyArg);
    s->fibers[s->current].state = State::Done;
    asan_start_switch(nullptr, s->hostStackBottom, s->hostStackBytes);  // nullptr: this stack is abandoned
    switch_stack(&s->fibers[s->current].sp, s->hostSp);
    __builtin_unreachable();
}

// ---- Out-of-bounds accesses --------------------------------------------------------------------------------
// Device memory (emu_device_alloc) is mapped between two PROT_NONE guard pages with its end against the trailing
// one, so a kernel's read or write past the end of a buffer faults at once. A SIGSEGV on a fiber ends that fiber
// (fault_exit) and fails the launch with EMU_BAD_ADDRESS and the address; every other SIGSEGV (the JVM uses them for
// null checks and safepoints) goes on to the handler that was installed before ours.
inline std::atomic<bool> onFiber{false};  // a fiber of the launching thread runs (set and read on that thread)
inline pthread_t launchingThread;
inline struct sigaction previousSegv;
inline std::once_flag segvInstalled;
inline uintptr_t lastFaultAddress = 0;  // of the last launch that failed with EMU_BAD_ADDRESS
inline bool lastFaultWrite = false;

[[noreturn]] inline void fault_exit() {
    Scheduler *s = scheduler_;
    s->fibers[s->current].state = State::Faulted;
    asan_start_switch(nullptr, s->hostStackBottom, s->hostStackBytes);  // this stack is abandoned
    switch_stack(&s->fibers[s->current].sp, s->hostSp);
    __builtin_unreachable();
}

inline void on_segv(int sig, siginfo_t *info, void *context) {
    if (onFiber.load(std::memory_order_relaxed) && pthread_equal(pthread_self(), launchingThread)) {
        onFiber.store(false, std::memory_order_relaxed);
        Scheduler *s = scheduler_;
        auto *uc = static_cast<ucontext_t *>(context);
        s->faultAddress = reinterpret_cast<uintptr_t>(info->si_addr);
        s->faultWasWrite = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;  // x86 page-fault error code: W bit
        // Resume in fault_exit at the top of the fiber's own stack (its frames are dead), aligned as after a call.
        const Stack &st = stacks[static_cast<size_t>(s->fibers[s->current].stack)];
        uintptr_t top = (reinterpret_cast<uintptr_t>(st.base) + st.bytes) & ~uintptr_t{15};
        uc->uc_mcontext.gregs[REG_RSP] = static_cast<greg_t>(top - 8);
        uc->uc_mcontext.gregs[REG_RIP] = reinterpret_cast<greg_t>(&fault_exit);
        return;
    }
    if (previousSegv.sa_flags & SA_SIGINFO) {
        previousSegv.sa_sigaction(sig, info, context);
    } else if (previousSegv.sa_handler == SIG_DFL) {
        signal(sig, SIG_DFL);  // the fault recurs on return and kills the process, as it would have
    } else if (previousSegv.sa_handler != SIG_IGN) {
        previousSegv.sa_handler(sig);
    }
}

inline void install_segv_handler() {
    std::call_once(segvInstalled, [] {
        struct sigaction sa {};
        sa.sa_sigaction = on_segv;
        sa.sa_flags = SA_SIGINFO | SA_RESTART;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGSEGV, &sa, &previousSegv);
    });
}

// Called on a fiber: suspends it in state `why` until the scheduler releases it.
inline void yield(State why) {
    Scheduler *s = scheduler_;
    Fiber &f = s->fibers[s->current];
    f.state = why;
    asan_start_switch(&f.asanFakeStack, s->hostStackBottom, s->hostStackBytes);
    switch_stack(&f.sp, s->hostSp);
    asan_finish_switch(f.asanFakeStack, nullptr, nullptr);
}

// Gives fiber t a stack laid out so that switch_stack "returns" into fiber_entry. False when out of memory.
inline bool start(Scheduler &s, unsigned t) {
    int idx;
    if (!s.freeStacks.empty()) {
        idx = s.freeStacks.back();
        s.freeStacks.pop_back();
    } else {
        Stack fresh = map_stack();
        if (fresh.base == nullptr) return false;
        stacks.push_back(fresh);
        idx = static_cast<int>(stacks.size()) - 1;
    }
    const Stack &st = stacks[static_cast<size_t>(idx)];
#if defined(__SANITIZE_ADDRESS__)
    __asan_unpoison_memory_region(st.base, st.bytes);  // frames abandoned by the stack's previous fiber
#endif
    // The top is staggered by the stack's index, so that the fibers' hot top frames do not all fall in one L1 set.
    void **top = reinterpret_cast<void **>(st.base + st.bytes - static_cast<size_t>(idx % 64) * 64);
    top[-1] = nullptr;                                  // fiber_entry's return address: rsp = 8 mod 16, as after a call
    top[-2] = reinterpret_cast<void *>(&fiber_entry);   // where switch_stack's ret goes
    for (int r = 3; r <= 8; r++) top[-r] = nullptr;     // r15 .. rbp (rbp = 0 ends backtraces)
    Fiber &f = s.fibers[t];
    f.sp = top - 8;
    f.stack = idx;
    return true;
}

// Runs fiber t until it yields or returns.
inline bool resume(Scheduler &s, unsigned t) {
    Fiber &f = s.fibers[t];
    if (f.state == State::NotStarted && !start(s, t)) return false;
    f.state = State::Running;
    threadIdx_ = emu_dim3{t, 0, 0};
    s.current = t;
    const Stack &st = stacks[static_cast<size_t>(f.stack)];
    asan_start_switch(&s.hostFakeStack, st.base, st.bytes);
    onFiber.store(true, std::memory_order_relaxed);
    switch_stack(&s.hostSp, f.sp);
    onFiber.store(false, std::memory_order_relaxed);
    asan_finish_switch(s.hostFakeStack, nullptr, nullptr);
    if (f.state == State::Done || f.state == State::Faulted) {
        s.freeStacks.push_back(f.stack);
        f.stack = -1;
    }
    return true;
}

// Runs one block to completion: 0, or an EMU_* code. Each pass resumes every fiber that may run (not started, or
// parked at a barrier or shuffle the previous pass released); what the pass leaves parked decides the next release:
// whole warps parked at a shuffle first, else the block barrier once every live thread is at it.
inline int run_block(Scheduler &s) {
    unsigned n = static_cast<unsigned>(s.fibers.size()), warps = (n + 31) / 32;
    for (Fiber &f : s.fibers) f.state = State::NotStarted;
    std::fill(s.warpOpen.begin(), s.warpOpen.end(), 0);
    bool barrierOpen = false;
    for (;;) {
        unsigned live = 0, atBarrier = 0;
        std::fill(s.atShuffle.begin(), s.atShuffle.end(), 0u);
        shuffle_order(s.order, n);
        for (unsigned t : s.order) {
            Fiber &f = s.fibers[t];
            bool runs = f.state == State::NotStarted || (f.state == State::AtBarrier && barrierOpen)
                    || (f.state == State::AtShuffle && s.warpOpen[t >> 5]);
            if (runs && !resume(s, t)) return EMU_NO_STACK_MEMORY;
            if (f.state == State::Faulted) return EMU_BAD_ADDRESS;  // the other fibers are abandoned
            live += f.state != State::Done;
            atBarrier += f.state == State::AtBarrier;
            s.atShuffle[t >> 5] += f.state == State::AtShuffle;
        }
        if (live == 0) return 0;
        bool anyWarp = false;
        for (unsigned w = 0; w < warps; w++) {
            s.warpOpen[w] = s.atShuffle[w] == std::min(32u, n - 32 * w);
            anyWarp |= s.warpOpen[w] != 0;
        }
        barrierOpen = !anyWarp && atBarrier == live;
        if (!anyWarp && !barrierOpen) {
            std::fprintf(stderr, "cuda_emu: block %u of %u threads deadlocked: lanes of one warp wait at different "
                    "synchronisation points; per thread (S shuffle, B __syncthreads, D returned): ", blockIdx_.x, n);
            for (unsigned t = 0; t < n; t++) std::fputc("??BSD!"[static_cast<int>(s.fibers[t].state)], stderr);
            std::fputc('\n', stderr);
            return EMU_DIVERGENT_SYNC;  // the suspended fibers are abandoned; the next launch reuses every stack
        }
    }
}
}  // namespace emu

#define threadIdx (::emu::threadIdx_)
#define blockIdx (::emu::blockIdx_)
#define blockDim (::emu::blockDim_)
#define gridDim (::emu::gridDim_)
#define warpSize 32

inline void __syncthreads() { emu::yield(emu::State::AtBarrier); }

#define PROXYNAS_DYNAMIC_SHARED(type, name) type *name = reinterpret_cast<type *>(::emu::dynamicShared_)

// CUDA's integer/float min and max overloads.
using std::min;
using std::max;

inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __fsqrt_rn(float a) { return std::sqrt(a); }
inline double __dmul_rn(double a, double b) { return a * b; }
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dsub_rn(double a, double b) { return a - b; }

// Every lane publishes v, the warp meets, each reads its source lane, and the warp meets again so no lane
// overwrites its slot (in a next shuffle) before the others have read it.
template <typename T>
inline T emu_shuffle(T v, unsigned srcLane, bool valid) {
    static_assert(sizeof(T) <= sizeof(uint64_t), "shuffle of a type wider than 64 bits");
    unsigned me = threadIdx.x;
    uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof(T));
    emu::Scheduler *s = emu::scheduler_;
    s->slots[me] = bits;
    emu::yield(emu::State::AtShuffle);
    T out = v;
    if (valid) {
        uint64_t other = s->slots[(me & ~31u) + srcLane];
        std::memcpy(&out, &other, sizeof(T));
    }
    emu::yield(emu::State::AtShuffle);
    return out;
}
template <typename T>
inline T __shfl_down_sync(unsigned, T v, unsigned delta, int width = 32) {
    unsigned lane = threadIdx.x & 31u, seg = lane & ~(unsigned)(width - 1);
    unsigned src = lane + delta;
    bool valid = src < seg + (unsigned)width && (threadIdx.x & ~31u) + src < blockDim.x;
    return emu_shuffle(v, src, valid);
}
template <typename T>
inline T __shfl_xor_sync(unsigned, T v, int laneMask, int width = 32) {
    unsigned lane = threadIdx.x & 31u, seg = lane & ~(unsigned)(width - 1);
    unsigned src = lane ^ (unsigned)laneMask;
    bool valid = src < seg + (unsigned)width && (threadIdx.x & ~31u) + src < blockDim.x;
    return emu_shuffle(v, src, valid);
}

// Fibers interleave only at barriers, so these need no atomicity; atomic_ref keeps them honest regardless.
inline float atomicAdd(float *address, float v) { return std::atomic_ref<float>(*address).fetch_add(v); }
inline int atomicAdd(int *address, int v) { return std::atomic_ref<int>(*address).fetch_add(v); }
inline unsigned atomicAdd(unsigned *address, unsigned v) { return std::atomic_ref<unsigned>(*address).fetch_add(v); }

namespace emu {
/** Runs kernel(args...) on gridX blocks of blockX threads. Returns 0, or an EMU_* code. */
template <typename... P, typename... A>
int launch(void (*kernel)(P...), int gridX, int blockX, int sharedBytes, A... args) {
    if (gridX <= 0 || blockX <= 0 || blockX > 1024 || sharedBytes < 0 || sharedBytes > EMU_MAX_SHARED_OPT_IN) return EMU_BAD_LAUNCH;
    std::lock_guard<std::mutex> lock(launchMutex);
    install_segv_handler();
    launchingThread = pthread_self();
    std::vector<unsigned char> shared(static_cast<size_t>(sharedBytes) + 16);
    auto call = [=] { kernel(args...); };
    Scheduler s;
    s.body = [](void *c) { (*static_cast<decltype(call) *>(c))(); };
    s.bodyArg = &call;
    s.fibers.resize(static_cast<size_t>(blockX));
    s.slots.resize(static_cast<size_t>(blockX));
    s.atShuffle.resize(static_cast<size_t>(blockX + 31) / 32);
    s.warpOpen.resize(static_cast<size_t>(blockX + 31) / 32);
    for (size_t i = 0; i < stacks.size(); i++) s.freeStacks.push_back(static_cast<int>(i));
    blockDim_ = emu_dim3{static_cast<unsigned>(blockX), 1, 1};
    gridDim_ = emu_dim3{static_cast<unsigned>(gridX), 1, 1};
    dynamicShared_ = shared.data();
    scheduler_ = &s;
    int rc = 0;
    std::vector<unsigned> blocks;
    shuffle_order(blocks, static_cast<unsigned>(gridX));
    for (size_t i = 0; i < blocks.size() && rc == 0; i++) {
        blockIdx_ = emu_dim3{blocks[i], 0, 0};
        std::fill(shared.begin(), shared.end(), 0xA5);  // garbage, as on a GPU
        if (__start_proxynas_emu_shared != nullptr) {
            std::fill(__start_proxynas_emu_shared, __stop_proxynas_emu_shared, 0xA5);
        }
        rc = run_block(s);
    }
    if (rc == EMU_BAD_ADDRESS) {
        lastFaultAddress = s.faultAddress;
        lastFaultWrite = s.faultWasWrite;
    }
    scheduler_ = nullptr;
    dynamicShared_ = nullptr;
    return rc;
}

// ---- Device memory ------------------------------------------------------------------------------------------
// [guard page][slack | bytes][guard page]: the buffer ends against the trailing guard (a read or write one byte
// past it faults) and starts `slack` bytes into its first page (aligned as its size is: 4 bytes for floats; x86
// does not fault on alignment, and nothing in the kernels assumes more). The slack is for the launcher to fill with
// a pattern and check (writes just before the start); further before, the leading guard faults.
inline size_t page_bytes() { return static_cast<size_t>(sysconf(_SC_PAGESIZE)); }

inline size_t mapped_bytes(size_t bytes) {
    size_t page = page_bytes();
    return ((bytes + page - 1) / page + 2) * page;
}

inline void *device_alloc(size_t bytes) {
    if (bytes == 0) return nullptr;
    size_t page = page_bytes(), total = mapped_bytes(bytes);
    void *m = mmap(nullptr, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) return nullptr;
    auto *base = static_cast<unsigned char *>(m);
    if (mprotect(base + page, total - 2 * page, PROT_READ | PROT_WRITE) != 0) {
        munmap(m, total);
        return nullptr;
    }
    return base + total - page - bytes;
}

inline int device_free(void *ptr, size_t bytes) {
    size_t page = page_bytes();
    auto *end = static_cast<unsigned char *>(ptr) + bytes;  // the trailing guard page
    size_t total = mapped_bytes(bytes);
    return munmap(end + page - total, total);
}

// ---- The kernel-argument ABI --------------------------------------------------------------------------------
// A launch passes its arguments as cuLaunchKernel does: an array of pointers, one per kernel parameter, each to a
// value laid out as that parameter's type. The entry points below read them by the kernel's own parameter types,
// so the emulation and the driver receive the same bytes from the same packing (java/org/proxynas/cuda/ArgPacker),
// and the table that packing follows is printed from these same types (abi_type): nothing restates a signature.

template <typename T> inline constexpr bool abi_unnamed = false;

// The ABI table's name of a parameter type; a type it cannot name fails the build.
template <typename T>
constexpr const char *abi_type() {
    using U = std::remove_cv_t<T>;
    if constexpr (std::is_pointer_v<U>) return "ptr";
    else if constexpr (std::is_same_v<U, float>) return "f32";
    else if constexpr (std::is_same_v<U, double>) return "f64";
    else if constexpr (std::is_same_v<U, int>) return "i32";
    else if constexpr (std::is_same_v<U, long long>) return "i64";
    else static_assert(abi_unnamed<U>, "kernel parameter of a type the ABI table cannot name: use a pointer, int, "
                                       "long long, float or double");
}

// "name maxThreads t1,t2,...\n" for one kernel.
template <typename... P>
std::string abi_row(const char *name, int maxThreads, void (*)(P...)) {
    std::string row = std::string(name) + " " + std::to_string(maxThreads) + " ";
    const char *types[] = {abi_type<P>()..., ""};
    for (size_t i = 0; i < sizeof...(P); i++) row += (i ? "," : "") + std::string(types[i]);
    if (sizeof...(P) == 0) row += "-";
    return row + "\n";
}

template <typename... P, size_t... I>
int launch_unpacked(void (*kernel)(P...), int gridX, int blockX, int sharedBytes, void **args, std::index_sequence<I...>) {
    return launch(kernel, gridX, blockX, sharedBytes, *static_cast<std::remove_cv_t<P> *>(args[I])...);
}

// Checks the launch against the kernel's launch bounds and its dynamic shared memory limit (maxShared: 48 KiB, or
// what the launcher opted the kernel in to; less on an emulated test device smaller than any GPU), as the driver
// does (CUDA_ERROR_INVALID_VALUE), then runs it.
template <typename... P>
int launch_packed(const char *name, int maxThreads, void (*kernel)(P...), int gridX, int blockX, int sharedBytes,
                  int maxShared, void **args) {
    if (blockX > maxThreads) {
        std::fprintf(stderr, "cuda_emu: %s launched with %d threads per block, above its __launch_bounds__(%d)\n",
                     name, blockX, maxThreads);
        return EMU_LAUNCH_BOUNDS;
    }
    if (sharedBytes > maxShared || maxShared > EMU_MAX_SHARED_OPT_IN) {
        std::fprintf(stderr, "cuda_emu: %s launched with %d bytes of dynamic shared memory, above its limit of %d "
                     "(48 KiB unless the kernel opted in to more, at most %d)\n", name, sharedBytes, maxShared,
                     EMU_MAX_SHARED_OPT_IN);
        return EMU_SHARED_LIMIT;
    }
    return launch_unpacked(kernel, gridX, blockX, sharedBytes, args, std::index_sequence_for<P...>{});
}
}  // namespace emu

// The generated unity file (native-build/build-cuda.sh) includes every cuda/*.cu, then lists each kernel with the
// argument of its __launch_bounds__ as PROXYNAS_KERNELS(X) and expands these: one exported
// emu_launch_<kernel>(gridX, blockX, sharedBytes, maxShared, void **args) per kernel, and proxynas_kernel_abi(),
// the table.
#define PROXYNAS_EMU_ENTRY(kernel, bounds)                                                                  \
    extern "C" __attribute__((visibility("default"))) int emu_launch_##kernel(                             \
        int gridX, int blockX, int sharedBytes, int maxShared, void **args) {                              \
        return ::emu::launch_packed(#kernel, (bounds), kernel, gridX, blockX, sharedBytes, maxShared, args); \
    }
#define PROXYNAS_EMU_ABI_ROW(kernel, bounds) table += ::emu::abi_row(#kernel, (bounds), kernel);
#define PROXYNAS_EMU_DEFINE_ABI(list)                                                                       \
    list(PROXYNAS_EMU_ENTRY)                                                                                \
    extern "C" __attribute__((visibility("default"))) void emu_set_schedule_seed(long long seed) {          \
        std::lock_guard<std::mutex> lock(::emu::launchMutex);                                               \
        ::emu::scheduleState = static_cast<uint64_t>(seed);                                                 \
    }                                                                                                       \
    extern "C" __attribute__((visibility("default"))) void *emu_device_alloc(long long bytes) {             \
        return bytes > 0 ? ::emu::device_alloc(static_cast<size_t>(bytes)) : nullptr;                      \
    }                                                                                                       \
    extern "C" __attribute__((visibility("default"))) int emu_device_free(void *ptr, long long bytes) {     \
        return ::emu::device_free(ptr, static_cast<size_t>(bytes));                                        \
    }                                                                                                       \
    extern "C" __attribute__((visibility("default"))) long long emu_page_bytes() {                          \
        return static_cast<long long>(::emu::page_bytes());                                                 \
    }                                                                                                       \
    /* The address the last launch that failed with EMU_BAD_ADDRESS touched; *write: whether it wrote. */   \
    extern "C" __attribute__((visibility("default"))) long long emu_last_fault(int *write) {               \
        std::lock_guard<std::mutex> lock(::emu::launchMutex);                                               \
        *write = ::emu::lastFaultWrite;                                                                     \
        return static_cast<long long>(::emu::lastFaultAddress);                                             \
    }                                                                                                       \
    extern "C" __attribute__((visibility("default"))) const char *proxynas_kernel_abi() {                   \
        static const std::string text = [] {                                                                \
            std::string table;                                                                              \
            list(PROXYNAS_EMU_ABI_ROW)                                                                      \
            return table;                                                                                   \
        }();                                                                                                \
        return text.c_str();                                                                                \
    }
