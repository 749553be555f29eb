'use strict';

// Built by `npm run build:plugin` (tsc), which every app script runs first.
module.exports = require('./dist/server');
