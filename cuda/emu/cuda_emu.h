// CUDA emulation for the host compiler (DESIGN.md section 3, "CUDA kernels with no GPU").
//
// The kernels in cuda/*.cu compile unchanged with g++ -std=c++20 -include cuda/emu/cuda_emu.h. A launch runs the
// grid's blocks one after another; each block's threads are real std::threads (one per CUDA thread, created once
// per launch and reused for every block), so __syncthreads() is a true barrier and a missing one shows up as a
// data race (and under -fsanitize=thread/address as a report) rather than being papered over.
//
// Supported: threadIdx/blockIdx/blockDim/gridDim (x only is varied; y = z = 1), __global__/__device__/
// __forceinline__/__launch_bounds__, static __shared__ (function-local static: blocks run sequentially),
// dynamic shared memory through PROXYNAS_DYNAMIC_SHARED(type, name), __syncthreads, __shfl_down_sync and
// __shfl_xor_sync (every thread of a warp must call them convergently: full mask only), atomicAdd on float/int,
// __fmul_rn/__fadd_rn, expf and friends from <cmath>. Launches are serialised by a mutex.
#pragma once

#include <algorithm>
#include <atomic>
#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#define PROXYNAS_EMU 1
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__ __restrict
#define __launch_bounds__(...)
#define __shared__ static

struct emu_dim3 { unsigned x = 1, y = 1, z = 1; };

namespace emu {
struct Block {
    std::barrier<> *barrier = nullptr;
    unsigned char *dynamicShared = nullptr;
    uint64_t *shuffleSlots = nullptr;  // one per thread of the block
    std::barrier<> **warpBarriers = nullptr;  // one per warp (32 threads, fewer in a partial last warp)
};
inline thread_local emu_dim3 threadIdx_;
inline thread_local emu_dim3 blockIdx_;
inline emu_dim3 blockDim_;
inline emu_dim3 gridDim_;
inline Block block_;
inline std::mutex launchMutex;
}  // namespace emu

#define threadIdx (::emu::threadIdx_)
#define blockIdx (::emu::blockIdx_)
#define blockDim (::emu::blockDim_)
#define gridDim (::emu::gridDim_)
#define warpSize 32

inline void __syncthreads() { emu::block_.barrier->arrive_and_wait(); }

#define PROXYNAS_DYNAMIC_SHARED(type, name) type *name = reinterpret_cast<type *>(::emu::block_.dynamicShared)

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

template <typename T>
inline T emu_shuffle(T v, unsigned srcLane, bool valid) {
    static_assert(sizeof(T) <= sizeof(uint64_t), "shuffle of a type wider than 64 bits");
    unsigned me = threadIdx.x;
    uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof(T));
    std::barrier<> *warp = emu::block_.warpBarriers[me >> 5];
    emu::block_.shuffleSlots[me] = bits;
    warp->arrive_and_wait();
    T out = v;
    if (valid) {
        uint64_t other = emu::block_.shuffleSlots[(me & ~31u) + srcLane];
        std::memcpy(&out, &other, sizeof(T));
    }
    warp->arrive_and_wait();
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

inline float atomicAdd(float *address, float v) { return std::atomic_ref<float>(*address).fetch_add(v); }
inline int atomicAdd(int *address, int v) { return std::atomic_ref<int>(*address).fetch_add(v); }
inline unsigned atomicAdd(unsigned *address, unsigned v) { return std::atomic_ref<unsigned>(*address).fetch_add(v); }

namespace emu {
/** Runs kernel(args...) on gridX blocks of blockX threads. Returns 0, or a negative code for a bad launch. */
template <typename... P, typename... A>
int launch(void (*kernel)(P...), int gridX, int blockX, int sharedBytes, A... args) {
    if (gridX <= 0 || blockX <= 0 || blockX > 1024 || sharedBytes < 0 || sharedBytes > 227 * 1024) return -1;
    std::lock_guard<std::mutex> lock(launchMutex);
    std::vector<unsigned char> shared(static_cast<size_t>(sharedBytes) + 16);
    std::vector<uint64_t> slots(static_cast<size_t>(blockX));
    std::barrier<> barrier(blockX);
    std::vector<std::unique_ptr<std::barrier<>>> warps;
    std::vector<std::barrier<> *> warpPtrs;
    for (int w = 0; w < blockX; w += 32) {
        warps.push_back(std::make_unique<std::barrier<>>(std::min(32, blockX - w)));
        warpPtrs.push_back(warps.back().get());
    }
    blockDim_ = emu_dim3{static_cast<unsigned>(blockX), 1, 1};
    gridDim_ = emu_dim3{static_cast<unsigned>(gridX), 1, 1};
    block_ = Block{&barrier, shared.data(), slots.data(), warpPtrs.data()};
    std::vector<std::thread> threads;
    threads.reserve(static_cast<size_t>(blockX));
    for (int t = 0; t < blockX; t++) {
        threads.emplace_back([=, &barrier, &shared] {
            threadIdx_ = emu_dim3{static_cast<unsigned>(t), 0, 0};
            for (int b = 0; b < gridX; b++) {
                blockIdx_ = emu_dim3{static_cast<unsigned>(b), 0, 0};
                if (t == 0) std::fill(shared.begin(), shared.end(), 0xA5);  // garbage, as on a GPU
                barrier.arrive_and_wait();  // the block starts when every thread is ready
                kernel(args...);
                barrier.arrive_and_wait();  // and ends when every thread has returned
            }
        });
    }
    for (auto &th : threads) th.join();
    return 0;
}
}  // namespace emu

// Defines the exported C entry point emu_launch_<kernel>(gridX, blockX, sharedBytes, params...).
#define PROXYNAS_EMU_ENTRY(kernel, params, args)                                                    \
    extern "C" __attribute__((visibility("default"))) int emu_launch_##kernel(                     \
        int gridX, int blockX, int sharedBytes, PROXYNAS_EMU_UNPAREN params) {                     \
        return ::emu::launch(kernel, gridX, blockX, sharedBytes, PROXYNAS_EMU_UNPAREN args);       \
    }
#define PROXYNAS_EMU_UNPAREN(...) __VA_ARGS__
