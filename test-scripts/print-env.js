// Usage: print-env.js <NAME>...
// Prints one JSON object: each variable's value in this process's environment (null when unset).
const names = process.argv.slice(2);
console.log(JSON.stringify(Object.fromEntries(names.map((name) => [name, process.env[name] ?? null]))));
