// Importing this module registers the evaluation of the core namespace.
export {};
