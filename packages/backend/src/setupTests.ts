// CI runs on a loaded 2-core machine: no test may fail on Jest's 5 s per-test default.
jest.setTimeout(120_000);
