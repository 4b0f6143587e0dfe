const data = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/);
function sum(a, b {
  return a + b;
}
console.log(sum(Number(data[0]), Number(data[1])));
