// The client through `require`, as a CommonJS app (or a test runner with its own loader) has it.
const { connect } = require("@odoo-live/client");
require("./listen-once.cjs").listenOnce(connect, "packaged-cjs");

// The CommonJS build bundles what it takes from the protocol: neither zod nor the ESM-only
// @noble/hashes gets loaded.
const heavy = Object.keys(require.cache).filter((path) => /[\\/](zod|@noble)[\\/]/.test(path));
console.log(`zod or @noble loaded: ${heavy.length}`);
