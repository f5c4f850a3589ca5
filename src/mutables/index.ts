// Importing this module registers the mutables of the core namespace.
export {};
