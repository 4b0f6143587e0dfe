const s = require('fs').readFileSync(0, 'utf8');
throw new Error('boom: ' + s.trim());
