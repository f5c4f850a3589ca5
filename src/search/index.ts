// Importing this module registers the search of the core namespace.
export {};
