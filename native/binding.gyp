{
  "targets": [
    {
      "target_name": "tfrazor_torch",
      "sources": ["src/binding.cc", "src/kernels.cc"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(node ../scripts/torch_paths.mjs include)"
      ],
      "libraries": ["<!@(node ../scripts/torch_paths.mjs libs)"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "<!@(node ../scripts/torch_paths.mjs defines)"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++14"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-frtti", "-O2", "-Wno-unused-parameter"]
    }
  ]
}
