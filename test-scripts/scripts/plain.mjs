// No shebang: run by Node because of the .mjs extension (an ES module: import works).
import { argv } from 'node:process';

console.log('plain-mjs');
for (const arg of argv.slice(2)) console.log(arg);
