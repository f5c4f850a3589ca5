// Importing this module registers the models of the core namespace.
export {};
