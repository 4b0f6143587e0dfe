const data = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/);
const a = BigInt(data[0]);
const b = BigInt(data[1]);
// Off by one on purpose: the judge must answer WA.
console.log((a + b + 1n).toString());
