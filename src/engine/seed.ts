/**
 * Apply `--seed N` to a validated config: the runner's seed (data order, subnet sampling) and, as
 * torch.manual_seed does, the network's initial weights (`model.architecture.init_seed`, or
 * `model.init_seed` for a bare network), so two seeds give two independent runs.
 */
export function applySeed(config: Record<string, unknown>, seed: number): void {
  config.randomness = { ...((config.randomness as object | undefined) ?? {}), seed };
  const model = config.model as Record<string, unknown> | undefined;
  const net = (model?.architecture ?? model) as Record<string, unknown> | undefined;
  if (net && typeof net === 'object' && 'init_seed' in net) net.init_seed = seed;
}
