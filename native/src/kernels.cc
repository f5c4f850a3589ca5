#include "kernels.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <torch/version.h>

namespace tfrazor {
namespace {

// An NHWC buffer seen as a channels-last NCHW tensor: no copy, libtorch reads the caller's memory.
at::Tensor nchwView(const Buffer& b) {
  const auto& s = b.shape;  // N, H, W, C
  return at::from_blob(b.data, {s[0], s[3], s[1], s[2]}, {s[1] * s[2] * s[3], 1, s[2] * s[3], s[3]},
                       at::kFloat);
}

// A tfjs filter [kh, kw, in, out] (depthwise [kh, kw, C, 1]) seen as a torch weight [out, in, kh, kw].
at::Tensor weightView(const Buffer& f, bool depthwise) {
  const auto& s = f.shape;
  if (depthwise) {
    return at::from_blob(f.data, {s[2], 1, s[0], s[1]}, {1, 1, s[1] * s[2], s[2]}, at::kFloat);
  }
  return at::from_blob(f.data, {s[3], s[2], s[0], s[1]}, {1, s[3], s[1] * s[2] * s[3], s[2] * s[3]},
                       at::kFloat);
}

// Any buffer as one flat vector (elementwise kernels on contiguous memory).
at::Tensor flatView(const Buffer& b) {
  int64_t size = 1;
  for (int i = 0; i < b.rank; ++i) size *= b.shape[i];
  return at::from_blob(b.data, {size}, at::kFloat);
}

at::Tensor vectorView(const Buffer& b) {
  return at::from_blob(b.data, {b.shape[0]}, at::kFloat);
}

bool symmetric(const ConvGeometry& g) { return g.padTop == g.padBottom && g.padLeft == g.padRight; }

// tfjs 'same' padding can put one more row or column at the bottom / right than at the top / left;
// libtorch pads symmetrically, so such inputs are padded explicitly first.
at::Tensor padded(const at::Tensor& x, const ConvGeometry& g) {
  if (symmetric(g)) return x;
  return at::constant_pad_nd(x, {g.padLeft, g.padRight, g.padTop, g.padBottom}, 0);
}

std::vector<int64_t> torchPadding(const ConvGeometry& g) {
  if (symmetric(g)) return {g.padTop, g.padLeft};
  return {0, 0};
}

int64_t groupsOf(const Buffer& filter, const ConvGeometry& g) { return g.depthwise ? filter.shape[2] : 1; }

}  // namespace

void conv2dForward(const Buffer& x, const Buffer& filter, const Buffer& bias, Activation act,
                   const ConvGeometry& g, const Buffer& out) {
  c10::InferenceMode guard;
  c10::optional<at::Tensor> b;
  if (bias.data != nullptr) b = vectorView(bias);
  at::Tensor y = at::convolution(padded(nchwView(x), g), weightView(filter, g.depthwise), b,
                                 {g.strideH, g.strideW}, torchPadding(g), {g.dilationH, g.dilationW},
                                 false, {0, 0}, groupsOf(filter, g));
  if (act == Activation::Relu) y.relu_();
  if (act == Activation::Relu6) y.clamp_(0, 6);
  nchwView(out).copy_(y);
}

void conv2dBackwardInput(const Buffer& dy, const Buffer& filter, const ConvGeometry& g, const Buffer& dx) {
  c10::InferenceMode guard;
  const auto& s = dx.shape;
  const bool sym = symmetric(g);
  const int64_t h = s[1] + (sym ? 0 : g.padTop + g.padBottom);
  const int64_t w = s[2] + (sym ? 0 : g.padLeft + g.padRight);
  // Only the input's shape matters for its own gradient.
  at::Tensor input = at::empty({s[0], s[3], h, w}, at::TensorOptions().dtype(at::kFloat)
                                                       .memory_format(at::MemoryFormat::ChannelsLast));
  at::Tensor weight = weightView(filter, g.depthwise);
  auto grads = at::convolution_backward(nchwView(dy), input, weight, c10::nullopt, {g.strideH, g.strideW},
                                        torchPadding(g), {g.dilationH, g.dilationW}, false, {0, 0},
                                        groupsOf(filter, g), {true, false, false});
  at::Tensor gx = std::get<0>(grads);
  if (!sym) gx = gx.slice(2, g.padTop, g.padTop + s[1]).slice(3, g.padLeft, g.padLeft + s[2]);
  nchwView(dx).copy_(gx);
}

void conv2dBackwardFilter(const Buffer& x, const Buffer& dy, const ConvGeometry& g, const Buffer& dfilter) {
  c10::InferenceMode guard;
  at::Tensor target = weightView(dfilter, g.depthwise);
  at::Tensor weight = at::empty(target.sizes(), at::TensorOptions().dtype(at::kFloat));
  auto grads = at::convolution_backward(nchwView(dy), padded(nchwView(x), g), weight, c10::nullopt,
                                        {g.strideH, g.strideW}, torchPadding(g), {g.dilationH, g.dilationW},
                                        false, {0, 0}, groupsOf(dfilter, g), {false, true, false});
  target.copy_(std::get<1>(grads));
}

void batchNormTrain(const Buffer& x, const Buffer& gamma, const Buffer& beta, double eps, Activation act,
                    const Buffer& y, const Buffer& mean, const Buffer& variance) {
  c10::InferenceMode guard;
  c10::optional<at::Tensor> w, b;
  if (gamma.data != nullptr) w = vectorView(gamma);
  if (beta.data != nullptr) b = vectorView(beta);
  // (native_batch_norm.out has no CPU kernel in libtorch 1.13, so the result is copied once.)
  auto result = at::native_batch_norm(nchwView(x), w, b, c10::nullopt, c10::nullopt, true, 0.0, eps);
  nchwView(y).copy_(std::get<0>(result));
  if (act == Activation::Relu) flatView(y).relu_();
  if (act == Activation::Relu6) flatView(y).clamp_(0, 6);
  vectorView(mean).copy_(std::get<1>(result));
  // save_invstd = 1 / sqrt(var + eps): the biased batch variance back from it.
  vectorView(variance).copy_(std::get<2>(result).pow(-2).sub_(eps));
}

void batchNormBackward(const Buffer& dy, const Buffer& x, const Buffer& gamma, const Buffer& mean,
                       const Buffer& variance, double eps, Activation act, const Buffer& y,
                       const Buffer& dx, const Buffer& dgamma, const Buffer& dbeta) {
  c10::InferenceMode guard;
  c10::optional<at::Tensor> w;
  if (gamma.data != nullptr) w = vectorView(gamma);
  at::Tensor invstd = vectorView(variance).add(eps).rsqrt_();
  at::Tensor grad = nchwView(dy);
  // The activation's gradient from its output, on flat (contiguous) views: relu passes dy where
  // y > 0, relu6 where 0 < y < 6. (masked_fill on the channels-last views was 10x slower.)
  if (act != Activation::Linear) {
    at::Tensor flatGrad = act == Activation::Relu ? at::threshold_backward(flatView(dy), flatView(y), 0)
                                                  : at::hardtanh_backward(flatView(dy), flatView(y), 0, 6);
    grad = flatGrad.as_strided(grad.sizes(), grad.strides());
  }
  auto grads = at::native_batch_norm_backward(grad, nchwView(x), w, c10::nullopt, c10::nullopt,
                                              vectorView(mean), invstd, true, eps, {true, true, true});
  nchwView(dx).copy_(std::get<0>(grads));
  if (dgamma.data != nullptr) vectorView(dgamma).copy_(std::get<1>(grads));
  if (dbeta.data != nullptr) vectorView(dbeta).copy_(std::get<2>(grads));
}

void maxPool(const Buffer& x, const PoolGeometry& g, const Buffer& out) {
  c10::InferenceMode guard;
  nchwView(out).copy_(at::max_pool2d(nchwView(x), {g.kernelH, g.kernelW}, {g.strideH, g.strideW},
                                     {g.padH, g.padW}));
}

void maxPoolGrad(const Buffer& dy, const Buffer& x, const PoolGeometry& g, const Buffer& dx) {
  c10::InferenceMode guard;
  at::Tensor input = nchwView(x);
  auto pooled = at::max_pool2d_with_indices(input, {g.kernelH, g.kernelW}, {g.strideH, g.strideW}, {g.padH, g.padW});
  nchwView(dx).copy_(at::max_pool2d_with_indices_backward(nchwView(dy), input, {g.kernelH, g.kernelW},
                                                          {g.strideH, g.strideW}, {g.padH, g.padW}, {1, 1},
                                                          false, std::get<1>(pooled)));
}

void addRelu(const Buffer& a, const Buffer& b, const Buffer& out) {
  c10::InferenceMode guard;
  at::Tensor result = flatView(out);
  at::add_out(result, flatView(a), flatView(b)).relu_();
}

void reluGrad(const Buffer& dy, const Buffer& y, const Buffer& dx) {
  c10::InferenceMode guard;
  at::Tensor result = flatView(dx);
  at::threshold_backward_out(result, flatView(dy), flatView(y), 0);
}

void batchMatMul(const Buffer& a, const Buffer& b, bool transposeA, bool transposeB, const Buffer& out) {
  c10::InferenceMode guard;
  auto view3 = [](const Buffer& t) {
    return at::from_blob(t.data, {t.shape[0], t.shape[1], t.shape[2]}, at::kFloat);
  };
  at::Tensor lhs = view3(a), rhs = view3(b);
  if (transposeA) lhs = lhs.transpose(1, 2);
  if (transposeB) rhs = rhs.transpose(1, 2);
  at::Tensor result = view3(out);
  at::bmm_out(result, lhs, rhs);
}

void setThreads(int n) { at::set_num_threads(n); }
int threads() { return at::get_num_threads(); }
std::string version() { return TORCH_VERSION; }

}  // namespace tfrazor
