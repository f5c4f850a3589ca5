// Importing this module registers the algorithms of the core namespace.
export {};
