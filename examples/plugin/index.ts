// An example plugin: a config lists this file in `custom_imports`, and importing it registers the
// plugin's classes under its own namespace, `myplugin/`.
import { MODELS } from 'tfrazor';
import { TinyMLP, TINY_MLP_SCHEMA } from './tiny_mlp.js';

MODELS.register('myplugin/TinyMLP', TinyMLP, { schema: TINY_MLP_SCHEMA });

export { TinyMLP };
