const data = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/);
// The state stays in [1, 1000002]: it never reaches zero.
let x = (Number(data[0]) + Number(data[1])) % 1000003 || 1;
while (x !== 0) {
  x = ((x * 31 + 7) % 1000003) || 1;
}
console.log(x);
