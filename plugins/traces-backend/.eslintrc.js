module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // Property tests assert through fast-check (`fc.assert`) and helpers named `check…`.
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'fc.assert', 'check*'] },
    ],
  },
});
