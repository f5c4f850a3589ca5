// Kernels tfrazor runs through libtorch, on float32 NHWC buffers owned by the caller (the
// wasm heap). Plain C++ types only, so the N-API binding compiles without the torch headers.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace tfrazor {

// A caller-owned float32 buffer and its tfjs shape (NHWC for images, [kh, kw, in, out] filters).
struct Buffer {
  float* data = nullptr;
  std::array<int64_t, 4> shape{0, 0, 0, 0};
  int rank = 0;
};

enum class Activation { Linear = 0, Relu = 1, Relu6 = 2 };

struct ConvGeometry {
  int64_t strideH = 1, strideW = 1;
  int64_t dilationH = 1, dilationW = 1;
  int64_t padTop = 0, padBottom = 0, padLeft = 0, padRight = 0;
  bool depthwise = false;  // filter [kh, kw, C, 1], groups = C
};

// out = act(conv(x, filter) + bias); bias may have data == nullptr.
void conv2dForward(const Buffer& x, const Buffer& filter, const Buffer& bias, Activation act,
                   const ConvGeometry& g, const Buffer& out);
// dx of the convolution, written to dx (its shape is the forward input's).
void conv2dBackwardInput(const Buffer& dy, const Buffer& filter, const ConvGeometry& g, const Buffer& dx);
// dfilter of the convolution, written to dfilter (tfjs layout).
void conv2dBackwardFilter(const Buffer& x, const Buffer& dy, const ConvGeometry& g, const Buffer& dfilter);

// Train-mode batch norm over the last axis, then the activation: y, and the batch mean and biased
// variance per channel. gamma / beta may be absent (data == nullptr): scale 1, offset 0.
void batchNormTrain(const Buffer& x, const Buffer& gamma, const Buffer& beta, double eps, Activation act,
                    const Buffer& y, const Buffer& mean, const Buffer& variance);
// Gradients of batchNormTrain: dx, dgamma, dbeta (from the saved batch mean and variance, and the
// output y, whose zero / saturated entries mask dy for relu / relu6).
void batchNormBackward(const Buffer& dy, const Buffer& x, const Buffer& gamma, const Buffer& mean,
                       const Buffer& variance, double eps, Activation act, const Buffer& y,
                       const Buffer& dx, const Buffer& dgamma, const Buffer& dbeta);

// Max pooling (symmetric padding, never counted as a maximum) and its gradient, which routes dy
// to the first maximum of each window, recomputed from x.
struct PoolGeometry {
  int64_t kernelH = 1, kernelW = 1, strideH = 1, strideW = 1, padH = 0, padW = 0;
};
void maxPool(const Buffer& x, const PoolGeometry& g, const Buffer& out);
void maxPoolGrad(const Buffer& dy, const Buffer& x, const PoolGeometry& g, const Buffer& dx);

// out = relu(a + b) over equal-shaped buffers (a residual join), and its gradient: dy where out > 0.
void addRelu(const Buffer& a, const Buffer& b, const Buffer& out);
void reluGrad(const Buffer& dy, const Buffer& y, const Buffer& dx);

// out[b] = op(a[b]) x op(b[b]) for rank-3 a, b (tfjs BatchMatMul).
void batchMatMul(const Buffer& a, const Buffer& b, bool transposeA, bool transposeB, const Buffer& out);

void setThreads(int n);
int threads();
std::string version();

}  // namespace tfrazor
