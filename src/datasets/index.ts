// Importing this module registers the datasets of the core namespace.
export {};
