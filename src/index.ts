/**
 * Public API for embedded use: `import { startServer } from 'tessera'`.
 */
export { startServer, TesseraServer, type StartOptions } from './server.js';
export { REDIS_VERSION, TESSERA_VERSION } from './engine/node.js';
