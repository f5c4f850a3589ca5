// N-API surface of the libtorch kernels. Every tensor argument is a Float32Array (a view of the
// wasm heap) followed by its shape as a JS array; outputs are preallocated views written in place.
#include <napi.h>

#include <vector>

#include "kernels.h"

namespace {

using tfrazor::Buffer;

Buffer bufferArg(const Napi::CallbackInfo& info, size_t dataIndex, size_t shapeIndex) {
  Buffer b;
  if (info[dataIndex].IsNull() || info[dataIndex].IsUndefined()) return b;
  if (!info[dataIndex].IsTypedArray() ||
      info[dataIndex].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw Napi::TypeError::New(info.Env(), "argument " + std::to_string(dataIndex) + " must be a Float32Array");
  }
  auto array = info[dataIndex].As<Napi::Float32Array>();
  b.data = array.Data();
  auto shape = info[shapeIndex].As<Napi::Array>();
  b.rank = static_cast<int>(shape.Length());
  if (b.rank > 4) throw Napi::RangeError::New(info.Env(), "tensors of rank > 4 are not supported");
  size_t size = 1;
  for (int i = 0; i < b.rank; ++i) {
    b.shape[i] = shape.Get(static_cast<uint32_t>(i)).As<Napi::Number>().Int64Value();
    size *= static_cast<size_t>(b.shape[i]);
  }
  if (size > array.ElementLength()) {
    throw Napi::RangeError::New(info.Env(), "argument " + std::to_string(dataIndex) + " is smaller than its shape");
  }
  return b;
}

// A JS array of `n` integers (a geometry), checked for length.
std::vector<int64_t> intsArg(const Napi::CallbackInfo& info, size_t index, uint32_t n) {
  auto a = info[index].As<Napi::Array>();
  if (a.Length() != n) throw Napi::RangeError::New(info.Env(), "geometry must have " + std::to_string(n) + " entries");
  std::vector<int64_t> v(n);
  for (uint32_t i = 0; i < n; ++i) v[i] = a.Get(i).As<Napi::Number>().Int64Value();
  return v;
}

// [strideH, strideW, dilationH, dilationW, padTop, padBottom, padLeft, padRight, depthwise]
tfrazor::ConvGeometry geometryArg(const Napi::CallbackInfo& info, size_t index) {
  auto v = intsArg(info, index, 9);
  return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8] != 0};
}

// 0 linear, 1 relu, 2 relu6
tfrazor::Activation activationArg(const Napi::CallbackInfo& info, size_t index) {
  const int code = info[index].As<Napi::Number>().Int32Value();
  if (code < 0 || code > 2) throw Napi::RangeError::New(info.Env(), "activation code must be 0, 1 or 2");
  return static_cast<tfrazor::Activation>(code);
}

// Runs a kernel and turns a libtorch (c10) exception into a JS Error with its first line.
template <typename F>
Napi::Value guarded(const Napi::CallbackInfo& info, F body) {
  try {
    body();
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& e) {
    std::string message = e.what();
    throw Napi::Error::New(info.Env(), "libtorch: " + message.substr(0, message.find('\n')));
  }
  return info.Env().Undefined();
}

// conv2dForward(x, xShape, filter, filterShape, bias|null, biasShape, activation, geometry, out, outShape)
Napi::Value Conv2dForward(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    tfrazor::conv2dForward(bufferArg(info, 0, 1), bufferArg(info, 2, 3), bufferArg(info, 4, 5),
                           activationArg(info, 6),
                           geometryArg(info, 7), bufferArg(info, 8, 9));
  });
}

// conv2dBackwardInput(dy, dyShape, filter, filterShape, geometry, dx, dxShape)
Napi::Value Conv2dBackwardInput(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    tfrazor::conv2dBackwardInput(bufferArg(info, 0, 1), bufferArg(info, 2, 3), geometryArg(info, 4),
                                 bufferArg(info, 5, 6));
  });
}

// conv2dBackwardFilter(x, xShape, dy, dyShape, geometry, dfilter, dfilterShape)
Napi::Value Conv2dBackwardFilter(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    tfrazor::conv2dBackwardFilter(bufferArg(info, 0, 1), bufferArg(info, 2, 3), geometryArg(info, 4),
                                  bufferArg(info, 5, 6));
  });
}

