// No shebang: run by Node because of the .js extension.
console.log('plain-js');
for (const arg of process.argv.slice(2)) console.log(arg);
