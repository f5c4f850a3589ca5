// Importing this module registers the engine of the core namespace.
export {};
