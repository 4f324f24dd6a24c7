export * from './enums.js';
export * from './errors.js';
export * from './common.js';
export * from './people.js';
export * from './tickets.js';
export * from './catalog.js';
export * from './notifications.js';
export * from './outbox.js';
