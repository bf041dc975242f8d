// The package initialises itself on import; the init functions of the raw glue are not exported.
export * from './wallet_linker.js';
