// Fault tests: real crashes and real lease expiries, minutes long. Run by `npm run test:faults`.
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/faults'],
  testPathIgnorePatterns: [],
  testTimeout: 300000,
};
