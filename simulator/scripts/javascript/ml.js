const data = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/);
// 512 MiB of filled (so really touched) 1 MiB buffers, all kept alive.
const blocks = [];
for (let i = 0; i < 512; i++) {
  blocks.push(Buffer.alloc(1 << 20, (i % 127) + 1));
}
let sum = 0;
for (const blk of blocks) {
  sum += blk[4096];
}
console.log(Number(data[0]) + Number(data[1]) + (sum % 2));