// batchNormTrain(x, xShape, gamma|null, beta|null, channelShape, eps, activation, y, mean, variance)
Napi::Value BatchNormTrain(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    tfrazor::batchNormTrain(bufferArg(info, 0, 1), bufferArg(info, 2, 4), bufferArg(info, 3, 4),
                            info[5].As<Napi::Number>().DoubleValue(), activationArg(info, 6),
                            bufferArg(info, 7, 1), bufferArg(info, 8, 4), bufferArg(info, 9, 4));
  });
}

// batchNormBackward(dy, x, xShape, gamma|null, mean, variance, channelShape, eps, activation, y|null,
//                   dx, dgamma|null, dbeta|null)
Napi::Value BatchNormBackward(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    tfrazor::batchNormBackward(bufferArg(info, 0, 2), bufferArg(info, 1, 2), bufferArg(info, 3, 6),
                               bufferArg(info, 4, 6), bufferArg(info, 5, 6),
                               info[7].As<Napi::Number>().DoubleValue(), activationArg(info, 8),
                               bufferArg(info, 9, 2), bufferArg(info, 10, 2), bufferArg(info, 11, 6),
                               bufferArg(info, 12, 6));
  });
}

// batchMatMul(a, aShape, b, bShape, transposeA, transposeB, out, outShape)
Napi::Value BatchMatMul(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    tfrazor::batchMatMul(bufferArg(info, 0, 1), bufferArg(info, 2, 3), info[4].As<Napi::Boolean>().Value(),
                         info[5].As<Napi::Boolean>().Value(), bufferArg(info, 6, 7));
  });
}

// [kernelH, kernelW, strideH, strideW, padH, padW]
tfrazor::PoolGeometry poolArg(const Napi::CallbackInfo& info, size_t index) {
  auto v = intsArg(info, index, 6);
  return {v[0], v[1], v[2], v[3], v[4], v[5]};
}

// maxPool(x, xShape, geometry, out, outShape)
Napi::Value MaxPool(const Napi::CallbackInfo& info) {
  return guarded(info, [&] { tfrazor::maxPool(bufferArg(info, 0, 1), poolArg(info, 2), bufferArg(info, 3, 4)); });
}

// maxPoolGrad(dy, dyShape, x, xShape, geometry, dx)
Napi::Value MaxPoolGrad(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    tfrazor::maxPoolGrad(bufferArg(info, 0, 1), bufferArg(info, 2, 3), poolArg(info, 4), bufferArg(info, 5, 3));
  });
}

// addRelu(a, b, shape, out)
Napi::Value AddRelu(const Napi::CallbackInfo& info) {
  return guarded(info, [&] { tfrazor::addRelu(bufferArg(info, 0, 2), bufferArg(info, 1, 2), bufferArg(info, 3, 2)); });
}

// reluGrad(dy, y, shape, dx)
Napi::Value ReluGrad(const Napi::CallbackInfo& info) {
  return guarded(info, [&] { tfrazor::reluGrad(bufferArg(info, 0, 2), bufferArg(info, 1, 2), bufferArg(info, 3, 2)); });
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  return guarded(info, [&] { tfrazor::setThreads(info[0].As<Napi::Number>().Int32Value()); });
}

Napi::Value Threads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), tfrazor::threads());
}

Napi::Value Version(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), tfrazor::version());
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("conv2dForward", Napi::Function::New(env, Conv2dForward));
  exports.Set("conv2dBackwardInput", Napi::Function::New(env, Conv2dBackwardInput));
  exports.Set("conv2dBackwardFilter", Napi::Function::New(env, Conv2dBackwardFilter));
  exports.Set("batchNormTrain", Napi::Function::New(env, BatchNormTrain));
  exports.Set("batchNormBackward", Napi::Function::New(env, BatchNormBackward));
  exports.Set("maxPool", Napi::Function::New(env, MaxPool));
  exports.Set("maxPoolGrad", Napi::Function::New(env, MaxPoolGrad));
  exports.Set("addRelu", Napi::Function::New(env, AddRelu));
  exports.Set("reluGrad", Napi::Function::New(env, ReluGrad));
  exports.Set("batchMatMul", Napi::Function::New(env, BatchMatMul));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("threads", Napi::Function::New(env, Threads));
  exports.Set("version", Napi::Function::New(env, Version));
  return exports;
}

}  // namespace

NODE_API_MODULE(tfrazor_torch, Init)
