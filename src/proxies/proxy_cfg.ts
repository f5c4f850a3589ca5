import { registerSectionSchema } from '../config/sections.js';

/** The `proxy_cfg` section: the proxy tools/analysis/proxies.ts runs when no --proxy is given. */
export const PROXY_CFG_SCHEMA = {
  'x-kind': 'proxies',
  description: 'A zero-cost proxy, e.g. {type: ZenScore, batch_size: 16} (tools/analysis/proxies.ts; --proxy replaces it).',
};

registerSectionSchema('proxy_cfg', PROXY_CFG_SCHEMA);
