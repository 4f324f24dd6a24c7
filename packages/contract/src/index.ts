export * from './enums.js';
export * from './errors.js';
export * from './common.js';
export * from './people.js';
export * from './tickets.js';
