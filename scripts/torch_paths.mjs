// Where libtorch is: $TFRAZOR_TORCH_DIR (a pip-installed torch, i.e. site-packages/torch, or any
// folder with include/ and lib/), else Debian's libtorch-dev. Imported by build_native.mjs and
// called by native/binding.gyp as `node torch_paths.mjs include|libs|defines`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const DEBIAN_INCLUDE = '/usr/include/torch/csrc/api/include';
const DEBIAN_CMAKE = '/usr/lib/x86_64-linux-gnu/cmake/Torch/TorchConfig.cmake';

/** { include: string[], libs: string[], defines: string[], where: string } or { missing: reason }. */
export function findTorch(env = process.env) {
  const dir = env.TFRAZOR_TORCH_DIR;
  if (dir) {
    const include = join(dir, 'include');
    const lib = join(dir, 'lib');
    if (!existsSync(join(include, 'ATen', 'ATen.h'))) {
      return { missing: `TFRAZOR_TORCH_DIR=${dir} has no include/ATen/ATen.h (expected a torch folder such as .../site-packages/torch)` };
    }
    return {
      where: dir,
      include: [include, join(include, 'torch', 'csrc', 'api', 'include')],
      libs: [`-L${lib}`, `-Wl,-rpath,${lib}`, '-ltorch', '-ltorch_cpu', '-lc10'],
      defines: [abiDefine(join(dir, 'share', 'cmake', 'Torch', 'TorchConfig.cmake'))],
    };
  }
  if (existsSync(join(DEBIAN_INCLUDE, 'torch', 'torch.h')) || existsSync('/usr/include/ATen/ATen.h')) {
    return {
      where: 'libtorch-dev (system)',
      include: [DEBIAN_INCLUDE],
      libs: ['-ltorch', '-ltorch_cpu', '-lc10'],
      defines: [abiDefine(DEBIAN_CMAKE)],
    };
  }
  return { missing: 'libtorch not found (no libtorch-dev headers in /usr/include, TFRAZOR_TORCH_DIR unset)' };
}

// A torch build fixes the C++ string ABI; the addon must match it (pip wheels used to be pre-cxx11).
function abiDefine(cmakeConfig) {
  const text = existsSync(cmakeConfig) ? readFileSync(cmakeConfig, 'utf8') : '';
  const m = /_GLIBCXX_USE_CXX11_ABI=([01])/.exec(text);
  return `_GLIBCXX_USE_CXX11_ABI=${m ? m[1] : '1'}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const torch = findTorch();
  const part = process.argv[2];
  if (torch.missing) {
    console.error(torch.missing);
    process.exit(1);
  }
  if (!['include', 'libs', 'defines'].includes(part)) {
    console.error('usage: node torch_paths.mjs include|libs|defines');
    process.exit(1);
  }
  console.log(torch[part].join(' '));
}
